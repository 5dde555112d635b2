//! Make the example sheets of `examples/sheets/`: July 2026 inspections of the demo district
//! in the three forms the bureau receives them, to show and test the monthly import routine.
//!
//! - `2026-07-community-S01.csv`: the residents' committees of 劝业场街, one row per visit and
//!   one column per item name, GB18030 with CRLF line ends, as Excel in China saves "CSV";
//! - `2026-07-street-S02.xlsx`: 小白楼街's street office, one row per visit and one column per
//!   item code, real date cells;
//! - `2026-07-third-party-S03.csv`: the assessor's long sheet for 五大道街, one row per finding,
//!   UTF-8, with level and purpose in Chinese.
//!
//! Run from the repository root: `cargo run --example july_sheets`. Deterministic: the same
//! demo workspace gives the same bytes.

#[path = "kit/mod.rs"]
mod kit;

use std::error::Error;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use kit::calendar::{date, workdays};
use kit::rng::XorShift64Star as Rng;
use oldestate::model::registry::{Compound, Registry};
use oldestate::model::standards::Standards;
use oldestate::workspace::Workspace;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// One visit for a sheet: date, team, inspectors, compound, (item code, count) findings, photos.
struct Visit<'a> {
    date: NaiveDate,
    team: String,
    inspectors: u32,
    compound: &'a Compound,
    findings: Vec<(String, u64)>,
    photos: u64,
}

/// Visits to the compounds of one street, a few findings each on items of their grade.
fn visits<'a>(
    reg: &'a Registry,
    st: &Standards,
    street: &str,
    team: impl Fn(&Compound) -> String,
    rng: &mut Rng,
) -> Vec<Visit<'a>> {
    let days = workdays(date(2026, 7, 1), date(2026, 7, 31));
    let mut out = Vec::new();
    for c in reg
        .compounds
        .iter()
        .filter(|c| reg.street_of_compound(c).is_some_and(|s| s.id == street))
    {
        let date = days[rng.below(days.len() as u64) as usize];
        let Some(contract) = reg.contract_on(&c.id, date) else {
            continue;
        };
        let items: Vec<&str> = st
            .items
            .iter()
            .filter(|i| i.applies(contract.service_grade) && !i.red_line)
            .map(|i| i.code.as_str())
            .collect();
        let mut findings: Vec<(String, u64)> = Vec::new();
        for _ in 0..rng.below(4) {
            let code = items[rng.below(items.len() as u64) as usize];
            if !findings.iter().any(|(c, _)| c == code) {
                findings.push((code.to_string(), 1 + rng.below(3)));
            }
        }
        findings.sort();
        out.push(Visit {
            date,
            team: team(c),
            inspectors: 2 + rng.below(2) as u32,
            compound: c,
            findings,
            photos: 3 + rng.below(10),
        });
    }
    out.sort_by(|a, b| (a.date, &a.compound.id).cmp(&(b.date, &b.compound.id)));
    out
}

fn community_sheet(reg: &Registry, st: &Standards, rng: &mut Rng, path: &Path) -> Result<(), Box<dyn Error>> {
    let vs = visits(
        reg,
        st,
        "S01",
        |c| {
            format!(
                "{}检查组",
                reg.community(&c.community_id).map_or("", |k| k.name.as_str())
            )
        },
        rng,
    );
    // Excel in China ends "CSV" lines with CRLF; the csv crate quotes what needs quoting.
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["序号", "检查日期", "检查组", "检查人数", "小区名称"];
    header.extend(st.items.iter().map(|i| i.name.as_str()));
    header.extend(["照片数", "备注"]);
    w.write_record(&header)?;
    for (n, v) in vs.iter().enumerate() {
        let note = if v.findings.len() >= 3 {
            "多处问题，已拍照留存，\"限期整改\""
        } else {
            ""
        };
        // Residents' committees write dates the way they type them.
        let typed = format!("{}/{}/{}", v.date.year(), v.date.month(), v.date.day());
        let mut row = vec![
            (n + 1).to_string(),
            typed,
            v.team.clone(),
            v.inspectors.to_string(),
            v.compound.name.to_string(),
        ];
        row.extend(st.items.iter().map(|i| {
            v.findings
                .iter()
                .find(|(c, _)| *c == i.code)
                .map_or(String::new(), |(_, k)| k.to_string())
        }));
        row.extend([v.photos.to_string(), note.to_string()]);
        w.write_record(&row)?;
    }
    let text = String::from_utf8(w.into_inner().map_err(|e| e.into_error())?)?;
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable, "every character is in GB18030");
    std::fs::write(path, bytes)?;
    Ok(())
}

