//! HTML tables, as web systems' "export to Excel" buttons save them (often named `.xls`):
//! every `<table>` is a grid, named by its caption or `表1`, `表2`…; a cell spanning rows or
//! columns repeats its text into every cell it covers, as a merged cell does in a workbook.

use std::collections::BTreeMap;

use scraper::{ElementRef, Html, Node, Selector};

use super::cells::MAX_CELLS;
use super::Grid;
use crate::import::sheet::{Rows, SheetError};

/// The widest `colspan` HTML allows.
const MAX_COLSPAN: usize = 1_000;
/// The tallest `rowspan` HTML allows.
const MAX_ROWSPAN: usize = 65_534;

/// Every table of an HTML document, in document order.
pub fn read_html(text: &str) -> Result<Vec<Grid>, SheetError> {
    let doc = Html::parse_document(text);
    let tables = selector("table");
    let mut grids = Vec::new();
    for (i, table) in doc.select(&tables).enumerate() {
        let name = caption(table).unwrap_or_else(|| format!("表{}", i + 1));
        grids.push(Grid {
            name: Some(name),
            rows: table_rows(table, MAX_CELLS)?,
        });
    }
    Ok(grids)
}

fn selector(s: &str) -> Selector {
    // The selectors are literals known to parse; a failure is a bug, caught by the tests.
    Selector::parse(s).unwrap_or_else(|_| unreachable!("selector {s:?}"))
}

/// The element's own table: the nearest `<table>` above it.
fn owner_table(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
}

fn caption(table: ElementRef<'_>) -> Option<String> {
    let text = table
        .child_elements()
        .find(|c| c.value().name() == "caption")
        .map(cell_text)?;
    (!text.is_empty()).then_some(text)
}

/// A cell's text as a person sees it: whitespace runs (and `<br>`) as one space, trimmed.
fn cell_text(el: ElementRef<'_>) -> String {
    let mut raw = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => raw.push_str(t),
            Node::Element(e) if e.name() == "br" => raw.push(' '),
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn span(el: ElementRef<'_>, attr: &str, max: usize) -> usize {
    el.attr(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .map_or(1, |n| n.min(max))
}

/// The table's non-blank rows, numbered from 1 by `<tr>` (blank ones counted), spans filled.
fn table_rows(table: ElementRef<'_>, limit: usize) -> Result<Rows, SheetError> {
    let trs = selector("tr");
    // Cells spanning down from rows above: column → (rows still to cover, text).
    let mut carry: BTreeMap<usize, (usize, String)> = BTreeMap::new();
    let mut budget = 0usize;
    let mut rows = Rows::default();
    let own = table
        .select(&trs)
        .filter(|tr| owner_table(*tr).is_some_and(|t| t.id() == table.id()));
    for (i, tr) in own.enumerate() {
        let mut line: Vec<Option<String>> = Vec::new();
        // Counted before each cell is laid out, so a hostile row of wide spans stops early.
        let row = i as u64 + 1;
        spend(&mut budget, carry.len(), row, limit)?;
        carry.retain(|&col, (left, text)| {
            put(&mut line, col, text.clone());
            *left -= 1;
            *left > 0
        });
        let mut col = 0;
        for td in tr.child_elements().filter(|c| matches!(c.value().name(), "td" | "th")) {
            while line.get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let text = cell_text(td);
            let (across, down) = (span(td, "colspan", MAX_COLSPAN), span(td, "rowspan", MAX_ROWSPAN));
            spend(&mut budget, across, row, limit)?;
            for c in col..col + across {
                put(&mut line, c, text.clone());
                if down > 1 {
                    carry.insert(c, (down - 1, text.clone()));
                }
            }
            col += across;
        }
        if line.iter().all(|c| c.as_deref().unwrap_or("").is_empty()) {
            continue;
        }
        rows.push(row, line.iter().map(|c| c.as_deref().unwrap_or("")))
            .map_err(|e| e.error(Some(row)))?;
    }
    Ok(rows)
}

fn spend(budget: &mut usize, n: usize, row: u64, limit: usize) -> Result<(), SheetError> {
    *budget = budget.saturating_add(n);
    if *budget > limit {
        return Err(SheetError {
            row: Some(row),
            message: format!("表格过大：超过 {limit} 个单元格"),
        });
    }
    Ok(())
}

fn put(line: &mut Vec<Option<String>>, col: usize, text: String) {
    if line.len() <= col {
        line.resize(col + 1, None);
    }
    line[col] = Some(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_of_absurd_spans_is_refused_as_it_is_laid_out() {
        // Each row's cell spans 1000 columns and every row below: row n lays out 1000·n cells,
        // so rows 1..=4 lay out 10,000 and row 5 passes a limit of 12,000.
        let row = "<tr><td colspan=1000 rowspan=65534>x</td></tr>";
        let doc = Html::parse_document(&format!("<table>{}</table>", row.repeat(9)));
        let table = doc.select(&selector("table")).next().unwrap();
        let e = table_rows(table, 12_000).unwrap_err();
        assert_eq!(e.row, Some(5));
        assert_eq!(e.message, "表格过大：超过 12000 个单元格");
        let four = Html::parse_document(&format!("<table>{}</table>", row.repeat(4)));
        let table = four.select(&selector("table")).next().unwrap();
        assert_eq!(table_rows(table, 10_000).unwrap().len(), 4);
    }
}
