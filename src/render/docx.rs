//! Word documents laid out as 公文 (GB/T 9704-2012, DESIGN §15).
//!
//! A [`Gongwen`] is the document's parts in the order the standard lays them out: the red
//! 发文机关标志 and separator, the 发文字号, the title, the 主送 line, the body [`Block`]s, the
//! 发文机关署名 and 成文日期 (with room for the seal), the 版记 (抄送, 印发), and what follows it
//! (a tear-off 送达回执). [`to_docx`] writes it with docx-rs on A4 with the standard's 版心
//! (156 × 225 mm), 3号 仿宋_GB2312 body, 2号 方正小标宋简体 title and "— 1 —" page numbers.
//!
//! The writer knows layout, not wording: every word comes from the caller (who takes it from a
//! template). File paths and hashes go in the core properties ([`Properties`]), never in the
//! text. Office software substitutes the usual fallbacks (SimSun, FangSong) when the 公文 fonts
//! are not installed.

use rust_i18n::t;
use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableCell,
    TableRow,
};

use crate::error::{Error, Result};

/// A4 width in twips (210 mm).
pub const PAGE_WIDTH: u32 = 11906;
/// A4 height in twips (297 mm).
pub const PAGE_HEIGHT: u32 = 16838;
/// Top margin, 37 mm in twips.
pub const MARGIN_TOP: i32 = 2098;
/// Bottom margin, 35 mm in twips.
pub const MARGIN_BOTTOM: i32 = 1984;
/// Left margin, 28 mm in twips.
pub const MARGIN_LEFT: i32 = 1588;
/// Right margin, 26 mm in twips.
pub const MARGIN_RIGHT: i32 = 1474;

/// The body font (3号 仿宋_GB2312).
pub const FONT_BODY: &str = "仿宋_GB2312";
/// The title font (2号 方正小标宋简体), also the 发文机关标志's.
pub const FONT_TITLE: &str = "方正小标宋简体";
/// The 一级标题 font.
pub const FONT_H1: &str = "黑体";
/// The 二级标题 font.
pub const FONT_H2: &str = "楷体_GB2312";
/// The font for Latin letters and digits.
pub const FONT_LATIN: &str = "Times New Roman";
/// The red of the 发文机关标志 and the separator.
pub const RED: &str = "FF0000";

/// Sizes in half-points: 3号 16 pt, 2号 22 pt, 五号 10.5 pt (tables), the mark 36 pt.
const SIZE_BODY: usize = 32;
const SIZE_TITLE: usize = 44;
const SIZE_TABLE: usize = 21;
const SIZE_MARK: usize = 72;
/// A fixed line of 28 pt, giving the standard's 22 lines on a page.
const LINE: i32 = 560;

/// The document's core properties: where its figures come from, for whoever opens the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    /// `dc:title`.
    pub title: String,
    /// `dc:description`: e.g. the standards file and its SHA-256, the inputs' hash.
    pub description: String,
    /// `cp:keywords`.
    pub keywords: String,
}

/// A piece of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// 一级标题 (黑体), e.g. "一、检查情况".
    Heading1(String),
    /// 二级标题 (楷体_GB2312), e.g. "（一）扣分项目".
    Heading2(String),
    /// A body paragraph, first line indented two characters.
    Para(String),
    /// A table with borders; the columns listed in `numeric` are right-aligned.
    Table {
        /// Column names.
        header: Vec<String>,
        /// Rows of cells as shown.
        rows: Vec<Vec<String>>,
        /// Positions of the numeric columns.
        numeric: Vec<usize>,
    },
    /// Start a new page.
    PageBreak,
    /// A tear-off slip under a dashed cut line: a centred title, then lines to fill in.
    Receipt {
        /// The words on the cut line (e.g. "（沿此线剪下）"); may be empty.
        cut: String,
        /// The slip's title (送达回执).
        title: String,
        /// Its lines, e.g. "受送达单位：", "签收人：", "签收日期：".
        lines: Vec<String>,
    },
}

