//! Any bytes as a CSV/TSV sheet, detected or forced encoding: rows or a located refusal.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oldestate::import::sheet::{read_text, Encoding};

fuzz_target!(|data: &[u8]| {
    let _ = read_text(data, false, None);
    let _ = read_text(data, true, Some(Encoding::Gb18030));
    let _ = read_text(data, false, Some(Encoding::Utf8));
});
