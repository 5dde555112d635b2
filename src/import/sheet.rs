//! Reading a sheet an inspector handed in: rows of text cells, and the pieces the readers of
//! [`super::book`] share: text decoding (UTF-8 with or without BOM, GB18030, UTF-16 with BOM)
//! and delimiter detection (comma, tab or semicolon), and a workbook cell as text. Decoding
//! is strict: bytes valid in no encoding are an error with their row.

use std::borrow::Cow;
use std::path::Path;

use calamine::{Data, DataRef, ExcelDateTime};
use chrono::{Days, NaiveDate};

/// A sheet as rows of text cells. `row` numbers are as a person sees them (1 = the first line
/// of the file or the first row of the worksheet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// Its rows, the header first; blank rows are not kept.
    pub rows: Rows,
}

/// Rows of text cells held flat: the text of every cell in one buffer, where each cell ends in
/// it, and a table of rows (the row's number, its first cell and how many). A month's sheet can
/// have a million rows: a record per row (a box and two vectors, ~200 bytes) held five times
/// the text it carried; this holds the text and 4 bytes a cell and 16 a row.
///
/// The rows are read through views ([`SheetRow`]), as a `Vec` of rows would be: [`Rows::iter`],
/// [`Rows::get`], [`Rows::first`]. Rows are added by [`Rows::push`] or cell by cell
/// ([`Rows::push_cell`], then [`Rows::end_row`]).
#[derive(Clone)]
pub struct Rows {
    /// The text of every cell, one after another.
    text: String,
    /// Cell `k` is `text[bounds[k]..bounds[k + 1]]`; `bounds[0]` is 0.
    bounds: Vec<u32>,
    /// The rows, in order.
    rows: Vec<RowAt>,
    /// The first cell of the row being added.
    open: usize,
}

/// Where a row's cells are in [`Rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowAt {
    row: u64,
    first: u32,
    len: u32,
}

/// One row: where it is in the sheet, and its cells (trimmed), borrowed from its [`Rows`].
#[derive(Debug, Clone, Copy)]
pub struct SheetRow<'a> {
    /// Where the row is, as a person counts (1 = the first line or worksheet row).
    pub row: u64,
    /// Its cells, trimmed.
    pub cells: Cells<'a>,
}

/// A row's cells, as text: `cells[i]`, [`Cells::get`], [`Cells::iter`].
#[derive(Clone, Copy)]
pub struct Cells<'a> {
    text: &'a str,
    /// One more than there are cells: cell `i` is `text[bounds[i]..bounds[i + 1]]`.
    bounds: &'a [u32],
}

/// A sheet's text beyond what [`Rows`] can hold (4 GiB; cells are found by 32-bit offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl TooLarge {
    /// The error a reader gives for it, on `row` when known.
    pub fn error(self, row: Option<u64>) -> SheetError {
        err(row, rust_i18n::t!("book.sheet_over_4gib").into_owned())
    }
}

impl Default for Rows {
    fn default() -> Rows {
        Rows::with_capacity(0)
    }
}

impl Rows {
    /// No rows, with room for `text` bytes of cell text.
    pub fn with_capacity(text: usize) -> Rows {
        Rows {
            text: String::with_capacity(text),
            bounds: vec![0],
            rows: Vec::new(),
            open: 0,
        }
    }

    /// Add a cell to the row being added.
    pub fn push_cell(&mut self, cell: &str) -> Result<(), TooLarge> {
        let end = u32::try_from(self.text.len() + cell.len()).map_err(|_| TooLarge)?;
        if self.bounds.len() > u32::MAX as usize {
            return Err(TooLarge);
        }
        self.text.push_str(cell);
        self.bounds.push(end);
        Ok(())
    }

    /// The cells added since the last row are row `row`.
    pub fn end_row(&mut self, row: u64) {
        let first = self.open;
        let len = self.bounds.len() - 1 - first;
        // `push_cell` keeps the count of cells within u32.
        self.rows.push(RowAt {
            row,
            first: first as u32,
            len: len as u32,
        });
        self.open = self.bounds.len() - 1;
    }

