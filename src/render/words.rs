//! Periods, dates and figures as a document writes them for people: 2026年上半年 and
//! 2026年6月30日, not `2026H1` and `2026-06-30` (those stay in the JSON); counts and money
//! grouped by thousands, money always with two decimals. One helper per kind of figure, so
//! every document says them the same way.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_i18n::t;

use crate::model::decimal::fmt2;
use crate::model::period::Span;
use crate::model::records::Lang;
use crate::model::Period;

/// An id of the data (a level, a verdict, an outcome, a cadence) in the reader's words, from the
/// catalogue's `word.KIND.ID` entries; the id stays in CSV and JSON.
fn word(kind: &str, id: &str, lang: Lang) -> String {
    let key = format!("word.{kind}.{id}");
    let text = t!(&key, locale = lang.code());
    text.into_owned()
}

/// An inspection level: 第三方, third-party.
pub fn level(l: crate::model::Level, lang: Lang) -> String {
    word("level", l.as_str(), lang)
}

/// A compound's verdict: 合格, 不合格, 未检查.
pub fn verdict(v: crate::domain::scoring::Verdict, lang: Lang) -> String {
    word("verdict", v.as_str(), lang)
}

/// A verdict given by its id (`pass`, `fail`, `not_assessed`, as reports carry it) in words; an
/// unknown id as it is.
pub fn verdict_id(id: &str, lang: Lang) -> String {
    match id {
        "pass" | "fail" | "not_assessed" => word("verdict", id, lang),
        other => other.to_string(),
    }
}

/// One of the three looks, in place or not: 到位, 不到位.
pub fn look(in_place: bool, lang: Lang) -> String {
    word("look", if in_place { "in_place" } else { "not_in_place" }, lang)
}

/// The outcome keys of notices and subsidies (整改到位, 复检不合格, 逾期未复检 …) in words; any
/// other key (a grade's name, as the bureau wrote it) as it is.
pub fn outcome(key: &str, lang: Lang) -> String {
    const KNOWN: [&str; 7] = [
        "rectified",
        "recheck_failed",
        "unresolved",
        "not_assessed",
        "failed",
        "pending",
        "overdue",
    ];
    match KNOWN.contains(&key) {
        true => word("outcome", key, lang),
        false => key.to_string(),
    }
}

/// How often a level must visit: 每月, 每季度, 每半年, 每年.
pub fn cadence(c: Span, lang: Lang) -> String {
    word("cadence", c.as_str(), lang)
}

/// The words a table repeats on every row, looked up once per language (a national table has
/// 220,000 rows): verdicts and looks.
#[derive(Debug)]
pub struct Vocab {
    /// 合格.
    pub pass: &'static str,
    /// 不合格.
    pub fail: &'static str,
    /// 未检查.
    pub not_assessed: &'static str,
    /// 到位.
    pub in_place: &'static str,
    /// 不到位.
    pub not_in_place: &'static str,
}

impl Vocab {
    /// A verdict's word.
    pub fn verdict(&self, v: crate::domain::scoring::Verdict) -> &'static str {
        use crate::domain::scoring::Verdict;
        match v {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
            Verdict::NotAssessed => self.not_assessed,
        }
    }

    /// A look's word.
    pub fn look(&self, in_place: bool) -> &'static str {
        if in_place {
            self.in_place
        } else {
            self.not_in_place
        }
    }
}

/// The [`Vocab`] of a language, built from the catalogue on first use.
pub fn vocab(lang: Lang) -> &'static Vocab {
    use crate::domain::scoring::Verdict;
    static VOCABS: std::sync::OnceLock<[Vocab; 2]> = std::sync::OnceLock::new();
    let build = |lang: Lang| {
        let keep = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        Vocab {
            pass: keep(verdict(Verdict::Pass, lang)),
            fail: keep(verdict(Verdict::Fail, lang)),
            not_assessed: keep(verdict(Verdict::NotAssessed, lang)),
            in_place: keep(look(true, lang)),
            not_in_place: keep(look(false, lang)),
        }
    };
    let vocabs = VOCABS.get_or_init(|| [build(Lang::Zh), build(Lang::En)]);
    match lang {
        Lang::Zh => &vocabs[0],
        Lang::En => &vocabs[1],
    }
}

