//! The 整改通知书 (DESIGN §15): one per notice, served on the company under contract.
//!
//! The words come from the templates `notice.zh.j2` / `notice.en.j2` (shipped, and
//! overridable by the workspace's `templates/`), rendered over a [`NoticeContext`] of
//! preformatted strings. A template writes one line per paragraph, a leading `@` naming the
//! part of the 公文 ([`parse`]), so one wording gives the Markdown, HTML and Word documents.
//! Which finding sentence is printed is decided by the facts in the context (`low`, `red`):
//! a notice never says a score is low when it is not, never reports a veto as having happened,
//! and never reports the re-inspection (a later document).

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::docx::{Block, Gongwen, Properties};
use super::{md_escape, templates, zh_date};
use crate::domain::recheck::Notice;
use crate::error::Result;
use crate::model::decimal::fmt2;
use crate::model::records::{Documents, Lang};
use crate::model::registry::Registry;
use crate::model::Level;
use crate::workspace::StandardsFile;

/// One item that cost points, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct ItemContext {
    /// The standard's item name.
    pub name: String,
    /// Problem points, a whole number.
    pub count: String,
    /// The deduction, two decimals.
    pub deduction: String,
    /// Whether it is a red-line item.
    pub red: bool,
}

/// What a notice template is rendered over: every value already in words.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeContext {
    /// 发文字号 with the sequence blank, or empty.
    pub number: String,
    /// The company's name.
    pub company: String,
    /// The compound's name.
    pub compound: String,
    /// Its community's name.
    pub community: String,
    /// Its street's name.
    pub street: String,
    /// The street office (街道办事处): the street's name and 办事处.
    pub street_office: String,
    /// The residents' committee: the community's name and 居民委员会.
    pub committee: String,
    /// The inspection's date in words.
    pub date: String,
    /// The inspecting level in words (第三方, 区, 街道, 社区).
    pub level: String,
    /// The inspecting team.
    pub team: String,
    /// The visit score, two decimals.
    pub score: String,
    /// The pass mark as written in the standards.
    pub pass_mark: String,
    /// The score is below the pass mark.
    pub low: bool,
    /// A red-line item was found.
    pub red: bool,
    /// The red-line items' names, joined.
    pub red_items: String,
    /// The items that cost points.
    pub items: Vec<ItemContext>,
    /// The standards' title.
    pub standards_title: String,
    /// The deadline in words.
    pub deadline: String,
    /// Days from the inspection to the deadline.
    pub deadline_days: String,
    /// The deadline is before the issue date (a notice made after it): said, so that the
    /// document does not read as granting time already gone.
    pub deadline_passed: bool,
    /// 发文机关.
    pub issuer: String,
    /// The issue date (the as-of date) in words.
    pub issue_date: String,
    /// The subsidy coefficient of a failing compound whose notices were all rectified, or
    /// empty without a funds file.
    pub rectified: String,
    /// The subsidy coefficient after a failed re-inspection, or empty without a funds file.
    pub recheck_failed: String,
    /// The subsidy coefficient while a notice is unresolved, or empty without a funds file.
    pub unresolved: String,
    /// The sheet and rows the inspection was imported from (no hash: DESIGN §15 keeps hashes
    /// out of a document's text), or empty when not recorded.
    pub source: String,
}

/// The coefficients of DESIGN §9 a failing compound's notices decide, as written in the funds
/// file.
#[derive(Debug, Clone)]
pub struct NoticeCoefficients {
    /// Every notice rectified on re-inspection.
    pub rectified: String,
    /// A re-inspection failed.
    pub recheck_failed: String,
    /// None failed, but one has no re-inspection yet.
    pub unresolved: String,
}

/// Everything a notice document is made from besides the notice itself.
pub struct NoticeInputs<'a> {
    /// The registry, for names.
    pub reg: &'a Registry,
    /// `[documents]` of the workspace.
    pub documents: &'a Documents,
    /// The issuer when `[documents]` names none (the district's 民政局).
    pub default_issuer: String,
    /// The report's standards.
    pub standards: &'a StandardsFile,
    /// The as-of date: the issue date.
    pub as_of: NaiveDate,
    /// The reader's language.
    pub lang: Lang,
    /// The workspace root, for its own templates.
    pub root: Option<&'a Path>,
    /// The inputs' SHA-256, for the Word document's properties.
    pub inputs_sha256: String,
    /// The subsidy coefficients (DESIGN §9) a notice's outcome can bring, from the period's
    /// funds file when there is one.
    pub coefficients: Option<NoticeCoefficients>,
    /// Where each notice's inspection came from (`data/sources.csv`), by visit id.
    pub sources: std::collections::HashMap<String, crate::workspace::sources::Source>,
}