    /// As a reused one-row grid: hold only `rec` (its cells trimmed) as row `row` and hand it
    /// to `each`.
    fn hand(&mut self, row: u64, rec: &csv::StringRecord, each: &mut dyn FnMut(SheetRow<'_>)) -> Result<(), TooLarge> {
        self.clear();
        self.push(row, rec.iter().map(str::trim))?;
        if let Some(r) = self.first() {
            each(r);
        }
        Ok(())
    }

    /// Add row `row` holding `cells`.
    pub fn push<'c>(&mut self, row: u64, cells: impl IntoIterator<Item = &'c str>) -> Result<(), TooLarge> {
        for c in cells {
            self.push_cell(c)?;
        }
        self.end_row(row);
        Ok(())
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No rows any more (the room they took is kept, for the next).
    pub fn clear(&mut self) {
        self.text.clear();
        self.bounds.truncate(1);
        self.rows.clear();
        self.open = 0;
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn view(&self, at: RowAt) -> SheetRow<'_> {
        let (first, len) = (at.first as usize, at.len as usize);
        SheetRow {
            row: at.row,
            cells: Cells {
                text: &self.text,
                bounds: &self.bounds[first..=first + len],
            },
        }
    }

    /// Row `i` (0 = the first kept).
    pub fn get(&self, i: usize) -> Option<SheetRow<'_>> {
        self.rows.get(i).map(|&at| self.view(at))
    }

    /// The first row.
    pub fn first(&self) -> Option<SheetRow<'_>> {
        self.get(0)
    }

    /// The rows, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = SheetRow<'_>> + DoubleEndedIterator + '_ {
        self.rows.iter().map(|&at| self.view(at))
    }

    /// Rows `range` (indexes), in order.
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = SheetRow<'_>> + '_ {
        self.rows[range].iter().map(|&at| self.view(at))
    }

    /// Keep row `head` first, its cells replaced by `cells` (a header combined from two rows),
    /// then of the rows from index `from` on those `keep` says, in order, each with its number
    /// and cells; the others are dropped. The rows' text stays where it is: the table of rows
    /// is rewritten in place.
    pub fn keep(
        mut self,
        head: usize,
        cells: &[String],
        from: usize,
        mut keep: impl FnMut(SheetRow<'_>) -> bool,
    ) -> Result<Rows, TooLarge> {
        let row = self.rows.get(head).map_or(0, |at| at.row);
        self.push(row, cells.iter().map(String::as_str))?;
        let header = self.rows.pop().unwrap_or(RowAt { row, first: 0, len: 0 });
        let Rows { text, bounds, rows, .. } = &mut self;
        let view = |at: RowAt| {
            let (first, len) = (at.first as usize, at.len as usize);
            SheetRow {
                row: at.row,
                cells: Cells {
                    text,
                    bounds: &bounds[first..=first + len],
                },
            }
        };
        let mut kept = 0;
        for i in from..rows.len() {
            let at = rows[i];
            if keep(view(at)) {
                // `kept` < `from` <= `i`: a row is moved only to where one was read.
                kept += 1;
                rows[kept] = at;
            }
        }
        rows.truncate(kept + 1);
        if let Some(first) = rows.first_mut() {
            *first = header;
        } else {
            rows.push(header);
        }
        Ok(self)
    }
}

impl PartialEq for Rows {
    /// Rows are equal when they hold the same rows, however their text is laid out.
    fn eq(&self, other: &Rows) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Rows {}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for SheetRow<'_> {
    fn eq(&self, other: &SheetRow<'_>) -> bool {
        self.row == other.row && self.cells == other.cells
    }
}

impl<'a> Cells<'a> {
    /// How many cells there are.
    pub fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let (start, end) = (*self.bounds.get(i)?, *self.bounds.get(i + 1)?);
        self.text.get(start as usize..end as usize)
    }

    /// The cells, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + Clone + 'a {
        let text = self.text;
        self.bounds
            .windows(2)
            .map(move |w| text.get(w[0] as usize..w[1] as usize).unwrap_or(""))
    }
}

impl std::ops::Index<usize> for Cells<'_> {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(c) => c,
            None => panic!("cell {i} of a row of {}", self.len()),
        }
    }
}

