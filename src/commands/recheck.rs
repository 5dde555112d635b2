//! `oldestate recheck`: rectification notices, their re-inspections, and the vetoes.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use clap::Args;
use serde_json::{json, Value};

use crate::domain::recheck::{Notice, Outcome, RecheckReport};
use crate::error::{Error, Result};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::model::{parse_as_of, Period};
use crate::render::json::{document, finish, notice_json};
use crate::render::{Cell, Format, Rows};
use crate::workspace::StandardsFile;

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// Rectification notices, re-inspections and vetoes for a period.
///
/// Rectification (限期整改): every failing official routine visit of the period gets a notice
/// with a deadline; its re-inspection is the compound's first recheck visit after it, at any
/// level, wherever it lies in the store. Outcomes: rectified, failed (late flagged), pending or
/// overdue as of --as-of. A failed re-inspection vetoes the community's 美丽社区 for that year.
#[derive(Debug, Args)]
pub struct RecheckArgs {
    /// The period whose failing visits get notices
    #[arg(long)]
    pub period: Period,
    /// Decide pending against overdue as of this date (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// Write one notice document per notice into DIR (DIR/<notice_id>.md)
    #[arg(long, value_name = "DIR")]
    pub notices: Option<PathBuf>,
    /// Only the pending notices whose deadline falls within DAYS after the as-of date, soonest first
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<u64>,
}

