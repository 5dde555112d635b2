//! Dates for the generators: the crate's date type (chrono's `NaiveDate`) and the working days
//! on which inspectors visit.

use chrono::{Datelike, NaiveDate, TimeDelta};

/// A date the generator writes as a literal; `const`, so a date that does not exist fails the
/// build rather than a run.
pub const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("the kit names a date that does not exist"),
    }
}

/// Public holidays falling on weekdays in the fixtures' months (inclusive ranges); no visits
/// then.
pub const HOLIDAYS: [(NaiveDate, NaiveDate); 6] = [
    (date(2025, 10, 1), date(2025, 10, 8)), // 国庆节、中秋节
    (date(2026, 1, 1), date(2026, 1, 2)),   // 元旦
    (date(2026, 2, 16), date(2026, 2, 20)), // 春节
    (date(2026, 4, 6), date(2026, 4, 6)),   // 清明节
    (date(2026, 5, 1), date(2026, 5, 5)),   // 劳动节
    (date(2026, 6, 19), date(2026, 6, 19)), // 端午节
];

/// What the generators ask of a date.
pub trait Workday: Sized {
    /// This date moved by `days` (negative: earlier).
    fn plus(self, days: i64) -> Self;

    /// A working day: Monday to Friday outside [`HOLIDAYS`].
    fn is_workday(&self) -> bool;

    /// This date, or the next working day after it.
    fn workday_on_or_after(self) -> Self;
}

impl Workday for NaiveDate {
    fn plus(self, days: i64) -> NaiveDate {
        self + TimeDelta::days(days)
    }

    fn is_workday(&self) -> bool {
        self.weekday().num_days_from_monday() < 5 && !HOLIDAYS.iter().any(|&(from, to)| from <= *self && *self <= to)
    }

    fn workday_on_or_after(self) -> NaiveDate {
        let mut d = self;
        while !d.is_workday() {
            d = d.plus(1);
        }
        d
    }
}

/// The working days of `from..=to`.
pub fn workdays(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|&d| d <= to)
        .filter(|d| d.is_workday())
        .collect()
}
