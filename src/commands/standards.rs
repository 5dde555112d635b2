//! `oldestate standards diff`: what a change to the standards would do, before it is merged.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::domain::scoring::{CompoundResult, ScoreReport, Verdict};
use crate::error::{Error, Result};
use crate::model::decimal::fmt2;
use crate::model::{parse_as_of, Period};
use crate::render::json::{dec, document, finish, standards as standards_json};
use crate::render::{Cell, Format, Rows};
use crate::workspace::{parse_standards, sha256_hex, StandardsFile, StandardsSet};

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// Standards files: review a change before it is merged.
#[derive(Debug, Subcommand)]
pub enum StandardsCommand {
    Diff(DiffArgs),
}

/// What a standards change would do to scores, verdicts and subsidies.
///
/// Score a period under the workspace's own standards (the working tree: "after") and under
/// alternative ones ("before"): a TOML file, or a git revision (the standards files as they
/// were at REV, the one in force for the period chosen as usual). Lists the compounds whose
/// score, grade or verdict changes, pass/fail totals, street scores, and each street's subsidy
/// where the period has a funds file. Exits 0 when it ran, whatever changed: fit for CI.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The period to score
    #[arg(long)]
    pub period: Period,
    /// The standards to compare with: a TOML file, or a git revision (HEAD, main, a1b2c3d)
    #[arg(long, value_name = "FILE|GIT-REV")]
    pub against: String,
    /// Decide pending against overdue notices (for the subsidy) as of this date (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
}

/// Read the alternative standards for `period`.
fn alternative(loaded: &Loaded, against: &str, period: &Period) -> Result<StandardsFile> {
    let path = Path::new(against);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::msg(format!("{against}: not valid UTF-8")))?;
        let standards = parse_standards(text, None).map_err(|p| located(against, p))?;
        return Ok(StandardsFile {
            file: against.to_string(),
            sha256: sha256_hex(&bytes),
            standards,
        });
    }
    let root = &loaded.ws.root;
    let git = |args: &[&str]| -> std::result::Result<Vec<u8>, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    };
    git(&["rev-parse", "--git-dir"]).map_err(|_| {
        Error::msg(format!(
            "--against {against}: not a file, and {} is not in a git repository, so it cannot be a revision",
            root.display()
        ))
    })?;
    git(&["rev-parse", "--verify", "--quiet", &format!("{against}^{{commit}}")]).map_err(|_| {
        Error::msg(format!(
            "--against {against}: neither a file nor a git revision of {}",
            root.display()
        ))
    })?;
    let listing = git(&["ls-tree", "--name-only", against, "--", "standards/"])
        .map_err(|m| Error::msg(format!("git ls-tree {against}: {m}")))?;
    let mut set = StandardsSet::default();
    for name in String::from_utf8_lossy(&listing).lines() {
        let Some(stem) = name.strip_prefix("standards/").and_then(|n| n.strip_suffix(".toml")) else {
            continue;
        };
        let spec = format!("{against}:./{name}");
        let bytes = git(&["show", &spec]).map_err(|m| Error::msg(format!("git show {spec}: {m}")))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::msg(format!("{spec}: not valid UTF-8")))?;
        let standards = parse_standards(&text, Some(stem)).map_err(|p| located(&spec, p))?;
        set.files.push(StandardsFile {
            file: spec,
            sha256: sha256_hex(&bytes),
            standards,
        });
    }
    set.files.sort_by_key(|f| f.standards.effective_from);
    if set.files.is_empty() {
        return Err(Error::msg(format!(
            "--against {against}: the revision has no standards/*.toml"
        )));
    }
    set.for_period(period)
        .cloned()
        .map_err(|e| Error::msg(format!("at {against}: {e}")))
}

fn located(file: &str, problems: Vec<(Option<u64>, String)>) -> Error {
    let mut d = crate::error::Diagnostics::new();
    for (line, p) in problems {
        d.error(file, line, p);
    }
    d.into_result()
        .err()
        .unwrap_or_else(|| Error::msg(format!("{file}: invalid standards")))
}

