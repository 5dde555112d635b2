//! The values people write in sheets: dates in several forms, Chinese level and purpose
//! words, and counts that Excel may have turned into floats.
//!
//! People type in Excel or WPS with a Chinese input method, which writes full-width digits,
//! letters and spaces (`２０２６／７／５`, `３处`, `　`). [`fold_width`] turns those into their
//! ASCII forms before a number or date is read, and leaves Chinese text and its punctuation
//! (、，（）：) alone, so a name is never changed by it.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

use crate::model::{Level, Purpose};

use super::sheet::excel_serial_date;

/// Full-width forms typed in IME mode turned half-width: digits `０-９`, letters `Ａ-ｚ`, the
/// ideographic space U+3000, and ASCII punctuation such as `．／－＋％`. Each such character is
/// NFKC-normalised on its own; every other character is kept as it is, so ideographs and the
/// Chinese punctuation used in names (、，（）：；！？) are untouched, except `，` `：` between two
/// digits (`１，０００`, `９：３０`), which are part of the number. Borrowed when nothing changes.
pub fn fold_width(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_full_width) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let fold = is_full_width(c) && (!CJK_PUNCTUATION.contains(&c) || between_digits(&chars, i));
        if fold {
            out.extend(c.nfkc());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Full-width forms that Chinese text uses as its own punctuation: kept by [`fold_width`]
/// unless they sit inside a number.
const CJK_PUNCTUATION: [char; 7] = ['！', '（', '）', '，', '：', '；', '？'];

/// The full-width ASCII block (U+FF01..U+FF5E) and the ideographic space.
fn is_full_width(c: char) -> bool {
    ('\u{ff01}'..='\u{ff5e}').contains(&c) || c == '\u{3000}'
}

/// Whether the characters either side of `chars[i]` are digits (ASCII or full-width).
fn between_digits(chars: &[char], i: usize) -> bool {
    let digit = |c: Option<&char>| c.is_some_and(|&c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1))
}

/// A date as `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日` (or `5号`), `20260305`, or an
/// Excel serial day number; full-width digits and separators (`２０２６／７／５`) too.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = fold_width(s);
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
    let parts: Vec<&str> = date_part.split(DATE_SEPARATORS).filter(|p| !p.is_empty()).collect();
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

/// What separates the parts of a date people type.
const DATE_SEPARATORS: [char; 7] = ['-', '/', '.', '年', '月', '日', '号'];

