//! Writers shared by the reports.

/// Neutralise a CSV text cell that a spreadsheet would run as a formula (DESIGN §11): cells
/// starting with `=`, `+`, `-`, `@`, tab or carriage return get a leading `'`.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::csv_safe;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+86", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_safe(bad), format!("'{bad}"));
        }
        assert_eq!(csv_safe("南营门里"), "南营门里");
        assert_eq!(csv_safe(""), "");
    }
}
