//! Recognising a sheet's header: which column holds which field, in English or Chinese, and
//! whether the sheet is long (one row per finding) or wide (one row per visit, one column per
//! item).

use rust_i18n::t;
use std::collections::BTreeMap;

use crate::suggest::did_you_mean_closest;

use super::values::fold_width;

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

/// Header names accepted for each field (compared after folding full-width forms, trimming,
/// lower-casing, and removing spaces and parenthesised units like "（个）").
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::VisitId,
        &["visit_id", "visit", "visitid", "检查编号", "检查单号", "编号"],
    ),
    (Field::Date, &["date", "日期", "检查日期", "检查时间"]),
    (Field::Level, &["level", "检查层级", "层级", "检查级别", "级别"]),
    (Field::Purpose, &["purpose", "检查类型", "类型", "检查性质"]),
    (
        Field::Team,
        &["team", "检查组", "检查小组", "检查组别", "检查单位", "检查单位名称"],
    ),
    (
        Field::Inspectors,
        &[
            "inspectors",
            "人数",
            "检查人数",
            "人员数",
            "检查人员",
            "检查人",
            "参检人员",
            "检查人员姓名",
        ],
    ),
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

/// Inspectors' headers that hold the inspectors' names (their number is the headcount,
/// `values::parse_headcount`); a sheet that also has a number column (人数) is read by that.
const NAME_LIST_HEADERS: &[&str] = &["检查人员", "检查人", "参检人员", "检查人员姓名"];

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
    "street",
    "community",
    "company",
];

fn normalise(h: &str) -> String {
    let h = fold_width(h);
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

/// Why a header cell cannot be read as counts, in the workspace's words; `None` for any other
/// header. A header that says its column holds deduction points or scores (扣分, 扣除分, 得分,
/// 分值, 分数, anywhere, units included: 「私装地锁（扣分）」) or a total (合计, 小计, 总计,
/// 总分, as the name or its end) would otherwise be taken for the item or count it names, and
/// its numbers stored as problem points: a wrong number nobody sees.
pub fn refused_column(h: &str) -> Option<String> {
    let shown = h.trim();
    let whole: String = fold_width(shown).chars().filter(|c| !c.is_whitespace()).collect();
    if ["扣分", "扣除分"].iter().any(|w| whole.contains(w)) {
        return Some(t!("layout.deduction_column", column = shown).into_owned());
    }
    if ["得分", "分值", "分数"].iter().any(|w| whole.contains(w)) {
        return Some(t!("layout.score_column", column = shown).into_owned());
    }
    let n = normalise(shown);
    if ["合计", "小计", "总计", "总分"].iter().any(|w| n.ends_with(w)) {
        return Some(t!("layout.total_column", column = shown).into_owned());
    }
    None
}

/// What a header cell names.
enum Column<'i> {
    /// A field, and whether the header is one of [`NAME_LIST_HEADERS`].
    Field(Field, bool),
    /// An item, by its code.
    Item(&'i String),
    /// A column that must not be read (the message says why).
    Refused(String),
    /// A column kept for people.
    Ignored,
    /// Nothing import knows.
    Unknown,
}

/// What header `h` (normalised: `n`) names. An item's exact name wins over everything, so an
/// item whose name happens to hold 分数 stays an item; then a refused column (which would
/// otherwise pass for the item or count it names once its bracket is dropped); then fields,
/// items by their normalised name, and columns kept for people.
fn column_of<'i>(h: &str, n: &str, item_of: &'i BTreeMap<String, String>) -> Column<'i> {
    let exact = fold_width(h.trim());
    if let Some(code) = item_of.get(h.trim()).or_else(|| item_of.get(exact.as_ref())) {
        return Column::Item(code);
    }
    if let Some(m) = refused_column(h) {
        return Column::Refused(m);
    }
    if let Some((f, _)) = ALIASES.iter().find(|(_, names)| names.contains(&n)) {
        return Column::Field(*f, NAME_LIST_HEADERS.contains(&n));
    }
    if let Some(code) = item_of.get(n) {
        return Column::Item(code);
    }
    if IGNORED.contains(&n) {
        return Column::Ignored;
    }
    Column::Unknown
}

