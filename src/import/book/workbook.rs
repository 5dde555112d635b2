//! Workbooks: `.xlsx`/`.xlsm`, `.xlsb`, `.xls` (BIFF) and `.ods`, every visible worksheet in
//! workbook order. `.xlsx` and `.xlsb` sheets are streamed cell by cell into [`Cells`], so a
//! hostile file's absurd dimensions cost nothing; `.xls` and `.ods` have no streaming reader
//! in calamine and go through its dense `Range` (BIFF8 bounds a sheet to 65,536 × 256).

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Ods, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsb, Xlsx};

use super::cells::Cells;
use super::{Book, Grid};
use crate::import::sheet::{cell_text, data_ref_text, SheetError, SheetRow};

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

fn err(message: String) -> SheetError {
    SheetError { row: None, message }
}

/// Read the worksheets of a workbook held in memory. `ext` (the file's extension, lower case)
/// only decides which reader is tried first and names the file type in an error; `asked` is
/// `--sheet` (empty: every visible worksheet).
pub fn read_workbook(bytes: &[u8], ext: &str, asked: &[String]) -> Result<Book, SheetError> {
    let mut wb = open(bytes, ext)?;
    let (names, skipped) = choose(wb.sheets_metadata(), asked)?;
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let rows = read_worksheet(&mut wb, &name).map_err(|e| SheetError {
            message: format!("工作表「{name}」：{}", e.message),
            ..e
        })?;
        grids.push(Grid { name: Some(name), rows });
    }
    Ok(Book { grids, skipped })
}

/// Open with the reader the extension names first, then the others (an `.xls` may really be
/// an `.xlsx` renamed, and the reverse); the first reader's error is the one reported.
fn open<'a>(bytes: &'a [u8], ext: &str) -> Result<Workbook<'a>, SheetError> {
    let rs = || Cursor::new(bytes);
    let try_xlsx = || {
        open_workbook_from_rs::<Xlsx<_>, _>(rs())
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string())
    };
    let try_xls = || {
        open_workbook_from_rs::<Xls<_>, _>(rs())
            .map(Sheets::Xls)
            .map_err(|e| e.to_string())
    };
    let try_xlsb = || {
        open_workbook_from_rs::<Xlsb<_>, _>(rs())
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string())
    };
    let try_ods = || {
        open_workbook_from_rs::<Ods<_>, _>(rs())
            .map(Sheets::Ods)
            .map_err(|e| e.to_string())
    };
    let order: [&dyn Fn() -> Result<Workbook<'a>, String>; 4] = match ext {
        "xls" => [&try_xls, &try_xlsx, &try_xlsb, &try_ods],
        "xlsb" => [&try_xlsb, &try_xlsx, &try_xls, &try_ods],
        "ods" => [&try_ods, &try_xlsx, &try_xls, &try_xlsb],
        _ => [&try_xlsx, &try_xls, &try_xlsb, &try_ods],
    };
    let mut first = None;
    for attempt in order {
        match attempt() {
            Ok(wb) => return Ok(wb),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    let kind = if ext.is_empty() { "xlsx" } else { ext };
    Err(err(format!(
        "不是可读的 .{kind} 工作簿（请在 Excel 中重新另存）：{}",
        first.unwrap_or_default()
    )))
}

/// The worksheets to read, and those passed over with why.
pub type Chosen = (Vec<String>, Vec<(String, String)>);

/// Which worksheets to read, in workbook order, and which are passed over with why. Sheets
/// named with `--sheet` are read even when hidden: the analyst asked for them.
pub fn choose(meta: &[calamine::Sheet], asked: &[String]) -> Result<Chosen, SheetError> {
    if let Some(unknown) = asked.iter().find(|a| !meta.iter().any(|s| &s.name == *a)) {
        let names: Vec<&str> = meta.iter().map(|s| s.name.as_str()).collect();
        return Err(err(format!(
            "没有名为「{unknown}」的工作表（工作表：{}）",
            names.join("、")
        )));
    }
    let mut read = Vec::new();
    let mut skipped = Vec::new();
    for s in meta {
        let why = if s.typ != SheetType::WorkSheet {
            Some("不是工作表（图表或宏表）")
        } else if !asked.is_empty() {
            (!asked.contains(&s.name)).then_some("未用 --sheet 选择")
        } else {
            match s.visible {
                SheetVisible::Visible => None,
                SheetVisible::Hidden => Some("隐藏工作表"),
                SheetVisible::VeryHidden => Some("深度隐藏工作表"),
            }
        };
        match why {
            Some(why) => skipped.push((s.name.clone(), why.to_string())),
            None => read.push(s.name.clone()),
        }
    }
    Ok((read, skipped))
}

/// One worksheet's non-blank rows, merged regions filled from their top-left cell.
fn read_worksheet(wb: &mut Workbook<'_>, name: &str) -> Result<Vec<SheetRow>, SheetError> {
    let mut cells = Cells::default();
    let merges = match wb {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| err(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| err(e.to_string()))? {
                let (r, c) = cell.get_position();
                cells.push(r, c, &data_ref_text(cell.get_value()))?;
            }
            drop(reader);
            x.merge_cells_by_sheet_name(name).map_err(|e| err(e.to_string()))?
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| err(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| err(e.to_string()))? {
                let (r, c) = cell.get_position();
                cells.push(r, c, &data_ref_text(cell.get_value()))?;
            }
            // calamine reads no merged regions from .xlsb.
            Vec::new()
        }
        Sheets::Xls(x) => {
            dense(x.worksheet_range(name).map_err(|e| err(e.to_string()))?, &mut cells)?;
            x.merge_cells_by_sheet_name(name).map_err(|e| err(e.to_string()))?
        }
        Sheets::Ods(x) => {
            dense(x.worksheet_range(name).map_err(|e| err(e.to_string()))?, &mut cells)?;
            // calamine reads no merged regions from .ods.
            Vec::new()
        }
    };
    cells.fill_merges(&merges)?;
    cells.into_rows()
}

/// The used cells of a dense range, at their sheet positions.
fn dense(range: calamine::Range<calamine::Data>, cells: &mut Cells) -> Result<(), SheetError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, v) in range.used_cells() {
        let (r, c) = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
        cells.push(r, c, &cell_text(v))?;
    }
    Ok(())
}