impl PartialEq for Cells<'_> {
    fn eq(&self, other: &Cells<'_>) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Cells<'_> {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl std::fmt::Debug for Cells<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A text encoding a CSV sheet may be in: UTF-8 (`utf-8`, `utf8`) or GB18030, as Excel in
/// China saves "CSV" (`gb18030`, `gbk`, `gb2312`).
// The variants are described here, not each by a `///`: clap would make such a comment the
// value's help and change `--help`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gb18030", alias = "gbk", alias = "gb2312")]
    Gb18030,
}

/// A problem reading a sheet: the row (when known) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    /// The row the problem is on, when it is known.
    pub row: Option<u64>,
    /// What is wrong, and what to do about it.
    pub message: String,
}

fn err(row: Option<u64>, message: impl Into<String>) -> SheetError {
    SheetError {
        row,
        message: message.into(),
    }
}

/// Read a sheet file's first grid (or the `sheet` named): the first visible worksheet of a
/// workbook, or a text file's one grid. [`super::book::read_book`] reads every grid.
pub fn read_sheet(path: &Path, sheet: Option<&str>, encoding: Option<Encoding>) -> Result<Sheet, SheetError> {
    let asked: Vec<String> = sheet.map(str::to_string).into_iter().collect();
    first_grid(super::book::read_book(path, &asked, encoding)?)
}

fn first_grid(book: super::book::Book) -> Result<Sheet, SheetError> {
    let grid = book
        .grids
        .into_iter()
        .next()
        .ok_or_else(|| err(None, "工作簿中没有可见的工作表"))?;
    Ok(Sheet { rows: grid.rows })
}

/// The row (1-based line) of a byte offset.
fn row_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Decode text strictly: UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 (a BOM is
/// dropped) or GB18030, detected unless `forced` (a UTF-16 BOM wins over `forced`).
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<String, SheetError> {
    decode_borrowed(bytes, forced).map(|(text, _)| text.into_owned())
}

/// [`decode`], also saying whether the text was UTF-16 (which Excel writes tab-separated); the
/// text is borrowed from `bytes` when they are UTF-8 already (a copy of a sheet's bytes as
/// text would double them).
pub fn decode_borrowed(bytes: &[u8], forced: Option<Encoding>) -> Result<(Cow<'_, str>, bool), SheetError> {
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(body, true).map(|t| (Cow::Owned(t), true));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(body, false).map(|t| (Cow::Owned(t), true));
    }
    decode_8bit(bytes, forced).map(|t| (t, false))
}

/// UTF-16 after its BOM, little- or big-endian; an unpaired surrogate or an odd last byte is
/// an error on its row.
fn decode_utf16(body: &[u8], le: bool) -> Result<String, SheetError> {
    let encoding = if le {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, _) => {
            let at = read.saturating_sub(bad as usize);
            let newline: [u8; 2] = if le { [b'\n', 0] } else { [0, b'\n'] };
            let row = 1 + body[..at.min(body.len())]
                .chunks_exact(2)
                .filter(|u| *u == newline)
                .count() as u64;
            Err(err(
                Some(row),
                "不是有效的 UTF-16 文本：文件已损坏（请在 Excel 中重新另存）",
            ))
        }
        encoding_rs::DecoderResult::OutputFull => Err(err(None, "解码中断")),
    }
}

