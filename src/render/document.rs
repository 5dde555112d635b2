//! A report as a document: sections of paragraphs, tables and bar charts, rendered as
//! Markdown (for the repository and the web) or as one self-contained HTML file (inline CSS
//! and SVG, printable on A4). Every piece of text is escaped by the renderer, so names typed
//! into a registry cannot inject markup.

use std::fmt::Write;

use chrono::NaiveDate;
use rust_i18n::t;

use crate::model::records::Lang;

use super::words::date_words;
use super::{md_escape, push_md_escaped};

/// A document: a title, a subtitle line, and sections; an official document (公文) also
/// carries the parts of GB/T 9704 below, each its own field so that every writer (Markdown,
/// HTML, Word) lays them out its own way.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The language of the words the writers add themselves (抄送, the date, the joins).
    pub lang: Lang,
    /// 发文机关标志: the red heading above the title; none for a plain page.
    pub mark: Option<String>,
    /// 发文字号 (和民政通〔2026〕　　号), under the red heading.
    pub number: Option<String>,
    /// 主送机关: whom the document is addressed to, before the body.
    pub recipients: Vec<String>,
    /// The heading of the whole document.
    pub title: String,
    /// Lines under the title (period, standards, as-of date), each its own line.
    pub subtitle: Vec<String>,
    /// The body, in order.
    pub sections: Vec<Section>,
    /// Lines after the last section (sources, notes).
    pub footer: Vec<String>,
    /// 发文机关署名: who issues it, after the body.
    pub signature: Option<String>,
    /// 成文日期, under the signature (written in words by the writers).
    pub date: Option<NaiveDate>,
    /// 附注: the office to contact and its telephone, after the date.
    pub contact: Option<String>,
    /// 抄送: the offices sent a copy, in the block at the end.
    pub cc: Vec<String>,
}

/// A titled part of a document: paragraphs, then an optional chart and table, then more text.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// The section's heading.
    pub title: String,
    /// Text before the chart and table.
    pub paragraphs: Vec<String>,
    /// A bar chart (drawn in HTML only; Markdown shows the table).
    pub chart: Option<Chart>,
    /// A table of the section's figures.
    pub table: Option<Table>,
    /// Text after the table (lists of names, notes).
    pub after: Vec<String>,
    /// Start the section on a new printed page.
    pub page_break: bool,
}

/// A table; columns listed in `numeric` are right-aligned.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells as shown, each as long as the header.
    pub rows: Vec<Vec<String>>,
    /// Positions of the numeric columns.
    pub numeric: Vec<usize>,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// The line under the chart.
    pub caption: String,
    /// (label, value, value as shown).
    pub bars: Vec<(String, f64, String)>,
    /// Where the axis starts (scores read better from 50 than from 0).
    pub from: f64,
    /// Where the axis ends.
    pub to: f64,
}

