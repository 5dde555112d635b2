//! Any text as a cell reference, in a cell's `r` and in a merge's `ref`, of a real workbook:
//! grids or a refusal, never a crash (calamine's reference parser overflowed on `YHP99956` and
//! `A9999999999999999999999947` before the budget of `src/import/book/budget.rs`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use oldestate::import::book::{raw_xlsx, read_book_bytes};

fuzz_target!(|data: &[u8]| {
    let r = String::from_utf8_lossy(data).replace(['"', '<', '>', '&'], "");
    let xml = format!(
        r#"<row><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="{r}" t="inlineStr"><is><t>z</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:{r}"/></mergeCells><sheetData>"#
    );
    let _ = read_book_bytes(&raw_xlsx(xml.as_bytes()), "xlsx", &[], None);
});