/// UTF-8 (a BOM is dropped) or GB18030, detected unless `forced`.
fn decode_8bit<'b>(bytes: &'b [u8], forced: Option<Encoding>) -> Result<Cow<'b, str>, SheetError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let utf8 = |body: &'b [u8]| -> Result<Cow<'b, str>, SheetError> {
        std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
            err(
                Some(row_of(body, e.valid_up_to())),
                "不是有效的 UTF-8 文本（是否按 GB18030 保存？可加 --encoding gb18030）",
            )
        })
    };
    let gb = |body: &[u8]| {
        let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
        let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
        match result {
            encoding_rs::DecoderResult::InputEmpty => Ok(Cow::Owned(out)),
            encoding_rs::DecoderResult::Malformed(bad, _) => Err(err(
                Some(row_of(body, read.saturating_sub(bad as usize))),
                "既不是 UTF-8 也不是 GB18030 编码：文件已损坏或为其他编码（请在 Excel 中另存为“CSV UTF-8”）",
            )),
            // The output string grows as needed; a full buffer cannot happen.
            encoding_rs::DecoderResult::OutputFull => Err(err(None, "解码中断")),
        }
    };
    match forced {
        Some(Encoding::Utf8) => utf8(body),
        Some(Encoding::Gb18030) => gb(body),
        None if bom => utf8(body),
        None => match std::str::from_utf8(body) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            // Neither? Report the decoder that got further: a UTF-8 sheet with one bad byte is
            // located at that byte, not at its Chinese header (which is not GB18030).
            Err(e8) => gb(body).map_err(|egb| {
                let row8 = row_of(body, e8.valid_up_to());
                if egb.row.is_some_and(|r| r < row8) {
                    SheetError { row: Some(row8), ..egb }
                } else {
                    egb
                }
            }),
        },
    }
}

/// Parse delimited text: the delimiter is tab for `.tsv` and UTF-16 "Unicode text", else
/// whichever of comma, tab and semicolon the header line holds most of.
pub fn read_text(bytes: &[u8], tsv: bool, encoding: Option<Encoding>) -> Result<Sheet, SheetError> {
    let (text, utf16) = decode_borrowed(bytes, encoding)?;
    parse_delimited(&text, tsv || utf16)
}

/// Split decoded text into rows of trimmed cells, blank rows dropped; `tab` forces the tab
/// delimiter.
pub fn parse_delimited(text: &str, tab: bool) -> Result<Sheet, SheetError> {
    // The cells are the text less delimiters, quotes and spaces: its length is room enough.
    let mut rows = Rows::with_capacity(text.len());
    records(text, delimiter_of(text, tab), &mut |row, _, rec| {
        rows.push(row, rec.iter().map(str::trim))
            .map_err(|e| e.error(Some(row)))
    })?;
    Ok(Sheet { rows })
}

/// The delimiter of delimited text: tab when `tab` says so (`.tsv`, UTF-16 "Unicode text"),
/// else whichever of comma, tab and semicolon the first line holds most of.
fn delimiter_of(text: &str, tab: bool) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if tab {
        b'\t'
    } else {
        [b',', b'\t', b';']
            .into_iter()
            .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
            .unwrap_or(b',')
    }
}

/// Each record of delimited `text` that is not blank, to `each` with its row (the line a
/// person sees in an editor) and the byte offset the csv reader gives it.
fn records(
    text: &str,
    delimiter: u8,
    each: &mut dyn FnMut(u64, u64, &csv::StringRecord) -> Result<(), SheetError>,
) -> Result<(), SheetError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // The csv crate's line numbers skip blank lines and miscount CRLF ones; a row is counted
    // here from its byte offset, so an error names the line a person sees in an editor.
    let mut lines = LineCounter::default();
    // One record, reused.
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map(|p| lines.line_at(text.as_bytes(), p.byte()));
                return Err(err(row, format!("无法读取的 CSV：{e}")));
            }
        }
        let at = rec.position().map_or(0, |p| p.byte());
        let row = rec.position().map_or(0, |p| lines.line_at(text.as_bytes(), p.byte()));
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        each(row, at, &rec)?;
    }
    Ok(())
}

/// A UTF-8 delimited text file read once, to be read again row by row ([`TextPlan::read`])
/// instead of holding its rows: a million-row sheet's rows are twice its bytes. The first
/// reading checks everything a reading can refuse (the encoding, the quoting, the size), so
/// the second can only fail if the file changed in between; it is read in pieces of about a
/// mebibyte, each starting at a record, and its SHA-256 must be the first reading's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPlan {
    delimiter: u8,
    /// How many bytes precede the text (a UTF-8 BOM).
    start: u64,
    /// The text's length in bytes.
    len: u64,
    /// Where each piece starts in the text, and how many lines come before it.
    pieces: Vec<(u64, u64)>,
    /// The file's SHA-256, as the first reading found it.
    pub sha256: String,
}

/// The size a piece of a [`TextPlan`] reaches before the next record starts a new one.
const PIECE: u64 = 1 << 20;

