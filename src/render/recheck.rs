//! `recheck` for people and spreadsheets: the notices and vetoes as tables or CSV, and the
//! rectification notice (限期整改通知书) as a Markdown document, one per notice.

use chrono::NaiveDate;

use super::xlsx::{self, Sheet};
use super::zh_date;
use super::{md_escape as esc, Cell, Rows};
use crate::domain::recheck::{Notice, Outcome, RecheckReport};
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

/// What a notice document says, its names resolved from the registry.
struct NoticeDoc<'a> {
    n: &'a Notice,
    st: &'a StandardsFile,
    as_of: NaiveDate,
    district: &'a str,
    compound: &'a str,
    community: &'a str,
    street: &'a str,
    company: &'a str,
}

/// A 整改通知书 for one notice, in Markdown; every name from the store is escaped.
pub fn notice_document(
    reg: &Registry,
    district: &str,
    st: &StandardsFile,
    n: &Notice,
    as_of: NaiveDate,
    lang: Lang,
) -> String {
    let d = NoticeDoc {
        n,
        st,
        as_of,
        district,
        compound: reg.compound(&n.compound_id).map_or("", |c| &*c.name),
        community: reg.community(&n.community_id).map_or("", |c| c.name.as_str()),
        street: reg.street(&n.street_id).map_or("", |s| s.name.as_str()),
        company: reg.company(&n.company_id).map_or("", |c| c.name.as_str()),
    };
    match lang {
        Lang::Zh => notice_zh(&d),
        Lang::En => notice_en(&d),
    }
}

/// The items that cost points, as a Markdown table; `red` marks a red-line item.
fn items_table(n: &Notice, header: &str, red: &str) -> String {
    let mut s = format!("{header}\n|---|---|---:|---:|\n");
    for i in &n.items {
        s += &format!(
            "| {}{} | {} | {} | {} |\n",
            esc(&i.code),
            if i.red_line { red } else { "" },
            esc(&i.name),
            i.count,
            i.deduction
        );
    }
    s
}

/// The notice in Chinese.
fn notice_zh(d: &NoticeDoc<'_>) -> String {
    let n = d.n;
    let mut s = "# 限期整改通知书\n\n".to_string();
    s += &format!("编号：{}\n\n", esc(&n.notice_id));
    s += &format!("{}（{}）：\n\n", esc(d.company), esc(&n.company_id));
    let red = if n.red_line {
        "，且存在红线项问题，实行一票否决"
    } else {
        ""
    };
    s += &format!(
        "{}，检查组（检查编号 {}）对你公司服务的{}{}{}（{}）进行检查，得分 {} 分，低于合格线 {} 分{red}。存在以下问题：\n\n",
        zh_date(n.date), esc(&n.visit_id), esc(d.street), esc(d.community), esc(d.compound), esc(&n.compound_id), fmt2(n.score), d.st.standards.pass_mark
    );
    s += &items_table(n, "| 检查项 | 名称 | 问题点位 | 扣分 |", "（红线）");
    s += &format!("\n请于 **{}** 前完成整改。逾期未整改或复检仍不合格的，对所在社区实行一票否决：取消当年“美丽社区”评选资格，已获称号的予以撤销。\n\n", zh_date(n.deadline));
    s += "## 复检情况\n\n";
    s += &match (&n.recheck, n.outcome) {
        (Some(r), o) => format!(
            "{} 复检（{}），得分 {} 分：{}{}。\n",
            zh_date(r.date),
            esc(&r.visit_id),
            fmt2(r.score),
            outcome_label(o, Lang::Zh),
            if r.late { "（复检晚于整改期限）" } else { "" }
        ),
        (None, o) => format!(
            "截至 {}，尚未复检：{}。\n",
            zh_date(d.as_of),
            outcome_label(o, Lang::Zh)
        ),
    };
    s += &format!(
        "\n{} 民政局\n\n依据：{}（{}）\n",
        esc(d.district),
        esc(&d.st.standards.title),
        esc(&d.st.file)
    );
    s
}

/// The notice in English.
fn notice_en(d: &NoticeDoc<'_>) -> String {
    let n = d.n;
    let mut s = "# Rectification notice\n\n".to_string();
    s += &format!("Notice: {}\n\n", esc(&n.notice_id));
    s += &format!("To: {} ({})\n\n", esc(d.company), esc(&n.company_id));
    let red = if n.red_line {
        ", with a point on a red-line item"
    } else {
        ""
    };
    s += &format!(
        "On {}, inspection {} of {} ({}), {}, {}, which your company serves, scored {} against a pass mark of {}{red}. Problems found:\n\n",
        n.date, esc(&n.visit_id), esc(d.compound), esc(&n.compound_id), esc(d.community), esc(d.street), fmt2(n.score), d.st.standards.pass_mark
    );
    s += &items_table(n, "| Item | Name | Points | Deduction |", " (red line)");
    s += &format!("\nRectify by **{}**. If the re-inspection fails, the community's 美丽社区 (beautiful community) title is vetoed for the year.\n\n", n.deadline);
    s += "## Re-inspection\n\n";
    s += &match (&n.recheck, n.outcome) {
        (Some(r), o) => format!(
            "Re-inspected on {} ({}), score {}: {}{}.\n",
            r.date,
            esc(&r.visit_id),
            fmt2(r.score),
            o.as_str(),
            if r.late { " (after the deadline)" } else { "" }
        ),
        (None, o) => format!("Not re-inspected as of {}: {}.\n", d.as_of, o.as_str()),
    };
    s += &format!(
        "\n{} Civil Affairs Bureau\n\nStandards: {} ({})\n",
        esc(d.district),
        esc(&d.st.standards.title),
        esc(&d.st.file)
    );
    s
}
