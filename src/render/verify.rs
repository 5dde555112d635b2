//! `verify`'s report for people: one paragraph per publication, as a plain listing (table) or
//! Markdown, naming each visit that differs with the sheet and rows it came from. The words
//! come from the catalogue (`report.verify.*`), looked up once per publication.

use rust_i18n::t;

use crate::model::records::Lang;
use crate::render::source::rows_words;
use crate::report::verify::{Checked, Verify, VisitSource};

/// A publication's verdict in words.
fn status(c: &Checked, lang: Lang) -> String {
    let code = lang.code();
    match c.status {
        "identical" => t!("report.verify.status.identical", locale = code),
        "changed" => t!("report.verify.status.changed", locale = code),
        _ => t!("report.verify.status.cannot", locale = code),
    }
    .into_owned()
}

/// The words of a visit's line, looked up once and filled per visit.
struct VisitWords {
    unknown: String,
    source: String,
    line: String,
}

impl VisitWords {
    fn new(lang: Lang) -> VisitWords {
        let code = lang.code();
        VisitWords {
            unknown: t!("report.verify.source_unknown", locale = code).into_owned(),
            source: t!("report.verify.source", locale = code).into_owned(),
            line: t!("report.verify.visit", locale = code).into_owned(),
        }
    }

    /// A visit that differs, with its source.
    fn line(&self, v: &VisitSource, lang: Lang) -> String {
        let date = v.date.clone().unwrap_or_else(|| "?".into());
        let source = match &v.source {
            None => self.unknown.clone(),
            Some(s) => {
                let sheet = s.sheet.as_ref().map(|n| format!("「{n}」")).unwrap_or_default();
                self.source
                    .replace("%{file}", &s.file)
                    .replace("%{sheet}", &sheet)
                    .replace("%{rows}", &rows_words(&s.rows, lang))
                    .replace("%{imported_at}", &s.imported_at)
            }
        };
        self.line
            .replace("%{visit}", &v.visit_id)
            .replace("%{date}", &date)
            .replace("%{source}", &source)
    }
}

/// The lines under a publication: what differs.
fn details(c: &Checked, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = &c.problem {
        out.push(p.clone());
    }
    let code = lang.code();
    match c.cause {
        Some("program") => out.push(t!("report.verify.cause.program", locale = code).into_owned()),
        Some(_) => out.push(t!("report.verify.cause.other_inputs", locale = code).into_owned()),
        None => {}
    }
    let words = VisitWords::new(lang);
    let groups = [
        (t!("report.verify.visit_added", locale = code), &c.visits.added),
        (t!("report.verify.visit_replaced", locale = code), &c.visits.replaced),
        (t!("report.verify.visit_removed", locale = code), &c.visits.removed),
    ];
    for (what, visits) in groups {
        for v in visits {
            out.push(format!("{what} {}", words.line(v, lang)));
        }
    }
    let appeal = t!("report.verify.appeal_differs", locale = code);
    for a in &c.appeals {
        out.push(format!("{appeal} {a}"));
    }
    let standards = t!("report.verify.standards_differ", locale = code);
    for s in &c.standards {
        out.push(format!("{standards} {s}"));
    }
    out
}

/// A publication's head line.
fn head(c: &Checked, lang: Lang) -> String {
    t!(
        "report.verify.head",
        locale = lang.code(),
        command = c.command,
        period = c.period,
        as_of = c.as_of,
        published_at = c.published_at,
        sha256 = c.sha256.chars().take(12).collect::<String>(),
        status = status(c, lang)
    )
    .into_owned()
}

/// The listing: a head line per publication, what differs indented under it.
pub fn table(r: &Verify, lang: Lang) -> String {
    let mut out = String::new();
    for c in &r.publications {
        out += &head(c, lang);
        out.push('\n');
        for d in details(c, lang) {
            out += &format!("  {d}\n");
        }
    }
    out
}

/// The same as Markdown: a heading, then a list item per publication.
pub fn markdown(r: &Verify, lang: Lang) -> String {
    let code = lang.code();
    let title = match &r.period {
        Some(p) => t!("report.verify.title_period", locale = code, period = p),
        None => t!("report.verify.title", locale = code),
    };
    let mut out = format!("# {title}\n\n");
    for c in &r.publications {
        out += &format!("- {}\n", crate::render::md_escape(&head(c, lang)));
        for d in details(c, lang) {
            out += &format!("  - {}\n", crate::render::md_escape(&d));
        }
    }
    out
}
