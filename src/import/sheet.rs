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

/// The row (1-based line) of the byte at `offset`.
fn row_of(bytes: &[u8], offset: usize) -> u64 {
    let offset = offset.min(bytes.len());
    LineBreaks::default()
        .after(&bytes[..offset])
        .row_of_next(bytes.get(offset) == Some(&b'\n'))
}

/// Line breaks as an editor counts them, whatever system saved the sheet: a line ends at
/// `\n`, at `\r\n` (one break) and at a `\r` not followed by `\n` (old Excel for Mac's "CSV
/// (Macintosh)", some WPS exports), mixed in one file or not. Text is counted a piece at a
/// time: a `\r` is counted where it stands, and a `\n` right after one (in the same piece or at
/// the start of the next) is not counted again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct LineBreaks {
    /// The breaks counted.
    count: u64,
    /// Whether the last unit counted was a `\r`.
    after_cr: bool,
}

impl LineBreaks {
    /// These breaks and those `bytes` (UTF-8, or GB18030 undecoded: neither byte is ever part
    /// of one of its characters) end.
    fn after(self, bytes: &[u8]) -> LineBreaks {
        self.after_units(bytes.iter().copied(), [b'\r', b'\n'])
    }

    /// These breaks and those `units` end, `cr` and `lf` being the units `[\r, \n]` (bytes, or
    /// UTF-16 code units).
    fn after_units<T: PartialEq>(mut self, units: impl IntoIterator<Item = T>, [cr, lf]: [T; 2]) -> LineBreaks {
        for unit in units {
            let is_cr = unit == cr;
            self.count += u64::from(is_cr || (unit == lf && !self.after_cr));
            self.after_cr = is_cr;
        }
        self
    }

    /// The row of the unit after those counted (`next_is_lf`: it is a `\n`): 1 + the breaks
    /// before it, where the `\n` of a `\r\n` is on the line it ends.
    fn row_of_next(self, next_is_lf: bool) -> u64 {
        1 + self.count - u64::from(self.after_cr && next_is_lf)
    }
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
    if let Some((body, le)) = utf16_body(bytes) {
        return decode_utf16(body, le).map(|t| (Cow::Owned(t), true));
    }
    decode_8bit(bytes, forced).map(|t| (t, false))
}

/// UTF-16 text, told by its BOM (which wins over `--encoding`): its bytes after the BOM, and
/// whether they are little-endian; `None` for text without one.
pub fn utf16_body(bytes: &[u8]) -> Option<(&[u8], bool)> {
    match bytes.strip_prefix(b"\xFF\xFE") {
        Some(body) => Some((body, true)),
        None => bytes.strip_prefix(b"\xFE\xFF").map(|body| (body, false)),
    }
}

/// UTF-16 after its BOM, little- or big-endian; an unpaired surrogate or an odd last byte is
/// an error on its row.
fn decode_utf16(body: &[u8], le: bool) -> Result<String, SheetError> {
    let encoding = if le {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let decoder = encoding.new_decoder_without_bom_handling();
    match decode_whole(decoder, body) {
        Ok(out) => Ok(out),
        Err(Undecoded::NoRoom) => Err(err(None, "解码中断")),
        Err(Undecoded::Malformed { bad, read }) => {
            let at = read.saturating_sub(bad as usize);
            let unit = |u: &[u8]| {
                let pair = [u[0], u[1]];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            };
            let before = (at / 2).min(body.len() / 2);
            let units = body.chunks_exact(2).map(unit);
            let next = units.clone().nth(before);
            let row = LineBreaks::default()
                .after_units(units.take(before), [u16::from(b'\r'), u16::from(b'\n')])
                .row_of_next(next == Some(u16::from(b'\n')));
            Err(err(
                Some(row),
                "不是有效的 UTF-16 文本：文件已损坏（请在 Excel 中重新另存）",
            ))
        }
    }
}

/// All of `body` decoded into one string, room for the longest text it can give reserved
/// first (a UTF-16 CJK character takes two bytes and gives three; GB18030's one-byte € gives
/// three); or why not.
fn decode_whole(mut decoder: encoding_rs::Decoder, body: &[u8]) -> Result<String, Undecoded> {
    let room = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .ok_or(Undecoded::NoRoom)?;
    let mut out = String::new();
    // Reserved, not touched: a page counts once written to.
    out.try_reserve_exact(room).map_err(|_| Undecoded::NoRoom)?;
    match decoder.decode_to_string_without_replacement(body, &mut out, true) {
        (encoding_rs::DecoderResult::InputEmpty, _) => Ok(out),
        (encoding_rs::DecoderResult::Malformed(bad, _), read) => Err(Undecoded::Malformed { bad, read }),
        // Not with the decoder's own bound reserved.
        (encoding_rs::DecoderResult::OutputFull, _) => Err(Undecoded::NoRoom),
    }
}

/// Why [`decode_whole`] gave no text.
enum Undecoded {
    /// A malformed sequence of `bad` bytes ends at byte `read`.
    Malformed { bad: u8, read: usize },
    /// No memory for the text.
    NoRoom,
}

/// UTF-8 (a BOM is dropped) or GB18030, detected unless `forced`.
fn decode_8bit<'b>(bytes: &'b [u8], forced: Option<Encoding>) -> Result<Cow<'b, str>, SheetError> {
    match text_8bit(bytes, forced)? {
        Text8::Utf8(text) => Ok(Cow::Borrowed(text)),
        Text8::Gb18030(body) => {
            // `text_8bit` checked the body as this decoding would have read it.
            decode_whole(encoding_rs::GB18030.new_decoder_without_bom_handling(), body)
                .map(Cow::Owned)
                .map_err(|_| err(None, "解码中断"))
        }
    }
}

