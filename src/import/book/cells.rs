//! A worksheet's cells gathered sparsely (only the non-empty ones, by position) and then laid
//! out as rows. Workbook sheets are read this way rather than through a dense calamine `Range`
//! so that a hostile file declaring a cell at XFD1048576 costs one cell, not 17 billion; the
//! limits below refuse what would still be too large to lay out.

use calamine::Dimensions;
use rust_i18n::t;

#[cfg(test)]
use crate::import::sheet::SheetRow;
use crate::import::sheet::{Rows, SheetError};

/// Excel's last row (1-based count): a cell below it is not in a real worksheet.
pub const MAX_ROWS: u32 = 1_048_576;
/// Excel's last column (XFD, 1-based count).
pub const MAX_COLS: u32 = 16_384;
/// The most cells a sheet may lay out (filled merges and blank cells left of a value count).
pub const MAX_CELLS: usize = 20_000_000;
/// The most cells merged regions may fill in one sheet. A form merges a compound down over its
/// visits and a title or group across a few columns; a 6 KB file merging A1 down to X751775
/// (found by fuzzing) would otherwise copy its value 18 million times.
pub const MAX_MERGE_FILL: usize = 2_000_000;
/// The most bytes of text the cells of one workbook may hold, all sheets together (each
/// sheet's cells are laid out as rows and kept until the import is done). Every cell keeps its
/// own copy: an `.xlsx` shared string of 32,000 characters referenced by a million cells is a
/// 2.5 MB file asking for 32 GB, and a merge copies its top-left text into every cell it fills.
/// The largest real sheets, a million rows of a dozen short columns, hold about 100 MB; the
/// rows are built from the cells while they are still held, so the text costs at most twice
/// this, half a gigabyte.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// The non-empty cells of one sheet, by (row, column), both 0-based.
#[derive(Debug)]
pub struct Cells {
    cells: Vec<(u32, u32, String)>,
    /// How many cells the layout will hold so far (values and merge fills).
    budget: usize,
    /// How many cells merges have filled so far.
    filled: usize,
    /// Bytes of text held so far, and the most this sheet may hold.
    text: u64,
    max_text: u64,
}

impl Default for Cells {
    fn default() -> Cells {
        Cells::within(MAX_TEXT_BYTES)
    }
}

fn too_large(what: &str) -> SheetError {
    SheetError {
        row: None,
        message: t!(
            "book.sheet_too_large",
            what = what,
            rows = MAX_ROWS,
            cols = MAX_COLS,
            cells = MAX_CELLS
        )
        .into_owned(),
    }
}

fn text_too_large(max: u64, row: u32, col: u32) -> SheetError {
    SheetError {
        row: None,
        message: t!(
            "book.text_too_large",
            mib = max >> 20,
            row = u64::from(row) + 1,
            col = u64::from(col) + 1
        )
        .into_owned(),
    }
}

impl Cells {
    /// No cells yet, which may hold at most `max_text` bytes of text (what is left of the
    /// workbook's [`MAX_TEXT_BYTES`] when the sheet is read).
    pub fn within(max_text: u64) -> Cells {
        Cells {
            cells: Vec::new(),
            budget: 0,
            filled: 0,
            text: 0,
            max_text,
        }
    }

    /// The bytes of text held so far.
    pub fn text_held(&self) -> u64 {
        self.text
    }

    /// Count `bytes` more text (at `row`, `col`, for the message) before it is copied.
    fn spend_text(&mut self, bytes: u64, row: u32, col: u32) -> Result<(), SheetError> {
        let total = self.text.saturating_add(bytes);
        if total > self.max_text {
            return Err(text_too_large(self.max_text, row, col));
        }
        self.text = total;
        Ok(())
    }

