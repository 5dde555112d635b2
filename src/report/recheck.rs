//! `recheck`'s JSON (DESIGN §11): the notices with their re-inspections, and the vetoes (the
//! date outcomes are decided on is the document's `as_of`). A
//! notice's record is also listed by the bulletin ([`crate::render::json::notice_json`]).

use serde::Serialize;

use crate::domain::recheck::{self, RecheckReport};
use crate::model::decimal::fmt2;

/// The recheck document's own fields, in their order.
#[derive(Debug, Serialize)]
pub struct Recheck<'a> {
    /// The notices listed (all of the period's, or those due soon).
    pub notices: Vec<Notice<'a>>,
    /// The communities vetoed by failed re-inspections.
    pub vetoes: Vec<Veto<'a>>,
    /// `--due-within`'s days, present only when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_within: Option<u64>,
}

/// A rectification notice (整改通知) and what became of it.
#[derive(Debug, Serialize)]
pub struct Notice<'a> {
    /// The notice's id.
    pub notice_id: &'a str,
    /// The compound inspected.
    pub compound_id: &'a str,
    /// Its community.
    pub community_id: &'a str,
    /// Its street.
    pub street_id: &'a str,
    /// The failing visit.
    pub visit_id: &'a str,
    /// The visit's date.
    pub date: String,
    /// The date to rectify by.
    pub deadline: String,
    /// The visit's score.
    pub score: String,
    /// Whether a red-line item had points.
    pub red_line: bool,
    /// The company under contract, to whom the notice goes.
    pub company_id: &'a str,
    /// The items that cost points.
    pub items: Vec<NoticeItem<'a>>,
    /// The re-inspection, or null before one.
    pub recheck: Option<RecheckVisit<'a>>,
    /// rectified, failed, pending or overdue.
    pub outcome: &'static str,
}

/// An item that cost points on the failing visit.
#[derive(Debug, Serialize)]
pub struct NoticeItem<'a> {
    /// The item's code.
    pub item: &'a str,
    /// The item's name in the standards.
    pub name: &'a str,
    /// Problem points found.
    pub count: u64,
    /// Points deducted.
    pub deduction: String,
    /// Whether the item is a red line.
    pub red_line: bool,
}

/// The re-inspection of a notice.
#[derive(Debug, Serialize)]
pub struct RecheckVisit<'a> {
    /// The re-inspection's visit id.
    pub visit_id: &'a str,
    /// Its date.
    pub date: String,
    /// The level that re-inspected.
    pub level: &'static str,
    /// Its score.
    pub score: String,
    /// Whether a red-line item had points.
    pub red_line: bool,
    /// Whether it came after the deadline.
    pub late: bool,
}

/// A community's one-vote veto (一票否决) for a year.
#[derive(Debug, Serialize)]
pub struct Veto<'a> {
    /// The community vetoed.
    pub community_id: &'a str,
    /// The year.
    pub year: i32,
    /// revoked (the title is withdrawn) or ineligible.
    pub effect: &'static str,
    /// The notices whose re-inspections failed.
    pub notices: &'a [String],
}

impl<'a> Recheck<'a> {
    /// The document of a recheck report, with `--due-within` when it was given.
    pub fn new(r: &'a RecheckReport, due_within: Option<u64>) -> Recheck<'a> {
        Recheck {
            notices: r.notices.iter().map(Notice::from).collect(),
            vetoes: r
                .vetoes
                .iter()
                .map(|v| Veto {
                    community_id: &v.community_id,
                    year: v.year,
                    effect: v.effect.as_str(),
                    notices: &v.notices,
                })
                .collect(),
            due_within,
        }
    }
}

impl<'a> From<&'a recheck::Notice> for Notice<'a> {
    fn from(n: &'a recheck::Notice) -> Notice<'a> {
        Notice {
            notice_id: &n.notice_id,
            compound_id: &n.compound_id,
            community_id: &n.community_id,
            street_id: &n.street_id,
            visit_id: &n.visit_id,
            date: n.date.to_string(),
            deadline: n.deadline.to_string(),
            score: fmt2(n.score),
            red_line: n.red_line,
            company_id: &n.company_id,
            items: n
                .items
                .iter()
                .map(|i| NoticeItem {
                    item: &i.code,
                    name: &i.name,
                    count: i.count,
                    deduction: fmt2(i.deduction),
                    red_line: i.red_line,
                })
                .collect(),
            recheck: n.recheck.as_ref().map(|r| RecheckVisit {
                visit_id: &r.visit_id,
                date: r.date.to_string(),
                level: r.level.as_str(),
                score: fmt2(r.score),
                red_line: r.red_line,
                late: r.late,
            }),
            outcome: n.outcome.as_str(),
        }
    }
}
