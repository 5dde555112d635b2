//! `verify`'s report for people: one paragraph per publication, as a plain listing (table) or
//! Markdown, naming each visit that differs with the sheet and rows it came from.

use crate::model::records::Lang;
use crate::render::source::rows_words;
use crate::report::verify::{Checked, Verify, VisitSource};

/// A publication's verdict in words.
fn status(c: &Checked, lang: Lang) -> &'static str {
    match c.status {
        "identical" => lang.pick("一致", "identical"),
        "changed" => lang.pick("已变", "changed"),
        _ => lang.pick("无法重新生成", "cannot be made again"),
    }
}

/// A visit that differs, with its source.
fn visit_line(v: &VisitSource, lang: Lang) -> String {
    let date = v.date.clone().unwrap_or_else(|| "?".into());
    let source = match &v.source {
        None => lang.pick("来源不明", "source unknown").to_string(),
        Some(s) => {
            let sheet = s.sheet.as_ref().map(|n| format!("「{n}」")).unwrap_or_default();
            match lang {
                Lang::Zh => format!(
                    "来源：{}{sheet}{}，导入于 {}",
                    s.file,
                    rows_words(&s.rows, lang),
                    s.imported_at
                ),
                Lang::En => format!(
                    "source: {}{sheet}, {}, imported {}",
                    s.file,
                    rows_words(&s.rows, lang),
                    s.imported_at
                ),
            }
        }
    };
    match lang {
        Lang::Zh => format!("{} {date}（{source}）", v.visit_id),
        Lang::En => format!("{} {date} ({source})", v.visit_id),
    }
}

/// The lines under a publication: what differs.
fn details(c: &Checked, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = &c.problem {
        out.push(p.clone());
    }
    let groups = [
        (lang.pick("新增检查", "visit added"), &c.visits.added),
        (lang.pick("替换检查", "visit replaced"), &c.visits.replaced),
        (lang.pick("删除检查", "visit removed"), &c.visits.removed),
    ];
    for (what, visits) in groups {
        for v in visits {
            out.push(format!("{what} {}", visit_line(v, lang)));
        }
    }
    for a in &c.appeals {
        out.push(format!("{} {a}", lang.pick("申诉有变", "appeal differs")));
    }
    for s in &c.standards {
        out.push(format!("{} {s}", lang.pick("标准有变", "standards differ")));
    }
    out
}

/// A publication's head line.
fn head(c: &Checked, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{} {}（数据截至{}，{} 发布，sha256 {}…）：{}",
            c.command,
            c.period,
            c.as_of,
            c.published_at,
            c.sha256.chars().take(12).collect::<String>(),
            status(c, lang)
        ),
        Lang::En => format!(
            "{} {} (as of {}, published {}, sha256 {}…): {}",
            c.command,
            c.period,
            c.as_of,
            c.published_at,
            c.sha256.chars().take(12).collect::<String>(),
            status(c, lang)
        ),
    }
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
    let title = match (&r.period, lang) {
        (Some(p), Lang::Zh) => format!("# 已发布文件核对（{p}）\n\n"),
        (None, Lang::Zh) => "# 已发布文件核对\n\n".to_string(),
        (Some(p), Lang::En) => format!("# Verification of published documents ({p})\n\n"),
        (None, Lang::En) => "# Verification of published documents\n\n".to_string(),
    };
    let mut out = title;
    for c in &r.publications {
        out += &format!("- {}\n", crate::render::md_escape(&head(c, lang)));
        for d in details(c, lang) {
            out += &format!("  - {}\n", crate::render::md_escape(&d));
        }
    }
    out
}
