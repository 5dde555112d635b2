//! A worksheet's cells gathered sparsely (only the non-empty ones, by position) and then laid
//! out as rows. Workbook sheets are read this way rather than through a dense calamine `Range`
//! so that a hostile file declaring a cell at XFD1048576 costs one cell, not 17 billion; the
//! limits below refuse what would still be too large to lay out.

use calamine::Dimensions;
use rust_i18n::t;

use crate::import::sheet::{SheetError, SheetRow};

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

/// The non-empty cells of one sheet, by (row, column), both 0-based.
#[derive(Debug, Default)]
pub struct Cells {
    cells: Vec<(u32, u32, String)>,
    /// How many cells the layout will hold so far (values and merge fills).
    budget: usize,
    /// How many cells merges have filled so far.
    filled: usize,
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

impl Cells {
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
    pub fn into_rows(mut self) -> Result<Vec<SheetRow>, SheetError> {
        self.sort();
        let mut laid_out = 0usize;
        let mut rows: Vec<SheetRow> = Vec::new();
        let mut i = 0;
        while i < self.cells.len() {
            let row = self.cells[i].0;
            let end = i + self.cells[i..].iter().take_while(|c| c.0 == row).count();
            let width = self.cells[end - 1].1 as usize + 1;
            laid_out = laid_out.saturating_add(width);
            if laid_out > MAX_CELLS {
                return Err(too_large(&t!("book.too_many_cells")));
            }
            let mut record = csv::StringRecord::with_capacity(0, width);
            let mut next = 0u32;
            for (_, col, text) in &self.cells[i..end] {
                for _ in next..*col {
                    record.push_field("");
                }
                record.push_field(text);
                next = col + 1;
            }
            rows.push(SheetRow {
                row: u64::from(row) + 1,
                cells: record,
            });
            i = end;
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[SheetRow]) -> Vec<(u64, Vec<&str>)> {
        rows.iter().map(|r| (r.row, r.cells.iter().collect())).collect()
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
}
