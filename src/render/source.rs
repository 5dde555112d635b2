//! A visit's source in words (issue 25): the sheet file, the level that filled it in, the
//! worksheet, the sheet rows and the archived copy, as a contest names them:
//! 来源：2026-07-third-party-S03.csv（第三方）第12–14行，存档 3b66ae29…
//! A visit without a line in `data/sources.csv` has 来源不明 / source unknown.

use crate::model::records::Lang;
use crate::model::Level;
use crate::workspace::sources::Source;

/// The rows as people read them: `12-14;17` is 第12–14、17行 / rows 12–14, 17.
pub fn rows_words(rows: &str, lang: Lang) -> String {
    let parts: Vec<String> = rows.split(';').map(|r| r.replace('-', "–")).collect();
    match lang {
        Lang::Zh => format!("第{}行", parts.join("、")),
        Lang::En if parts.len() == 1 && !parts[0].contains('–') => format!("row {}", parts[0]),
        Lang::En => format!("rows {}", parts.join(", ")),
    }
}

/// The sheet and its rows, without the archive (a document's text carries no hash):
/// `book.xlsx工作表「7月」第5行` / `book.xlsx, sheet "7月", row 5`.
pub fn sheet_rows(s: &Source, lang: Lang) -> String {
    match (lang, s.sheet.is_empty()) {
        (Lang::Zh, true) => format!("{}{}", s.file, rows_words(&s.rows, lang)),
        (Lang::Zh, false) => format!("{}工作表「{}」{}", s.file, s.sheet, rows_words(&s.rows, lang)),
        (Lang::En, true) => format!("{}, {}", s.file, rows_words(&s.rows, lang)),
        (Lang::En, false) => format!("{}, sheet \"{}\", {}", s.file, s.sheet, rows_words(&s.rows, lang)),
    }
}

/// The first eight hex digits of an archive's SHA-256 and an ellipsis.
fn short(sha: &str) -> String {
    // The record is a file people may edit: take characters, never a byte slice.
    format!("{}…", sha.chars().take(8).collect::<String>())
}

/// The sentence naming where a visit came from, with its `level` when known; `None`: unknown.
pub fn source_words(source: Option<&Source>, level: Option<Level>, lang: Lang) -> String {
    let Some(s) = source else {
        return lang.pick("来源不明", "source unknown").to_string();
    };
    match lang {
        Lang::Zh => {
            let level = level.map(|l| format!("（{}）", l.zh())).unwrap_or_default();
            let sheet = if s.sheet.is_empty() {
                String::new()
            } else {
                format!("工作表「{}」", s.sheet)
            };
            format!(
                "来源：{}{level}{sheet}{}，存档 {}",
                s.file,
                rows_words(&s.rows, lang),
                short(&s.sha256)
            )
        }
        Lang::En => {
            let level = level
                .map(|l| format!(" ({})", l.as_str().replace('_', " ")))
                .unwrap_or_default();
            let sheet = if s.sheet.is_empty() {
                String::new()
            } else {
                format!(", sheet \"{}\"", s.sheet)
            };
            format!(
                "source: {}{level}{sheet}, {}, archive {}",
                s.file,
                rows_words(&s.rows, lang),
                short(&s.sha256)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(sheet: &str, rows: &str) -> Source {
        Source {
            imported_at: "2026-07-10T09:00:00+08:00".into(),
            visit_id: "T1".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 7, 3).unwrap(),
            file: "2026-07-third-party-S03.csv".into(),
            sha256: "3b66ae29eca581b3ba05551172a32316b905488d089952383aea7aaf3338a132".into(),
            sheet: sheet.into(),
            rows: rows.into(),
            line: 2,
        }
    }

    #[test]
    fn a_source_is_named_in_words() {
        let s = source("", "12-14");
        assert_eq!(
            source_words(Some(&s), Some(Level::ThirdParty), Lang::Zh),
            "来源：2026-07-third-party-S03.csv（第三方）第12–14行，存档 3b66ae29…"
        );
        assert_eq!(
            source_words(Some(&s), Some(Level::ThirdParty), Lang::En),
            "source: 2026-07-third-party-S03.csv (third party), rows 12–14, archive 3b66ae29…"
        );
        let s = source("7月", "5;9-10");
        assert_eq!(
            source_words(Some(&s), None, Lang::Zh),
            "来源：2026-07-third-party-S03.csv工作表「7月」第5、9–10行，存档 3b66ae29…"
        );
        assert_eq!(source_words(None, None, Lang::Zh), "来源不明");
        assert_eq!(source_words(None, None, Lang::En), "source unknown");
    }
}
