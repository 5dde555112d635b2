//! The values people write in sheets: dates in several forms, Chinese level and purpose
//! words, and counts that Excel may have turned into floats.

use chrono::{Datelike, NaiveDate};

use crate::model::{Level, Purpose};

use super::sheet::excel_serial_date;

/// A date as `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日`, `20260305`, or an Excel
/// serial day number.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(d) = crate::model::parse_date(s) {
        return Some(d);
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    if !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return s
            .parse::<f64>()
            .ok()
            .and_then(excel_serial_date)
            .filter(|d| d.year() >= 1990);
    }
    // Split on any of - / . 年 月 日 and whitespace (a time after the date is ignored).
    let date_part = s.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return None;
    }
    let nums: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            if p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect();
    let nums = nums?;
    NaiveDate::from_ymd_opt(i32::try_from(nums[0]).ok()?, nums[1], nums[2])
}

/// A level id or the Chinese word for it.
pub fn parse_level(s: &str) -> Option<Level> {
    match s.trim() {
        "community" | "社区" | "社区级" | "居委会" => Some(Level::Community),
        "street" | "街道" | "街道级" | "街" => Some(Level::Street),
        "district" | "区" | "区级" | "区民政局" => Some(Level::District),
        "third_party" | "third party" | "第三方" | "第三方机构" | "第三方评估" => Some(Level::ThirdParty),
        _ => None,
    }
}

/// A purpose or the Chinese word for it.
pub fn parse_purpose(s: &str) -> Option<Purpose> {
    match s.trim() {
        "routine" | "日常" | "常规" | "日常检查" | "例行" => Some(Purpose::Routine),
        "recheck" | "复检" | "复查" | "复核" | "整改复查" => Some(Purpose::Recheck),
        _ => None,
    }
}

/// A whole number, also as Excel writes it (`3.0`), at most [`MAX_PER_ROW`](crate::model::records::MAX_PER_ROW); `None` for
/// anything else.
pub fn parse_whole(s: &str) -> Option<u64> {
    parse_whole_any(s).filter(|&n| n <= crate::model::records::MAX_PER_ROW)
}

fn parse_whole_any(s: &str) -> Option<u64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let (int, frac) = s.split_once('.')?;
    if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && !frac.is_empty() && frac.bytes().all(|b| b == b'0')
    {
        return int.parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_the_forms_people_type() {
        for s in [
            "2026-03-05",
            "2026/3/5",
            "2026/03/05",
            "2026.3.5",
            "2026年3月5日",
            "20260305",
            "46086",
            "2026-03-05 09:30",
        ] {
            assert_eq!(parse_date(s), d(2026, 3, 5), "{s}");
        }
        for s in [
            "2026/2/30",
            "3月5日",
            "05/03/2026",
            "2026-3",
            "",
            "abc",
            "2026年13月1日",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn chinese_level_and_purpose_words() {
        assert_eq!(parse_level("区级"), Some(Level::District));
        assert_eq!(parse_level("第三方"), Some(Level::ThirdParty));
        assert_eq!(parse_purpose("复查"), Some(Purpose::Recheck));
        assert_eq!(parse_purpose("常规"), Some(Purpose::Routine));
        assert_eq!(parse_level("市"), None);
    }

    #[test]
    fn whole_numbers_from_excel() {
        assert_eq!(parse_whole("3"), Some(3));
        assert_eq!(parse_whole("3.0"), Some(3));
        assert_eq!(parse_whole("3.5"), None);
        assert_eq!(parse_whole("-1"), None);
        assert_eq!(parse_whole(""), None);
    }
}

#[cfg(test)]
mod never_panic {
    use proptest::prelude::*;

    proptest! {
        /// Whatever a person types, parsing answers; it never panics.
        #[test]
        fn values_parse_or_refuse(s in "\\PC{0,24}") {
            let _ = super::parse_date(&s);
            let _ = super::parse_level(&s);
            let _ = super::parse_purpose(&s);
            let _ = super::parse_whole(&s);
            let _ = s.parse::<crate::model::Period>();
            let _ = crate::model::decimal::parse_decimal(&s);
        }
    }
}
