//! Periods (`2026-11`, `2026Q4`, `2026H2`, `2026`) and cadence windows (DESIGN §5).
//!
//! A period is a run of whole calendar months. Every question the domain asks of time
//! ("which month files", "which windows must a level cover", "what came before") is answered
//! here, so that no other module does calendar arithmetic of its own.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_i18n::t;
use serde::Deserialize;

/// How long a period is: the four lengths of DESIGN §5, also the cadences of §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Span {
    /// A calendar month (`2026-03`).
    Month,
    /// A calendar quarter (`2026Q1`).
    Quarter,
    /// A half year (`2026H1`).
    Half,
    /// A calendar year (`2026`).
    Year,
}

impl Span {
    /// Number of months in a period of this span.
    pub fn months(self) -> u32 {
        match self {
            Span::Month => 1,
            Span::Quarter => 3,
            Span::Half => 6,
            Span::Year => 12,
        }
    }

    /// The name used in standards files (`month`, `quarter`, `half`, `year`).
    pub fn as_str(self) -> &'static str {
        match self {
            Span::Month => "month",
            Span::Quarter => "quarter",
            Span::Half => "half",
            Span::Year => "year",
        }
    }
}

/// A calendar period: `span` months starting at month `first_month` (1-based) of `year`.
/// Always aligned: a quarter starts in month 1, 4, 7 or 10, a half in 1 or 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    first_month: u32,
    span: Span,
}

/// Why a period string was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", t!("period.invalid", period => .0))]
pub struct PeriodError(pub String);

impl Period {
    /// The period of the given span that contains `date`.
    pub fn containing(date: NaiveDate, span: Span) -> Period {
        let n = span.months();
        let first_month = (date.month0() / n) * n + 1;
        Period {
            year: date.year(),
            first_month,
            span,
        }
    }

    /// The month `year-month`. `month` must be 1..=12.
    pub fn month(year: i32, month: u32) -> Period {
        debug_assert!((1..=12).contains(&month));
        Period {
            year,
            first_month: month,
            span: Span::Month,
        }
    }

    /// How long the period is.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The calendar year the period lies in.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// First day of the period.
    pub fn start(&self) -> NaiveDate {
        first_of(self.year, self.first_month)
    }

    /// Last day of the period (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.next().start().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` lies in the period (both ends inclusive).
    /// (Periods are aligned, so this is: the period of this span containing `date` is this
    /// one. It is on the scan's hot path, so it builds no dates.)
    pub fn contains(&self, date: NaiveDate) -> bool {
        Period::containing(date, self.span) == *self
    }

    /// Whether `other` lies wholly inside this period.
    pub fn covers(&self, other: &Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// The months of the period, in order.
    pub fn months(&self) -> impl Iterator<Item = Period> + '_ {
        (0..self.span.months()).map(move |i| Period::month(self.year, self.first_month + i))
    }

    /// The period of the same span just before this one (for "change since last time").
    pub fn previous(&self) -> Period {
        let n = self.span.months();
        if self.first_month > n {
            Period {
                first_month: self.first_month - n,
                ..*self
            }
        } else {
            Period {
                year: self.year - 1,
                first_month: 12 - n + self.first_month,
                ..*self
            }
        }
    }

    /// The period of the same span just after this one.
    pub fn next(&self) -> Period {
        let n = self.span.months();
        if self.first_month + n <= 12 {
            Period {
                first_month: self.first_month + n,
                ..*self
            }
        } else {
            Period {
                year: self.year + 1,
                first_month: self.first_month + n - 12,
                ..*self
            }
        }
    }

    /// The windows of a level with cadence `cadence` that must each hold a routine visit
    /// (DESIGN §6): the cadence windows lying wholly inside the period, or, when the period
    /// is shorter than the cadence, the one window that contains it.
    pub fn required_windows(&self, cadence: Span) -> Vec<Period> {
        if cadence.months() > self.span.months() {
            return vec![Period::containing(self.start(), cadence)];
        }
        let mut windows = Vec::new();
        let mut w = Period::containing(self.start(), cadence);
        while self.covers(&w) {
            windows.push(w);
            w = w.next();
        }
        windows
    }
}

fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span {
            Span::Month => write!(f, "{:04}-{:02}", self.year, self.first_month),
            Span::Quarter => write!(f, "{:04}Q{}", self.year, (self.first_month - 1) / 3 + 1),
            Span::Half => write!(f, "{:04}H{}", self.year, (self.first_month - 1) / 6 + 1),
            Span::Year => write!(f, "{:04}", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError(s.to_string());
        let b = s.as_bytes();
        if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
            return Err(err());
        }
        let year: i32 = s[..4].parse().map_err(|_| err())?;
        let rest = &s[4..];
        let digit = |r: &str, lo: u32, hi: u32| -> Result<u32, PeriodError> {
            match r.as_bytes() {
                [d] if d.is_ascii_digit() => {
                    let n = u32::from(d - b'0');
                    if (lo..=hi).contains(&n) {
                        Ok(n)
                    } else {
                        Err(err())
                    }
                }
                _ => Err(err()),
            }
        };
        let period = if rest.is_empty() {
            Period {
                year,
                first_month: 1,
                span: Span::Year,
            }
        } else if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            let q = digit(q, 1, 4)?;
            Period {
                year,
                first_month: (q - 1) * 3 + 1,
                span: Span::Quarter,
            }
        } else if let Some(h) = rest.strip_prefix(['H', 'h']) {
            let h = digit(h, 1, 2)?;
            Period {
                year,
                first_month: (h - 1) * 6 + 1,
                span: Span::Half,
            }
        } else if let Some(m) = rest.strip_prefix('-') {
            if m.len() != 2 || !m.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            let m: u32 = m.parse().map_err(|_| err())?;
            if !(1..=12).contains(&m) {
                return Err(err());
            }
            Period::month(year, m)
        } else {
            return Err(err());
        };
        Ok(period)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// `contains` is "between the first and the last day, inclusive".
        #[test]
        fn contains_is_between_start_and_end(days in -2000i64..2000, year in 2000i32..2040, m in 1u32..=12, span in 0usize..4) {
            let span = [Span::Month, Span::Quarter, Span::Half, Span::Year][span];
            let p = Period::containing(NaiveDate::from_ymd_opt(year, m, 1).unwrap(), span);
            let d = p.start() + chrono::Duration::days(days);
            prop_assert_eq!(p.contains(d), p.start() <= d && d <= p.end());
        }
    }
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn quarter_and_half_letters_are_case_insensitive_and_print_upper_case() {
        assert_eq!(p("2026h1"), p("2026H1"));
        assert_eq!(p("2026q3"), p("2026Q3"));
        assert_eq!(p("2026h2").to_string(), "2026H2");
        assert_eq!(p("2026q4").to_string(), "2026Q4");
        assert!("2026h3".parse::<Period>().is_err());
        assert!("2026q0".parse::<Period>().is_err());
        assert!("2026x1".parse::<Period>().is_err());
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints_every_form() {
        for s in ["2026-03", "2026-12", "2026Q1", "2026Q4", "2026H1", "2026H2", "2026"] {
            assert_eq!(p(s).to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "26",
            "2026-13",
            "2026-00",
            "2026-3",
            "2026Q5",
            "2026Q0",
            "2026H3",
            "2026X1",
            "2026H",
            "abcd",
            "2026-03-01",
        ] {
            assert_eq!(s.parse::<Period>(), Err(PeriodError(s.to_string())), "{s}");
        }
    }

    #[test]
    fn bounds_are_inclusive_calendar_days() {
        assert_eq!(
            (p("2026H1").start(), p("2026H1").end()),
            (d("2026-01-01"), d("2026-06-30"))
        );
        assert_eq!(p("2024-02").end(), d("2024-02-29"));
        assert_eq!(p("2026Q4").end(), d("2026-12-31"));
        assert!(p("2026Q2").contains(d("2026-06-30")));
        assert!(!p("2026Q2").contains(d("2026-07-01")));
    }

    #[test]
    fn previous_and_next_cross_years() {
        assert_eq!(p("2026H1").previous(), p("2025H2"));
        assert_eq!(p("2026Q1").previous(), p("2025Q4"));
        assert_eq!(p("2026-01").previous(), p("2025-12"));
        assert_eq!(p("2026").previous(), p("2025"));
        assert_eq!(p("2025Q4").next(), p("2026Q1"));
        assert_eq!(p("2026-03").previous(), p("2026-02"));
    }

    #[test]
    fn required_windows_by_cadence() {
        // A half-year holds six monthly windows and two quarterly ones.
        assert_eq!(p("2026H1").required_windows(Span::Month).len(), 6);
        assert_eq!(
            p("2026H1").required_windows(Span::Quarter),
            vec![p("2026Q1"), p("2026Q2")]
        );
        assert_eq!(p("2026H1").required_windows(Span::Half), vec![p("2026H1")]);
        // A year holds two halves.
        assert_eq!(p("2026").required_windows(Span::Half), vec![p("2026H1"), p("2026H2")]);
        // A period shorter than the cadence: the one window that contains it.
        assert_eq!(p("2026-05").required_windows(Span::Quarter), vec![p("2026Q2")]);
        assert_eq!(p("2026Q3").required_windows(Span::Half), vec![p("2026H2")]);
        assert_eq!(p("2026H2").required_windows(Span::Year), vec![p("2026")]);
    }

    #[test]
    fn containing_aligns_windows() {
        assert_eq!(Period::containing(d("2026-08-15"), Span::Quarter), p("2026Q3"));
        assert_eq!(Period::containing(d("2026-06-30"), Span::Half), p("2026H1"));
        assert_eq!(Period::containing(d("2026-12-31"), Span::Month), p("2026-12"));
    }
}
