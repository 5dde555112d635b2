//! `assessor`'s JSON (DESIGN §16): `level`, the `[assessor]` settings it used (`agreement_days`,
//! `alpha`), `coverage`, `agreement {pairs, mean_diff, max_diff,
//! verdict_agreement, kappa, items_only_assessor, items_only_district}`, `appeals {filed,
//! upheld, points_removed, by_street, by_item}`, `teams [{team, visits, points_per_visit,
//! pass_rate, p_pass_rate, p_points, outlier, pairs, mean_diff}]` (the last two: its visits
//! paired with a district check, and their mean score difference), `evidence`. Scores and percentages are
//! strings with 2 decimals; kappa and p-values strings with 4 (a p below 0.00005 shows as
//! "0.0000"); counts are numbers; what cannot be computed is null.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::domain::assessor::{AppealCount, Appeals as DomainAppeals, AssessorReport, Pair};
use crate::model::decimal::fmt2;
use crate::model::registry::Registry;
use crate::model::standards::Standards;

/// The report's own fields.
#[derive(Debug, Serialize)]
pub struct Assessor {
    /// The level assessed (`third_party` unless `--level`).
    pub level: &'static str,
    /// `[assessor] agreement_days`: the most days between the two visits of a pair.
    pub agreement_days: u32,
    /// `[assessor] alpha`: a team is an outlier when a p-value is below it.
    pub alpha: String,
    /// Coverage and cadence.
    pub coverage: Coverage,
    /// Agreement with the district's checks; null when the district is assessed.
    pub agreement: Option<Agreement>,
    /// Appeals against the level's visits.
    pub appeals: Appeals,
    /// The level's teams, by name.
    pub teams: Vec<Team>,
    /// Photos behind the points.
    pub evidence: Evidence,
}

/// `coverage`.
#[derive(Debug, Serialize)]
pub struct Coverage {
    /// month | quarter | half | year.
    pub cadence: &'static str,
    /// Registered compounds, each due in every required window.
    pub compounds: usize,
    /// Distinct compounds with a routine visit of the level in the period.
    pub visited: usize,
    /// The level's routine visits in the period.
    pub visits: u64,
    /// Required windows: `{window, required, visited, missing}`.
    pub windows: Vec<Window>,
}

/// One required window.
#[derive(Debug, Serialize)]
pub struct Window {
    /// The window, as a period.
    pub window: String,
    /// Compounds due.
    pub required: usize,
    /// Compounds visited in it.
    pub visited: usize,
    /// Compounds missed.
    pub missing: usize,
}

/// `agreement`.
#[derive(Debug, Serialize)]
pub struct Agreement {
    /// How many assessed visits found a district visit within `agreement_days`.
    pub pairs: usize,
    /// Mean of assessed − district score.
    pub mean_diff: Option<String>,
    /// Largest |assessed − district|.
    pub max_diff: Option<String>,
    /// Pairs whose verdicts agree, in percent.
    pub verdict_agreement: Option<String>,
    /// Cohen's kappa of the pass/fail table; null when the expected agreement is 1.
    pub kappa: Option<String>,
    /// (pair, item) cases where only the assessed visit found points.
    pub items_only_assessor: u64,
    /// (pair, item) cases where only the district's visit found points.
    pub items_only_district: u64,
    /// The pass/fail table: `{both_pass, assessor_only_pass, district_only_pass, both_fail}`.
    pub verdicts: Verdicts,
    /// Per item: `{item, name, assessor_points, district_points, only_assessor,
    /// only_district}`.
    pub items: Vec<ItemSides>,
    /// Every pair: `{compound_id, assessor: {date, score, verdict}, district: {...}, diff}`.
    pub list: Vec<PairJson>,
}

/// The pass/fail table of the pairs.
#[derive(Debug, Serialize)]
pub struct Verdicts {
    /// Both passed.
    pub both_pass: u64,
    /// The assessed visit passed, the district's failed.
    pub assessor_only_pass: u64,
    /// The district's passed, the assessed failed.
    pub district_only_pass: u64,
    /// Both failed.
    pub both_fail: u64,
}