/// A date in the reader's language.
fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => zh_date(d),
        Lang::En => d.to_string(),
    }
}

/// A level in the reader's language.
fn level(l: Level, lang: Lang) -> String {
    match lang {
        Lang::Zh => l.zh().to_string(),
        Lang::En => l.as_str().replace('_', " "),
    }
}

/// The context of one notice's template.
pub fn context(i: &NoticeInputs<'_>, n: &Notice) -> NoticeContext {
    let (zh, lang) = (i.lang == Lang::Zh, i.lang);
    let cell = |s: &str| s.replace('|', "｜");
    let community = i.reg.community(&n.community_id).map_or("", |c| c.name.as_str());
    let street = i.reg.street(&n.street_id).map_or("", |s| s.name.as_str());
    let office = |name: &str, zh_suffix: &str, en_suffix: &str| match (name.is_empty(), zh) {
        (true, _) => String::new(),
        (false, true) => format!("{name}{zh_suffix}"),
        (false, false) => format!("{name} {en_suffix}"),
    };
    let sep = if zh { "、" } else { ", " };
    let std = &i.standards.standards;
    let issuer = if i.documents.issuer.is_empty() {
        i.default_issuer.clone()
    } else {
        i.documents.issuer.clone()
    };
    NoticeContext {
        number: i.documents.number_for(i.as_of.year()).unwrap_or_default(),
        company: i.reg.company(&n.company_id).map_or(String::new(), |c| c.name.clone()),
        compound: i
            .reg
            .compound(&n.compound_id)
            .map_or(String::new(), |c| c.name.to_string()),
        community: community.to_string(),
        street: street.to_string(),
        street_office: office(street, "办事处", "street office"),
        committee: office(community, "居民委员会", "residents' committee"),
        date: date(n.date, lang),
        level: level(n.level, lang),
        team: n.team.clone(),
        score: fmt2(n.score),
        pass_mark: std.pass_mark.normalize().to_string(),
        low: n.score < std.pass_mark,
        red: n.red_line,
        red_items: n
            .items
            .iter()
            .filter(|it| it.red_line)
            .map(|it| it.name.as_str())
            .collect::<Vec<_>>()
            .join(sep),
        items: n
            .items
            .iter()
            .map(|it| ItemContext {
                name: cell(&it.name),
                count: it.count.to_string(),
                deduction: fmt2(it.deduction),
                red: it.red_line,
            })
            .collect(),
        standards_title: std.title.clone(),
        deadline: date(n.deadline, lang),
        deadline_days: (n.deadline - n.date).num_days().to_string(),
        deadline_passed: n.deadline < i.as_of,
        issuer,
        issue_date: date(i.as_of, lang),
        rectified: i.coefficients.as_ref().map_or(String::new(), |c| c.rectified.clone()),
        recheck_failed: i
            .coefficients
            .as_ref()
            .map_or(String::new(), |c| c.recheck_failed.clone()),
        unresolved: i.coefficients.as_ref().map_or(String::new(), |c| c.unresolved.clone()),
        source: i
            .sources
            .get(&*n.visit_id)
            .map_or(String::new(), |s| super::source::sheet_rows(s, lang)),
    }
}

/// The 公文 of one notice: its template rendered and parsed.
pub fn gongwen(i: &NoticeInputs<'_>, n: &Notice) -> Result<Gongwen> {
    let ctx = context(i, n);
    let name = match i.lang {
        Lang::Zh => "notice.zh.j2",
        Lang::En => "notice.en.j2",
    };
    let text = templates::render(i.root, name, &ctx)?;
    let mut g = parse(&text);
    g.mark = i.documents.issuer_mark.clone();
    g.number = (!ctx.number.is_empty()).then(|| ctx.number.clone());
    g.recipients = vec![ctx.company.clone()];
    g.properties = Properties {
        title: g.title.clone(),
        description: format!(
            "{} sha256:{}; inputs sha256:{}",
            i.standards.file, i.standards.sha256, i.inputs_sha256
        ),
        keywords: n.notice_id.clone(),
    };
    Ok(g)
}