/// A 公文, its parts in the order GB/T 9704-2012 lays them out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gongwen {
    /// 发文机关标志 (red, centred); none: no red heading and no separator.
    pub mark: Option<String>,
    /// 发文字号, centred over the red separator.
    pub number: Option<String>,
    /// The title (2号 方正小标宋简体, centred).
    pub title: String,
    /// 主送机关, joined by "、" and followed by "：" on the line under the title.
    pub recipients: Vec<String>,
    /// The body.
    pub blocks: Vec<Block>,
    /// 发文机关署名.
    pub issuer: String,
    /// 成文日期, already in words (2026年7月10日).
    pub date: String,
    /// The 版记's 抄送 lines, each as printed (e.g. "抄送：劝业场街办事处，滨西社区居民委员会。").
    pub cc: Vec<String>,
    /// 印发机关 and 印发日期, printed as the 版记's last line.
    pub printed_by: Option<(String, String)>,
    /// Blocks after the 版记, such as a [`Block::Receipt`].
    pub after: Vec<Block>,
    /// Core properties (not printed).
    pub properties: Properties,
}

/// The fonts of a run: `east_asia` for Chinese, Times New Roman for Latin letters and digits.
fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(FONT_LATIN)
        .hi_ansi(FONT_LATIN)
        .cs(FONT_LATIN)
}

/// A run of text in a font and size.
fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// A paragraph on the body's fixed line.
fn para() -> Paragraph {
    Paragraph::new().line_spacing(LineSpacing::new().line(LINE).line_rule(LineSpacingType::Exact))
}

/// A paragraph with a border line on one side.
fn bordered(p: Paragraph, side: ParagraphBorderPosition, kind: BorderType, color: &str) -> Paragraph {
    let mut p = p;
    let border = ParagraphBorder::new(side).val(kind).size(12).space(4).color(color);
    p.property = p.property.set_borders(ParagraphBorders::with_empty().set(border));
    p
}

/// The 版头: the red mark, the 发文字号 and the red separator under it.
fn head(g: &Gongwen) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if let Some(mark) = &g.mark {
        out.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(mark, FONT_TITLE, SIZE_MARK).color(RED)),
        );
    }
    let number =
        para()
            .align(AlignmentType::Center)
            .add_run(run(g.number.as_deref().unwrap_or(""), FONT_BODY, SIZE_BODY));
    if g.mark.is_some() {
        out.push(bordered(
            number,
            ParagraphBorderPosition::Bottom,
            BorderType::Single,
            RED,
        ));
    } else if g.number.is_some() {
        out.push(number);
    }
    out.push(para());
    out.push(
        para()
            .align(AlignmentType::Center)
            .add_run(run(&g.title, FONT_TITLE, SIZE_TITLE)),
    );
    out.push(para());
    if !g.recipients.is_empty() {
        let to = format!("{}：", g.recipients.join("、"));
        out.push(para().add_run(run(&to, FONT_BODY, SIZE_BODY)));
    }
    out
}

/// A body paragraph in a font, first line indented two characters.
fn indented(text: &str, font: &str) -> Paragraph {
    // Two characters of 3号 (2 × 320 twips), and the same in character units for Word.
    para()
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .first_line_chars(200)
        .add_run(run(text, font, SIZE_BODY))
}

/// A table cell holding one line of text, `width` twips wide.
fn cell(text: &str, align: AlignmentType, bold: bool, width: usize) -> TableCell {
    let mut r = run(text, FONT_BODY, SIZE_TABLE);
    if bold {
        r = r.bold();
    }
    TableCell::new()
        .width(width, docx_rs::WidthType::Dxa)
        .add_paragraph(Paragraph::new().align(align).add_run(r))
}

/// The 版心's width in twips (156 mm), which a table fills.
const TEXT_WIDTH: usize = 8844;