/// An 8-bit text file's text, known good: UTF-8 (borrowed, after any BOM), or the body of a
/// GB18030 file (after any UTF-8 BOM), every byte of it checked to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text8<'b> {
    /// UTF-8 text.
    Utf8(&'b str),
    /// GB18030 bytes that decode without error.
    Gb18030(&'b [u8]),
}

/// Which encoding an 8-bit text file is read in (UTF-8, a BOM dropped, or GB18030; detected
/// unless `forced`), its bytes checked but not decoded: the rule of [`decode`] for a file
/// without a UTF-16 BOM, and its errors.
pub fn text_8bit(bytes: &[u8], forced: Option<Encoding>) -> Result<Text8<'_>, SheetError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let utf8 = |body| -> Result<Text8<'_>, SheetError> {
        std::str::from_utf8(body).map(Text8::Utf8).map_err(|e| {
            err(
                Some(row_of(body, e.valid_up_to())),
                "不是有效的 UTF-8 文本（是否按 GB18030 保存？可加 --encoding gb18030）",
            )
        })
    };
    let gb = |body| check_gb18030(body).map(|()| Text8::Gb18030(body));
    match forced {
        Some(Encoding::Utf8) => utf8(body),
        Some(Encoding::Gb18030) => gb(body),
        None if bom => utf8(body),
        None => match std::str::from_utf8(body) {
            Ok(s) => Ok(Text8::Utf8(s)),
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

/// Whether `body` decodes as GB18030, checked a piece at a time (a decoded copy of a sheet
/// would be half as large again as its bytes): if not, the malformed byte on its row.
fn check_gb18030(body: &[u8]) -> Result<(), SheetError> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut scratch = vec![0u8; 1 << 16];
    let mut read = 0;
    loop {
        let (result, n, _) = decoder.decode_to_utf8_without_replacement(&body[read..], &mut scratch, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(()),
            encoding_rs::DecoderResult::Malformed(bad, _) => {
                return Err(err(
                    Some(row_of(body, read.saturating_sub(bad as usize))),
                    "既不是 UTF-8 也不是 GB18030 编码：文件已损坏或为其他编码（请在 Excel 中另存为“CSV UTF-8”）",
                ))
            }
            // The scratch is full: decode on into it again.
            encoding_rs::DecoderResult::OutputFull => {}
        }
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
    let delimiter = delimiter_of(text.as_bytes(), tab);
    records(Whole::new(text), delimiter, LineBreaks::default(), &mut |at, rec| {
        rows.push(at.row, rec.iter().map(str::trim))
            .map_err(|e| e.error(Some(at.row)))
    })?;
    Ok(Sheet { rows })
}

/// The delimiter of delimited text: tab when `tab` says so (`.tsv`, UTF-16 "Unicode text"),
/// else whichever of comma, tab and semicolon the first line holds most of (the line ending as
/// [`LineBreaks`] says, at `\n` or `\r`). `text` is UTF-8, or GB18030 not yet decoded: a line
/// feed, a carriage return, a comma, a tab or a semicolon is never a byte of a GB18030
/// character (after its first byte, 0x81 or above, come bytes 0x30–0x39 or 0x40 and above), so
/// they are counted the same in its bytes as in its text.
fn delimiter_of(text: &[u8], tab: bool) -> u8 {
    let first = text.split(|&b| b == b'\n' || b == b'\r').next().unwrap_or_default();
    if tab {
        b'\t'
    } else {
        [b',', b'\t', b';']
            .into_iter()
            .max_by_key(|d| (first.iter().filter(|b| *b == d).count(), *d == b','))
            .unwrap_or(b',')
    }
}

/// Where [`records`] found a record.
struct Spot<'h> {
    /// The line a person sees it start on.
    row: u64,
    /// The byte offset the csv reader gives it.
    byte: u64,
    /// The line breaks before that offset.
    lines: LineBreaks,
    /// The text from that offset on, as far as it has been read.
    ahead: &'h [u8],
}

/// Each record of delimited text that is not blank, to `each` with where it is ([`Spot`]), its
/// rows counted on from the line breaks `before` the text; the text, read to its end, is given
/// back.
fn records<R: Held>(
    text: R,
    delimiter: u8,
    before: LineBreaks,
    each: &mut dyn FnMut(Spot<'_>, &csv::StringRecord) -> Result<(), SheetError>,
) -> Result<R, SheetError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    // The csv crate's line numbers skip blank lines and miscount CRLF ones; a row is counted
    // here from its byte offset, so an error names the line a person sees in an editor.
    let mut lines = LineCounter::new(before);
    // One record, reused.
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map(|p| lines.line_at(rdr.get_ref().held(), p.byte()));
                return Err(err(row, format!("无法读取的 CSV：{e}")));
            }
        }
        let at = rec.position().map_or(0, |p| p.byte());
        let row = rec
            .position()
            .map_or(0, |p| lines.line_at(rdr.get_ref().held(), p.byte()));
        rdr.get_mut().forget(lines.offset);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let (held, base) = rdr.get_ref().held();
        let from = usize::try_from(at.saturating_sub(base)).unwrap_or(usize::MAX);
        let spot = Spot {
            row,
            byte: at,
            lines: lines.breaks,
            ahead: held.get(from..).unwrap_or_default(),
        };
        each(spot, &rec)?;
    }
    Ok(rdr.into_inner())
}

/// Text that [`records`] reads, and as much of it as is still held, to count lines in.
trait Held: std::io::Read {
    /// The text held, and the offset of its first byte in the whole text.
    fn held(&self) -> (&[u8], u64);
    /// The text before offset `before` will not be asked for again.
    fn forget(&mut self, before: u64);
}

/// Text in memory, all of it held.
struct Whole<'t> {
    text: &'t [u8],
    /// How much of it has been read.
    read: usize,
}

impl<'t> Whole<'t> {
    fn new(text: &'t str) -> Whole<'t> {
        Whole {
            text: text.as_bytes(),
            read: 0,
        }
    }
}

impl std::io::Read for Whole<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = self.text.get(self.read..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.read += n;
        Ok(n)
    }
}

