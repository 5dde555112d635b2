//! A visit's source in words (issue 25): the sheet file, the level that filled it in, the
//! worksheet, the sheet rows and the archived copy, as a contest names them:
//! 来源：2026-07-third-party-S03.csv（第三方）第12–14行，存档 3b66ae29…
//! A visit without a line in `data/sources.csv` has 来源不明 / source unknown.

use rust_i18n::t;

use crate::model::records::Lang;
use crate::model::Level;
use crate::workspace::sources::Source;

/// The rows as people read them: `12-14;17` is 第12–14、17行 / rows 12–14, 17.
pub fn rows_words(rows: &str, lang: Lang) -> String {
    let code = lang.code();
    let parts: Vec<String> = rows.split(';').map(|r| r.replace('-', "–")).collect();
    let rows = parts.join(&t!("report.document.list_separator", locale = code));
    // English says "row 5" for one row, "rows 5–7" for more; Chinese says 第…行 for both.
    if parts.len() == 1 && !parts[0].contains('–') {
        t!("report.source.row", locale = code, rows = rows)
    } else {
        t!("report.source.rows", locale = code, rows = rows)
    }
    .into_owned()
}

/// The sheet and its rows, without the archive (a document's text carries no hash):
/// `book.xlsx工作表「7月」第5行` / `book.xlsx, sheet "7月", row 5`.
pub fn sheet_rows(s: &Source, lang: Lang) -> String {
    let (code, rows) = (lang.code(), rows_words(&s.rows, lang));
    if s.sheet.is_empty() {
        t!("report.source.file_rows", locale = code, file = s.file, rows = rows)
    } else {
        t!(
            "report.source.file_sheet_rows",
            locale = code,
            file = s.file,
            sheet = s.sheet,
            rows = rows
        )
    }
    .into_owned()
}

/// The first eight hex digits of an archive's SHA-256 and an ellipsis.
fn short(sha: &str) -> String {
    // The record is a file people may edit: take characters, never a byte slice.
    format!("{}…", sha.chars().take(8).collect::<String>())
}

/// The sentence naming where a visit came from, with its `level` when known; `None`: unknown.
pub fn source_words(source: Option<&Source>, level: Option<Level>, lang: Lang) -> String {
    let code = lang.code();
    let Some(s) = source else {
        return t!("report.verify.source_unknown", locale = code).into_owned();
    };
    // The level in the sheet's words: 第三方; in English its id spelt out (third party).
    let level = level
        .map(|l| {
            let name = match lang {
                Lang::Zh => super::words::level(l, lang),
                Lang::En => l.as_str().replace('_', " "),
            };
            t!("report.source.level", locale = code, level = name).into_owned()
        })
        .unwrap_or_default();
    let sheet = if s.sheet.is_empty() {
        String::new()
    } else {
        t!("report.source.sheet", locale = code, sheet = s.sheet).into_owned()
    };
    t!(
        "report.source.sentence",
        locale = code,
        file = s.file,
        level = level,
        sheet = sheet,
        rows = rows_words(&s.rows, lang),
        archive = short(&s.sha256)
    )
    .into_owned()
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