/// Column widths in twips that share the 版心 by what each column holds (its widest cell,
/// a Chinese character counting twice a digit), so that names and figures do not wrap.
///
/// A table too wide for the 版心 gives way where a break reads well: its headers wrap onto
/// two lines, and dates, figures and codes (columns of Latin text only) keep their width while
/// the columns of Chinese text share the rest (a name wraps between characters; a date broken
/// as "2026-05-" / "06" does not read).
fn column_widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    let wide = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut data = vec![0; header.len()];
    let mut latin = vec![true; header.len()];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let (Some(x), Some(l)) = (data.get_mut(i), latin.get_mut(i)) {
                *x = (*x).max(wide(c));
                *l &= c.is_ascii();
            }
        }
    }
    // A unit of display width is half a character of 五号 (105 twips), and a little more for
    // the digits of a Latin font; a cell's margins take 120 twips more.
    let twips = |units: usize| units.max(4) * 115 + 120;
    let need: Vec<usize> = header.iter().zip(&data).map(|(h, d)| twips(wide(h).max(*d))).collect();
    if need.iter().sum::<usize>() <= TEXT_WIDTH {
        return share(&need, TEXT_WIDTH);
    }
    let need: Vec<usize> = header
        .iter()
        .zip(&data)
        .map(|(h, d)| twips(wide(h).div_ceil(2).max(*d)))
        .collect();
    let fixed: usize = need.iter().zip(&latin).filter(|(_, l)| **l).map(|(n, _)| n).sum();
    let text: Vec<usize> = need.iter().zip(&latin).map(|(n, l)| if *l { 0 } else { *n }).collect();
    if fixed == 0 || fixed + text.iter().sum::<usize>() <= TEXT_WIDTH || fixed > TEXT_WIDTH * 3 / 4 {
        return share(&need, TEXT_WIDTH);
    }
    let rest = share(&text, TEXT_WIDTH - fixed);
    need.iter()
        .zip(&latin)
        .zip(rest)
        .map(|((n, l), r)| if *l { *n } else { r })
        .collect()
}

/// `total` twips shared in proportion to `need`.
fn share(need: &[usize], total: usize) -> Vec<usize> {
    let sum: usize = need.iter().sum::<usize>().max(1);
    need.iter().map(|x| total * x / sum).collect()
}

/// A bordered table (docx-rs draws single borders by default), its columns as wide as what
/// they hold, its header row repeated on every page.
fn table(header: &[String], rows: &[Vec<String>], numeric: &[usize]) -> Table {
    let align = |i: usize| {
        if numeric.contains(&i) {
            AlignmentType::Right
        } else {
            AlignmentType::Left
        }
    };
    let widths = column_widths(header, rows);
    let width = |i: usize| widths.get(i).copied().unwrap_or(0);
    // No row is split across pages; the header row is marked to repeat by [`repeat_headers`]
    // (docx-rs writes no `w:tblHeader`).
    let mut t = vec![TableRow::new(
        header
            .iter()
            .enumerate()
            .map(|(i, h)| cell(h, AlignmentType::Center, true, width(i)))
            .collect(),
    )
    .cant_split()];
    for r in rows {
        t.push(
            TableRow::new(
                r.iter()
                    .enumerate()
                    .map(|(i, c)| cell(c, align(i), false, width(i)))
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::new(t)
        .margins(docx_rs::TableCellMargins::new().margin(0, 60, 0, 60))
        .layout(docx_rs::TableLayoutType::Fixed)
        .set_grid(widths.clone())
        .width(TEXT_WIDTH, docx_rs::WidthType::Dxa)
        .align(docx_rs::TableAlignmentType::Center)
}

/// Add one block to the document.
fn add_block(doc: Docx, b: &Block) -> Docx {
    match b {
        // A heading stays on the page of what it heads.
        Block::Heading1(t) => doc.add_paragraph(indented(t, FONT_H1).keep_next(true)),
        Block::Heading2(t) => doc.add_paragraph(indented(t, FONT_H2).keep_next(true)),
        Block::Para(t) => doc.add_paragraph(indented(t, FONT_BODY)),
        Block::Table { header, rows, numeric } => doc.add_table(table(header, rows, numeric)),
        Block::PageBreak => doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
        // The tear-off receipt is kept on one page: each of its paragraphs but the last is
        // kept with the next.
        Block::Receipt { cut, title, lines } => {
            let cut_line = para()
                .align(AlignmentType::Center)
                .add_run(run(cut, FONT_BODY, SIZE_TABLE));
            let mut doc = doc
                .add_paragraph(para().keep_next(true))
                .add_paragraph(
                    bordered(cut_line, ParagraphBorderPosition::Bottom, BorderType::Dashed, "000000").keep_next(true),
                )
                .add_paragraph(
                    para()
                        .align(AlignmentType::Center)
                        .add_run(run(title, FONT_H1, SIZE_BODY))
                        .keep_next(!lines.is_empty()),
                );
            for (i, l) in lines.iter().enumerate() {
                let last = i + 1 == lines.len();
                doc = doc.add_paragraph(para().add_run(run(l, FONT_BODY, SIZE_BODY)).keep_next(!last));
            }
            doc
        }
    }
}

/// The signature: two blank lines for the seal, then the issuer and the date right-aligned,
/// four characters in from the right edge.
fn signature(g: &Gongwen) -> Vec<Paragraph> {
    let right = |t: &str| {
        para()
            .align(AlignmentType::Right)
            .indent(None, None, Some(4 * 320), None)
            .add_run(run(t, FONT_BODY, SIZE_BODY))
    };
    vec![para(), para(), para(), right(&g.issuer), right(&g.date)]
}

/// The 版记: 抄送 lines and the 印发 line between black rules.
fn imprint(g: &Gongwen) -> Vec<Paragraph> {
    let mut lines: Vec<String> = g.cc.clone();
    if let Some((org, date)) = &g.printed_by {
        lines.push(format!("{org}　　{date}印发"));
    }
    let n = lines.len();
    let mut out = vec![para()];
    for (i, l) in lines.iter().enumerate() {
        let mut p = para()
            .indent(Some(320), None, Some(320), None)
            .add_run(run(l, FONT_BODY, SIZE_TABLE));
        if i == 0 {
            p = bordered(p, ParagraphBorderPosition::Top, BorderType::Single, "000000");
        }
        if i + 1 == n {
            let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(12)
                .color("000000");
            let borders = p.property.borders.clone().unwrap_or_else(ParagraphBorders::with_empty);
            p.property = p.property.set_borders(borders.set(border));
        }
        out.push(p);
    }
    out
}

/// The footer: "— 1 —", the page number as a PAGE field.
fn footer() -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("— ", FONT_LATIN, SIZE_TABLE))
            .add_page_num(PageNum::new())
            .add_run(run(" —", FONT_LATIN, SIZE_TABLE)),
    )
}