fn street_sheet(reg: &Registry, st: &Standards, rng: &mut Rng, path: &Path) -> Result<(), Box<dyn Error>> {
    let vs = visits(reg, st, "S02", |_| "小白楼街检查组".to_string(), rng);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2026, 8, 1)?));
    let sheet = wb.add_worksheet();
    sheet.set_name("7月街道检查")?;
    let date = Format::new().set_num_format("yyyy/m/d");
    let mut header = vec!["日期", "检查组", "人数", "小区"];
    header.extend(st.items.iter().map(|i| i.code.as_str()));
    header.push("照片");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, v) in vs.iter().enumerate() {
        let r = r as u32 + 1;
        let d = ExcelDateTime::from_ymd(v.date.year() as u16, v.date.month() as u8, v.date.day() as u8)?;
        sheet.write_datetime_with_format(r, 0, d, &date)?;
        sheet.write_string(r, 1, &v.team)?;
        sheet.write_number(r, 2, f64::from(v.inspectors))?;
        // Streets refer to compounds by alias where they have one.
        sheet.write_string(
            r,
            3,
            v.compound.aliases.first().map_or(&*v.compound.name, String::as_str),
        )?;
        for (k, item) in st.items.iter().enumerate() {
            if let Some((_, n)) = v.findings.iter().find(|(c, _)| *c == item.code) {
                sheet.write_number(r, 4 + k as u16, *n as f64)?;
            }
        }
        sheet.write_number(r, 4 + st.items.len() as u16, v.photos as f64)?;
    }
    wb.save(path)?;
    Ok(())
}

fn third_party_sheet(reg: &Registry, st: &Standards, rng: &mut Rng, path: &Path) -> Result<(), Box<dyn Error>> {
    let teams = ["第三方一组", "第三方二组"];
    let vs = visits(reg, st, "S03", |c| teams[c.id.len() % 2].to_string(), rng);
    let mut text = String::from("检查日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注\n");
    for v in &vs {
        // One team, one day, one crew size.
        let inspectors = 4;
        let date = v.date.format("%Y年%-m月%-d日");
        if v.findings.is_empty() {
            text += &format!(
                "{date},第三方,日常,{},{inspectors},{},,,{},未发现问题\n",
                v.team, v.compound.id, v.photos
            );
        }
        for (k, (code, n)) in v.findings.iter().enumerate() {
            let name = st.item(code).map_or(code.as_str(), |i| i.name.as_str());
            let photos = if k == 0 { v.photos } else { 1 };
            text += &format!(
                "{date},第三方,日常,{},{inspectors},{},{name},{n},{photos},\n",
                v.team, v.compound.id
            );
        }
    }
    std::fs::write(path, text)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let ws = Workspace::discover(Some(Path::new(".")), None, Path::new("."))?;
    let reg = ws.registry()?;
    let standards = ws.standards()?;
    let st = &standards
        .in_force_on(NaiveDate::from_ymd_opt(2026, 7, 1).ok_or("date")?)
        .ok_or("no standards for July")?
        .standards;
    let dir = Path::new("examples/sheets");
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(0x0323_2026_0701);
    community_sheet(&reg, st, &mut rng, &dir.join("2026-07-community-S01.csv"))?;
    street_sheet(&reg, st, &mut rng, &dir.join("2026-07-street-S02.xlsx"))?;
    third_party_sheet(&reg, st, &mut rng, &dir.join("2026-07-third-party-S03.csv"))?;
    println!("wrote the July 2026 example sheets to {}", dir.display());
    Ok(())
}