/// A template's lines as a 公文: `@title`, `@h1`, `@h2`, `@th`/`@row` (a table, cells split by
/// `|`), `@sign`, `@date`, `@cc`, `@cut`, `@receipt`, `@line`; any other non-blank line is a
/// paragraph. Blocks after `@cc` go after the 版记.
pub fn parse(text: &str) -> Gongwen {
    let mut g = Gongwen::default();
    let mut after_imprint = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (tag, rest) = match line.strip_prefix('@') {
            Some(l) => l.split_once(' ').unwrap_or((l, "")),
            None => ("", line),
        };
        let rest = rest.trim().to_string();
        let blocks = if after_imprint { &mut g.after } else { &mut g.blocks };
        match tag {
            "title" => g.title = rest,
            "h1" => blocks.push(Block::Heading1(rest)),
            "h2" => blocks.push(Block::Heading2(rest)),
            "th" | "row" => table_line(blocks, tag == "th", &rest),
            "sign" => g.issuer = rest,
            "date" => g.date = rest,
            "cc" => {
                g.cc.push(rest);
                after_imprint = true;
            }
            "cut" => blocks.push(Block::Receipt {
                cut: rest,
                title: String::new(),
                lines: Vec::new(),
            }),
            "receipt" | "line" => receipt_line(blocks, tag == "receipt", rest),
            _ => blocks.push(Block::Para(rest)),
        }
    }
    g
}

/// Add a header or a row to the table being built (a new one after any other block); a column
/// whose every cell is a number is numeric.
fn table_line(blocks: &mut Vec<Block>, header: bool, rest: &str) {
    let cells: Vec<String> = rest.split('|').map(|c| c.trim().to_string()).collect();
    if header || !matches!(blocks.last(), Some(Block::Table { .. })) {
        blocks.push(Block::Table {
            header: Vec::new(),
            rows: Vec::new(),
            numeric: Vec::new(),
        });
    }
    if let Some(Block::Table {
        header: h,
        rows,
        numeric,
    }) = blocks.last_mut()
    {
        if header {
            *h = cells;
        } else {
            rows.push(cells);
        }
        *numeric = (0..h.len())
            .filter(|&c| !rows.is_empty() && rows.iter().all(|r| r.get(c).is_some_and(|v| v.parse::<f64>().is_ok())))
            .collect();
    }
}

/// Add the receipt's title or one of its lines to the receipt being built.
fn receipt_line(blocks: &mut Vec<Block>, is_title: bool, rest: String) {
    if !matches!(blocks.last(), Some(Block::Receipt { .. })) {
        blocks.push(Block::Receipt {
            cut: String::new(),
            title: String::new(),
            lines: Vec::new(),
        });
    }
    if let Some(Block::Receipt { title, lines, .. }) = blocks.last_mut() {
        if is_title {
            *title = rest;
        } else {
            lines.push(rest);
        }
    }
}

/// A block as Markdown.
fn block_md(b: &Block) -> String {
    match b {
        Block::Heading1(t) => format!("## {}\n\n", md_escape(t)),
        Block::Heading2(t) => format!("### {}\n\n", md_escape(t)),
        Block::Para(t) => format!("{}\n\n", md_escape(t)),
        Block::Table { header, rows, numeric } => {
            let t = super::document::Table {
                header: header.clone(),
                rows: rows.clone(),
                numeric: numeric.clone(),
            };
            format!("{}\n", super::document::markdown_table(&t))
        }
        Block::PageBreak => "\n---\n\n".to_string(),
        Block::Receipt { cut, title, lines } => {
            let mut s = format!(
                "- - - - - - - - {} - - - - - - - -\n\n**{}**\n\n",
                md_escape(cut),
                md_escape(title)
            );
            for l in lines {
                s += &format!("{}\n\n", md_escape(l));
            }
            s
        }
    }
}