pub fn cmd_recheck(ctx: &Context, args: &RecheckArgs) -> Result<()> {
    let format = ctx.format("recheck", &[Format::Table, Format::Csv, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let as_of = args.as_of.unwrap_or_else(|| ctx.today());
    let mut report = loaded.rechecks(args.period, as_of, &standards, Inapplicable::Refused)?;
    if let Some(dir) = &args.notices {
        let docs: Vec<(String, String)> = report
            .notices
            .iter()
            .map(|n| {
                Ok((
                    file_name(&n.notice_id)?,
                    notice_document(&loaded, &standards, n, as_of, lang),
                ))
            })
            .collect::<Result<_>>()?;
        let written = write_documents(dir, &docs)?;
        ctx.note(format!(
            "{} notice document(s) in {} ({written} written or changed)",
            docs.len(),
            dir.display()
        ));
    }
    if let Some(days) = args.due_within {
        let horizon = as_of.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX);
        report
            .notices
            .retain(|n| n.outcome == Outcome::Pending && n.deadline <= horizon);
        report
            .notices
            .sort_by(|a, b| (a.deadline, &a.notice_id).cmp(&(b.deadline, &b.notice_id)));
    }
    let out = match format {
        Format::Json => {
            let mut doc = to_json(&report, &standards);
            if let Some(d) = args.due_within {
                doc.insert("due_within".into(), json!(d));
            }
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(doc, &provenance)
        }
        Format::Csv => notice_rows(&loaded.registry, &report, lang, true).to_csv(),
        _ => {
            let mut s = match lang {
                Lang::Zh => format!(
                    "{} 整改通知与复检（截至 {as_of}，标准 {}）\n",
                    report.period, standards.file
                ),
                Lang::En => format!(
                    "Rectification notices for {} as of {as_of} (standards {})\n",
                    report.period, standards.file
                ),
            };
            if report.notices.is_empty() {
                s += lang.pick("（无）\n", "(none)\n");
            } else {
                s += &notice_rows(&loaded.registry, &report, lang, false).to_table();
            }
            if args.due_within.is_none() && !report.vetoes.is_empty() {
                s += &format!("\n{}\n", lang.pick("一票否决", "Vetoes (one-vote veto)"));
                let mut t = Rows::new([
                    lang.pick("社区", "community"),
                    lang.pick("名称", "name"),
                    lang.pick("年度", "year"),
                    lang.pick("效果", "effect"),
                    lang.pick("通知", "notices"),
                ]);
                for v in &report.vetoes {
                    let name = loaded
                        .registry
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
                s += &t.to_table();
            }
            s
        }
    };
    emit(out.as_bytes())
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
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

fn notice_rows(reg: &Registry, r: &RecheckReport, lang: Lang, machine: bool) -> Rows {
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
    for n in &r.notices {
        let name = reg.compound(&n.compound_id).map(|c| c.name.clone()).unwrap_or_default();
        let rc = n.recheck.as_ref();
        let flag = |b: bool| {
            if machine {
                b.to_string()
            } else if b {
                "●".into()
            } else {
                String::new()
            }
        };
        t.push(vec![
            Cell::text(&n.notice_id),
            Cell::text(&n.compound_id),
            Cell::text(name),
            Cell::text(&n.street_id),
            Cell::text(&n.company_id),
            Cell::text(n.date.to_string()),
            Cell::num(fmt2(n.score)),
            Cell::text(flag(n.red_line)),
            Cell::text(n.deadline.to_string()),
            Cell::text(rc.map(|r| r.visit_id.clone()).unwrap_or_default()),
            Cell::text(rc.map(|r| r.date.to_string()).unwrap_or_default()),
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

/// The JSON document of DESIGN §11.
pub fn to_json(r: &RecheckReport, st: &StandardsFile) -> serde_json::Map<String, Value> {
    let mut doc = document(&r.period, st);
    doc.insert("as_of".into(), json!(r.as_of.to_string()));
    doc.insert(
        "notices".into(),
        Value::Array(r.notices.iter().map(notice_json).collect()),
    );
    doc.insert(
        "vetoes".into(),
        Value::Array(
            r.vetoes
                .iter()
                .map(|v| json!({"community_id": v.community_id, "year": v.year, "effect": v.effect.as_str(), "notices": v.notices}))
                .collect(),
        ),
    );
    doc
}

/// A notice id as a file name: ids come from the store, so anything that could leave the
/// directory (separators, `..`, a leading dot) is refused rather than followed.
fn file_name(notice_id: &str) -> Result<String> {
    let safe = !notice_id.starts_with('.')
        && notice_id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !notice_id.contains("..");
    if safe {
        Ok(format!("{notice_id}.md"))
    } else {
        Err(Error::msg(format!(
            "notice id \"{notice_id}\" cannot be a file name (only letters, digits, '-', '_' and single dots): rename the visit in the store"
        )))
    }
}

/// Write documents into `dir`, each only when its content changed, each through a temporary
/// file renamed into place. Returns how many were written.
fn write_documents(dir: &Path, docs: &[(String, String)]) -> Result<usize> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut written = 0;
    for (name, text) in docs {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
        std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        written += 1;
    }
    Ok(written)
}

fn zh_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// A 整改通知书 for one notice, in Markdown.
fn notice_document(loaded: &Loaded, st: &StandardsFile, n: &Notice, as_of: NaiveDate, lang: Lang) -> String {
    let reg = &loaded.registry;
    let compound = reg.compound(&n.compound_id);
    let cname = compound.map_or("", |c| &*c.name);
    let community = reg.community(&n.community_id).map_or("", |c| c.name.as_str());
    let street = reg.street(&n.street_id).map_or("", |s| s.name.as_str());
    let company = reg.company(&n.company_id).map_or("", |c| c.name.as_str());
    let district = &loaded.settings.district;
    let esc = crate::render::md_escape;
    let mut s = String::new();
    match lang {
        Lang::Zh => {
            s += "# 限期整改通知书\n\n";
            s += &format!("编号：{}\n\n", esc(&n.notice_id));
            s += &format!("{}（{}）：\n\n", esc(company), esc(&n.company_id));
            let red = if n.red_line {
                "，且存在红线项问题，实行一票否决"
            } else {
                ""
            };
            s += &format!(
                "{}，检查组（检查编号 {}）对你公司服务的{}{}{}（{}）进行检查，得分 {} 分，低于合格线 {} 分{red}。存在以下问题：\n\n",
                zh_date(n.date), esc(&n.visit_id), esc(street), esc(community), esc(cname), esc(&n.compound_id), fmt2(n.score), st.standards.pass_mark
            );
            s += "| 检查项 | 名称 | 问题点位 | 扣分 |\n|---|---|---:|---:|\n";
            for i in &n.items {
                s += &format!(
                    "| {}{} | {} | {} | {} |\n",
                    esc(&i.code),
                    if i.red_line { "（红线）" } else { "" },
                    esc(&i.name),
                    i.count,
                    i.deduction
                );
            }
            s += &format!("\n请于 **{}** 前完成整改。逾期未整改或复检仍不合格的，对所在社区实行一票否决：取消当年“美丽社区”评选资格，已获称号的予以撤销。\n\n", zh_date(n.deadline));
            s += "## 复检情况\n\n";
            s += &match (&n.recheck, n.outcome) {
                (Some(r), o) => format!(
                    "{} 复检（{}），得分 {} 分：{}{}。\n",
                    zh_date(r.date),
                    esc(&r.visit_id),
                    fmt2(r.score),
                    outcome_label(o, lang),
                    if r.late { "（复检晚于整改期限）" } else { "" }
                ),
                (None, o) => format!("截至 {}，尚未复检：{}。\n", zh_date(as_of), outcome_label(o, lang)),
            };
            s += &format!(
                "\n{} 民政局\n\n依据：{}（{}）\n",
                esc(district),
                esc(&st.standards.title),
                esc(&st.file)
            );
        }
        Lang::En => {
            s += "# Rectification notice\n\n";
            s += &format!("Notice: {}\n\n", esc(&n.notice_id));
            s += &format!("To: {} ({})\n\n", esc(company), esc(&n.company_id));
            let red = if n.red_line {
                ", with a point on a red-line item"
            } else {
                ""
            };
            s += &format!(
                "On {}, inspection {} of {} ({}), {}, {}, which your company serves, scored {} against a pass mark of {}{red}. Problems found:\n\n",
                n.date, esc(&n.visit_id), esc(cname), esc(&n.compound_id), esc(community), esc(street), fmt2(n.score), st.standards.pass_mark
            );
            s += "| Item | Name | Points | Deduction |\n|---|---|---:|---:|\n";
            for i in &n.items {
                s += &format!(
                    "| {}{} | {} | {} | {} |\n",
                    esc(&i.code),
                    if i.red_line { " (red line)" } else { "" },
                    esc(&i.name),
                    i.count,
                    i.deduction
                );
            }
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
                (None, o) => format!("Not re-inspected as of {as_of}: {}.\n", o.as_str()),
            };
            s += &format!(
                "\n{} Civil Affairs Bureau\n\nStandards: {} ({})\n",
                esc(district),
                esc(&st.standards.title),
                esc(&st.file)
            );
        }
    }
    s
}
