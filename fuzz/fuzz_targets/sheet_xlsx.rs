//! Any bytes as an .xlsx workbook: a sheet or a refusal, never a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oldestate::import::sheet::read_xlsx_bytes;

fuzz_target!(|data: &[u8]| {
    let _ = read_xlsx_bytes(data, None);
});