impl Document {
    /// The document as Markdown, every piece of text escaped.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        for line in self.mark.iter().chain(&self.number) {
            let _ = writeln!(s, "{}\n", md_escape(line));
        }
        if self.mark.is_some() || self.number.is_some() {
            s += "---\n\n";
        }
        let _ = writeln!(s, "# {}\n", md_escape(&self.title));
        for line in &self.subtitle {
            let _ = writeln!(s, "> {}\n", md_escape(line));
        }
        if let Some(to) = self.addressed() {
            let _ = writeln!(s, "{}\n", md_escape(&to));
        }
        for sec in &self.sections {
            let _ = writeln!(s, "## {}\n", md_escape(&sec.title));
            for p in &sec.paragraphs {
                let _ = writeln!(s, "{}\n", md_escape(p));
            }
            if let Some(t) = &sec.table {
                push_markdown_table(&mut s, t);
                s.push('\n');
            }
            for p in &sec.after {
                let _ = writeln!(s, "{}\n", md_escape(p));
            }
        }
        for line in self.footer.iter().chain(&self.closing()) {
            let _ = writeln!(s, "{}\n", md_escape(line));
        }
        if let Some(cc) = self.copied() {
            let _ = writeln!(s, "---\n\n{}\n", md_escape(&cc));
        }
        while s.ends_with("\n\n") {
            s.pop();
        }
        s
    }

    /// The document as one self-contained HTML file (inline CSS and SVG, printable on A4),
    /// `lang` its `<html lang>`; every piece of text escaped.
    pub fn to_html(&self, lang: &str) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
            html(lang),
            html(&self.title),
        );
        s += &self.html_head();
        for sec in &self.sections {
            let class = if sec.page_break { " class=\"page\"" } else { "" };
            let _ = writeln!(s, "<section{class}>\n<h2>{}</h2>", html(&sec.title));
            for p in &sec.paragraphs {
                let _ = writeln!(s, "<p>{}</p>", html(p));
            }
            if let Some(c) = &sec.chart {
                s += &svg_chart(c);
            }
            if let Some(t) = &sec.table {
                s += &html_table(t);
            }
            for p in &sec.after {
                let _ = writeln!(s, "<p class=\"note\">{}</p>", html(p));
            }
            s += "</section>\n";
        }
        for line in &self.footer {
            let _ = writeln!(s, "<p class=\"footer\">{}</p>", html(line));
        }
        s += &self.html_tail();
        s += "</main>\n</body>\n</html>\n";
        s
    }

    /// The HTML before the body: the red heading and 发文字号 (if any), the title, the
    /// subtitle lines, and the 主送 line.
    fn html_head(&self) -> String {
        let mut s = String::new();
        if self.mark.is_some() || self.number.is_some() {
            s += "<header class=\"redhead\">\n";
            if let Some(mark) = &self.mark {
                let _ = writeln!(s, "<p class=\"mark\">{}</p>", html(mark));
            }
            if let Some(number) = &self.number {
                let _ = writeln!(s, "<p class=\"number\">{}</p>", html(number));
            }
            s += "</header>\n";
        }
        let class = if self.mark.is_some() { " class=\"title\"" } else { "" };
        let _ = writeln!(s, "<h1{class}>{}</h1>", html(&self.title));
        for line in &self.subtitle {
            let _ = writeln!(s, "<p class=\"sub\">{}</p>", html(line));
        }
        if let Some(to) = self.addressed() {
            let _ = writeln!(s, "<p class=\"to\">{}</p>", html(&to));
        }
        s
    }

    /// The HTML after the body: signature, date and contact, then the 抄送 block.
    fn html_tail(&self) -> String {
        let mut s = String::new();
        let closing = self.closing();
        if !closing.is_empty() {
            s += "<div class=\"sign\">\n";
            for line in &closing {
                let _ = writeln!(s, "<p>{}</p>", html(line));
            }
            s += "</div>\n";
        }
        if let Some(cc) = self.copied() {
            let _ = writeln!(s, "<footer class=\"cc\">\n<p>{}</p>\n</footer>", html(&cc));
        }
        s
    }

    /// Words joined as the language joins a list (、 or a comma).
    fn joined(&self, items: &[String]) -> String {
        items.join(&t!("report.document.list_separator", locale = self.lang.code()))
    }

    /// The 主送 line: 各街道办事处：
    fn addressed(&self) -> Option<String> {
        (!self.recipients.is_empty()).then(|| {
            let to = self.joined(&self.recipients);
            t!("report.document.addressed", locale = self.lang.code(), recipients = to).into_owned()
        })
    }

    /// The lines after the body: 发文机关署名, 成文日期 in words, and the contact in brackets.
    fn closing(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.signature.iter().cloned().collect();
        lines.extend(self.date.map(|d| date_words(d, self.lang)));
        lines.extend(
            self.contact
                .as_ref()
                .map(|c| t!("report.document.contact", locale = self.lang.code(), contact = c).into_owned()),
        );
        lines
    }

    /// The 抄送 line of the closing block: 抄送：区住房建设委、区财政局。
    fn copied(&self) -> Option<String> {
        (!self.cc.is_empty()).then(|| {
            let offices = self.joined(&self.cc);
            t!("report.document.copy_to", locale = self.lang.code(), offices = offices).into_owned()
        })
    }
}