/// One item's points on each side.
#[derive(Debug, Serialize)]
pub struct ItemSides {
    /// The item's code.
    pub item: String,
    /// Its name.
    pub name: String,
    /// Points found by the assessed visits of the pairs.
    pub assessor_points: u64,
    /// Points found by the district's visits of the pairs.
    pub district_points: u64,
    /// Pairs where only the assessed visit found the item.
    pub only_assessor: u64,
    /// Pairs where only the district's visit found it.
    pub only_district: u64,
}

/// One pair.
#[derive(Debug, Serialize)]
pub struct PairJson {
    /// The compound both visited.
    pub compound_id: String,
    /// The assessed visit.
    pub assessor: Side,
    /// The district's visit.
    pub district: Side,
    /// assessor − district score.
    pub diff: String,
}

/// One side of a pair.
#[derive(Debug, Serialize)]
pub struct Side {
    /// The visit's date.
    pub date: String,
    /// Its score.
    pub score: String,
    /// pass | fail.
    pub verdict: &'static str,
}

/// `appeals`.
#[derive(Debug, Serialize)]
pub struct Appeals {
    /// Appeal rows against the level's visits in the period.
    pub filed: u64,
    /// Decided on or before the as-of date.
    pub decided: u64,
    /// Upheld on or before the as-of date.
    pub upheld: u64,
    /// The upheld appeals' points.
    pub points_removed: u64,
    /// upheld / decided, in percent: the assessor's error rate.
    pub error_rate: Option<String>,
    /// `[{street_id, name, filed, decided, upheld, points_removed}]`.
    pub by_street: Vec<AppealLine>,
    /// `[{item, name, filed, decided, upheld, points_removed}]`.
    pub by_item: Vec<AppealLine>,
}

/// Appeals of one street or one item.
#[derive(Debug, Serialize)]
pub struct AppealLine {
    /// The street id (in `by_street`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_id: Option<String>,
    /// The item code (in `by_item`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The street's or the item's name.
    pub name: String,
    /// Filed.
    pub filed: u64,
    /// Decided.
    pub decided: u64,
    /// Upheld.
    pub upheld: u64,
    /// Points removed.
    pub points_removed: u64,
}

/// One team.
#[derive(Debug, Serialize)]
pub struct Team {
    /// The team's name as recorded.
    pub team: String,
    /// Its routine visits in the period.
    pub visits: u64,
    /// Mean problem points per visit.
    pub points_per_visit: Option<String>,
    /// Passed visits, in percent.
    pub pass_rate: Option<String>,
    /// Fisher's exact p against the rest of the level (null when it has no other team).
    pub p_pass_rate: Option<String>,
    /// Mann–Whitney p against the rest of the level (null when undefined).
    pub p_points: Option<String>,
    /// Some p below `[assessor] alpha`.
    pub outlier: bool,
    /// Its visits paired with a district check.
    pub pairs: u64,
    /// Mean (assessed − district) score over its pairs; null without pairs.
    pub mean_diff: Option<String>,
}

/// `evidence`.
#[derive(Debug, Serialize)]
pub struct Evidence {
    /// The level's routine visits in the period.
    pub visits: u64,
    /// Those with problem points.
    pub visits_with_points: u64,
    /// Their problem points.
    pub problem_points: u64,
    /// Their photos.
    pub photos: u64,
    /// photos / problem points.
    pub photos_per_point: Option<String>,
    /// Visits with points and no photo.
    pub visits_without_photo: u64,
}

/// A p-value or kappa as a string with 4 decimals, half away from zero.
pub fn fmt4(d: Decimal) -> String {
    format!(
        "{:.4}",
        d.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
    )
}

/// A probability with 4 decimals.
pub fn p_text(p: f64) -> Option<String> {
    Decimal::from_f64(p).map(fmt4)
}

impl Assessor {
    /// The JSON value of a report.
    pub fn new(reg: &Registry, standards: &Standards, r: &AssessorReport) -> Assessor {
        Assessor::drawn(reg, standards, r, true)
    }

    /// The value without `agreement.list` (empty): what the bulletin's short section says,
    /// without a line per pair (a national half-year pairs hundreds of thousands of visits).
    pub fn summary(reg: &Registry, standards: &Standards, r: &AssessorReport) -> Assessor {
        Assessor::drawn(reg, standards, r, false)
    }