/// A 公文 as Markdown: the mark and number, the title, the body, the signature with blank
/// lines for the seal, the 版记 and the receipt.
pub fn to_markdown(g: &Gongwen) -> String {
    let mut s = String::new();
    if let Some(m) = &g.mark {
        s += &format!("**{}**\n\n", md_escape(m));
    }
    if let Some(n) = &g.number {
        s += &format!("{}\n\n", md_escape(n));
    }
    if g.mark.is_some() || g.number.is_some() {
        s += "---\n\n";
    }
    s += &format!("# {}\n\n", md_escape(&g.title));
    if !g.recipients.is_empty() {
        s += &format!("{}：\n\n", md_escape(&g.recipients.join("、")));
    }
    s += &g.blocks.iter().map(block_md).collect::<String>();
    s += &format!(
        "&nbsp;\n\n&nbsp;\n\n{}\n\n{}\n\n---\n\n",
        md_escape(&g.issuer),
        md_escape(&g.date)
    );
    for c in &g.cc {
        s += &format!("{}\n\n", md_escape(c));
    }
    s += &g.after.iter().map(block_md).collect::<String>();
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// Text escaped for HTML.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A block as HTML.
fn block_html(b: &Block) -> String {
    match b {
        Block::Heading1(t) => format!("<h2>{}</h2>\n", html(t)),
        Block::Heading2(t) => format!("<h3>{}</h3>\n", html(t)),
        Block::Para(t) => format!("<p>{}</p>\n", html(t)),
        Block::Table { header, rows, numeric } => {
            let row = |cells: &[String], tag: &str| {
                let tds: String = cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let class = if numeric.contains(&i) && tag == "td" {
                            " class=\"num\""
                        } else {
                            ""
                        };
                        format!("<{tag}{class}>{}</{tag}>", html(c))
                    })
                    .collect();
                format!("<tr>{tds}</tr>\n")
            };
            let body: String = rows.iter().map(|r| row(r, "td")).collect();
            format!(
                "<table>\n<thead>{}</thead>\n<tbody>\n{body}</tbody>\n</table>\n",
                row(header, "th")
            )
        }
        Block::PageBreak => "<div class=\"page\"></div>\n".to_string(),
        Block::Receipt { cut, title, lines } => {
            let ls: String = lines
                .iter()
                .map(|l| format!("<p class=\"line\">{}</p>\n", html(l)))
                .collect();
            format!(
                "<div class=\"cut\">{}</div>\n<h2 class=\"receipt\">{}</h2>\n{ls}",
                html(cut),
                html(title)
            )
        }
    }
}

/// The page style of a 公文 in HTML.
const CSS: &str = "body{font-family:'仿宋_GB2312','FangSong',serif;font-size:16pt;line-height:28pt;max-width:156mm;margin:37mm auto 35mm;}\n.mark{color:#e00;text-align:center;font-size:36pt;font-family:'方正小标宋简体','SimSun',serif;}\n.number{text-align:center;border-bottom:2px solid #e00;padding-bottom:4pt;}\nh1{text-align:center;font-size:22pt;font-family:'方正小标宋简体','SimSun',serif;font-weight:normal;}\nh2{font-size:16pt;font-family:'黑体','SimHei',sans-serif;font-weight:normal;text-indent:2em;}\nh3{font-size:16pt;font-family:'楷体_GB2312','KaiTi',serif;font-weight:normal;text-indent:2em;}\np{text-indent:2em;margin:0;}\ntable{border-collapse:collapse;margin:8pt auto;font-size:14pt;}\nth,td{border:1px solid #000;padding:2pt 6pt;}\ntd.num{text-align:right;}\n.seal{height:56pt;}\n.sign{text-align:right;padding-right:4em;text-indent:0;}\n.imprint{border-top:1px solid #000;border-bottom:1px solid #000;margin-top:28pt;}\n.imprint p{text-indent:0;font-size:14pt;}\n.cut{border-top:1px dashed #000;margin-top:28pt;text-align:center;font-size:12pt;}\n.receipt{text-align:center;text-indent:0;}\n.line{text-indent:0;}\n.page{page-break-after:always;}\n";

/// A 公文 as one self-contained HTML page, `lang` its `<html lang>`.
pub fn to_html(g: &Gongwen, lang: &str) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        html(lang),
        html(&g.title)
    );
    if let Some(m) = &g.mark {
        s += &format!("<div class=\"mark\">{}</div>\n", html(m));
    }
    if g.mark.is_some() || g.number.is_some() {
        s += &format!("<p class=\"number\">{}</p>\n", html(g.number.as_deref().unwrap_or("")));
    }
    s += &format!("<h1>{}</h1>\n", html(&g.title));
    if !g.recipients.is_empty() {
        s += &format!("<p class=\"line\">{}：</p>\n", html(&g.recipients.join("、")));
    }
    s += &g.blocks.iter().map(block_html).collect::<String>();
    s += &format!(
        "<div class=\"seal\"></div>\n<p class=\"sign\">{}</p>\n<p class=\"sign\">{}</p>\n<div class=\"imprint\">\n",
        html(&g.issuer),
        html(&g.date)
    );
    s += &g.cc.iter().map(|c| format!("<p>{}</p>\n", html(c))).collect::<String>();
    s += "</div>\n";
    s += &g.after.iter().map(block_html).collect::<String>();
    s += "</body>\n</html>\n";
    s
}
