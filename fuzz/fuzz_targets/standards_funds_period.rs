//! Any text as a standards file, a funds file and a period.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = oldestate::workspace::parse_standards(text, None);
        let _ = toml::from_str::<oldestate::model::funds::Funds>(text);
        let _ = text.parse::<oldestate::model::Period>();
        let _ = oldestate::import::values::parse_date(text);
    }
});