impl Held for Whole<'_> {
    fn held(&self) -> (&[u8], u64) {
        (self.text, 0)
    }

    fn forget(&mut self, _: u64) {}
}

/// How many bytes of GB18030 are decoded at a time.
const GB_STEP: usize = 1 << 16;

/// GB18030 bytes that decode without error ([`Text8::Gb18030`]) decoded as they are read, the
/// text held only from where lines were last counted: a sheet is never decoded whole (its
/// text would be half as large again as its bytes, held beside them).
struct GbRead<'b> {
    /// The bytes not yet decoded.
    rest: &'b [u8],
    decoder: encoding_rs::Decoder,
    /// Whether every byte is decoded.
    done: bool,
    /// The text decoded, from offset `base` on.
    text: Vec<u8>,
    base: u64,
    /// How much of `text` has been read.
    given: usize,
}

impl<'b> GbRead<'b> {
    fn new(body: &'b [u8]) -> GbRead<'b> {
        GbRead {
            rest: body,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            done: false,
            text: Vec::new(),
            base: 0,
            given: 0,
        }
    }

    /// Decode the next bytes onto the text; false once every byte is decoded.
    fn decode_more(&mut self) -> std::io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        let take = self.rest.len().min(GB_STEP);
        let last = take == self.rest.len();
        let (read, result) = decode_onto(&mut self.decoder, &self.rest[..take], &mut self.text, last);
        self.rest = &self.rest[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => {
                self.done = last;
                Ok(true)
            }
            // Neither can happen: the bytes were checked, and room made for the most text
            // they can decode to.
            _ => Err(std::io::Error::from(std::io::ErrorKind::InvalidData)),
        }
    }

    /// The length of the whole text, once it is all read.
    fn len(&self) -> u64 {
        self.base + self.text.len() as u64
    }
}

/// Decode `bytes` onto the end of `text` (room is made for the most they can decode to): how
/// many bytes were read, and how it ended.
fn decode_onto(
    decoder: &mut encoding_rs::Decoder,
    bytes: &[u8],
    text: &mut Vec<u8>,
    last: bool,
) -> (usize, encoding_rs::DecoderResult) {
    let Some(room) = decoder.max_utf8_buffer_length_without_replacement(bytes.len()) else {
        return (0, encoding_rs::DecoderResult::OutputFull);
    };
    let old = text.len();
    text.resize(old + room, 0);
    let (result, read, written) = decoder.decode_to_utf8_without_replacement(bytes, &mut text[old..], last);
    text.truncate(old + written);
    (read, result)
}

impl std::io::Read for GbRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // The buffer is filled as far as the text goes: the csv reader drops a BOM only if
        // its first read holds all three of its bytes.
        let mut n = 0;
        while n < buf.len() {
            if self.given == self.text.len() && !self.decode_more()? {
                break;
            }
            let k = (self.text.len() - self.given).min(buf.len() - n);
            buf[n..n + k].copy_from_slice(&self.text[self.given..self.given + k]);
            self.given += k;
            n += k;
        }
        Ok(n)
    }
}

impl Held for GbRead<'_> {
    fn held(&self) -> (&[u8], u64) {
        (&self.text, self.base)
    }

    fn forget(&mut self, before: u64) {
        let gone = usize::try_from(before.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.given);
        // Moved down only once it is half the text held, so each byte is moved about once.
        if gone >= GB_STEP && gone * 2 >= self.text.len() {
            self.text.drain(..gone);
            self.base += gone as u64;
            self.given -= gone;
        }
    }
}

/// The first character of an 8-bit text file's text that `skip` does not pass over (`None`:
/// it passes over them all), GB18030 decoded only as far as that.
pub fn first_char_after(text: Text8<'_>, skip: impl Fn(char) -> bool) -> Option<char> {
    match text {
        Text8::Utf8(t) => t.chars().find(|&c| !skip(c)),
        Text8::Gb18030(body) => {
            let mut gb = GbRead::new(body);
            while gb.decode_more().ok()? {
                // The decoder writes whole characters.
                let found = std::str::from_utf8(&gb.text).ok()?.chars().find(|&c| !skip(c));
                if found.is_some() {
                    return found;
                }
                gb.text.clear();
            }
            None
        }
    }
}

/// A delimited text file read once, to be read again row by row ([`TextPlan::read`]) instead
/// of holding its rows: a million-row sheet's rows are twice its bytes. Its text is UTF-8, or
/// GB18030 decoded a piece at a time in both readings. The first reading checks everything a
/// reading can refuse (the encoding, the quoting, the size), so the second can only fail if
/// the file changed in between (or cannot be read again); it is read in pieces of about a
/// mebibyte of text, each starting at a record, and its SHA-256 must be the first reading's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPlan {
    delimiter: u8,
    /// The text's encoding: UTF-8, or GB18030.
    encoding: Encoding,
    /// How many bytes precede the text (a UTF-8 BOM).
    start: u64,
    /// The text's length in bytes (decoded, in UTF-8).
    len: u64,
    /// Where each piece starts in the text (decoded), and the line breaks before it.
    pieces: Vec<(u64, LineBreaks)>,
    /// The file's SHA-256, as the first reading found it.
    pub sha256: String,
}

/// The size a piece of a [`TextPlan`] reaches before the next record starts a new one.
const PIECE: u64 = 1 << 20;

/// Why a second reading of a file ([`TextPlan::read`]) did not give what the first did.
#[derive(Debug)]
pub enum Changed {
    /// The file changed in between: its bytes, or its SHA-256, are not those first read.
    Content,
    /// It could not be read again (removed, its permission taken away, a disk error).
    Io(std::io::Error),
}

