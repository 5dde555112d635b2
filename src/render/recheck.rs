//! `recheck` for people and spreadsheets: the notices and vetoes as tables or CSV (the
//! 整改通知书 documents are in `render::notice`).

use super::xlsx::{self, Sheet};
use super::{Cell, Rows};
use crate::domain::recheck::{Outcome, RecheckReport};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::workspace::StandardsFile;

/// An outcome in the reader's language.
pub fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match lang {
        Lang::En => o.as_str(),
        Lang::Zh => match o {
            Outcome::Rectified => "整改到位",
            Outcome::Failed => "复检不合格",
            Outcome::Pending => "待复检",
            Outcome::Overdue => "逾期未复检",
        },
    }
}

/// The table for people: a title, the notices, and (unless only the notices due soon are
/// listed) the vetoes.
pub fn table(reg: &Registry, r: &RecheckReport, st: &StandardsFile, lang: Lang, with_vetoes: bool) -> String {
    let mut s = match lang {
        Lang::Zh => format!(
            "{} 整改通知与复检（数据截至 {}，标准 {}）\n",
            r.period, r.as_of, st.file
        ),
        Lang::En => format!(
            "Rectification notices for {} (data as of {}; standards {})\n",
            r.period, r.as_of, st.file
        ),
    };
    if r.notices.is_empty() {
        s += lang.pick("（无）\n", "(none)\n");
    } else {
        s += &notice_rows(reg, r, lang, false).to_table();
    }
    if with_vetoes && !r.vetoes.is_empty() {
        s += &format!("\n{}\n", lang.pick("一票否决", "Vetoes (one-vote veto)"));
        s += &veto_rows(reg, r, lang).to_table();
    }
    s
}

/// One row per notice with its re-inspection. `machine` keeps English headers and raw values
/// for CSV.
pub fn notice_rows(reg: &Registry, r: &RecheckReport, lang: Lang, machine: bool) -> Rows {
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    let mut t = Rows::new([
        l("通知编号", "notice_id"),
        l("小区", "compound_id"),
        l("名称", "name"),
        l("街道", "street_id"),
        l("物业公司", "company_id"),
        l("检查日期", "date"),
        l("得分", "score"),
        l("红线", "red_line"),
        l("整改期限", "deadline"),
        l("复检", "recheck_visit_id"),
        l("复检日期", "recheck_date"),
        l("复检得分", "recheck_score"),
        l("逾期复检", "late"),
        l("结果", "outcome"),
    ]);
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
            Cell::text(if machine {
                n.outcome.as_str()
            } else {
                outcome_label(n.outcome, lang)
            }),
        ]);
    }
    t
}

/// The workbook's sheets: the notices with their re-inspections, and the vetoes when any.
pub fn sheets(reg: &Registry, r: &RecheckReport, district: &str, lang: Lang, with_vetoes: bool) -> Vec<Sheet> {
    let title = |what| xlsx::title(district, &r.period, what, lang);
    let line = xlsx::as_of_line(r.as_of, lang);
    let mut sheets = vec![Sheet::new(
        lang.pick("整改通知", "Notices"),
        title(lang.pick("整改通知与复检", "rectification notices")),
        line.clone(),
        notice_rows(reg, r, lang, false),
    )];
    if with_vetoes && !r.vetoes.is_empty() {
        let name = lang.pick("一票否决", "Vetoes");
        sheets.push(Sheet::new(name, title(name), line, veto_rows(reg, r, lang)));
    }
    sheets
}

/// One row per vetoed community and year.
pub fn veto_rows(reg: &Registry, r: &RecheckReport, lang: Lang) -> Rows {
    let mut t = Rows::new([
        lang.pick("社区", "community"),
        lang.pick("名称", "name"),
        lang.pick("年度", "year"),
        lang.pick("效果", "effect"),
        lang.pick("通知", "notices"),
    ]);
    for v in &r.vetoes {
        let name = reg
            .community(&v.community_id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let effect = match (lang, v.effect.as_str()) {
            (Lang::Zh, "revoked") => "撤销美丽社区称号",
            (Lang::Zh, _) => "取消当年评选资格",
            (Lang::En, e) => e,
        };
        t.push(vec![
            Cell::text(&v.community_id),
            Cell::text(name),
            Cell::num(v.year),
            Cell::text(effect),
            Cell::text(v.notices.join(" ")),
        ]);
    }
    t
}
