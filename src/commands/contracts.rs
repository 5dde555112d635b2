//! `oldestate contracts`: the contracts about to end, with the residents' latest selection.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use chrono::NaiveDate;
use clap::Args;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::domain::selection::{decide_all, SelectionResult};
use crate::error::{Diagnostics, Result};
use crate::model::decimal::fmt2;
use crate::model::parse_as_of;
use crate::model::records::Lang;
use crate::model::registry::Contract;
use crate::render::{Cell, Format, Rows};
use crate::workspace;

use super::loaded::Loaded;
use super::{emit, Context};

/// Contracts ending soon, with the residents' latest selection.
///
/// Contracts ending within DAYS after the as-of date, soonest first (合同到期: the residents
/// choose a company again, 居民选, and the residents' committee signs, 社区签), each with the
/// compound's latest selection: valid or not, participation, and the winner. A morning cron
/// job: `oldestate contracts -q --format csv`.
#[derive(Debug, Args)]
pub struct ContractsArgs {
    /// The day to count from (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// How far ahead to look, in days
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    pub expiring_within: u32,
}

/// A contract ending soon, with what the residents decided.
struct Expiring<'a> {
    contract: &'a Contract,
    days_left: i64,
    selection: Option<&'a SelectionResult>,
}

pub fn cmd_contracts(ctx: &Context, args: &ContractsArgs) -> Result<()> {
    let format = ctx.format("contracts", &[Format::Table, Format::Csv, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let as_of = args.as_of.unwrap_or_else(|| ctx.today());
    let mut d = Diagnostics::new();
    let votes = workspace::load_selections(&loaded.ws, &mut d)?;
    d.into_result()?;
    loaded.inputs.add_file(&loaded.ws, "data/selections.csv")?;
    let reg = &loaded.registry;
    let results = decide_all(&votes, reg, loaded.settings.quorum, loaded.settings.majority);
    let mut expiring: Vec<Expiring<'_>> = reg
        .contracts
        .iter()
        .filter_map(|k| {
            let days_left = (k.end - as_of).num_days();
            (days_left >= 0 && days_left <= i64::from(args.expiring_within)).then_some((k, days_left))
        })
        .map(|(k, days_left)| Expiring {
            contract: k,
            days_left,
            selection: results
                .iter()
                .filter(|s| *s.compound_id == *k.compound_id)
                .max_by_key(|s| (s.held_on, s.selection_id.clone())),
        })
        .collect();
    expiring.sort_by(|a, b| (a.days_left, &a.contract.compound_id).cmp(&(b.days_left, &b.contract.compound_id)));
    let out = match format {
        Format::Json => {
            let mut doc = serde_json::Map::new();
            doc.insert("as_of".into(), json!(as_of.to_string()));
            doc.insert("expiring_within".into(), json!(args.expiring_within));
            doc.insert(
                "expiring".into(),
                Value::Array(
                    expiring
                        .iter()
                        .map(|e| {
                            let c = reg.compound(&e.contract.compound_id);
                            json!({
                                "compound_id": e.contract.compound_id,
                                "name": c.map(|c| c.name.clone()),
                                "community_id": c.map(|c| c.community_id.clone()),
                                "street_id": c.and_then(|c| reg.street_of_compound(c)).map(|s| s.id.clone()),
                                "company_id": e.contract.company_id,
                                "service_grade": e.contract.service_grade,
                                "end": e.contract.end.to_string(),
                                "days_left": e.days_left,
                                "selection": e.selection.map(|s| json!({
                                    "selection_id": s.selection_id, "held_on": s.held_on.to_string(), "valid": s.valid, "winner": s.winner,
                                    "households": s.households, "area_m2": fmt2(s.area_m2),
                                    "participation": c.map(|c| participation(s, c.households, c.area_m2)),
                                })),
                            })
                        })
                        .collect(),
                ),
            );
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            doc.insert("provenance".into(), crate::render::json::provenance(&provenance));
            let mut s = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
            s.push('\n');
            s
        }
        _ => {
            let machine = format == Format::Csv;
            let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
            let mut t = Rows::new([
                l("小区", "compound_id"),
                l("名称", "name"),
                l("社区", "community"),
                l("街道", "street"),
                l("物业公司", "company_id"),
                l("服务等级", "service_grade"),
                l("到期日", "end"),
                l("剩余天数", "days_left"),
                l("选聘", "selection_id"),
                l("选聘日期", "held_on"),
                l("有效", "valid"),
                l("参与户数%", "households_pct"),
                l("参与面积%", "area_pct"),
                l("选定企业", "winner"),
            ]);
            for e in &expiring {
                let c = reg.compound(&e.contract.compound_id);
                let s = e.selection;
                let pct = |part: Decimal, whole: Decimal| {
                    if whole.is_zero() {
                        String::new()
                    } else {
                        fmt2(part * Decimal::ONE_HUNDRED / whole)
                    }
                };
                t.push(vec![
                    Cell::text(&e.contract.compound_id),
                    Cell::text(c.map(|c| c.name.clone()).unwrap_or_default()),
                    Cell::text(
                        c.and_then(|c| reg.community(&c.community_id))
                            .map(|k| k.name.clone())
                            .unwrap_or_default(),
                    ),
                    Cell::text(
                        c.and_then(|c| reg.street_of_compound(c))
                            .map(|k| k.name.clone())
                            .unwrap_or_default(),
                    ),
                    Cell::text(&e.contract.company_id),
                    Cell::num(e.contract.service_grade),
                    Cell::text(e.contract.end.to_string()),
                    Cell::num(e.days_left),
                    Cell::text(s.map(|s| s.selection_id.clone()).unwrap_or_default()),
                    Cell::text(s.map(|s| s.held_on.to_string()).unwrap_or_default()),
                    Cell::text(
                        s.map(|s| {
                            if machine {
                                s.valid.to_string()
                            } else {
                                lang.pick(
                                    if s.valid { "有效" } else { "无效" },
                                    if s.valid { "yes" } else { "no" },
                                )
                                .to_string()
                            }
                        })
                        .unwrap_or_default(),
                    ),
                    Cell::num(match (s, c) {
                        (Some(s), Some(c)) => pct(Decimal::from(s.households), Decimal::from(c.households)),
                        _ => String::new(),
                    }),
                    Cell::num(match (s, c) {
                        (Some(s), Some(c)) => pct(s.area_m2, c.area_m2),
                        _ => String::new(),
                    }),
                    Cell::text(
                        s.map(|s| {
                            s.winner.clone().unwrap_or_else(|| {
                                if machine {
                                    String::new()
                                } else {
                                    lang.pick("无", "none").to_string()
                                }
                            })
                        })
                        .unwrap_or_default(),
                    ),
                ]);
            }
            if machine {
                t.to_csv()
            } else {
                let head = match lang {
                    Lang::Zh => format!(
                        "{} 起 {} 天内到期的物业服务合同：{} 份\n",
                        as_of,
                        args.expiring_within,
                        expiring.len()
                    ),
                    Lang::En => format!(
                        "Contracts ending within {} days of {as_of}: {}\n",
                        args.expiring_within,
                        expiring.len()
                    ),
                };
                if expiring.is_empty() {
                    head
                } else {
                    head + &t.to_table()
                }
            }
        }
    };
    emit(out.as_bytes())
}

/// Participation shares, in percent of the compound's households and area.
fn participation(s: &SelectionResult, households: u64, area: Decimal) -> Value {
    let pct = |part: Decimal, whole: Decimal| {
        if whole.is_zero() {
            Value::Null
        } else {
            Value::String(fmt2(part * Decimal::ONE_HUNDRED / whole))
        }
    };
    json!({"households": pct(Decimal::from(s.households), Decimal::from(households)), "area": pct(s.area_m2, area)})
}