/// A Markdown table.
pub fn markdown_table(t: &Table) -> String {
    let mut s = String::new();
    push_markdown_table(&mut s, t);
    s
}

/// [`markdown_table`] written onto the end of `s`: a national table has 220,000 rows, each
/// written in place rather than formatted on its own and copied.
fn push_markdown_table(s: &mut String, t: &Table) {
    push_markdown_row(s, &t.header);
    let align: Vec<&str> = (0..t.header.len())
        .map(|i| if t.numeric.contains(&i) { "---:" } else { "---" })
        .collect();
    let _ = writeln!(s, "| {} |", align.join(" | "));
    for r in &t.rows {
        push_markdown_row(s, r);
    }
}

/// One table row, `| a | b |`, each cell escaped ([`md_escape`]).
fn push_markdown_row(s: &mut String, cells: &[String]) {
    s.push_str("| ");
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            s.push_str(" | ");
        }
        push_md_escaped(s, c);
    }
    s.push_str(" |\n");
}

fn html_table(t: &Table) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    for (i, h) in t.header.iter().enumerate() {
        let class = if t.numeric.contains(&i) { " class=\"num\"" } else { "" };
        let _ = write!(s, "<th{class}>{}</th>", html(h));
    }
    s += "</tr></thead>\n<tbody>\n";
    for r in &t.rows {
        s += "<tr>";
        for (i, c) in r.iter().enumerate() {
            let class = if t.numeric.contains(&i) { " class=\"num\"" } else { "" };
            let _ = write!(s, "<td{class}>{}</td>", html(c));
        }
        s += "</tr>\n";
    }
    s += "</tbody>\n</table>\n";
    s
}

fn svg_chart(c: &Chart) -> String {
    let (label_w, bar_w, row_h) = (120.0, 420.0, 22.0);
    let height = row_h * c.bars.len() as f64 + 30.0;
    let width = label_w + bar_w + 70.0;
    let span = (c.to - c.from).max(f64::EPSILON);
    let mut s = format!(
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">\n",
        html(&c.caption)
    );
    for (i, (label, value, shown)) in c.bars.iter().enumerate() {
        let y = 10.0 + i as f64 * row_h;
        let w = ((value - c.from) / span).clamp(0.0, 1.0) * bar_w;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#8b1a1a\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            label_w - 6.0,
            y + 14.0,
            html(label),
            y + 3.0,
            row_h - 6.0,
            label_w + w + 4.0,
            y + 14.0,
            html(shown)
        );
    }
    let _ = write!(s, "</svg>\n<figcaption>{}</figcaption>\n</figure>\n", html(&c.caption));
    s
}

