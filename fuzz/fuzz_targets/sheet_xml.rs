//! Any bytes as a worksheet's XML (the `<sheetData>` content) in a well-formed workbook, so the
//! fuzzer reaches calamine's cell reader and the sparse layout instead of the zip checks:
//! grids or a refusal, never a crash or an unbounded allocation.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oldestate::import::book::{raw_xlsx, read_book_bytes};

fuzz_target!(|data: &[u8]| {
    let _ = read_book_bytes(&raw_xlsx(data), "xlsx", &[], None);
});