/// Whether a header cell names a column import knows: a field (in any of its names), an item
/// (code or name, `item_of`), a column kept for people and passed over, or a column of
/// deduction points, scores or totals ([`refused_column`], known so that the header is found and
/// the column refused with its reason). The form reader takes the first row naming three such
/// columns as the header.
pub fn known_column(h: &str, item_of: &BTreeMap<String, String>) -> bool {
    let n = normalise(h);
    !n.is_empty() && !matches!(column_of(h, &n, item_of), Column::Unknown)
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
    let mut name_lists = Vec::new();
    let mut items: Vec<(String, usize)> = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let n = normalise(h);
        if n.is_empty() {
            continue;
        }
        match column_of(h, &n, item_of) {
            Column::Field(f, names) => {
                if names {
                    name_lists.push(i);
                }
                add_field(&mut fields, &name_lists, (f, i, h), &mut errors);
            }
            Column::Item(code) => {
                if items.iter().any(|(c, _)| c == code) {
                    errors.push((i, t!("layout.repeats_item", column = h, item = code).into_owned()));
                }
                items.push((code.clone(), i));
            }
            Column::Refused(m) => errors.push((i, m)),
            Column::Ignored => {}
            Column::Unknown => errors.push((i, unknown_column(h, item_of))),
        }
    }
    errors.extend(layout_problems(&fields, &items));
    if errors.is_empty() {
        Ok(Layout { fields, items })
    } else {
        Err(errors)
    }
}

/// Record field `f` at column `i` (header `h`). A second column for the same field is an error,
/// except the inspectors given both as a number (人数) and as a list of names (检查人员,
/// `name_lists`): the number is read and the names are left to people.
fn add_field(
    fields: &mut BTreeMap<Field, usize>,
    name_lists: &[usize],
    (f, i, h): (Field, usize, &str),
    errors: &mut Vec<(usize, String)>,
) {
    let Some(prev) = fields.insert(f, i) else {
        return;
    };
    let (prev_names, names) = (name_lists.contains(&prev), name_lists.contains(&i));
    if f == Field::Inspectors && prev_names != names {
        fields.insert(f, if names { prev } else { i });
    } else {
        errors.push((
            i,
            t!(
                "layout.repeats_field",
                column = h,
                field = field_words(f),
                at = prev + 1
            )
            .into_owned(),
        ));
    }
}

/// The message for a header import does not know, naming the nearest known ones.
fn unknown_column(h: &str, item_of: &BTreeMap<String, String>) -> String {
    let known = ALIASES
        .iter()
        .flat_map(|(_, n)| n.iter().copied())
        .chain(item_of.keys().map(String::as_str));
    t!(
        "layout.unknown_column",
        column = h,
        hint = did_you_mean_closest(h.trim(), known)
    )
    .into_owned()
}

/// A field as the reader names it: in Chinese its first Chinese header (人数, 检查组), in English
/// its id (`inspectors`, `team`).
fn field_words(f: Field) -> &'static str {
    let chinese = ALIASES
        .iter()
        .find(|(g, _)| *g == f)
        .and_then(|(_, names)| names.iter().find(|n| !n.is_ascii()));
    match (crate::i18n::current(), chinese) {
        (crate::model::records::Lang::Zh, Some(name)) => name,
        _ => f.name(),
    }
}