/// Escape text for HTML content and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"@page { size: A4; margin: 20mm 18mm; @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; } }
body { font-family: FangSong, "仿宋_GB2312", STFangsong, "仿宋", "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #111; margin: 0; }
main { max-width: 180mm; margin: 0 auto; padding: 12mm 0; }
h1 { text-align: center; color: #b00; font-size: 22pt; letter-spacing: 0.05em; border-bottom: 2px solid #b00; padding-bottom: 6pt; }
h2 { font-family: "黑体", SimHei, "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 14pt; margin-top: 18pt; }
p { font-size: 11pt; line-height: 1.7; text-indent: 2em; }
header.redhead { text-align: center; border-bottom: 2px solid #d00; margin-bottom: 12pt; }
p.mark { text-align: center; text-indent: 0; color: #d00; font-size: 30pt; font-weight: bold; letter-spacing: 0.1em; margin: 0 0 12pt; font-family: "方正小标宋简体", "华文中宋", STZhongsong, "SimSun", serif; }
p.number { text-align: center; text-indent: 0; margin: 0 0 6pt; }
h1.title { color: #111; border-bottom: none; font-family: "方正小标宋简体", "华文中宋", STZhongsong, "SimSun", serif; }
p.to { text-indent: 0; }
div.sign { text-align: right; margin: 24pt 2em 12pt 0; }
div.sign p { text-indent: 0; margin: 0; }
footer.cc { border-top: 1px solid #111; border-bottom: 1px solid #111; margin-top: 24pt; }
footer.cc p { text-indent: 0; margin: 4pt 0; }
p.sub { text-align: center; text-indent: 0; color: #444; font-size: 10pt; }
p.note, p.footer { text-indent: 0; font-size: 10pt; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 6pt 0; page-break-inside: auto; }
th, td { border: 1px solid #555; padding: 2pt 4pt; }
th { background: #eee; }
tr { page-break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 6pt 0; text-align: center; }
figcaption { font-size: 9pt; color: #444; }
section { page-break-inside: auto; }
section.page { page-break-before: always; }
section.page:first-of-type { page-break-before: auto; }
@media print { main { padding: 0; } h2 { page-break-after: avoid; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_escaped_everywhere() {
        let doc = Document {
            title: "<b>t</b>".into(),
            sections: vec![Section {
                title: "s".into(),
                paragraphs: vec!["<script>alert(1)</script>".into()],
                table: Some(Table {
                    header: vec!["a".into()],
                    rows: vec![vec!["x|y<z".into()]],
                    numeric: vec![],
                }),
                chart: Some(Chart {
                    caption: "c".into(),
                    bars: vec![("<i>".into(), 1.0, "1".into())],
                    from: 0.0,
                    to: 2.0,
                }),
                after: vec![],
                page_break: false,
            }],
            ..Default::default()
        };
        let h = doc.to_html("zh");
        assert!(!h.contains("<script>") && !h.contains("<b>t") && !h.contains("<i>"));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let m = doc.to_markdown();
        assert!(m.contains("| x\\|y&lt;z |"), "{m}");
        assert!(m.contains("&lt;script&gt;"));
    }

    /// A plain page (a company's) has none of a 公文's parts; an official one has them in
    /// order: red heading and 文号, title, 主送, body, signature, date, contact, 抄送.
    #[test]
    fn official_parts_are_laid_out_in_order_and_only_when_given() {
        let plain = Document {
            title: "t".into(),
            ..Default::default()
        };
        let h = plain.to_html("zh");
        for part in ["<header", "<div class=\"sign\"", "<footer", "<p class=\"to\""] {
            assert!(!h.contains(part), "{part} in a plain page");
        }
        assert_eq!(plain.to_markdown(), "# t\n");
        let official = Document {
            mark: Some("某局文件".into()),
            number: Some("某通〔2026〕　　号".into()),
            recipients: vec!["甲".into(), "乙".into()],
            signature: Some("某局".into()),
            date: NaiveDate::from_ymd_opt(2026, 6, 30),
            contact: Some("某科".into()),
            cc: vec!["丙".into(), "丁".into()],
            ..plain
        };
        assert_eq!(
            official.to_markdown(),
            "某局文件\n\n某通〔2026〕　　号\n\n---\n\n# t\n\n甲、乙：\n\n某局\n\n2026年6月30日\n\n（某科）\n\n---\n\n抄送：丙、丁。\n"
        );
    }

    /// A table's cells are escaped in place, an empty one left empty.
    #[test]
    fn a_markdown_table_escapes_its_cells() {
        let t = Table {
            header: vec!["名称".into(), "得分".into()],
            rows: vec![vec!["a|b".into(), "9.5".into()], vec!["丙".into(), String::new()]],
            numeric: vec![1],
        };
        assert_eq!(
            markdown_table(&t),
            "| 名称 | 得分 |\n| --- | ---: |\n| a\\|b | 9.5 |\n| 丙 |  |\n"
        );
    }
}