/// The document as a .docx file.
pub fn to_docx(g: &Gongwen) -> Result<Vec<u8>> {
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(FONT_BODY))
        .default_size(SIZE_BODY)
        .footer(footer());
    for p in head(g) {
        doc = doc.add_paragraph(p);
    }
    for b in &g.blocks {
        doc = add_block(doc, b);
    }
    for p in signature(g).into_iter().chain(imprint(g)) {
        doc = doc.add_paragraph(p);
    }
    for b in &g.after {
        doc = add_block(doc, b);
    }
    let mut buf = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| Error::msg(t!("render.docx_failed", error = e)))?;
    with_properties(&buf.into_inner(), &g.properties)
}

/// `docProps/core.xml` with the title, description and keywords (docx-rs writes no setter for
/// them, so the package is copied with this part replaced).
fn core_xml(p: &Properties) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:description>{}</dc:description><cp:keywords>{}</cp:keywords><cp:revision>1</cp:revision></cp:coreProperties>",
        xml(&p.title),
        xml(&p.description),
        xml(&p.keywords)
    )
}

/// Text escaped for XML.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The row properties docx-rs writes for a row that is not split across pages.
const ROW_KEPT: &[u8] = b"<w:trPr><w:cantSplit /></w:trPr>";
/// The same for a table's header row, repeated at the top of every page the table runs onto.
const HEADER_ROW: &[u8] = b"<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";

/// `word/document.xml` with each table's first row (its header, see [`table`]) marked to
/// repeat on every page.
fn repeat_headers(xml: &[u8]) -> Vec<u8> {
    let finder = memchr::memmem::Finder::new(b"<w:tbl>");
    let row = memchr::memmem::Finder::new(ROW_KEPT);
    let mut out = Vec::with_capacity(xml.len() + 64);
    let mut at = 0;
    while let Some(t) = finder.find(&xml[at..]) {
        let table = at + t;
        let end = memchr::memmem::find(&xml[table..], b"</w:tbl>").map_or(xml.len(), |e| table + e);
        let Some(r) = row.find(&xml[table..end]) else {
            out.extend_from_slice(&xml[at..end]);
            at = end;
            continue;
        };
        let r = table + r;
        out.extend_from_slice(&xml[at..r]);
        out.extend_from_slice(HEADER_ROW);
        at = r + ROW_KEPT.len();
    }
    out.extend_from_slice(&xml[at..]);
    out
}

