//! The budget of the sheets calamine reads densely. `.xls` and `.ods` have no streaming reader
//! in calamine: when it opens the workbook it lays out every sheet as a dense `Range`, one
//! value per cell from the sheet's first used cell to its furthest, all sheets at once, and
//! `worksheet_range` then hands out a copy. A 6 KB `.xls` with one value at IV65536 costs
//! 65,536 × 256 cells (half a gigabyte); an `.ods` row repeated a million times costs what its
//! repeats say. [`super::xls`] and [`super::ods`] measure, before calamine opens the file,
//! what it will lay out, and [`Tally`] refuses a workbook beyond [`MAX_DENSE_CELLS`] or, for
//! the text an `.ods` repeats or an `.xls`'s cells copy from its shared strings,
//! [`MAX_DENSE_TEXT`].

use rust_i18n::t;

use crate::import::sheet::SheetError;

/// The most cells calamine may lay out densely for one workbook, all sheets together: every
/// one of BIFF8's 65,536 rows 30 columns wide, or 20,000 rows 100 wide. calamine keeps 32 bytes
/// a cell (56 where a formula's text sits beside it) and copies a sheet once more when it is
/// read, so the cap holds its grids to about 64 MB, 176 MB at the worst, where a whole BIFF8
/// sheet (16.8 million cells) took 0.5 GB. The `.xlsx` path lays out at most
/// [`super::cells::MAX_CELLS`] cells, but only the used ones, as text.
pub const MAX_DENSE_CELLS: u64 = 2_000_000;
/// The most bytes of text an `.ods` may lay out through its repeats (a value repeated across
/// columns and rows is copied into every cell it covers; formulas likewise): a 1 KB string
/// repeated over 16,384 columns and 4,000 rows would be 64 GB from a few hundred bytes of XML.
/// Likewise an `.xls`: calamine copies a shared string into every cell that refers to it, so
/// one string of 32,000 characters referred to by a million cells (14 bytes a reference) would
/// be 32 GB. calamine holds this text twice (its sheets, and the copy it hands out) and the
/// cells a third time, so it costs at most about 200 MB.
pub const MAX_DENSE_TEXT: u64 = 64 * 1024 * 1024;

/// A sheet's dense area: its first and furthest used cells, 0-based (row, column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub first: (u64, u64),
    pub last: (u64, u64),
}

impl Extent {
    pub fn at(row: u64, col: u64) -> Extent {
        Extent {
            first: (row, col),
            last: (row, col),
        }
    }

    /// Grow to hold another extent.
    pub fn join(self, other: Extent) -> Extent {
        Extent {
            first: (self.first.0.min(other.first.0), self.first.1.min(other.first.1)),
            last: (self.last.0.max(other.last.0), self.last.1.max(other.last.1)),
        }
    }

    /// Rows × columns from the first cell to the furthest.
    pub fn area(&self) -> u64 {
        let rows = self.last.0.saturating_sub(self.first.0).saturating_add(1);
        let cols = self.last.1.saturating_sub(self.first.1).saturating_add(1);
        rows.saturating_mul(cols)
    }
}

pub fn refuse(message: String) -> SheetError {
    SheetError { row: None, message }
}

/// What the sheets of one workbook will cost calamine so far.
#[derive(Debug)]
pub struct Tally {
    max_cells: u64,
    max_text: u64,
    cells: u64,
    text: u64,
}

impl Tally {
    pub fn new(max_cells: u64, max_text: u64) -> Tally {
        Tally {
            max_cells,
            max_text,
            cells: 0,
            text: 0,
        }
    }

    /// Count a sheet of `cells` dense cells spanning `extent` (`cells` may exceed its area:
    /// an `.ods` row's cells are also gathered before its repeats are laid out).
    pub fn sheet(&mut self, sheet: &str, extent: Extent, cells: u64) -> Result<(), SheetError> {
        self.peek(sheet, extent, cells)?;
        self.cells = self.cells.saturating_add(cells);
        Ok(())
    }

    /// [`Tally::sheet`] without counting the sheet yet (a part of it, read so far).
    pub fn peek(&self, sheet: &str, extent: Extent, cells: u64) -> Result<(), SheetError> {
        let total = self.cells.saturating_add(cells);
        if total <= self.max_cells {
            return Ok(());
        }
        let message = if cells > self.max_cells {
            t!(
                "book.dense_sheet",
                sheet = sheet,
                row0 = extent.first.0 + 1,
                col0 = extent.first.1 + 1,
                row = extent.last.0 + 1,
                col = extent.last.1 + 1,
                cells = cells,
                max = self.max_cells
            )
        } else {
            t!("book.dense_total", sheet = sheet, cells = total, max = self.max_cells)
        };
        Err(refuse(message.into_owned()))
    }

    /// Count `bytes` of text a sheet's repeats copy.
    pub fn text(&mut self, sheet: &str, bytes: u64) -> Result<(), SheetError> {
        if self.add_text(bytes) {
            return Ok(());
        }
        Err(refuse(
            t!("book.dense_text", sheet = sheet, mib = self.max_text >> 20).into_owned(),
        ))
    }

    /// Count `bytes` of text an `.xls` sheet's cells copy from the shared string table.
    pub fn shared_text(&mut self, sheet: &str, bytes: u64) -> Result<(), SheetError> {
        if self.add_text(bytes) {
            return Ok(());
        }
        Err(refuse(
            t!("book.xls_shared_text", sheet = sheet, mib = self.max_text >> 20).into_owned(),
        ))
    }

    /// Count `bytes` more text; whether the total is still within the budget.
    fn add_text(&mut self, bytes: u64) -> bool {
        self.text = self.text.saturating_add(bytes);
        self.text <= self.max_text
    }
}