/// [`parse_date`], and when the sheet's `year` is known (from its title or its other rows) also
/// a month and day without a year: `7月5日`, `7/5`, `7-5`, `07.05`, taken in that year. A full
/// date keeps its own year.
pub fn parse_date_in(s: &str, year: Option<i32>) -> Option<NaiveDate> {
    if let Some(d) = parse_date(s) {
        return Some(d);
    }
    let year = year?;
    let s = fold_width(s);
    let date_part = s.split_whitespace().next()?;
    let parts: Vec<&str> = date_part.split(DATE_SEPARATORS).filter(|p| !p.is_empty()).collect();
    if parts.len() != 2 || date_part.contains('年') {
        return None;
    }
    let part = |p: &str| -> Option<u32> {
        (p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(year, part(parts[0])?, part(parts[1])?)
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
/// anything else. Reads every form [`parse_count`] reads (`４`, `2处`, `无`, `-`).
pub fn parse_whole(s: &str) -> Option<u64> {
    parse_count(s)
}

/// A count as people write it in a cell, at most
/// [`MAX_PER_ROW`](crate::model::records::MAX_PER_ROW): a whole number (`3`, `3.0`, `３`),
/// optionally followed by its unit (`2处`, `3个`, `5张`, `2项`, `1次`, `2 处`), or a word or
/// mark for none (`无`, `没有`, `-`, `—`, `——`, `–`, `－`, `/`, `／`) = 0. `None` for blank and
/// for anything else (`2.5`, `约3`, `3-4`, `-1`): a count is never guessed.
pub fn parse_count(s: &str) -> Option<u64> {
    let s = fold_width(s);
    let s = s.trim();
    if ZERO_WORDS.contains(&s) {
        return Some(0);
    }
    let number = s.strip_suffix(COUNT_UNITS).map_or(s, str::trim_end);
    parse_whole_any(number).filter(|&n| n <= crate::model::records::MAX_PER_ROW)
}

/// Cells that say "none" (after [`fold_width`], so `－` and `／` are among them).
const ZERO_WORDS: [&str; 9] = ["无", "没有", "-", "—", "——", "–", "―", "/", "0"];

/// Units people write after a count of problem points or photos.
const COUNT_UNITS: [char; 5] = ['处', '个', '张', '项', '次'];

/// How many inspectors made a visit: a number (`3`, `３`, `3人`, `3 人`, `3名`, `3位`), or the
/// list of their names separated by 、，,;；/／, spaces or new lines, which counts the names.
/// A name is 2 to 4 Chinese characters, or parts joined by a middle dot (`阿依古丽·买买提`). `None`
/// for 0, blank, a name given twice, and anything mixing names with other things: a headcount is
/// never guessed.
pub fn parse_headcount(s: &str) -> Option<u32> {
    let s = fold_width(s);
    let s = s.trim();
    let number = s.strip_suffix(['人', '名', '位']).map_or(s, str::trim_end);
    if number.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return parse_whole_any(number)
            .filter(|&n| n >= 1)
            .and_then(|n| u32::try_from(n).ok());
    }
    let names: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || NAME_SEPARATORS.contains(&c))
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() || !names.iter().all(|n| is_person_name(n)) {
        return None;
    }
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    (distinct.len() == names.len())
        .then(|| u32::try_from(names.len()).ok())
        .flatten()
}

/// What separates inspectors' names in one cell (after [`fold_width`]).
const NAME_SEPARATORS: [char; 6] = ['、', '，', ',', ';', '；', '/'];

/// Words that look like a name by their length but say something else about the people.
const NOT_NAMES: [&str; 8] = ["若干", "多人", "数人", "未知", "不详", "没有", "全体", "人员"];

/// A person's name: 2 to 4 Chinese characters, or Chinese parts joined by middle dots (as
/// names transliterated from Uyghur or other languages are written) of at most 12 in all.
fn is_person_name(n: &str) -> bool {
    let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c);
    if NOT_NAMES.contains(&n) || n.ends_with(['人', '组', '等']) {
        return false;
    }
    let parts: Vec<&str> = n.split(['·', '・', '•']).collect();
    let len = n.chars().count();
    if parts.len() == 1 {
        (2..=4).contains(&len) && n.chars().all(is_cjk)
    } else {
        len <= 12 && parts.iter().all(|p| !p.is_empty() && p.chars().all(is_cjk))
    }
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

    #[test]
    fn full_width_forms_fold_and_chinese_text_stays() {
        assert_eq!(fold_width("２０２６／７／５"), "2026/7/5");
        assert_eq!(fold_width("Ａ０１　ｂ"), "A01 b");
        assert_eq!(fold_width("３．０"), "3.0");
        assert_eq!(fold_width("－"), "-");
        assert_eq!(fold_width("１，０００"), "1,000");
        assert_eq!(
            fold_width("永和里（花园社区）、张三，李四：好！"),
            "永和里（花园社区）、张三，李四：好！"
        );
        assert!(matches!(fold_width("永和里3号楼"), Cow::Borrowed("永和里3号楼")));
    }

    #[test]
    fn counts_as_people_write_them() {
        for (s, n) in [
            ("４", 4),
            ("１２", 12),
            ("2处", 2),
            ("3个", 3),
            ("5张", 5),
            ("2项", 2),
            ("1次", 1),
            ("2 处", 2),
            ("２处", 2),
            ("3.0处", 3),
            ("　３　", 3),
            ("1000000", 1_000_000),
        ] {
            assert_eq!(parse_count(s), Some(n), "{s}");
            assert_eq!(parse_whole(s), Some(n), "{s}");
        }
        for s in ["无", "没有", "-", "—", "——", "–", "－", "／", "/", "0", "０", "0处"] {
            assert_eq!(parse_whole(s), Some(0), "{s}");
        }
        for s in [
            "", "　", "2.5", "约3", "3-4", "-1", "－1", "1000001", "处", "2处3个", "3人", "二", "2 3", "无2",
        ] {
            assert_eq!(parse_whole(s), None, "{s}");
        }
    }

    #[test]
    fn headcounts_as_numbers_or_names() {
        for (s, n) in [
            ("3", 3),
            ("３", 3),
            ("3人", 3),
            ("3 人", 3),
            ("２人", 2),
            ("3名", 3),
            ("3.0", 3),
            ("张三", 1),
            ("张三、李四", 2),
            ("张三，李四，王五", 3),
            ("张三,李四;王五；赵六", 4),
            ("张三/李四／王五", 3),
            ("张三 李四　王五", 3),
            ("张三\n李四", 2),
            ("欧阳娜娜、司马光", 2),
            ("阿依古丽·买买提、张三", 2),
            ("张三、", 1),
        ] {
            assert_eq!(parse_headcount(s), Some(n), "{s}");
        }
        for s in [
            "",
            "0",
            "0人",
            "-1",
            "2.5",
            "张",
            "张三、3",
            "张三 abc",
            "张三、李四2",
            "欧阳娜娜娜",
            "张三、张三",
            "若干",
            "张三等",
            "检查组",
            "3人张三",
            "·买买提",
            "无",
        ] {
            assert_eq!(parse_headcount(s), None, "{s}");
        }
    }

    #[test]
    fn full_width_dates() {
        for s in [
            "２０２６年７月５日",
            "2026／7／5",
            "２０２６－０７－０５",
            "2026年7月5号",
            "２０２６．７．５",
        ] {
            assert_eq!(parse_date(s), d(2026, 7, 5), "{s}");
        }
    }

    #[test]
    fn month_and_day_take_the_sheets_year() {
        for s in ["7月5日", "7月5号", "7/5", "7-5", "07.05", "７月５日", "7月5日 上午"] {
            assert_eq!(parse_date_in(s, Some(2026)), d(2026, 7, 5), "{s}");
            assert_eq!(parse_date_in(s, None), None, "{s}");
        }
        assert_eq!(parse_date_in("2025-12-30", Some(2026)), d(2025, 12, 30));
        assert_eq!(parse_date_in("46086", Some(2025)), d(2026, 3, 5));
        for s in ["2月30日", "13/1", "7", "7/5/1", "123/5", "7月", "年7月5日", ""] {
            assert_eq!(parse_date_in(s, Some(2026)), None, "{s}");
        }
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
            let _ = super::parse_headcount(&s);
            let _ = super::parse_date_in(&s, Some(2026));
            let _ = super::fold_width(&s);
            let _ = s.parse::<crate::model::Period>();
            let _ = crate::model::decimal::parse_decimal(&s);
        }
    }

    proptest! {
        /// A count typed with the IME's full-width digits reads as the same count.
        #[test]
        fn full_width_counts_read_as_half_width(n in 0u64..10_000) {
            let half = n.to_string();
            let full: String = half
                .chars()
                .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c))
                .collect();
            prop_assert_eq!(super::parse_whole(&full), Some(n));
            prop_assert_eq!(super::parse_whole(&half), super::parse_whole(&full));
        }

        /// Any string at all, full-width and CJK included, is answered without a panic.
        #[test]
        fn whole_never_panics(s in "[０-９0-9.．处个无人、，\\-—/ \u{3000}\\PC]{0,16}") {
            let _ = super::parse_whole(&s);
            let _ = super::parse_headcount(&s);
        }
    }
}