/// What the columns found lack or mix: (column index, message) for each problem.
fn layout_problems(fields: &BTreeMap<Field, usize>, items: &[(String, usize)]) -> Vec<(usize, String)> {
    let mut errors = Vec::new();
    let long = fields.contains_key(&Field::Item) || fields.contains_key(&Field::Count);
    if long && !items.is_empty() {
        errors.push((items[0].1, t!("layout.mixed").into_owned()));
    }
    if !long && items.is_empty() {
        errors.push((0, t!("layout.unknown_layout").into_owned()));
    }
    if long {
        for f in [Field::Item, Field::Count] {
            if !fields.contains_key(&f) {
                errors.push((0, t!("layout.long_needs", field = field_words(f)).into_owned()));
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
            let names = names.join(t!("punct.list").as_ref());
            errors.push((
                0,
                t!("layout.missing_column", field = field_words(f), names = names).into_owned(),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> BTreeMap<String, String> {
        [("A01", "A01"), ("私装地锁", "A01"), ("A02", "A02"), ("私搭乱建", "A02")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    const WIDE: [&str; 4] = ["日期", "检查组", "人数", "小区"];

    fn wide_with(extra: &[&str]) -> Result<Layout, Vec<(usize, String)>> {
        let mut h = header(&WIDE);
        h.extend(header(extra));
        detect(&h, &items())
    }

    #[test]
    fn deduction_and_score_columns_are_refused_with_what_to_write() {
        let deduct = "\"私装地锁（扣分）\" is a column of deductions: the tool scores by problem points (places); fill in the number of points, not the deduction";
        assert_eq!(
            wide_with(&["私装地锁（扣分）", "A02"]),
            Err(vec![(4, deduct.to_string())])
        );
        assert_eq!(
            wide_with(&["A02", "合计"]),
            Err(vec![(
                5,
                "\"合计\" is a total, not an item: delete the column or rename it".to_string()
            )])
        );
        assert_eq!(
            wide_with(&["A02", "得分"]),
            Err(vec![(
                5,
                "\"得分\" is a column of scores: the tool scores by problem points (places); fill in the number of points, not the score".to_string()
            )])
        );
        for h in ["私装地锁(扣分)", "扣除分值", "私装地锁 扣分", "A01扣分"] {
            assert!(
                refused_column(h).is_some_and(|m| m.ends_with("not the deduction")),
                "{h}"
            );
        }
        for h in ["分值", "检查分数", "得分（分）"] {
            assert!(refused_column(h).is_some_and(|m| m.ends_with("not the score")), "{h}");
        }
        for h in ["小计", "问题合计", "总计（处）", "总分", "合计(处)"] {
            assert!(refused_column(h).is_some_and(|m| m.contains("is a total")), "{h}");
        }
        for h in ["私装地锁", "私装地锁（处）", "问题点位数（处）", "合计数量", "日期"] {
            assert_eq!(refused_column(h), None, "{h}");
        }
    }

    #[test]
    fn a_deduction_count_column_is_refused_in_a_long_sheet() {
        let errors = detect(&header(&["日期", "检查组", "人数", "小区", "问题项", "扣分"]), &items())
            .expect_err("扣分 is not a count");
        assert_eq!(
            errors[0],
            (
                5,
                "\"扣分\" is a column of deductions: the tool scores by problem points (places); fill in the number of points, not the deduction".to_string()
            )
        );
        assert!(known_column("私装地锁（扣分）", &items()));
        assert!(known_column("合计", &items()));
    }

    #[test]
    fn units_are_dropped_and_full_width_folded() {
        let l = detect(
            &header(&[
                "日期",
                "检查组",
                "人数（人）",
                "小区",
                "问题项",
                "问题点位数（处）",
                "照片（张）",
            ]),
            &items(),
        )
        .expect("a long sheet");
        assert_eq!(l.col(Field::Count), Some(5));
        assert_eq!(l.col(Field::Photos), Some(6));
        let l = wide_with(&["Ａ０１", "私搭乱建（个）"]).expect("a wide sheet");
        assert_eq!(l.items, vec![("A01".to_string(), 4), ("A02".to_string(), 5)]);
        assert!(known_column("ＤＡＴＥ", &items()));
    }

    #[test]
    fn the_names_people_give_team_and_inspectors() {
        for team in ["检查单位", "检查单位名称", "检查组"] {
            let l = detect(&header(&["日期", team, "检查人员", "小区", "A01"]), &items()).expect(team);
            assert_eq!(l.col(Field::Team), Some(1), "{team}");
            assert_eq!(l.col(Field::Inspectors), Some(2), "{team}");
        }
        for who in ["检查人", "参检人员", "检查人员姓名"] {
            let l = detect(&header(&["日期", "检查单位", who, "小区", "A01"]), &items()).expect(who);
            assert_eq!(l.col(Field::Inspectors), Some(2), "{who}");
        }
        let l = detect(
            &header(&["检查单号", "日期", "检查组", "人数", "小区", "A01"]),
            &items(),
        )
        .expect("ids");
        assert_eq!(l.col(Field::VisitId), Some(0));
        // Both a number and the names: the number is read, the names left to people.
        for h in [["人数", "检查人员"], ["检查人员", "人数"]] {
            let l = detect(&header(&["日期", "检查组", h[0], h[1], "小区", "A01"]), &items()).expect("both");
            let number = if h[0] == "人数" { 2 } else { 3 };
            assert_eq!(l.col(Field::Inspectors), Some(number));
        }
        assert_eq!(
            detect(
                &header(&["日期", "检查组", "人数", "检查人数", "小区", "A01"]),
                &items()
            ),
            Err(vec![(
                3,
                "column \"检查人数\" repeats inspectors (already column 3)".to_string()
            )])
        );
    }

    #[test]
    fn an_unknown_unit_header_is_not_taken_for_the_visit_id() {
        assert_eq!(
            wide_with(&["A01", "检查单位名"]),
            Err(vec![(
                5,
                "column \"检查单位名\" is neither a known field nor an item code or name (did you mean \"检查单位名称\" or \"检查单位\"?)"
                    .to_string()
            )])
        );
    }
}
