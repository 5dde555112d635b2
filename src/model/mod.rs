//! Plain types of the domain: periods, levels, standards, the registry, visits and money.
//! Nothing in here touches the file system or the clock.

pub mod decimal;
pub mod funds;
pub mod level;
pub mod period;
pub mod records;
pub mod registry;
pub mod standards;

pub use level::{Level, Purpose};
pub use period::{Period, Span};

use chrono::NaiveDate;
use rust_i18n::t;

/// Parse a contract date: exactly `YYYY-MM-DD`, and a day that exists.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_bytes(s.as_bytes())
}

/// [`parse_date`] of a date as bytes, as the store's rows hold it (no UTF-8 check needed: the
/// shape is ASCII).
pub fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    // Digits checked above: read them directly (this runs for every row of the store).
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
}

/// `--as-of` as given: a date, or `today` (DESIGN §14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOfArg {
    /// `--as-of YYYY-MM-DD`.
    Date(NaiveDate),
    /// `--as-of today`: the calendar day.
    Today,
}

/// clap's parser for `--as-of DATE|today`: [`parse_date`] or `today`, with the message clap
/// prints.
pub fn parse_as_of(s: &str) -> Result<AsOfArg, String> {
    if s.eq_ignore_ascii_case("today") {
        return Ok(AsOfArg::Today);
    }
    parse_date(s)
        .map(AsOfArg::Date)
        .ok_or_else(|| t!("period.expect_as_of", found => s).into_owned())
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_date("2024-02-29").is_some());
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-2-28",
            "2026/02/28",
            "26-02-28",
            " 2026-02-28",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