/// (score, grade, verdict) of a compound.
type Outcome = (Option<Decimal>, Option<String>, Verdict);

fn outcome(c: &CompoundResult) -> Outcome {
    (c.score, c.grade.as_deref().map(String::from), c.verdict)
}

fn outcome_json(o: &Outcome) -> Value {
    json!({"score": dec(o.0), "grade": o.1, "verdict": o.2.as_str()})
}

fn totals(r: &ScoreReport) -> Value {
    let count = |v: Verdict| r.compounds.iter().filter(|c| c.verdict == v).count();
    json!({"passed": count(Verdict::Pass), "failed": count(Verdict::Fail), "not_assessed": count(Verdict::NotAssessed)})
}

pub fn cmd_standards(ctx: &Context, cmd: &StandardsCommand) -> Result<()> {
    let StandardsCommand::Diff(args) = cmd;
    let format = ctx.format("standards diff", &[Format::Table, Format::Json, Format::Md])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let period = args.period;
    let after_st = loaded.standards_for(&period)?;
    let before_st = alternative(&loaded, &args.against, &period)?;
    let as_of = args.as_of.unwrap_or_else(|| ctx.today());
    // Either side may be a proposal the data were not recorded under: a finding on an item it
    // does not apply is left out (and counted) rather than failing the comparison.
    let before = loaded.score(period, None, &before_st, Inapplicable::LeftOut)?;
    let after = loaded.score(period, None, &after_st, Inapplicable::LeftOut)?;
    let money_before = loaded.subsidy(period, &before_st, None, as_of, Inapplicable::LeftOut)?;
    let money_after = loaded.subsidy(period, &after_st, None, as_of, Inapplicable::LeftOut)?;

    let changes: Vec<(&CompoundResult, Outcome, Outcome)> = before
        .compounds
        .iter()
        .zip(&after.compounds)
        .filter(|&(b, a)| outcome(b) != outcome(a))
        .map(|(b, a)| (a, outcome(b), outcome(a)))
        .collect();
    let streets: Vec<(String, String, Option<Decimal>, Option<Decimal>)> = before
        .streets
        .iter()
        .zip(&after.streets)
        .map(|(b, a)| (a.id.clone(), a.name.clone(), b.score, a.score))
        .collect();
    let money: Option<BTreeMap<String, (Decimal, Decimal)>> = match (&money_before, &money_after) {
        (Some(b), Some(a)) => Some(
            b.by_street(&loaded.registry)
                .into_iter()
                .zip(a.by_street(&loaded.registry))
                .map(|(sb, sa)| (sa.street_id, (sb.amount, sa.amount)))
                .collect(),
        ),
        _ => None,
    };

    let out = match format {
        Format::Json => {
            let mut doc = document(&period, &after_st);
            // `against` is what was compared, as given; the standards it resolved to beside it.
            doc.insert("against".into(), json!(args.against));
            doc.insert("against_standards".into(), standards_json(&before_st));
            doc.insert(
                "changes".into(),
                Value::Array(changes.iter().map(|(c, b, a)| json!({"compound_id": c.compound_id, "name": c.name, "street_id": c.street_id, "before": outcome_json(b), "after": outcome_json(a)})).collect()),
            );
            doc.insert(
                "totals".into(),
                json!({"before": totals(&before), "after": totals(&after)}),
            );
            doc.insert(
                "ignored_points".into(),
                json!({"before": before.ignored_points, "after": after.ignored_points}),
            );
            doc.insert(
                "streets".into(),
                Value::Array(streets.iter().map(|(id, name, b, a)| json!({"street_id": id, "name": name, "before": dec(*b), "after": dec(*a)})).collect()),
            );
            doc.insert(
                "subsidy".into(),
                match &money {
                    None => Value::Null,
                    Some(m) => json!({
                        "as_of": as_of.to_string(),
                        "streets": m.iter().map(|(id, (b, a))| json!({"street_id": id, "before": fmt2(*b), "after": fmt2(*a), "change": fmt2(*a - *b)})).collect::<Vec<_>>(),
                    }),
                },
            );
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(doc, &provenance)
        }
        _ => {
            let md = format == Format::Md;
            let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
            let count = |r: &ScoreReport, v: Verdict| r.compounds.iter().filter(|c| c.verdict == v).count();
            let mut s = format!(
                "{}{} {period}: {} {} ({}) → {} ({})\n\n",
                if md { "### " } else { "" },
                l("标准变更影响", "Standards diff"),
                l("对比", "before"),
                args.against,
                before_st.file,
                after_st.file,
                &after_st.sha256[..12]
            );
            s += &format!(
                "{}: {} {} → {}, {} {} → {}, {} {} → {}\n\n",
                l("合计", "totals"),
                l("合格", "passed"),
                count(&before, Verdict::Pass),
                count(&after, Verdict::Pass),
                l("不合格", "failed"),
                count(&before, Verdict::Fail),
                count(&after, Verdict::Fail),
                l("未评定", "not assessed"),
                count(&before, Verdict::NotAssessed),
                count(&after, Verdict::NotAssessed)
            );
            for (side, r) in [(l("对比标准", "before"), &before), (l("当前标准", "after"), &after)] {
                if r.ignored_points > 0 {
                    s += &format!(
                        "{side}: {} {}\n\n",
                        r.ignored_points,
                        l(
                            "个问题点位所属检查项在该标准下不适用，未计分",
                            "problem point(s) on items these standards do not apply were left out"
                        )
                    );
                }
            }
            let mut t = Rows::new([
                l("小区", "compound"),
                l("名称", "name"),
                l("得分", "score"),
                l("等级", "grade"),
                l("结论", "verdict"),
            ]);
            let arrow = |a: String, b: String| if a == b { a } else { format!("{a} → {b}") };
            for (c, b, a) in &changes {
                let sc = |o: &Outcome| o.0.map(fmt2).unwrap_or_else(|| "—".into());
                let gr = |o: &Outcome| o.1.clone().unwrap_or_else(|| "—".into());
                t.push(vec![
                    Cell::text(&c.compound_id),
                    Cell::text(&c.name),
                    Cell::num(arrow(sc(b), sc(a))),
                    Cell::text(arrow(gr(b), gr(a))),
                    Cell::text(arrow(b.2.as_str().into(), a.2.as_str().into())),
                ]);
            }
            let mut st = Rows::new([
                l("街道", "street"),
                l("名称", "name"),
                l("平均分（前）", "score before"),
                l("平均分（后）", "score after"),
                l("补贴（前）", "subsidy before"),
                l("补贴（后）", "subsidy after"),
            ]);
            for (id, name, b, a) in &streets {
                let m = money.as_ref().and_then(|m| m.get(id));
                st.push(vec![
                    Cell::text(id),
                    Cell::text(name),
                    Cell::num(b.map(fmt2).unwrap_or_default()),
                    Cell::num(a.map(fmt2).unwrap_or_default()),
                    Cell::num(m.map(|(b, _)| fmt2(*b)).unwrap_or_default()),
                    Cell::num(m.map(|(_, a)| fmt2(*a)).unwrap_or_default()),
                ]);
            }
            if md {
                s += &if changes.is_empty() {
                    format!(
                        "{}\n",
                        l(
                            "没有小区的得分、等级或结论发生变化。",
                            "No compound's score, grade or verdict changes."
                        )
                    )
                } else {
                    t.to_markdown()
                };
                s += "\n";
                s += &st.to_markdown();
            } else {
                s += &if changes.is_empty() {
                    format!(
                        "{}\n",
                        l(
                            "没有小区的得分、等级或结论发生变化。",
                            "No compound's score, grade or verdict changes."
                        )
                    )
                } else {
                    t.to_table()
                };
                s += "\n";
                s += &st.to_table();
            }
            s
        }
    };
    emit(out.as_bytes())
}