    /// Keep a cell's text (trimmed; blank text is not kept). A position beyond Excel's grid
    /// or one cell too many is an error.
    pub fn push(&mut self, row: u32, col: u32, text: &str) -> Result<(), SheetError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(too_large(&t!(
                "book.cell_at",
                row = u64::from(row) + 1,
                col = u64::from(col) + 1
            )));
        }
        self.spend(1)?;
        self.spend_text(text.len() as u64, row, col)?;
        self.cells.push((row, col, text.to_string()));
        Ok(())
    }

    fn spend(&mut self, n: usize) -> Result<(), SheetError> {
        self.budget = self.budget.saturating_add(n);
        if self.budget > MAX_CELLS {
            return Err(too_large(&t!("book.too_many_cells")));
        }
        Ok(())
    }

    /// The bounds (first row, first col, last row, last col) of the non-empty cells.
    fn used(&self) -> Option<(u32, u32, u32, u32)> {
        let mut it = self.cells.iter();
        let &(r, c, _) = it.next()?;
        Some(it.fold((r, c, r, c), |(r0, c0, r1, c1), &(r, c, _)| {
            (r0.min(r), c0.min(c), r1.max(r), c1.max(c))
        }))
    }

    /// Fill every cell of each merged region (0-based, inclusive)
    /// with the value of its top-left cell, as a person reads a merged cell: a compound merged
    /// down over its visits, a group header merged across its items. Regions are clipped to
    /// the used cells, so an absurd region in a hostile file costs no more than the sheet.
    pub fn fill_merges(&mut self, regions: &[Dimensions]) -> Result<(), SheetError> {
        let Some((ur0, uc0, ur1, uc1)) = self.used() else {
            return Ok(());
        };
        self.sort();
        // Fills are gathered apart and added after: `value_at` searches the sorted cells, and
        // fills pushed among them would hide the top-left cells of later regions.
        let mut fills = Vec::new();
        for &Dimensions {
            start: (r0, c0),
            end: (r1, c1),
        } in regions
        {
            let Some(value) = self.value_at(r0, c0).map(str::to_string) else {
                continue;
            };
            let (r1, c1) = (r1.min(ur1), c1.min(uc1));
            let (fr, fc) = (r0.max(ur0), c0.max(uc0));
            if r1 < fr || c1 < fc {
                continue;
            }
            let area = (r1 - fr + 1) as usize * (c1 - fc + 1) as usize;
            self.filled = self.filled.saturating_add(area.saturating_sub(1));
            if self.filled > MAX_MERGE_FILL {
                return Err(SheetError {
                    row: None,
                    message: t!(
                        "book.merge_too_large",
                        max = MAX_MERGE_FILL,
                        row = u64::from(r0) + 1,
                        col = u64::from(c0) + 1
                    )
                    .into_owned(),
                });
            }
            self.spend(area.saturating_sub(1))?;
            // Each filled cell holds a copy (the top-left one's is dropped when sorted).
            self.spend_text((area as u64).saturating_mul(value.len() as u64), r0, c0)?;
            for r in fr..=r1 {
                for c in fc..=c1 {
                    // The other cells of a merge are empty in Excel; a stray value there (a
                    // hand-edited file) is kept, since the sort below keeps the first pushed.
                    fills.push((r, c, value.clone()));
                }
            }
        }
        self.cells.extend(fills);
        self.sort();
        Ok(())
    }

    fn sort(&mut self) {
        // Stable: of two values at one position, the one pushed first (the cell's own) stays.
        self.cells.sort_by_key(|&(r, c, _)| (r, c));
        self.cells.dedup_by_key(|&mut (r, c, _)| (r, c));
    }

    fn value_at(&self, row: u32, col: u32) -> Option<&str> {
        let i = self.cells.binary_search_by_key(&(row, col), |&(r, c, _)| (r, c)).ok()?;
        Some(self.cells[i].2.as_str())
    }

    /// The non-blank rows, numbered as Excel numbers them (1 = the sheet's first row), each
    /// starting at column A so that a cell's place is its column letter.
    pub fn into_rows(mut self) -> Result<Rows, SheetError> {
        self.sort();
        let mut laid_out = 0usize;
        let text = self.cells.iter().map(|c| c.2.len()).sum();
        let mut rows = Rows::with_capacity(text);
        let mut i = 0;
        while i < self.cells.len() {
            let row = self.cells[i].0;
            let end = i + self.cells[i..].iter().take_while(|c| c.0 == row).count();
            let width = self.cells[end - 1].1 as usize + 1;
            laid_out = laid_out.saturating_add(width);
            if laid_out > MAX_CELLS {
                return Err(too_large(&t!("book.too_many_cells")));
            }
            let row = u64::from(row) + 1;
            let mut next = 0u32;
            for (_, col, text) in &self.cells[i..end] {
                for _ in next..*col {
                    rows.push_cell("").map_err(|e| e.error(Some(row)))?;
                }
                rows.push_cell(text).map_err(|e| e.error(Some(row)))?;
                next = col + 1;
            }
            rows.end_row(row);
            i = end;
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &Rows) -> Vec<(u64, Vec<&str>)> {
        rows.iter()
            .map(|r: SheetRow<'_>| (r.row, r.cells.iter().collect()))
            .collect()
    }

    #[test]
    fn rows_keep_their_excel_numbers_and_leading_blank_columns() {
        let mut c = Cells::default();
        c.push(4, 2, " 南营门里 ").unwrap();
        c.push(2, 1, "日期").unwrap();
        c.push(3, 0, "   ").unwrap();
        let rows = c.into_rows().unwrap();
        assert_eq!(texts(&rows), vec![(3, vec!["", "日期"]), (5, vec!["", "", "南营门里"])]);
    }

    #[test]
    fn merges_are_filled_and_clipped_to_the_used_cells() {
        let mut c = Cells::default();
        c.push(0, 0, "A").unwrap();
        c.push(2, 1, "x").unwrap();
        // A region reaching to Excel's last cell is clipped to rows 1..3, columns A..B.
        c.fill_merges(&[Dimensions::new((0, 0), (MAX_ROWS - 1, MAX_COLS - 1))])
            .unwrap();
        let rows = c.into_rows().unwrap();
        assert_eq!(
            texts(&rows),
            vec![(1, vec!["A", "A"]), (2, vec!["A", "A"]), (3, vec!["A", "x"])]
        );
    }

    #[test]
    fn cells_beyond_excel_and_too_many_are_refused() {
        let mut c = Cells::default();
        assert!(c
            .push(MAX_ROWS, 0, "x")
            .unwrap_err()
            .message
            .contains("the sheet is too large"));
        let mut c = Cells::default();
        c.push(0, 0, "a").unwrap();
        c.push(MAX_ROWS - 1, MAX_COLS - 1, "b").unwrap();
        let e = c
            .fill_merges(&[Dimensions::new((0, 0), (MAX_ROWS - 1, MAX_COLS - 1))])
            .unwrap_err();
        assert!(
            e.message.starts_with("the sheet's merged cells are too large"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_merge_down_to_x751775_is_refused_before_it_is_filled() {
        // The fuzzer's find: A1 and X751775 used, A1:X751775 merged (18 million cells, 12 s).
        let mut c = Cells::default();
        c.push(0, 0, "a").unwrap();
        c.push(751_774, 23, "z").unwrap();
        let e = c.fill_merges(&[Dimensions::new((0, 0), (751_774, 23))]).unwrap_err();
        assert_eq!(
            e.message,
            "the sheet's merged cells are too large: filling them takes more than 2000000 cells (such as the merge from row 1, column 1); unmerge what is not needed and save again"
        );
        // A compound merged down over two visits on each of 500,000 rows is a form: read.
        let mut c = Cells::default();
        let mut merges = Vec::new();
        for r in (0..1_000_000u32).step_by(2) {
            c.push(r, 0, "南营门里").unwrap();
            merges.push(Dimensions::new((r, 0), (r + 1, 0)));
        }
        c.fill_merges(&merges).unwrap();
        // Every region filled (the last one clipped to the used rows).
        assert_eq!(c.into_rows().unwrap().len(), 999_999);
    }

    #[test]
    fn text_beyond_the_budget_is_refused_before_it_is_copied() {
        // A 32,000-character text in every cell: the 8,389th would pass 256 MiB.
        let long = "x".repeat(32_000);
        let mut c = Cells::default();
        let fit = (MAX_TEXT_BYTES / 32_000) as u32;
        for r in 0..fit {
            c.push(r, 0, &long).unwrap();
        }
        let e = c.push(fit, 0, &long).unwrap_err();
        assert_eq!(
            e.message,
            "at row 8389, column 1, the text of the workbook's cells comes to more than 256 MiB (a text that many cells refer to, or that a merge fills in, counts once per cell), beyond what can be read, so it is not read: delete the unneeded cells or overlong texts, or split the workbook into several files and import those"
        );
        // The refused text was not kept: what is held is what fits.
        assert_eq!(c.text_held(), u64::from(fit) * 32_000);
        assert_eq!(c.cells.len(), fit as usize);
        // Trimmed text is what counts, and a budget already partly spent elsewhere is kept.
        let mut c = Cells::within(10);
        c.push(0, 0, "  南营门  ").unwrap();
        assert_eq!(c.text_held(), 9);
        assert!(c.push(0, 1, "ab").is_err());
    }

    #[test]
    fn a_merge_copies_count_as_text() {
        // A 1,000-byte title merged over 1,000 rows × 2 columns: 2,000 copies, 2 MB.
        let title = "题".repeat(1_000 / 3 + 1);
        let mut c = Cells::within(1_500_000);
        c.push(0, 0, &title).unwrap();
        c.push(999, 1, "z").unwrap();
        let e = c.fill_merges(&[Dimensions::new((0, 0), (999, 1))]).unwrap_err();
        assert!(e.message.starts_with("at row 1, column 1, the text"), "{}", e.message);
        // Within a budget that holds it, every cell of the merge has the title.
        let mut c = Cells::within(2_100_000);
        c.push(0, 0, &title).unwrap();
        c.push(999, 1, "z").unwrap();
        c.fill_merges(&[Dimensions::new((0, 0), (999, 1))]).unwrap();
        let rows = c.into_rows().unwrap();
        let row = rows.get(500).unwrap();
        assert_eq!((rows.len(), &row.cells[1]), (1_000, title.as_str()));
    }
}