/// Read a delimited file's `text` (in `bytes`, after any BOM; `tab` forces the tab delimiter)
/// once, giving each row that is not blank to `each` (its cells trimmed), and plan reading it
/// again ([`TextPlan`], its SHA-256 to be set by the caller, who has it). Refused as
/// [`parse_delimited`] refuses: unreadable CSV, or more than 4 GiB of cell text.
pub fn scan_delimited(
    bytes: &[u8],
    text: Text8<'_>,
    tab: bool,
    each: &mut dyn FnMut(SheetRow<'_>),
) -> Result<TextPlan, SheetError> {
    scan_in_pieces(bytes, text, tab, PIECE, each)
}

/// [`scan_delimited`], the pieces reaching `piece` bytes.
fn scan_in_pieces(
    bytes: &[u8],
    text: Text8<'_>,
    tab: bool,
    piece_size: u64,
    each: &mut dyn FnMut(SheetRow<'_>),
) -> Result<TextPlan, SheetError> {
    let body = match text {
        Text8::Utf8(t) => t.as_bytes(),
        Text8::Gb18030(b) => b,
    };
    let delimiter = delimiter_of(body, tab);
    let start = (body.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize) as u64;
    let mut pieces = vec![(0u64, LineBreaks::default())];
    // The cell text and cells a grid of these rows would hold, which may not pass 4 GiB.
    let (mut held, mut cells) = (0u64, 1u64);
    let mut one = Rows::default();
    let mut record = |at: Spot<'_>, rec: &csv::StringRecord| {
        for c in rec.iter() {
            held += c.trim().len() as u64;
            cells += 1;
            if held > u64::from(u32::MAX) || cells > u64::from(u32::MAX) + 1 {
                return Err(TooLarge.error(Some(at.row)));
            }
        }
        let piece = pieces.last().map_or(0, |p| p.0);
        // A fresh reader drops a BOM at its start: a piece may not start with one.
        if at.byte - piece >= piece_size && !at.ahead.starts_with(b"\xEF\xBB\xBF") {
            pieces.push((at.byte, at.lines));
        }
        one.hand(at.row, rec, each).map_err(|e| e.error(Some(at.row)))
    };
    let (encoding, len) = match text {
        Text8::Utf8(t) => {
            records(Whole::new(t), delimiter, LineBreaks::default(), &mut record)?;
            (Encoding::Utf8, t.len() as u64)
        }
        Text8::Gb18030(b) => (
            Encoding::Gb18030,
            records(GbRead::new(b), delimiter, LineBreaks::default(), &mut record)?.len(),
        ),
    };
    Ok(TextPlan {
        delimiter,
        encoding,
        start,
        len,
        pieces,
        sha256: String::new(),
    })
}

impl TextPlan {
    /// Read the file at `path` again, giving each row that is not blank to `each` as the first
    /// reading did; [`Changed`] if its bytes are not those first read, or it cannot be read.
    pub fn read(&self, path: &Path, each: &mut dyn FnMut(SheetRow<'_>)) -> Result<(), Changed> {
        use sha2::Digest;
        let mut file = std::fs::File::open(path).map_err(Changed::Io)?;
        let mut sha = sha2::Sha256::new();
        let mut buf = vec![0u8; usize::try_from(self.start).map_err(|_| Changed::Content)?];
        fill(&mut file, &mut buf)?;
        sha.update(&buf);
        match self.encoding {
            Encoding::Utf8 => self.read_utf8(&mut file, &mut sha, each)?,
            Encoding::Gb18030 => self.read_gb18030(&mut file, &mut sha, each)?,
        }
        let sha = crate::workspace::provenance::hex(&sha.finalize());
        if sha != self.sha256 {
            return Err(Changed::Content);
        }
        Ok(())
    }

    /// The UTF-8 text, read a piece at a time.
    fn read_utf8(
        &self,
        file: &mut std::fs::File,
        sha: &mut sha2::Sha256,
        each: &mut dyn FnMut(SheetRow<'_>),
    ) -> Result<(), Changed> {
        use sha2::Digest;
        let mut one = Rows::default();
        let mut buf = Vec::new();
        for (k, &(at, lines)) in self.pieces.iter().enumerate() {
            let end = self.pieces.get(k + 1).map_or(self.len, |p| p.0);
            let len = usize::try_from(end.checked_sub(at).ok_or(Changed::Content)?).map_err(|_| Changed::Content)?;
            buf.clear();
            buf.resize(len, 0);
            fill(file, &mut buf)?;
            sha.update(&buf);
            let text = std::str::from_utf8(&buf).map_err(|_| Changed::Content)?;
            self.piece(text, lines, &mut one, each)?;
        }
        // Nothing may follow what was read first.
        if read_some(file, &mut [0u8; 1])? != 0 {
            return Err(Changed::Content);
        }
        Ok(())
    }

    /// The GB18030 text, decoded as it is read, each piece read once it is decoded whole.
    fn read_gb18030(
        &self,
        file: &mut std::fs::File,
        sha: &mut sha2::Sha256,
        each: &mut dyn FnMut(SheetRow<'_>),
    ) -> Result<(), Changed> {
        use sha2::Digest;
        let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
        let mut one = Rows::default();
        let mut raw = vec![0u8; GB_STEP];
        // The text decoded and not yet read: it starts where the next piece does.
        let mut text = Vec::new();
        let mut next = 0;
        let mut done = false;
        loop {
            while let Some(&(at, lines)) = self.pieces.get(next) {
                let end = self.pieces.get(next + 1).map_or(self.len, |p| p.0);
                let len =
                    usize::try_from(end.checked_sub(at).ok_or(Changed::Content)?).map_err(|_| Changed::Content)?;
                if text.len() < len {
                    break;
                }
                let piece = std::str::from_utf8(&text[..len]).map_err(|_| Changed::Content)?;
                self.piece(piece, lines, &mut one, each)?;
                text.drain(..len);
                next += 1;
            }
            if done {
                break;
            }
            let n = read_some(file, &mut raw)?;
            sha.update(&raw[..n]);
            done = n == 0;
            match decode_onto(&mut decoder, &raw[..n], &mut text, done) {
                (read, encoding_rs::DecoderResult::InputEmpty) if read == n => {}
                _ => return Err(Changed::Content),
            }
        }
        // Every piece read, and nothing after: the text is the one first read.
        if next < self.pieces.len() || !text.is_empty() {
            return Err(Changed::Content);
        }
        Ok(())
    }

    /// The rows of one piece of the text, numbered after the line breaks `before` it.
    fn piece(
        &self,
        text: &str,
        before: LineBreaks,
        one: &mut Rows,
        each: &mut dyn FnMut(SheetRow<'_>),
    ) -> Result<(), Changed> {
        records(Whole::new(text), self.delimiter, before, &mut |at, rec| {
            one.hand(at.row, rec, each).map_err(|e| e.error(None))
        })
        .map(drop)
        .map_err(|_| Changed::Content)
    }
}

/// Fill `buf` from `file`: a file that ends first has changed.
fn fill(file: &mut std::fs::File, buf: &mut [u8]) -> Result<(), Changed> {
    use std::io::Read;
    file.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Changed::Content,
        _ => Changed::Io(e),
    })
}

/// Read what comes next of `file` into `buf`: how many bytes (0 at its end).
fn read_some(file: &mut std::fs::File, buf: &mut [u8]) -> Result<usize, Changed> {
    use std::io::Read;
    loop {
        match file.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Changed::Io(e)),
        }
    }
}

/// Line breaks ([`LineBreaks`]) counted up to a byte offset, resumed from the last offset asked
/// (the csv reader's offsets only grow).
struct LineCounter {
    /// The last offset asked.
    offset: u64,
    /// The line breaks before it.
    breaks: LineBreaks,
}

impl LineCounter {
    /// Counting from the start of a text that `start` line breaks come before.
    fn new(start: LineBreaks) -> LineCounter {
        LineCounter {
            offset: 0,
            breaks: start,
        }
    }

    /// The row of a record the csv reader puts at `offset`, in text held from `base` on (`base`
    /// is at most the last offset asked): 1 + the line breaks before its first byte.
    fn line_at(&mut self, (held, base): (&[u8], u64), offset: u64) -> u64 {
        let index = |o: u64| {
            usize::try_from(o.saturating_sub(base))
                .unwrap_or(usize::MAX)
                .min(held.len())
        };
        // The csv reader's offsets only grow.
        let (from, to) = (index(self.offset), index(offset));
        debug_assert!(from <= to, "a record before the one read before it");
        self.breaks = self.breaks.after(&held[from.min(to)..to]);
        self.offset = base + to as u64;
        // A record's position may be the end of the one before it (before its line ending or
        // the blank lines passed over, or between the `\r` and `\n` of one); a record never
        // starts with a line ending.
        let mut first = to;
        while matches!(held.get(first), Some(b'\r' | b'\n')) {
            first += 1;
        }
        self.breaks.after(&held[to..first]).count + 1
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

    /// The line endings an office's sheets come with: LF, CRLF, CR alone ("CSV (Macintosh)").
    const ENDINGS: [&str; 3] = ["\n", "\r\n", "\r"];

    #[test]
    fn bad_bytes_are_located_on_their_line_whatever_its_endings() {
        for end in ENDINGS {
            let lines = |last: &[u8]| [b"a,b".as_slice(), b"ok,ok", last, b""].join(end.as_bytes());
            // Neither UTF-8 nor GB18030; UTF-8 (its BOM says so); GB18030, forced.
            assert_eq!(
                decode(&lines(b"\x81\x20bad"), None).unwrap_err().row,
                Some(3),
                "{end:?}"
            );
            let bom = [b"\xEF\xBB\xBF".as_slice(), &lines(b"x\xFF")].concat();
            assert_eq!(decode(&bom, None).unwrap_err().row, Some(3), "{end:?}");
            let forced = decode(&lines(b"\x81\x20bad"), Some(Encoding::Gb18030));
            assert_eq!(forced.unwrap_err().row, Some(3), "{end:?}");
            // UTF-16, little- and big-endian, with an unpaired surrogate on line 3.
            let text: Vec<u16> = format!("a\tb{end}ok\tok{end}x")
                .encode_utf16()
                .chain([0xD800, u16::from(b'y')])
                .collect();
            let le: Vec<u8> = [0xFF, 0xFE]
                .into_iter()
                .chain(text.iter().flat_map(|u| u.to_le_bytes()))
                .collect();
            let be: Vec<u8> = [0xFE, 0xFF]
                .into_iter()
                .chain(text.iter().flat_map(|u| u.to_be_bytes()))
                .collect();
            assert_eq!(decode(&le, None).unwrap_err().row, Some(3), "{end:?}");
            assert_eq!(decode(&be, None).unwrap_err().row, Some(3), "{end:?}");
        }
    }

    #[test]
    fn a_byte_is_on_the_line_an_editor_shows_it_on() {
        // The LF of a CRLF ends the line its CR does; a lone CR ends one.
        let rows: Vec<u64> = (0..=7).map(|at| row_of(b"a\r\nb\rc\nd", at)).collect();
        assert_eq!(rows, [1, 1, 1, 2, 2, 3, 3, 4]);
    }

    #[test]
    fn rows_are_numbered_alike_whatever_the_line_endings() {
        let lines = [
            "日期,小区,备注",
            "",
            "2026-07-03,南营门里,\"楼道<>堆物\"",
            "2026-07-04,福明里,",
            "",
            "合计,,",
        ];
        let rows = |text: String| -> Vec<(u64, Vec<String>)> {
            let sheet = read_text(text.as_bytes(), false, None).unwrap();
            sheet
                .rows
                .iter()
                .map(|r| (r.row, r.cells.iter().map(String::from).collect()))
                .collect()
        };
        let note = |end: &str| format!("楼道{end}堆物");
        for end in ENDINGS {
            let text = lines.map(|l| l.replace("<>", end)).join(end);
            assert_eq!(
                rows(text),
                [
                    (1, vec!["日期".into(), "小区".into(), "备注".into()]),
                    (3, vec!["2026-07-03".into(), "南营门里".into(), note(end)]),
                    (5, vec!["2026-07-04".into(), "福明里".into(), String::new()]),
                    (7, vec!["合计".into(), String::new(), String::new()]),
                ],
                "{end:?}"
            );
        }
        // Mixed in one file, each line's ending its own.
        let mixed = "日期,小区\r\n\r2026-07-03,南营门里\n\r\n2026-07-04,\"福\r明里\"\r\r\n合计,";
        let numbers: Vec<u64> = rows(mixed.into()).iter().map(|r| r.0).collect();
        assert_eq!(numbers, [1, 3, 5, 8]);
    }

    #[test]
    fn a_cr_sheets_delimiter_is_counted_on_its_first_line() {
        // Commas in the notes below outnumber the header's semicolons: the first line ends at
        // the first CR.
        let text = "日期;小区;备注\r2026-07-03;南营门里;\"东,西,南,北,中\"\r2026-07-04;福明里;\"a,b,c,d,e\"\r";
        let sheet = read_text(text.as_bytes(), false, None).unwrap();
        let row = sheet.rows.get(1).unwrap();
        assert_eq!(row.row, 2);
        assert_eq!(row.cells, vec!["2026-07-03", "南营门里", "东,西,南,北,中"]);
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

    type Model = Vec<(u64, Vec<String>)>;

    /// Scan `bytes` (UTF-8 or GB18030, as `forced` or detected) in pieces of `piece`, write
    /// them to a file and read it again: the plan and the rows of each reading (`None`: the
    /// scan refused them, or they are UTF-16).
    fn both(bytes: &[u8], forced: Option<Encoding>, tab: bool, piece: u64) -> Option<(TextPlan, Model, Model)> {
        if utf16_body(bytes).is_some() {
            return None;
        }
        let text = text_8bit(bytes, forced).ok()?;
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
        Some((plan, rows_of_sheet(&first), rows_of_sheet(&second)))
    }

    /// The three readings of `bytes` agree: the scan in pieces, the second reading, and the
    /// whole decoding split into rows.
    fn agree(bytes: &[u8], forced: Option<Encoding>, tab: bool, piece: u64) -> Result<(), TestCaseError> {
        if utf16_body(bytes).is_some() {
            // UTF-16 is read whole, as a grid.
            return Ok(());
        }
        let whole = read_text(bytes, tab, forced);
        match both(bytes, forced, tab, piece) {
            Some((_, first, second)) => {
                let whole = whole.expect("a scan that reads, reads whole");
                prop_assert_eq!(&first, &rows_of_sheet(&whole.rows));
                prop_assert_eq!(&second, &first);
            }
            None => prop_assert!(whole.is_err()),
        }
        Ok(())
    }

    /// Text of up to 80 pieces, each one of `tokens`.
    fn text_of(tokens: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(tokens), 0..80).prop_map(|v| v.concat())
    }

    fn csvish() -> impl Strategy<Value = String> {
        text_of(&[
            "a", "日期", ",", ";", "\t", "\"", "\n", "\r\n", "\r", " ", "\u{feff}", "7",
        ])
    }

    /// Text as GB18030 sheets hold it: Chinese in every cell, characters GB18030 writes in
    /// four bytes (an emoji, CJK extension B, the BOM character), the euro sign (one byte,
    /// 0x80), quotes and every line ending.
    fn gbish() -> impl Strategy<Value = String> {
        text_of(&[
            "南营门里",
            "日期",
            "😀",
            "𠀀𪚥",
            "\u{feff}",
            "€",
            "ÿ",
            ",",
            ";",
            "\t",
            "\"",
            "\n",
            "\r\n",
            "\r",
            " ",
            "7",
        ])
    }

    /// The row an editor shows the character after `before` on: every line ending made `\n`,
    /// 1 + the line feeds.
    fn editor_row(before: &str) -> u64 {
        1 + before.replace("\r\n", "\n").replace('\r', "\n").matches('\n').count() as u64
    }

    fn gb18030(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
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
            agree(&bytes, None, tab, piece)?;
        }

        /// So does a GB18030 sheet, decoded a piece at a time in both readings: detected, or
        /// forced (after a UTF-8 BOM, which forcing passes over).
        #[test]
        fn a_gb18030_sheet_read_in_pieces_gives_the_rows_read_whole(
            text in gbish(),
            bom in any::<bool>(),
            tab in any::<bool>(),
            piece in 1u64..40,
        ) {
            let mut bytes = Vec::new();
            if bom {
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
            }
            bytes.extend(gb18030(&text));
            agree(&bytes, Some(Encoding::Gb18030), tab, piece)?;
            if !bom {
                agree(&bytes, None, tab, piece)?;
                if let Some((plan, ..)) = both(&bytes, None, tab, piece) {
                    // Chinese text is not UTF-8: read as GB18030 (pure ASCII is UTF-8).
                    let gb = std::str::from_utf8(&bytes).is_err();
                    prop_assert_eq!(plan.encoding == Encoding::Gb18030, gb);
                }
            }
        }

        /// Decoded as it is read, GB18030 gives each record where, and as, its decoded text
        /// read whole does; and a record's row is 1 + the line breaks before its first byte
        /// (`\n`, `\r\n` and a lone `\r` each one, as an editor shows them).
        #[test]
        fn gb18030_decoded_as_read_finds_the_records_of_its_text(text in gbish(), tab in any::<bool>()) {
            let bytes = gb18030(&text);
            let delimiter = delimiter_of(&bytes, tab);
            prop_assert_eq!(delimiter, delimiter_of(text.as_bytes(), tab));
            let mut whole = Vec::new();
            records(Whole::new(&text), delimiter, LineBreaks::default(), &mut |at, rec| {
                whole.push((at.row, at.byte, at.lines, at.ahead.starts_with(b"\xEF\xBB\xBF"), rec.clone()));
                Ok(())
            })
            .unwrap();
            let mut streamed = Vec::new();
            let gb = records(GbRead::new(&bytes), delimiter, LineBreaks::default(), &mut |at, rec| {
                streamed.push((at.row, at.byte, at.lines, at.ahead.starts_with(b"\xEF\xBB\xBF"), rec.clone()));
                Ok(())
            })
            .unwrap();
            prop_assert_eq!(gb.len(), text.len() as u64);
            prop_assert_eq!(&streamed, &whole);
            for (row, byte, lines, ..) in &whole {
                let mut first = (*byte as usize).min(text.len());
                prop_assert_eq!(*lines, LineBreaks::default().after(&text.as_bytes()[..first]));
                while matches!(text.as_bytes().get(first), Some(b'\r' | b'\n')) {
                    first += 1;
                }
                prop_assert_eq!(*row, row_of(text.as_bytes(), first));
                prop_assert_eq!(*row, editor_row(&text[..first]));
            }
        }
    }

    /// Text with line feeds only: a line's end, or a break in a quoted cell.
    fn lf_csvish() -> impl Strategy<Value = String> {
        text_of(&["a", "日期", "😀", ",", ";", "\t", "\"", "\n", " ", "\u{feff}", "7"])
    }

    /// `text` with each line feed made the ending `endings` gives it in turn (0: LF, 1: CRLF,
    /// 2: CR alone), an LF never put right after a lone CR (together they would be one CRLF,
    /// one break where `text` has two).
    fn with_endings(text: &str, endings: &[usize]) -> String {
        let mut out = String::new();
        for (k, line) in text.split('\n').enumerate() {
            if k > 0 {
                let mut end = ["\n", "\r\n", "\r"][endings[(k - 1) % endings.len()] % 3];
                if out.ends_with('\r') && end == "\n" {
                    end = "\r\n";
                }
                out += end;
            }
            out += line;
        }
        out
    }

    /// Rows, each line break in their cells made a line feed.
    fn breaks_as_lf(rows: Model) -> Model {
        rows.into_iter()
            .map(|(n, cells)| {
                let cells = cells.iter().map(|c| c.replace("\r\n", "\n").replace('\r', "\n"));
                (n, cells.collect())
            })
            .collect()
    }

    proptest! {
        /// Whatever line endings a sheet's lines have (LF, CRLF, CR alone, mixed in one file),
        /// its rows are on the lines they are on with line feeds, with the same cells (their
        /// line breaks aside); and read in pieces, as UTF-8 or GB18030, as read whole.
        #[test]
        fn line_endings_do_not_move_rows(
            text in lf_csvish(),
            endings in prop::collection::vec(0usize..3, 1..8),
            tab in any::<bool>(),
            piece in 1u64..40,
        ) {
            let mixed = with_endings(&text, &endings);
            let lf = read_text(text.as_bytes(), tab, None);
            let other = read_text(mixed.as_bytes(), tab, None);
            match (lf, other) {
                (Ok(lf), Ok(other)) => prop_assert_eq!(
                    breaks_as_lf(rows_of_sheet(&other.rows)),
                    rows_of_sheet(&lf.rows)
                ),
                (lf, other) => prop_assert_eq!(lf.map(drop), other.map(drop)),
            }
            agree(mixed.as_bytes(), None, tab, piece)?;
            agree(&gb18030(&mixed), Some(Encoding::Gb18030), tab, piece)?;
        }
    }

    #[test]
    fn a_piece_may_start_inside_a_crlf() {
        // Pieces of one byte start at every record, where the csv reader puts it: wherever
        // that is in a CRLF, each row is on its line in both readings.
        for text in ["a,b\r\nc\r\n\r\nd\re\r\r\n\nf", "\r\n\ra\r\n\"b\r\nc\"\r\nd"] {
            let (_, first, second) = both(text.as_bytes(), None, false, 1).unwrap();
            let whole = rows_of_sheet(&read_text(text.as_bytes(), false, None).unwrap().rows);
            assert_eq!(first, whole, "{text:?}");
            assert_eq!(second, whole, "{text:?}");
        }
        let numbers = |text: &str| -> Vec<u64> {
            both(text.as_bytes(), None, false, 1)
                .unwrap()
                .2
                .iter()
                .map(|r| r.0)
                .collect()
        };
        assert_eq!(numbers("a,b\r\nc\r\n\r\nd\re\r\r\n\nf"), [1, 2, 4, 5, 8]);
        // The csv reader puts a record after the CR of the CRLF before it: the second reading
        // starts those pieces at an LF that ends no line.
        let (plan, ..) = both(b"a\r\nb\r\nc", None, false, 1).unwrap();
        let after_cr = LineBreaks {
            count: 1,
            after_cr: true,
        };
        assert_eq!(plan.pieces[..2], [(0, LineBreaks::default()), (2, after_cr)]);
        assert_eq!(numbers("\r\n\ra\r\n\"b\r\nc\"\r\nd"), [3, 4, 6]);
    }

    /// A sheet larger than the pieces decoded and held (so the text held is let go of as it is
    /// read), with long quoted notes over several lines, CRLF and lone CR line endings.
    #[test]
    fn a_large_gb18030_sheet_reads_as_its_text() {
        let mut text = String::from("日期,小区,备注\r\n");
        for i in 0..20_000 {
            let note = match i % 7 {
                0 => format!("\"第{i}条：楼道堆物\r\n已整改😀\n\"\"复查\"\"\""),
                3 => "𠀀".repeat(i % 300),
                _ => format!("无{i}"),
            };
            let end = if i % 5 == 0 { "\r" } else { "\n" };
            text += &format!("2026-07-{:02},南营门里{i},{note}{end}", 1 + i % 28);
            if i % 1000 == 0 {
                text += "\r\n\r\n";
            }
        }
        let bytes = gb18030(&text);
        assert!(bytes.len() > 4 * GB_STEP);
        for piece in [1, 999, 1 << 16, PIECE] {
            let (plan, first, second) = both(&bytes, None, false, piece).unwrap();
            assert_eq!(plan.encoding, Encoding::Gb18030);
            assert_eq!(first, rows_of_sheet(&read_text(&bytes, false, None).unwrap().rows));
            assert_eq!(second, first);
            assert_eq!(first.len(), 20_001);
        }
    }

    /// Decoding GB18030 whole, with all the room the decoder may need: what the check must say.
    fn decoded_whole(body: &[u8]) -> Result<(), SheetError> {
        match decode_whole(encoding_rs::GB18030.new_decoder_without_bom_handling(), body) {
            Ok(_) => Ok(()),
            Err(Undecoded::Malformed { bad, read }) => Err(err(
                Some(row_of(body, read.saturating_sub(bad as usize))),
                "既不是 UTF-8 也不是 GB18030 编码：文件已损坏或为其他编码（请在 Excel 中另存为“CSV UTF-8”）",
            )),
            Err(Undecoded::NoRoom) => Err(err(None, "解码中断")),
        }
    }

    fn gb_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                Just(vec![0x80]),
                Just(vec![b'\n']),
                Just(vec![b'a']),
                Just(b"\xC4\xCF".to_vec()),
                Just(b"\x95\x32\x82\x36".to_vec()),
                Just(b"\x84\x31\x95\x33".to_vec()),
                any::<u8>().prop_map(|b| vec![b]),
            ],
            0..4000,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        /// The check read a piece at a time refuses what decoding whole refused, with the
        /// same row and words; and a sheet dense in € (0x80, three bytes decoded) that
        /// outgrows the whole decoding's string is refused as that decoding refused it.
        #[test]
        fn checking_gb18030_in_pieces_is_decoding_it_whole(body in gb_bytes()) {
            prop_assert_eq!(check_gb18030(&body), decoded_whole(&body));
        }
    }

    proptest! {
        /// Any bytes, as a sheet's: scanned in pieces and read again, or refused, as reading
        /// them whole reads or refuses them.
        #[test]
        fn any_bytes_read_in_pieces_as_whole(
            body in gb_bytes(),
            forced in prop::option::of(prop_oneof![Just(Encoding::Utf8), Just(Encoding::Gb18030)]),
            tab in any::<bool>(),
            piece in 1u64..200,
        ) {
            agree(&body, forced, tab, piece)?;
        }
    }

    #[test]
    fn a_sheet_dense_in_euro_signs_is_read() {
        // GB18030 reads 0x80 alone as €, three bytes decoded: a sheet of them once outgrew
        // the string decoding it whole and was refused ("解码中断").
        for n in [1, 15, 16, 17, 100, 1 << 16, (1 << 16) + 7, 3 << 16] {
            let mut body = vec![0x80; n];
            assert_eq!(check_gb18030(&body), Ok(()), "{n}");
            assert_eq!(decode(&body, None).map(|t| t.chars().count()), Ok(n), "{n}");
            body.extend(vec![b'a'; 2 * n]);
            assert_eq!(check_gb18030(&body), Ok(()), "{n} and ascii");
        }
    }

    #[test]
    fn utf16_chinese_is_read_whole() {
        // Two bytes of UTF-16 give three of UTF-8 for a Chinese character: a sheet of them
        // once outgrew the string decoding it and was refused ("解码中断").
        let text = "小区,问题数\n幸福里小区一期,1\n".repeat(200);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&le, None).as_deref(), Ok(text.as_str()));
        assert_eq!(decode(&be, None).as_deref(), Ok(text.as_str()));
    }

    /// A plan of `text` read in pieces of 8, its SHA-256 set, and the file it was read from.
    fn planned(bytes: &[u8]) -> (TextPlan, tempfile::TempDir, std::path::PathBuf) {
        let mut plan = scan_in_pieces(bytes, text_8bit(bytes, None).unwrap(), false, 8, &mut |_| {}).unwrap();
        plan.sha256 = crate::workspace::sha256_hex(bytes);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, bytes).unwrap();
        (plan, dir, path)
    }

    #[test]
    fn a_file_changed_between_the_readings_is_found_out() {
        let text = "日期,小区\n2026-07-03,南营门里\n2026-07-04,南营门里\n";
        // The same length, one digit changed; longer; shorter; in UTF-8 and in GB18030 (where
        // also a byte no longer GB18030, and the file read as UTF-8).
        for encode in [|s: &str| s.as_bytes().to_vec(), |s: &str| gb18030(s)] {
            let bytes = encode(text);
            let (plan, _dir, path) = planned(&bytes);
            let mut bad = bytes.clone();
            bad[4] = 0xFF;
            for changed in [
                encode("日期,小区\n2026-07-03,南营门里\n2026-07-05,南营门里\n"),
                encode(&format!("{text}x\n")),
                encode("日期,小区\n"),
                bad,
                text.as_bytes().to_vec(),
            ] {
                if changed == bytes {
                    continue;
                }
                std::fs::write(&path, changed).unwrap();
                assert!(matches!(plan.read(&path, &mut |_| {}), Err(Changed::Content)));
            }
            std::fs::write(&path, &bytes).unwrap();
            let mut n = 0;
            assert!(plan.read(&path, &mut |_| n += 1).is_ok());
            assert_eq!(n, 3);
        }
    }

    #[test]
    fn a_file_that_cannot_be_read_again_says_why() {
        let text = "日期,小区\n2026-07-03,南营门里\n2026-07-04,南营门里\n";
        for bytes in [text.as_bytes().to_vec(), gb18030(text)] {
            let (plan, dir, path) = planned(&bytes);
            // Removed after the first reading.
            std::fs::remove_file(&path).unwrap();
            match plan.read(&path, &mut |_| {}) {
                Err(Changed::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
                other => panic!("{other:?}"),
            }
            // A directory where the file was: opened, its reading fails.
            std::fs::create_dir(&path).unwrap();
            assert!(matches!(plan.read(&path, &mut |_| {}), Err(Changed::Io(_))));
            drop(dir);
        }
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
