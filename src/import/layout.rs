//! Recognising a sheet's header: which column holds which field, in English or Chinese, and
//! whether the sheet is long (one row per finding) or wide (one row per visit, one column per
//! item).

use std::collections::BTreeMap;

use crate::suggest::did_you_mean;

/// A field of a visit or finding that a sheet column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The visit id; without this column ids are derived from the visit's own fields.
    VisitId,
    /// The date of the visit.
    Date,
    /// The level that inspected (community, street, district, third party).
    Level,
    /// Routine inspection or re-inspection.
    Purpose,
    /// The inspection team's name.
    Team,
    /// How many inspectors made the visit.
    Inspectors,
    /// The compound visited, by id, name or alias.
    Compound,
    /// A long sheet's item found, by code or name.
    Item,
    /// A long sheet's count of problem points for the item.
    Count,
    /// Photos taken.
    Photos,
    /// A note.
    Note,
}

impl Field {
    /// The canonical column name, used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Field::VisitId => "visit_id",
            Field::Date => "date",
            Field::Level => "level",
            Field::Purpose => "purpose",
            Field::Team => "team",
            Field::Inspectors => "inspectors",
            Field::Compound => "compound_id",
            Field::Item => "item",
            Field::Count => "count",
            Field::Photos => "photos",
            Field::Note => "note",
        }
    }
}

/// Header names accepted for each field (compared after trimming, lower-casing, and removing
/// spaces and parenthesised units like "（个）").
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::VisitId,
        &["visit_id", "visit", "visitid", "检查编号", "检查单号", "编号"],
    ),
    (Field::Date, &["date", "日期", "检查日期", "检查时间"]),
    (Field::Level, &["level", "检查层级", "层级", "检查级别", "级别"]),
    (Field::Purpose, &["purpose", "检查类型", "类型", "检查性质"]),
    (Field::Team, &["team", "检查组", "检查小组", "检查组别"]),
    (Field::Inspectors, &["inspectors", "人数", "检查人数", "人员数"]),
    (
        Field::Compound,
        &["compound_id", "compound", "小区", "小区名称", "小区编号", "小区名"],
    ),
    (Field::Item, &["item", "问题项", "检查项目", "检查项", "问题项目"]),
    (
        Field::Count,
        &["count", "点位", "问题点位", "问题点位数", "点位数", "数量"],
    ),
    (Field::Photos, &["photos", "照片", "照片数", "照片数量"]),
    (Field::Note, &["note", "notes", "备注", "说明"]),
];

/// Columns that sheets often carry for people and that import does not need.
const IGNORED: &[&str] = &[
    "序号",
    "no",
    "no.",
    "#",
    "街道",
    "社区",
    "所属街道",
    "所属社区",
    "物业公司",
    "检查人员",
    "street",
    "community",
    "company",
];

fn normalise(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}');
    let h = match h.find(['(', '（']) {
        Some(i) if i > 0 => &h[..i],
        _ => h,
    };
    h.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// Whether a header cell names a column import knows: a field (in any of its names), an item
/// (code or name, `item_of`), or a column kept for people and passed over. The form reader
/// takes the first row naming three such columns as the header.
pub fn known_column(h: &str, item_of: &BTreeMap<String, String>) -> bool {
    let n = normalise(h);
    !n.is_empty()
        && (ALIASES.iter().any(|(_, names)| names.contains(&n.as_str()))
            || item_of.contains_key(h.trim())
            || item_of.contains_key(&n)
            || IGNORED.contains(&n.as_str()))
}

/// The columns of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Field → column index.
    pub fields: BTreeMap<Field, usize>,
    /// Wide layout: (item code, column index) for each item column; empty for long.
    pub items: Vec<(String, usize)>,
}

impl Layout {
    /// Whether the sheet is wide: one row per visit and a column per item (else long: one row
    /// per finding, with item and count columns).
    pub fn is_wide(&self) -> bool {
        !self.items.is_empty()
    }

    /// The column holding field `f`, if the sheet has one.
    pub fn col(&self, f: Field) -> Option<usize> {
        self.fields.get(&f).copied()
    }
}

/// Recognise a header row. `item_of` maps an item code or name to its code (any standards).
/// Errors are (column index, message).
pub fn detect(header: &[String], item_of: &BTreeMap<String, String>) -> Result<Layout, Vec<(usize, String)>> {
    let mut fields = BTreeMap::new();
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let n = normalise(h);
        if n.is_empty() {
            continue;
        }
        if let Some((f, _)) = ALIASES.iter().find(|(_, names)| names.contains(&n.as_str())) {
            if let Some(prev) = fields.insert(*f, i) {
                errors.push((
                    i,
                    format!("column \"{h}\" repeats {} (already column {})", f.name(), prev + 1),
                ));
            }
        } else if let Some(code) = item_of.get(h.trim()).or_else(|| item_of.get(&n)) {
            if items.iter().any(|(c, _)| c == code) {
                errors.push((i, format!("column \"{h}\" repeats item {code}")));
            }
            items.push((code.clone(), i));
        } else if !IGNORED.contains(&n.as_str()) {
            let known = ALIASES
                .iter()
                .flat_map(|(_, n)| n.iter().copied())
                .chain(item_of.keys().map(String::as_str));
            errors.push((
                i,
                format!(
                    "column \"{h}\" is neither a known field nor an item code or name{}",
                    did_you_mean(h.trim(), known)
                ),
            ));
        }
    }
    let long = fields.contains_key(&Field::Item) || fields.contains_key(&Field::Count);
    if long && !items.is_empty() {
        errors.push((
            items[0].1,
            "the sheet has both item/count columns (long layout) and item columns (wide layout): use one".into(),
        ));
    }
    if !long && items.is_empty() {
        errors.push((0, "cannot tell the layout: expected item and count columns (问题项, 点位) for one row per finding, or one column per item (code or name) for one row per visit".into()));
    }
    if long {
        for f in [Field::Item, Field::Count] {
            if !fields.contains_key(&f) {
                errors.push((
                    0,
                    format!("a sheet with one row per finding needs a {} column", f.name()),
                ));
            }
        }
    }
    for f in [Field::Date, Field::Team, Field::Inspectors, Field::Compound] {
        if !fields.contains_key(&f) {
            let names: Vec<&str> = ALIASES
                .iter()
                .find(|(g, _)| *g == f)
                .map(|(_, n)| n.to_vec())
                .unwrap_or_default();
            errors.push((0, format!("missing column {} (any of: {})", f.name(), names.join(", "))));
        }
    }
    if errors.is_empty() {
        Ok(Layout { fields, items })
    } else {
        Err(errors)
    }
}