    fn drawn(reg: &Registry, standards: &Standards, r: &AssessorReport, list: bool) -> Assessor {
        let c = &r.coverage;
        let e = &r.evidence;
        Assessor {
            level: r.level.as_str(),
            agreement_days: r.settings.agreement_days,
            alpha: r.settings.alpha.normalize().to_string(),
            coverage: Coverage {
                cadence: c.cadence.as_str(),
                compounds: c.compounds,
                visited: c.visited,
                visits: c.visits,
                windows: c
                    .windows
                    .iter()
                    .map(|(w, missing)| Window {
                        window: w.to_string(),
                        required: c.compounds,
                        visited: c.compounds - missing,
                        missing: *missing,
                    })
                    .collect(),
            },
            agreement: r.agreement.as_ref().map(|a| agreement(reg, a, list)),
            appeals: appeals(reg, &r.appeals, |code| {
                standards.items.iter().find(|i| i.code == code).map(|i| i.name.clone())
            }),
            teams: r
                .teams
                .iter()
                .map(|t| Team {
                    team: t.team.clone(),
                    visits: t.visits,
                    points_per_visit: t.points_per_visit().map(fmt2),
                    pass_rate: t.pass_rate().map(fmt2),
                    p_pass_rate: t.p_pass_rate.and_then(p_text),
                    p_points: t.p_points.and_then(p_text),
                    outlier: t.outlier,
                    pairs: t.pairs,
                    mean_diff: t.mean_diff.map(fmt2),
                })
                .collect(),
            evidence: Evidence {
                visits: e.visits,
                visits_with_points: e.visits_with_points,
                problem_points: e.points,
                photos: e.photos,
                photos_per_point: e.photos_per_point().map(fmt2),
                visits_without_photo: e.no_photo,
            },
        }
    }
}

fn agreement(reg: &Registry, a: &crate::domain::assessor::Agreement, list: bool) -> Agreement {
    let side = |(date, score, passed): (chrono::NaiveDate, Decimal, bool)| Side {
        date: date.to_string(),
        score: fmt2(score),
        verdict: if passed { "pass" } else { "fail" },
    };
    let pair = |p: &Pair| PairJson {
        compound_id: reg
            .compounds
            .get(p.compound)
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
        assessor: side(p.assessed),
        district: side(p.district),
        diff: fmt2(p.assessed.1 - p.district.1),
    };
    Agreement {
        pairs: a.pairs.len(),
        mean_diff: a.mean_diff.map(fmt2),
        max_diff: a.max_diff.map(fmt2),
        verdict_agreement: a.verdict_agreement.map(fmt2),
        kappa: a.kappa.map(fmt4),
        items_only_assessor: a.items_only_assessed(),
        items_only_district: a.items_only_district(),
        verdicts: Verdicts {
            both_pass: a.table[0],
            assessor_only_pass: a.table[1],
            district_only_pass: a.table[2],
            both_fail: a.table[3],
        },
        items: a
            .items
            .iter()
            .map(|i| ItemSides {
                item: i.code.clone(),
                name: i.name.clone(),
                assessor_points: i.assessed,
                district_points: i.district,
                only_assessor: i.only_assessed,
                only_district: i.only_district,
            })
            .collect(),
        list: if list {
            a.pairs.iter().map(pair).collect()
        } else {
            Vec::new()
        },
    }
}

fn appeals(reg: &Registry, a: &DomainAppeals, item_name: impl Fn(&str) -> Option<String>) -> Appeals {
    let line = |street: Option<String>, item: Option<String>, name: String, n: &AppealCount| AppealLine {
        street_id: street,
        item,
        name,
        filed: n.filed,
        decided: n.decided,
        upheld: n.upheld,
        points_removed: n.points_removed,
    };
    Appeals {
        filed: a.total.filed,
        decided: a.total.decided,
        upheld: a.total.upheld,
        points_removed: a.total.points_removed,
        error_rate: a.total.error_rate().map(fmt2),
        by_street: a
            .by_street
            .iter()
            .map(|(id, n)| {
                let name = reg.street(id).map(|s| s.name.clone()).unwrap_or_default();
                line(Some(id.clone()), None, name, n)
            })
            .collect(),
        by_item: a
            .by_item
            .iter()
            .map(|(code, n)| line(None, Some(code.clone()), item_name(code).unwrap_or_default(), n))
            .collect(),
    }
}