/// The file changed between two readings (its bytes, or its SHA-256, differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed;

/// Read a UTF-8 delimited file's `text` (`bytes` after any BOM; `tab` forces the tab
/// delimiter) once, giving each row that is not blank to `each` (its cells trimmed), and plan
/// reading it again ([`TextPlan`], its SHA-256 to be set by the caller, who has it). Refused
/// as [`parse_delimited`] refuses: unreadable CSV, or more than 4 GiB of cell text.
pub fn scan_delimited(
    bytes: &[u8],
    text: &str,
    tab: bool,
    each: &mut dyn FnMut(SheetRow<'_>),
) -> Result<TextPlan, SheetError> {
    scan_in_pieces(bytes, text, tab, PIECE, each)
}

/// [`scan_delimited`], the pieces reaching `piece` bytes.
fn scan_in_pieces(
    bytes: &[u8],
    text: &str,
    tab: bool,
    piece_size: u64,
    each: &mut dyn FnMut(SheetRow<'_>),
) -> Result<TextPlan, SheetError> {
    let delimiter = delimiter_of(text, tab);
    let start = (text.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize) as u64;
    let mut pieces = vec![(0u64, 0u64)];
    // Lines before the offset last counted to.
    let (mut counted, mut lines) = (0usize, 0u64);
    // The cell text and cells a grid of these rows would hold, which may not pass 4 GiB.
    let (mut held, mut cells) = (0u64, 1u64);
    let mut one = Rows::default();
    records(text, delimiter, &mut |row, at, rec| {
        for c in rec.iter() {
            held += c.trim().len() as u64;
            cells += 1;
            if held > u64::from(u32::MAX) || cells > u64::from(u32::MAX) + 1 {
                return Err(TooLarge.error(Some(row)));
            }
        }
        let piece = pieces.last().map_or(0, |p| p.0);
        let at_usize = usize::try_from(at).unwrap_or(usize::MAX).min(text.len());
        // A fresh reader drops a BOM at its start: a piece may not start with one.
        if at - piece >= piece_size && !text.as_bytes()[at_usize..].starts_with(b"\xEF\xBB\xBF") {
            lines += text.as_bytes()[counted..at_usize]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted = at_usize;
            pieces.push((at, lines));
        }
        one.hand(row, rec, each).map_err(|e| e.error(Some(row)))
    })?;
    Ok(TextPlan {
        delimiter,
        start,
        len: text.len() as u64,
        pieces,
        sha256: String::new(),
    })
}

impl TextPlan {
    /// Read the file at `path` again, giving each row that is not blank to `each` as the first
    /// reading did; [`Changed`] if its bytes are not those first read.
    pub fn read(&self, path: &Path, each: &mut dyn FnMut(SheetRow<'_>)) -> Result<(), Changed> {
        use sha2::Digest;
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(|_| Changed)?;
        let mut sha = sha2::Sha256::new();
        let mut buf = vec![0u8; usize::try_from(self.start).map_err(|_| Changed)?];
        file.read_exact(&mut buf).map_err(|_| Changed)?;
        sha.update(&buf);
        let mut one = Rows::default();
        for (k, &(at, lines)) in self.pieces.iter().enumerate() {
            let end = self.pieces.get(k + 1).map_or(self.len, |p| p.0);
            let len = usize::try_from(end.checked_sub(at).ok_or(Changed)?).map_err(|_| Changed)?;
            buf.clear();
            buf.resize(len, 0);
            file.read_exact(&mut buf).map_err(|_| Changed)?;
            sha.update(&buf);
            let text = std::str::from_utf8(&buf).map_err(|_| Changed)?;
            records(text, self.delimiter, &mut |row, _, rec| {
                one.hand(lines + row, rec, each).map_err(|e| e.error(None))
            })
            .map_err(|_| Changed)?;
        }
        // Nothing may follow what was read first.
        let mut rest = [0u8; 1];
        if file.read(&mut rest).map_err(|_| Changed)? != 0 {
            return Err(Changed);
        }
        let sha = crate::workspace::provenance::hex(&sha.finalize());
        if sha != self.sha256 {
            return Err(Changed);
        }
        Ok(())
    }
}

/// Lines counted up to a byte offset, resumed from the last offset asked (offsets only grow).
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        // A record's position may be the end of the one before it (before its line ending or
        // the blank lines passed over); a record never starts with a line ending.
        let mut offset = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if offset < self.offset {
            return row_of(bytes, offset);
        }
        self.line += bytes[self.offset..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset = offset;
        self.line + 1
    }
}

/// Read the first visible (or the named) worksheet of a workbook held in memory.
pub fn read_xlsx_bytes(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, SheetError> {
    let asked: Vec<String> = sheet.map(str::to_string).into_iter().collect();
    first_grid(super::book::read_book_bytes(bytes, "xlsx", &asked, None)?)
}

/// A cell as text: whole floats without `.0` (Excel stores every number as a float), dates as
/// `YYYY-MM-DD` (in the workbook's 1900 or 1904 date system), errors as Excel shows them (so
/// they fail to parse, loudly).
pub fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => date_text(dt),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// [`cell_text`] for a cell streamed from a worksheet.
pub fn data_ref_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => date_text(dt),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// A date cell as `YYYY-MM-DD`, counted in its workbook's date system (calamine carries the
/// 1904 flag on each cell). Durations, times of day and serials before 1900-03-01 (where
/// Excel's phantom 1900-02-29 makes the day doubtful) stay numbers.
fn date_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() || !(0.0..2_958_466.0).contains(&serial) {
        return float_text(serial);
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)) {
        Some(date) if date >= NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(NaiveDate::MIN) => date.to_string(),
        _ => float_text(serial),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An Excel serial day number (1900 date system) as a date: day 1 is 1900-01-01, and
/// serials from 61 on count from 1899-12-30 because of Excel's phantom 1900-02-29.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial.floor() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gb18030() {
        assert_eq!(decode("日期".as_bytes(), None).unwrap(), "日期");
        assert_eq!(decode(b"\xEF\xBB\xBFdate", None).unwrap(), "date");
        let (gb, _, _) = encoding_rs::GB18030.encode("小区,日期\n南营门里,2026/3/5\n");
        assert_eq!(decode(&gb, None).unwrap(), "小区,日期\n南营门里,2026/3/5\n");
    }

    #[test]
    fn bytes_valid_in_neither_encoding_are_located() {
        let bytes = b"a,b\nok,ok\n\x81\x20bad\n";
        let e = decode(bytes, None).unwrap_err();
        assert_eq!(e.row, Some(3));
    }

    #[test]
    fn picks_the_delimiter_of_the_header() {
        let s = read_text("a;b;c\n1;2;3\n".as_bytes(), false, None).unwrap();
        assert_eq!(s.rows.get(1).unwrap().cells, vec!["1", "2", "3"]);
        let s = read_text("a\tb\n1\t2\n".as_bytes(), false, None).unwrap();
        let row = s.rows.get(1).unwrap();
        assert_eq!((row.row, row.cells.iter().collect::<Vec<_>>()), (2, vec!["1", "2"]));
    }

    #[test]
    fn date_cells_count_from_their_workbooks_epoch() {
        use calamine::ExcelDateTimeType::{DateTime, TimeDelta};
        let day = |v, is_1904| date_text(&ExcelDateTime::new(v, DateTime, is_1904));
        assert_eq!(day(46086.0, false), "2026-03-05");
        assert_eq!(day(44624.0, true), "2026-03-05");
        assert_eq!(day(61.0, false), "1900-03-01");
        assert_eq!(day(0.0, true), "1904-01-01");
        // A time of day, a serial before March 1900, a duration: numbers, as Excel stores them.
        assert_eq!(day(0.5, false), "0.5");
        assert_eq!(day(60.0, false), "60");
        assert_eq!(date_text(&ExcelDateTime::new(1.5, TimeDelta, false)), "1.5");
    }

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(excel_serial_date(46086.0), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(excel_serial_date(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(excel_serial_date(12.0), None);
    }
}

#[cfg(test)]
mod flat_rows {
    use super::*;
    use proptest::prelude::*;

    /// Rows as a plain model: (row number, cells).
    pub(super) fn model(rows: &Rows) -> Vec<(u64, Vec<String>)> {
        rows.iter()
            .map(|r| (r.row, r.cells.iter().map(String::from).collect()))
            .collect()
    }

    fn rows_of(model: &[(u64, Vec<String>)]) -> Rows {
        let mut rows = Rows::default();
        for (n, cells) in model {
            rows.push(*n, cells.iter().map(String::as_str)).unwrap();
        }
        rows
    }

    fn any_rows() -> impl Strategy<Value = Vec<(u64, Vec<String>)>> {
        prop::collection::vec((any::<u64>(), prop::collection::vec("\\PC{0,6}", 0..6)), 0..12)
    }

    proptest! {
        /// Rows hold exactly what was pushed: each row's number and cells, in order, and a
        /// cell past a row's end is none.
        #[test]
        fn rows_read_back_as_pushed(m in any_rows()) {
            let rows = rows_of(&m);
            prop_assert_eq!(model(&rows), m.clone());
            prop_assert_eq!(rows.len(), m.len());
            for (i, (n, cells)) in m.iter().enumerate() {
                let r = rows.get(i).unwrap();
                prop_assert_eq!(r.row, *n);
                prop_assert_eq!(r.cells.len(), cells.len());
                prop_assert_eq!(r.cells.get(cells.len()), None);
                for (j, c) in cells.iter().enumerate() {
                    prop_assert_eq!(&r.cells[j], c.as_str());
                }
            }
            prop_assert!(rows.get(m.len()).is_none());
        }

        /// Keeping rows is the plain filter: the header row first (its number, the cells
        /// given), then the rows from `from` on that are kept, each unchanged.
        #[test]
        fn keep_is_a_filter_after_the_header(
            m in any_rows().prop_filter("two rows", |m| m.len() >= 2),
            head in prop::collection::vec("\\PC{0,6}", 0..6),
            keep in prop::collection::vec(any::<bool>(), 12),
            at in 0usize..12,
        ) {
            let top = at % (m.len() - 1);
            let from = top + 1;
            let mut expected = vec![(m[top].0, head.clone())];
            for (i, row) in m.iter().enumerate().skip(from) {
                if keep[i % keep.len()] {
                    expected.push(row.clone());
                }
            }
            let mut i = from;
            let kept = rows_of(&m)
                .keep(top, &head, from, |_| {
                    i += 1;
                    keep[(i - 1) % keep.len()]
                })
                .unwrap();
            prop_assert_eq!(model(&kept), expected.clone());
            // Equality is by content, not by where the text lies.
            prop_assert_eq!(kept, rows_of(&expected));
        }
    }

    #[test]
    fn a_utf8_sheet_is_read_from_its_bytes_without_a_copy() {
        let bytes = "日期,小区\n2026-07-03,南营门里\n".as_bytes();
        assert!(matches!(decode_borrowed(bytes, None).unwrap().0, Cow::Borrowed(_)));
        let bom = b"\xEF\xBB\xBFa,b\n";
        assert!(matches!(
            decode_borrowed(bom, None).unwrap(),
            (Cow::Borrowed("a,b\n"), false)
        ));
        let (gb, _, _) = encoding_rs::GB18030.encode("小区\n");
        assert!(matches!(decode_borrowed(&gb, None).unwrap().0, Cow::Owned(_)));
    }

    #[test]
    fn quoted_cells_and_blank_lines_keep_their_rows_and_text() {
        let s = read_text(
            "a,b\r\n\r\n\" x \"\"y\"\" \",\"1\n2\"\n\n,\u{3000}\n3,4".as_bytes(),
            false,
            None,
        )
        .unwrap();
        let got: Vec<(u64, Vec<&str>)> = s.rows.iter().map(|r| (r.row, r.cells.iter().collect())).collect();
        assert_eq!(
            got,
            vec![(1, vec!["a", "b"]), (3, vec!["x \"y\"", "1\n2"]), (7, vec!["3", "4"])]
        );
    }
}

#[cfg(test)]
mod read_twice {
    use super::*;
    use proptest::prelude::*;

    use super::flat_rows::model as rows_of_sheet;

    /// Scan `bytes` (UTF-8) in pieces of `piece`, write them to a file and read it again:
    /// the rows of each reading.
    #[allow(clippy::type_complexity)]
    fn both(bytes: &[u8], tab: bool, piece: u64) -> Option<(Vec<(u64, Vec<String>)>, Vec<(u64, Vec<String>)>)> {
        let (text, utf16) = decode_borrowed(bytes, None).ok()?;
        let Cow::Borrowed(text) = text else { return None };
        if utf16 {
            return None;
        }
        let mut first = Rows::default();
        let mut plan = scan_in_pieces(bytes, text, tab, piece, &mut |r| {
            first.push(r.row, r.cells.iter()).unwrap();
        })
        .ok()?;
        plan.sha256 = crate::workspace::sha256_hex(bytes);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, bytes).unwrap();
        let mut second = Rows::default();
        plan.read(&path, &mut |r| second.push(r.row, r.cells.iter()).unwrap())
            .unwrap();
        Some((rows_of_sheet(&first), rows_of_sheet(&second)))
    }

    fn csvish() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("a".to_string()),
                Just("日期".to_string()),
                Just(",".to_string()),
                Just(";".to_string()),
                Just("\t".to_string()),
                Just("\"".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just(" ".to_string()),
                Just("\u{feff}".to_string()),
                Just("7".to_string()),
            ],
            0..80,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        /// Read in pieces, a second time from the file, a text sheet gives the very rows (and
        /// row numbers) that reading it whole gives, wherever the pieces start.
        #[test]
        fn reading_again_in_pieces_gives_the_rows_read_whole(
            text in csvish(),
            bom in any::<bool>(),
            tab in any::<bool>(),
            piece in 1u64..40,
        ) {
            let mut bytes = Vec::new();
            if bom {
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
            }
            bytes.extend_from_slice(text.as_bytes());
            let whole = read_text(&bytes, tab, None);
            match both(&bytes, tab, piece) {
                Some((first, second)) => {
                    let whole = whole.expect("a scan that reads, reads whole");
                    prop_assert_eq!(&first, &rows_of_sheet(&whole.rows));
                    prop_assert_eq!(&second, &first);
                }
                None => prop_assert!(whole.is_err()),
            }
        }
    }

    #[test]
    fn a_file_changed_between_the_readings_is_found_out() {
        let bytes = "日期,小区\n2026-07-03,南营门里\n2026-07-04,南营门里\n".as_bytes();
        let mut plan = scan_in_pieces(bytes, std::str::from_utf8(bytes).unwrap(), false, 8, &mut |_| {}).unwrap();
        plan.sha256 = crate::workspace::sha256_hex(bytes);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        // The same length, one digit changed; longer; shorter; gone.
        for changed in [
            "日期,小区\n2026-07-03,南营门里\n2026-07-05,南营门里\n".to_string(),
            format!("{}x\n", std::str::from_utf8(bytes).unwrap()),
            "日期,小区\n".to_string(),
        ] {
            std::fs::write(&path, changed).unwrap();
            assert_eq!(plan.read(&path, &mut |_| {}), Err(Changed));
        }
        std::fs::write(&path, bytes).unwrap();
        let mut n = 0;
        assert_eq!(plan.read(&path, &mut |_| n += 1), Ok(()));
        assert_eq!(n, 3);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(plan.read(&path, &mut |_| {}), Err(Changed));
    }
}

#[cfg(test)]
mod never_panic {
    use proptest::prelude::*;

    proptest! {
        /// Any bytes: decoded and split into rows, or refused with a located error.
        #[test]
        fn any_bytes_read_or_refuse(bytes in prop::collection::vec(any::<u8>(), 0..2048), tsv in any::<bool>()) {
            let _ = super::read_text(&bytes, tsv, None);
            let _ = super::read_text(&bytes, tsv, Some(super::Encoding::Gb18030));
        }

        /// Any text as a standards file: parsed or refused, with no panic.
        #[test]
        fn any_text_as_standards(text in "\\PC{0,400}") {
            let _ = crate::workspace::parse_standards(&text, None);
            let _ = toml::from_str::<crate::model::funds::Funds>(&text);
        }
    }
}
