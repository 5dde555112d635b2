//! `recheck` for people and spreadsheets: the notices and vetoes as tables or CSV (the
//! 整改通知书 documents are in `render::notice`).

use rust_i18n::t;

use super::xlsx::{self, Sheet};
use super::{Cell, Rows};
use crate::domain::recheck::{Outcome, RecheckReport, VetoEffect};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::workspace::StandardsFile;

/// The outcomes as a table writes them, looked up once per table rather than per row: the
/// vocabulary's words for people; the id for scripts (`machine`).
struct OutcomeWords([String; 4]);

impl OutcomeWords {
    const ALL: [Outcome; 4] = [Outcome::Rectified, Outcome::Failed, Outcome::Pending, Outcome::Overdue];

    fn new(lang: Lang, machine: bool) -> OutcomeWords {
        OutcomeWords(Self::ALL.map(|o| match machine {
            false => super::words::outcome(o.as_str(), lang),
            true => o.as_str().to_string(),
        }))
    }

    fn get(&self, o: Outcome) -> &str {
        // ALL lists the outcomes in their declared order.
        &self.0[o as usize]
    }
}

/// The table for people: a title, the notices, and (unless only the notices due soon are
/// listed) the vetoes.
pub fn table(reg: &Registry, r: &RecheckReport, st: &StandardsFile, lang: Lang, with_vetoes: bool) -> String {
    let code = lang.code();
    let title = t!(
        "report.recheck.title",
        locale = code,
        period = r.period,
        as_of = r.as_of,
        file = st.file
    );
    let mut s = format!("{title}\n");
    if r.notices.is_empty() {
        s += &format!("{}\n", t!("report.recheck.none", locale = code));
    } else {
        s += &notice_rows(reg, r, lang, false).to_table();
    }
    if with_vetoes && !r.vetoes.is_empty() {
        s += &format!("\n{}\n", t!("report.recheck.vetoes_heading", locale = code));
        s += &veto_rows(reg, r, lang).to_table();
    }
    s
}

/// One row per notice with its re-inspection. `machine` keeps English headers and raw values
/// for CSV.
pub fn notice_rows(reg: &Registry, r: &RecheckReport, lang: Lang, machine: bool) -> Rows {
    // Scripts read the ids; people, the catalogue's labels.
    let code = lang.code();
    let l = |id: &str, label: &str| String::from(if machine { id } else { label });
    let mut t = Rows::new([
        l("notice_id", &t!("report.recheck.notice.notice_id", locale = code)),
        l("compound_id", &t!("report.recheck.notice.compound_id", locale = code)),
        l("name", &t!("report.recheck.notice.name", locale = code)),
        l("street_id", &t!("report.recheck.notice.street_id", locale = code)),
        l("company_id", &t!("report.recheck.notice.company_id", locale = code)),
        l("date", &t!("report.recheck.notice.date", locale = code)),
        l("score", &t!("report.recheck.notice.score", locale = code)),
        l("red_line", &t!("report.recheck.notice.red_line", locale = code)),
        l("deadline", &t!("report.recheck.notice.deadline", locale = code)),
        l(
            "recheck_visit_id",
            &t!("report.recheck.notice.recheck_visit_id", locale = code),
        ),
        l("recheck_date", &t!("report.recheck.notice.recheck_date", locale = code)),
        l(
            "recheck_score",
            &t!("report.recheck.notice.recheck_score", locale = code),
        ),
        l("late", &t!("report.recheck.notice.late", locale = code)),
        l("outcome", &t!("report.recheck.notice.outcome", locale = code)),
    ]);
    let outcomes = OutcomeWords::new(lang, machine);
    let flag = |b: bool| match (machine, b) {
        (true, b) => b.to_string(),
        (false, true) => "●".into(),
        (false, false) => String::new(),
    };
    for n in &r.notices {
        let name = reg.compound(&n.compound_id).map(|c| c.name.clone()).unwrap_or_default();
        let rc = n.recheck.as_ref();
        t.push(vec![
            Cell::text(&n.notice_id),
            Cell::text(&n.compound_id),
            Cell::text(name),
            Cell::text(&n.street_id),
            Cell::text(&n.company_id),
            Cell::date(n.date),
            Cell::num(fmt2(n.score)),
            Cell::text(flag(n.red_line)),
            Cell::date(n.deadline),
            Cell::text(rc.map(|r| r.visit_id.clone()).unwrap_or_default()),
            Cell::date(rc.map(|r| r.date.to_string()).unwrap_or_default()),
            Cell::num(rc.map(|r| fmt2(r.score)).unwrap_or_default()),
            Cell::text(rc.map(|r| flag(r.late)).unwrap_or_default()),
            Cell::text(outcomes.get(n.outcome)),
        ]);
    }
    t
}

/// The workbook's sheets: the notices with their re-inspections, and the vetoes when any.
pub fn sheets(reg: &Registry, r: &RecheckReport, district: &str, lang: Lang, with_vetoes: bool) -> Vec<Sheet> {
    let title = |what: &str| xlsx::title(district, &r.period, what, lang);
    let line = xlsx::period_as_of_line(r.as_of, &r.period, lang);
    let code = lang.code();
    let mut sheets = vec![Sheet::new(
        &t!("report.recheck.sheet.notices", locale = code),
        title(&t!("report.recheck.sheet.notices_title", locale = code)),
        line.clone(),
        notice_rows(reg, r, lang, false),
    )];
    if with_vetoes && !r.vetoes.is_empty() {
        let name = t!("report.recheck.sheet.vetoes", locale = code);
        sheets.push(Sheet::new(&name, title(&name), line, veto_rows(reg, r, lang)));
    }
    sheets
}

/// One row per vetoed community and year.
pub fn veto_rows(reg: &Registry, r: &RecheckReport, lang: Lang) -> Rows {
    let code = lang.code();
    let mut t = Rows::new([
        t!("report.recheck.veto.community", locale = code),
        t!("report.recheck.veto.name", locale = code),
        t!("report.recheck.veto.year", locale = code),
        t!("report.recheck.veto.effect", locale = code),
        t!("report.recheck.veto.notices", locale = code),
    ]);
    let revoked = t!("report.recheck.effect.revoked", locale = code);
    let ineligible = t!("report.recheck.effect.ineligible", locale = code);
    for v in &r.vetoes {
        let name = reg
            .community(&v.community_id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let effect = match v.effect {
            VetoEffect::Revoked => &revoked,
            VetoEffect::Ineligible => &ineligible,
        };
        t.push(vec![
            Cell::text(&v.community_id),
            Cell::text(name),
            // A year, not a quantity: no thousands separator (Excel showed "2,026").
            Cell::text(v.year.to_string()),
            Cell::text(effect),
            Cell::text(v.notices.join(" ")),
        ]);
    }
    t
}