/// A period in words: 2026年上半年, 2026年第一季度, 2026年7月, 2026年度; in English "the first
/// half of 2026", "Q1 2026", "July 2026", "2026".
pub fn period_words(p: Period, lang: Lang) -> String {
    let (year, month) = (p.year(), p.start().month());
    match (lang, p.span()) {
        (Lang::Zh, Span::Month) => format!("{year}年{month}月"),
        (Lang::Zh, Span::Quarter) => {
            let n = ["一", "二", "三", "四"][((month - 1) / 3) as usize];
            format!("{year}年第{n}季度")
        }
        (Lang::Zh, Span::Half) if month == 1 => format!("{year}年上半年"),
        (Lang::Zh, Span::Half) => format!("{year}年下半年"),
        (Lang::Zh, Span::Year) => format!("{year}年度"),
        (Lang::En, Span::Month) => p.start().format("%B %Y").to_string(),
        (Lang::En, Span::Quarter) => format!("Q{} {year}", (month - 1) / 3 + 1),
        (Lang::En, Span::Half) if month == 1 => format!("the first half of {year}"),
        (Lang::En, Span::Half) => format!("the second half of {year}"),
        (Lang::En, Span::Year) => year.to_string(),
    }
}

/// A date in words: 2026年6月30日; in English "30 June 2026".
pub fn date_words(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => super::zh_date(d),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A count grouped by thousands: `11960` as `11,960`.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

/// An amount of money with two decimals, grouped by thousands: `3877521.34` as
/// `3,877,521.34`.
pub fn money(d: Decimal) -> String {
    let s = fmt2(d);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |rest| ("-", rest));
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
    format!("{sign}{}.{cents}", group(whole))
}

/// Digits with a comma every three from the right.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A change of score in words: 上升1.28分, 下降0.52分, 持平; "up 1.28", "down 0.52",
/// "unchanged".
pub fn change_words(c: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Zh if c > Decimal::ZERO => format!("上升{}分", fmt2(c)),
        Lang::Zh if c < Decimal::ZERO => format!("下降{}分", fmt2(-c)),
        Lang::Zh => "持平".to_string(),
        Lang::En if c > Decimal::ZERO => format!("up {}", fmt2(c)),
        Lang::En if c < Decimal::ZERO => format!("down {}", fmt2(-c)),
        Lang::En => "unchanged".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn periods_are_named_in_words() {
        assert_eq!(period_words(p("2026H1"), Lang::Zh), "2026年上半年");
        assert_eq!(period_words(p("2026H2"), Lang::Zh), "2026年下半年");
        assert_eq!(period_words(p("2026Q1"), Lang::Zh), "2026年第一季度");
        assert_eq!(period_words(p("2026Q4"), Lang::Zh), "2026年第四季度");
        assert_eq!(period_words(p("2026-07"), Lang::Zh), "2026年7月");
        assert_eq!(period_words(p("2026"), Lang::Zh), "2026年度");
        assert_eq!(period_words(p("2026H2"), Lang::En), "the second half of 2026");
        assert_eq!(period_words(p("2026Q3"), Lang::En), "Q3 2026");
        assert_eq!(period_words(p("2026-07"), Lang::En), "July 2026");
    }

    #[test]
    fn dates_are_written_in_words() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(date_words(d, Lang::Zh), "2026年6月30日");
        assert_eq!(date_words(d, Lang::En), "30 June 2026");
    }

    #[test]
    fn counts_and_money_are_grouped_from_the_right() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(money("3877521.34".parse().unwrap()), "3,877,521.34");
        assert_eq!(money("12".parse().unwrap()), "12.00");
        assert_eq!(money("-1234.5".parse().unwrap()), "-1,234.50");
        assert_eq!(money("0.456".parse().unwrap()), "0.46");
    }

    #[test]
    fn changes_are_words_not_arrows() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(change_words(d("1.28"), Lang::Zh), "上升1.28分");
        assert_eq!(change_words(d("-0.52"), Lang::Zh), "下降0.52分");
        assert_eq!(change_words(d("0"), Lang::Zh), "持平");
        assert_eq!(change_words(d("-0.52"), Lang::En), "down 0.52");
    }
}