/// Copy a packed .docx, replacing `docProps/core.xml` and marking tables' header rows.
fn with_properties(packed: &[u8], p: &Properties) -> Result<Vec<u8>> {
    let err = |e: zip::result::ZipError| Error::msg(t!("render.docx_failed", error = e));
    let mut src = zip::ZipArchive::new(Cursor::new(packed)).map_err(err)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut f = src.by_index(i).map_err(err)?;
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .map_err(|e| Error::msg(t!("render.docx_failed", error = e)))?;
        if name == "docProps/core.xml" {
            bytes = core_xml(p).into_bytes();
        } else if name == "word/document.xml" {
            bytes = repeat_headers(&bytes);
        }
        out.start_file(name, opts).map_err(err)?;
        out.write_all(&bytes)
            .map_err(|e| Error::msg(t!("render.docx_failed", error = e)))?;
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

/// A report document (the bulletin, the company pages) as a 公文: its heading, number,
/// recipients, title and subtitle lines, sections (一级标题, paragraphs, tables; charts are
/// the tables' figures and are left out), signature, date, contact and 抄送. `properties`
/// carries what must not be printed (the standards file and its hash, the inputs' hash).
pub fn from_document(doc: &super::document::Document, properties: Properties) -> Gongwen {
    let mut blocks: Vec<Block> = doc.subtitle.iter().cloned().map(Block::Para).collect();
    for (i, sec) in doc.sections.iter().enumerate() {
        if sec.page_break && i > 0 {
            blocks.push(Block::PageBreak);
        }
        if !sec.title.is_empty() {
            blocks.push(Block::Heading1(sec.title.clone()));
        }
        blocks.extend(sec.paragraphs.iter().cloned().map(Block::Para));
        if let Some(t) = &sec.table {
            blocks.push(Block::Table {
                header: t.header.clone(),
                rows: t.rows.clone(),
                numeric: t.numeric.clone(),
            });
        }
        blocks.extend(sec.after.iter().cloned().map(Block::Para));
    }
    if let Some(c) = &doc.contact {
        blocks.push(Block::Para(format!("（{c}）")));
    }
    let mut issuer = doc.signature.clone().unwrap_or_default();
    if issuer.is_empty() {
        issuer = doc.footer.first().cloned().unwrap_or_default();
    }
    let cc = if doc.cc.is_empty() {
        Vec::new()
    } else {
        vec![doc
            .lang
            .pick(
                &format!("抄送：{}。", doc.cc.join("，")),
                &format!("Copy to: {}.", doc.cc.join(", ")),
            )
            .to_string()]
    };
    Gongwen {
        mark: doc.mark.clone(),
        number: doc.number.clone(),
        title: doc.title.clone(),
        recipients: doc.recipients.clone(),
        blocks,
        issuer,
        date: doc
            .date
            .map(|d| super::words::date_words(d, doc.lang))
            .unwrap_or_default(),
        cc,
        printed_by: None,
        after: Vec::new(),
        properties,
    }
}

/// The properties of a report's Word document: its title, and, not printed, the standards
/// file with its SHA-256 and the digest of every input (the JSON's provenance).
pub fn properties(
    title: &str,
    standards: &crate::workspace::StandardsFile,
    provenance: &crate::workspace::provenance::Provenance,
) -> Properties {
    Properties {
        title: title.to_string(),
        description: format!(
            "standards {} sha256 {}; inputs_sha256 {}; oldestate {}{}",
            standards.file,
            standards.sha256,
            provenance.inputs_sha256,
            provenance.tool_version,
            provenance
                .git_commit
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        keywords: "oldestate".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_table_that_fits_shares_the_page_by_what_each_column_holds() {
        let header = strings(&["街道", "得分"]);
        let rows = vec![strings(&["劝业场街", "95.90"])];
        // 8 and 5 display units: 8 × 115 + 120 and 5 × 115 + 120 twips, scaled up to the 版心.
        assert_eq!(
            column_widths(&header, &rows),
            vec![TEXT_WIDTH * 1040 / 1735, TEXT_WIDTH * 695 / 1735]
        );
    }

    #[test]
    fn a_wide_table_keeps_dates_and_figures_whole_and_wraps_names_and_headers() {
        let header = strings(&[
            "小区",
            "街道",
            "第三方日期",
            "第三方得分",
            "第三方结论",
            "区级日期",
            "区级得分",
            "区级结论",
            "分差",
        ]);
        let rows = vec![strings(&[
            "张自忠路公寓小区西院",
            "劝业场街",
            "2026-05-06",
            "95.90",
            "不合格",
            "2026-04-22",
            "98.51",
            "合格",
            "-14.18",
        ])];
        let w = column_widths(&header, &rows);
        assert!(w.iter().sum::<usize>() <= TEXT_WIDTH);
        // The dates keep their ten digits on one line; a score its five characters.
        assert_eq!((w[2], w[5]), (10 * 115 + 120, 10 * 115 + 120));
        assert_eq!(w[3], 5 * 115 + 120);
        // The name gives way first, in proportion with the other Chinese columns.
        assert!(w[0] < 20 * 115 + 120 && w[0] > w[1]);
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn a_gongwen_has_the_standard_page_fonts_mark_page_numbers_and_properties() {
        let g = Gongwen {
            mark: Some("天津市和平区民政局文件".into()),
            number: Some("和民政通〔2026〕　　号".into()),
            title: "整改通知书".into(),
            recipients: vec!["某物业公司".into()],
            blocks: vec![Block::Heading1("一、检查情况".into()), Block::Para("正文。".into())],
            issuer: "天津市和平区民政局".into(),
            date: "2026年6月30日".into(),
            properties: Properties {
                title: "整改通知书".into(),
                description: "standards/x.toml sha256:ab".into(),
                keywords: String::new(),
            },
            ..Gongwen::default()
        };
        let bytes = to_docx(&g).unwrap();
        let doc = part(&bytes, "word/document.xml");
        roxmltree::Document::parse(&doc).unwrap();
        for needle in [
            "w:w=\"11906\"",
            "w:h=\"16838\"",
            "w:top=\"2098\"",
            "w:left=\"1588\"",
            "w:right=\"1474\"",
            "w:bottom=\"1984\"",
            "仿宋_GB2312",
            "方正小标宋简体",
            "黑体",
            "FF0000",
            "整改通知书",
            "天津市和平区民政局文件",
        ] {
            assert!(doc.contains(needle), "{needle} missing");
        }
        assert!(!doc.contains("sha256"), "hashes stay out of the text");
        assert!(doc.contains("<w:keepNext />"), "a heading stays with what follows it");
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("PAGE") && footer.contains("— "), "{footer}");
        let core = part(&bytes, "docProps/core.xml");
        assert!(
            core.contains("<dc:description>standards/x.toml sha256:ab</dc:description>"),
            "{core}"
        );
        roxmltree::Document::parse(&core).unwrap();
    }

    #[test]
    fn table_rows_are_kept_whole_and_the_header_row_repeats_on_every_page() {
        let table = Block::Table {
            header: vec!["名称".into(), "得分".into()],
            rows: vec![vec!["甲".into(), "90.00".into()], vec!["乙".into(), "80.00".into()]],
            numeric: vec![1],
        };
        let g = Gongwen {
            title: "通报".into(),
            blocks: vec![table.clone(), Block::Para("正文。".into()), table],
            ..Gongwen::default()
        };
        let doc = part(&to_docx(&g).unwrap(), "word/document.xml");
        let parsed = roxmltree::Document::parse(&doc).unwrap();
        let tables: Vec<_> = parsed.descendants().filter(|n| n.has_tag_name("tbl")).collect();
        assert_eq!(tables.len(), 2);
        for t in tables {
            let rows: Vec<_> = t.children().filter(|n| n.has_tag_name("tr")).collect();
            assert_eq!(rows.len(), 3);
            for (i, r) in rows.iter().enumerate() {
                let props = r.children().find(|n| n.has_tag_name("trPr")).unwrap();
                assert!(props.children().any(|n| n.has_tag_name("cantSplit")), "row {i}");
                let header = props.children().any(|n| n.has_tag_name("tblHeader"));
                assert_eq!(header, i == 0, "row {i}");
            }
        }
    }

    #[test]
    fn header_rows_are_marked_in_tables_only_and_a_table_without_rows_is_left_alone() {
        let xml = b"<w:body><w:trPr><w:cantSplit /></w:trPr><w:tbl></w:tbl><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl></w:body>";
        let out = String::from_utf8(repeat_headers(xml)).unwrap();
        assert_eq!(
            out,
            "<w:body><w:trPr><w:cantSplit /></w:trPr><w:tbl></w:tbl><w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl></w:body>"
        );
    }
}
