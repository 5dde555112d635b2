//! The demo district (`cargo run --example demo -- DIR`): a complete workspace modelled on Tianjin's 和平区.
//!
//! The repository ships this output as its own `data/` and `standards/`, so every command can be
//! tried at once and the tests have a realistic, stable district to run against. Everything is
//! synthetic: the names are plausible for 和平区, but no compound, company or figure is real.
//!
//! The demo reproduces the reference half-year of DESIGN §1: 6 streets, 63 communities and 323
//! old compounds; in 2026H1 the third party found 2,344 problem points in 11 categories (after
//! upheld appeals), took 10,000+ photos with 200+ person-times and re-inspected 12 compounds.
//! Around those figures it stages what the reports exist to surface:
//! - 13 compounds failing their official visit: 10 on heavy points, 3 on a single red-line point;
//!   12 re-inspected (2 of them late), 10 rectified, 2 still failing (one revoking a 美丽社区
//!   title, one making its community ineligible), 1 notice left without re-inspection;
//! - 4 hot spots (10+ points of one category), 3 upheld, 2 rejected and 1 pending appeal;
//! - coverage gaps at the community, street and district levels, community scores kinder than
//!   the official ones;
//! - contracts changing hands mid-half, six ending in 2026H2, two residents' selections (one
//!   valid with a winner, one short of quorum), fee collection, and a subsidy round whose budget
//!   binds;
//! - a 2025H2 official round under the 2025 standards, for the change from the previous half;
//! - the district's spot checks of six visits of each third-party team within a week, finding
//!   2 to 4 points more behind 第三方三组 (a little lenient), for `assessor` (DESIGN §16): drawn
//!   last, on a stream of their own, so that no other figure depends on them.
//!
//! Output is byte-for-byte deterministic: one fixed-seed [`Rng`] (splitmix64), no
//! clock, only ordered collections, files written in a fixed order. Changing the seed or the
//! order of the generator's calls changes every figure: the exact ones (2,344 points, 12
//! re-inspected compounds) are reached by construction, but re-check the staged outcomes above
//! against the output whenever this file changes.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use oldestate::model::records::Finding;
use oldestate::model::standards::SERVICE_GRADES;
use oldestate::model::{Level, Purpose};
use oldestate::workspace::parse_standards;
use oldestate::workspace::store::write_findings;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::calendar::{date, workdays, Workday};
use super::rng::Rng;

/// The standards files the demo ships, copied verbatim; [`items`] reads its items from them.
const STANDARDS: [(&str, &str); 2] = [
    (
        "standards/2025-07-01.toml",
        include_str!("../../standards/2025-07-01.toml"),
    ),
    (
        "standards/2026-01-01.toml",
        include_str!("../../standards/2026-01-01.toml"),
    ),
];

/// The generator's seed. Every figure follows from it.
const SEED: u64 = 0x4850_0323_2026_0001;

/// Mixed into [`SEED`] for the district's spot checks, drawn after everything else.
const SPOT_CHECK_SEED: u64 = 0x5EC0_0016;

/// The third-party team the district's spot checks find a little lenient (DESIGN §16): they
/// find 2 to 4 points more than it did on the same compounds, where the other teams' work
/// they find about as it was recorded.
const LENIENT_TEAM: usize = 2;

/// Third-party routine problem points in 2026H1 after upheld appeals (DESIGN §1).
const TARGET_POINTS: u32 = 2344;

/// The points each upheld appeal removes; the store holds [`TARGET_POINTS`] plus their sum.
const UPHELD_POINTS: [u32; 3] = [1, 2, 1];

/// Problem points of one category that name a hot spot (standards `[hotspots] min_points`);
/// ordinary visits stay below it so that only the staged hot spots appear.
const HOT_MIN: u32 = 10;

/// Write the demo workspace into `dir`, creating folders and overwriting files of the same name.
///
/// Same bytes on every run. Fails on I/O errors, or with `InvalidData` when the generator could
/// not meet its own targets (a bug in this file, not a user error).
pub fn generate(dir: &Path) -> io::Result<()> {
    let mut rng = Rng::new(SEED);
    let district = District::build(&mut rng)?;
    let items = items()?;
    let mut store = Store::new(&district, &items);
    store.official_2025(&mut rng)?;
    let h1 = store.official_2026(&mut rng)?;
    store.lower_levels_2026(&mut rng);
    let titles = titles(&mut rng, &district, &h1);
    let appeals = appeals(&mut rng, &store, &h1)?;
    let fees = fees_csv(&mut rng, &district)?;
    // Last, on a stream of its own, so that nothing above moves: the district's spot checks of
    // the third party's work (DESIGN §16).
    store.spot_checks(&mut Rng::new(SEED ^ SPOT_CHECK_SEED));

    let out = Out(dir);
    out.write("data/workspace.toml", WORKSPACE_TOML)?;
    for (rel, text) in STANDARDS {
        out.write(rel, text)?;
    }
    out.write("data/registry/streets.csv", district.streets_csv()?)?;
    out.write("data/registry/communities.csv", district.communities_csv()?)?;
    out.write("data/registry/compounds.csv", district.compounds_csv()?)?;
    out.write("data/registry/companies.csv", district.companies_csv()?)?;
    out.write("data/registry/contracts.csv", district.contracts_csv()?)?;
    out.write("data/registry/titles.csv", titles_csv(&district, &titles)?)?;
    for (rel, bytes) in store.files()? {
        out.write(&rel, bytes)?;
    }
    out.write("data/appeals.csv", appeals_csv(&store, &appeals)?)?;
    out.write("data/selections.csv", selections_csv(&district)?)?;
    out.write("data/fees/2026H1.csv", fees)?;
    out.write("data/funds/2026H1.toml", funds_toml(&district))
}

const WORKSPACE_TOML: &str = r#"# The demo district: 天津市和平区 (generated by `cargo run --example demo`; every figure is synthetic).
district = "和平区"
# Report language: zh or en.
language = "zh"
currency = "CNY"

# Residents' selection of a company (居民选): shares of households and of floor area.
[selection]
quorum = "0.6667"
majority = "0.5"

# What official documents (公文) carry (DESIGN §15).
[documents]
issuer = "天津市和平区民政局"
issuer_mark = "天津市和平区民政局文件"
number = "和民政通〔{year}〕{seq}号"
recipients = ["各街道办事处"]
cc = ["区住房建设委", "区财政局"]
contact = "区民政局基层政权科　联系电话：23300000"
"#;

/// An error for a generator target that was not met.
fn missed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("demo generator: {what}"))
}

// ---------------------------------------------------------------------------------------------
// Small tools: dates, CSV, output.

/// A random working day of `from..=to` (the ranges used always hold one).
fn some_workday(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = workdays(from, to);
    days.get(rng.below(days.len().max(1))).copied().unwrap_or(from)
}

/// An amount in hundredths (fen, or 0.01 m2) as a decimal with 2 places.
fn hundredths(v: u64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

/// A CSV file built in memory by the csv crate, as the crate writes its own files: `\n` line
/// ends, RFC 4180 quoting only where a field needs it.
struct Csv {
    w: csv::Writer<Vec<u8>>,
    /// The first error, kept until [`Csv::finish`] (as `BufWriter` keeps its own): rows are
    /// added in many places, and writing into memory does not fail in practice.
    error: Option<csv::Error>,
}

impl Csv {
    fn new(header: &str) -> Csv {
        let mut csv = Csv {
            w: csv::Writer::from_writer(Vec::new()),
            error: None,
        };
        csv.row(&header.split(',').collect::<Vec<_>>());
        csv
    }

    fn row(&mut self, fields: &[&str]) {
        if self.error.is_none() {
            self.error = self.w.write_record(fields).err();
        }
    }

    fn finish(self) -> io::Result<Vec<u8>> {
        if let Some(e) = self.error {
            return Err(e.into());
        }
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes files under the workspace root, creating their folders.
struct Out<'a>(&'a Path);

impl Out<'_> {
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> io::Result<()> {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }
}

// ---------------------------------------------------------------------------------------------
// The standards, as the generator needs them.

/// Service grade of a contract: 1 (一级, the highest) to 3.
type Grade = u8;

// Categories by their index in the standards' order: LOCK, BUILD, AD, CLEAN, PILE, GREEN, GARBAGE,
// PARK, FACILITY, FIRE, SERVICE. Those the staged findings name:
const LOCK: usize = 0;
const AD: usize = 2;
const PILE: usize = 4;
const PARK: usize = 7;

/// `d` × 2 as a whole number, when it is one.
fn half_points(d: Decimal) -> Option<u32> {
    let twice = d * Decimal::from(2);
    if twice.fract().is_zero() {
        twice.to_u32()
    } else {
        None
    }
}

/// Number of items in both editions of the standards (the length of a [`Tally`]).
const N_ITEMS: usize = 20;

/// What the standards do not say about their items, in the standards' order: (code, how often
/// inspectors record the problem, relatively, the note an inspector may write beside it).
/// Notes are "" for none; several need CSV quoting.
#[rustfmt::skip]
const PROFILE: [(&str, u32, &str); N_ITEMS] = [
    ("A01", 5, "地下车库入口私装地锁, 已告知物业限期拆除"),
    ("A02", 2, "楼顶私搭彩钢房，已报街道综合执法"),
    ("A03", 12, "楼道张贴\"开锁\"\"通下水\"小广告"),
    ("A04", 10, "外墙小广告反复出现, 建议设置便民信息栏"),
    ("A05", 8, "主路积存落叶和烟头"),
    ("A06", 6, ""),
    ("A07", 12, "楼道堆放旧家具, 影响疏散通行"),
    ("A08", 8, "院内堆放装修垃圾, 未及时清运"),
    ("A09", 4, ""),
    ("A10", 3, "西侧绿地被改为菜地"),
    ("A11", 6, "垃圾桶满溢，周边有散落垃圾"),
    ("A12", 5, ""),
    ("A13", 8, "机动车占用消防通道停放, 已拍照留存"),
    ("A14", 10, "非机动车停放无序"),
    ("A15", 6, "单元门禁损坏，居民反映多次"),
    ("A16", 3, ""),
    ("A17", 0, "发现\"飞线\"充电2处, 存在火灾隐患"),
    ("A18", 5, "消防通道被杂物堵塞"),
    ("A19", 3, "保洁人员未着工装"),
    ("A20", 2, ""),
];

/// One standards item, as read from both editions by the crate's parser. Points are kept in
/// half-points, so every `deduct` (a multiple of 0.5) is an integer. Index 0 of the pairs is
/// the 2025-07-01 edition, index 1 the 2026-01-01 one.
struct Item {
    code: String,
    /// The category's index in the standards' order (see [`LOCK`]).
    cat: usize,
    /// Most half-points the item can cost (`max` × 2), the same in both editions.
    max2: u32,
    /// Half-points deducted per problem point (`deduct` × 2), by edition.
    deduct2: [u32; 2],
    /// Bit g−1 is set when the item applies to service grade g, by edition.
    grades: [u8; 2],
    /// Any point fails the compound whatever its score.
    red_line: bool,
    /// From [`PROFILE`].
    weight: u32,
    /// From [`PROFILE`].
    note: &'static str,
}

impl Item {
    fn applies(&self, grade: Grade, ed: usize) -> bool {
        self.grades[ed] & (1 << (grade - 1)) != 0
    }
}

/// The items of the two bundled editions, parsed by the crate's own standards parser and
/// joined with [`PROFILE`]. Fails when the standards no longer fit what the generator stages
/// (other items, categories or a max that changed between editions).
fn items() -> io::Result<Vec<Item>> {
    let mut editions = Vec::with_capacity(STANDARDS.len());
    for (rel, text) in STANDARDS {
        let parsed = parse_standards(text, None).map_err(|e| missed(&format!("{rel} does not parse: {e:?}")))?;
        editions.push(parsed);
    }
    let [old, new] = &editions[..] else {
        return Err(missed("expected two editions of the standards"));
    };
    let staged = [(LOCK, "LOCK"), (AD, "AD"), (PILE, "PILE"), (PARK, "PARK")];
    if staged
        .iter()
        .any(|&(i, code)| new.categories.get(i).is_none_or(|c| c.code != code))
    {
        return Err(missed("the standards' categories are not the ones the findings stage"));
    }
    let grades = |it: &oldestate::model::standards::Item| {
        SERVICE_GRADES
            .iter()
            .filter(|&&g| it.applies(g))
            .fold(0, |bits, &g| bits | 1 << (g - 1))
    };
    let mut out = Vec::with_capacity(N_ITEMS);
    for (k, &(code, weight, note)) in PROFILE.iter().enumerate() {
        let (Some(o), Some(n)) = (old.items.get(k), new.items.get(k)) else {
            return Err(missed("the standards have fewer items than the profile"));
        };
        let cat = new.categories.iter().position(|c| c.code == n.category);
        let (max2, old_max2) = (half_points(n.max), half_points(o.max));
        let deduct2 = [half_points(o.deduct), half_points(n.deduct)];
        match (cat, max2, deduct2) {
            (Some(cat), Some(max2), [Some(d0), Some(d1)])
                if o.code == code && n.code == code && old_max2 == Some(max2) && o.red_line == n.red_line =>
            {
                out.push(Item {
                    code: n.code.clone(),
                    cat,
                    max2,
                    deduct2: [d0, d1],
                    grades: [grades(o), grades(n)],
                    red_line: n.red_line,
                    weight,
                    note,
                });
            }
            _ => return Err(missed(&format!("standards item {k} does not fit the profile's {code}"))),
        }
    }
    if old.items.len() != N_ITEMS || new.items.len() != N_ITEMS {
        return Err(missed("the standards have more items than the profile"));
    }
    Ok(out)
}

// Indices into the items (the standards' order) used by the staged findings.
const A01: usize = 0;
const A03: usize = 2;
const A04: usize = 3;
const A07: usize = 6;
const A08: usize = 7;
const A13: usize = 12;
const A14: usize = 13;
const A17: usize = 16;

/// Items tried in turn when a random pick does not fit: the cheapest first (0.5, then 1 point).
const FALLBACK: [usize; 8] = [A03, A04, A14, 4, A07, A08, 14, 18];

/// The standards edition in force on a date: 0 for 2025-07-01, 1 for 2026-01-01.
fn edition(on: NaiveDate) -> usize {
    usize::from(on >= date(2026, 1, 1))
}

/// The half-year holding a date, as (year, 1 or 2).
fn half(date: NaiveDate) -> (i32, u32) {
    (date.year(), if date.month() <= 6 { 1 } else { 2 })
}

/// Problem points of one visit, by item (indices into the standards' items).
type Tally = [u32; N_ITEMS];

/// (M, D) of DESIGN §6 in half-points: the sum of `max` over applicable items and the capped
/// deductions.
fn weigh(items: &[Item], t: &Tally, grade: Grade, ed: usize) -> (u32, u32) {
    items
        .iter()
        .zip(t)
        .filter(|(it, _)| it.applies(grade, ed))
        .fold((0, 0), |(m, d), (it, &c)| {
            (m + it.max2, d + (it.deduct2[ed] * c).min(it.max2))
        })
}

/// True when `score < below` (percent), computed exactly.
fn scores_below(items: &[Item], t: &Tally, grade: Grade, ed: usize, below: u32) -> bool {
    let (m, d) = weigh(items, t, grade, ed);
    100 * (m - d) < below * m
}

fn category_points(items: &[Item], t: &Tally, cat: usize) -> u32 {
    items
        .iter()
        .zip(t)
        .filter(|(it, _)| it.cat == cat)
        .map(|(_, c)| c)
        .sum()
}

/// What may be recorded on one visit while placing points one by one.
#[derive(Clone, Copy)]
struct Limits<'a> {
    items: &'a [Item],
    grade: Grade,
    ed: usize,
    /// The visit's score must stay at or above this (percent); 0 for no floor.
    min_score: u32,
    /// A category left as it is (a staged hot spot).
    frozen: Option<usize>,
}

/// Record one more point of item `i` if it fits: the item applies and is not red-line, it is
/// not yet saturated, its category stays below [`HOT_MIN`], and the score floor still leaves
/// room for `reserve` more of the cheapest points (half a point each).
fn try_add(t: &mut Tally, i: usize, lim: Limits, reserve: u32) -> bool {
    let it = &lim.items[i];
    if it.red_line || !it.applies(lim.grade, lim.ed) || lim.frozen == Some(it.cat) {
        return false;
    }
    if it.deduct2[lim.ed] * (t[i] + 1) > it.max2 || category_points(lim.items, t, it.cat) + 1 >= HOT_MIN {
        return false;
    }
    t[i] += 1;
    let (m, d) = weigh(lim.items, t, lim.grade, lim.ed);
    if 100 * (d + reserve) > (100 - lim.min_score) * m {
        t[i] -= 1;
        return false;
    }
    true
}

/// An item drawn by [`Item::weight`].
fn pick_item(rng: &mut Rng, items: &[Item]) -> usize {
    let total: u32 = items.iter().map(|it| it.weight).sum();
    let mut r = rng.between(0, total - 1);
    for (i, it) in items.iter().enumerate() {
        if r < it.weight {
            return i;
        }
        r -= it.weight;
    }
    0
}

/// Place `n` points, drawn by weight with the cheapest items as fallback; returns how many fit.
fn place(rng: &mut Rng, t: &mut Tally, n: u32, lim: Limits) -> u32 {
    for k in 0..n {
        let reserve = n - k - 1;
        let i = pick_item(rng, lim.items);
        if !try_add(t, i, lim, reserve) && !FALLBACK.iter().any(|&j| try_add(t, j, lim, reserve)) {
            return k;
        }
    }
    n
}

/// [`place`] a random number of points in `lo..=hi`.
fn place_n(rng: &mut Rng, t: &mut Tally, (lo, hi): (u32, u32), lim: Limits) -> u32 {
    let n = rng.between(lo, hi);
    place(rng, t, n, lim)
}

/// Place points until the visit scores below a target drawn from `lo..=hi` percent (a heavily
/// failing visit, or with a score floor in `lim` one that only just passes).
fn place_until(rng: &mut Rng, t: &mut Tally, lim: Limits, (lo, hi): (u32, u32)) {
    let below = rng.between(lo, hi);
    for _ in 0..10_000 {
        if scores_below(lim.items, t, lim.grade, lim.ed, below) {
            return;
        }
        let i = pick_item(rng, lim.items);
        try_add(t, i, lim, 0);
    }
}

// ---------------------------------------------------------------------------------------------
// The registry: streets, communities, compounds, companies, contracts.

/// The six streets of 和平区 with the stems of their communities' names (`…社区`).
const STREETS: [(&str, &str); 6] = [
    (
        "劝业场街",
        "滨西 花园 新津 福明 兆丰路 宁静里 滨江道 和平路 多伦道 锦州道 泰安道",
    ),
    (
        "小白楼街",
        "承德道 开封道 大沽北路 新疆路 曲阜道 浙江路 徐州道 解放北路 合江路 建设路",
    ),
    (
        "五大道街",
        "睦南道 大理道 重庆道 常德道 成都道 民园 云南路 湖北路 贵州路 河北路 桂林路",
    ),
    (
        "新兴街",
        "新兴 朝阳里 西康路 宁夏路 昆明路 长沙路 汉阳道 陕西路 南海路 营口道",
    ),
    (
        "南营门街",
        "南营门 南京路 庆云里 长春道 四平道 万全道 西宁道 福安 山西路 贵阳路 兰州道",
    ),
    ("南市街", "南市 清和 荣业 慎益 永安 福厚 上海道 宝鸡道 哈密道 西安道"),
];

const COMPANIES: [&str; 10] = [
    "天津市和平物业管理有限公司",
    "天津市劝业场物业服务有限公司",
    "天津市小白楼物业管理有限公司",
    "天津五大道物业服务有限公司",
    "天津市新兴物业管理有限公司",
    "天津市南营门物业服务有限公司",
    "天津市津和物业管理有限公司",
    "天津安居物业服务有限公司",
    "天津市宜居物业管理有限公司",
    "天津滨江物业服务有限公司",
];

/// Each street's usual company (index into [`COMPANIES`]); the others serve across streets.
const HOME_COMPANY: [usize; 6] = [1, 2, 3, 4, 5, 0];

/// Number of compounds, and of communities without any.
const COMPOUNDS: usize = 323;
const EMPTY_COMMUNITIES: usize = 5;

struct Community {
    id: String,
    street: usize,
    name: String,
}

struct Compound {
    id: String,
    community: usize,
    name: String,
    aliases: Vec<String>,
    households: u32,
    /// Floor area in 0.01 m2.
    area: u64,
    buildings: u32,
}

struct Contract {
    company: usize,
    grade: Grade,
    start: NaiveDate,
    /// Inclusive.
    end: NaiveDate,
}

struct District {
    communities: Vec<Community>,
    compounds: Vec<Compound>,
    /// Per compound, its contracts in date order.
    contracts: Vec<Vec<Contract>>,
    /// Compounds whose contract ends in 2026H2 with no successor, soonest end first.
    ending: Vec<usize>,
}

impl District {
    fn build(rng: &mut Rng) -> io::Result<District> {
        let communities = communities();
        let counts = compound_counts(rng, communities.len());
        let names = compound_names(rng)?;
        let mut compounds = Vec::with_capacity(COMPOUNDS);
        for (c, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                let (name, aliases) = &names[compounds.len()];
                compounds.push(compound(rng, compounds.len(), c, name, aliases));
            }
        }
        let (contracts, ending) = contracts(rng, &communities, &compounds);
        Ok(District {
            communities,
            compounds,
            contracts,
            ending,
        })
    }

    fn street_of(&self, compound: usize) -> usize {
        self.communities[self.compounds[compound].community].street
    }

    /// The grade of the compound's contract on `date`: the contract with the latest start on or
    /// before it. The demo's contracts run without gaps from before 2025-07-01 until after
    /// 2026-06-30, so for every visit date this is the contract in force (the fallback is never
    /// used).
    fn grade_on(&self, compound: usize, date: NaiveDate) -> Grade {
        self.contracts[compound]
            .iter()
            .rev()
            .find(|k| k.start <= date)
            .map_or(2, |k| k.grade)
    }

    fn streets_csv(&self) -> io::Result<Vec<u8>> {
        let mut csv = Csv::new("street_id,name");
        for (s, (name, _)) in STREETS.iter().enumerate() {
            csv.row(&[&format!("S{:02}", s + 1), name]);
        }
        csv.finish()
    }

    fn communities_csv(&self) -> io::Result<Vec<u8>> {
        let mut csv = Csv::new("community_id,street_id,name");
        for c in &self.communities {
            csv.row(&[&c.id, &format!("S{:02}", c.street + 1), &c.name]);
        }
        csv.finish()
    }

    fn compounds_csv(&self) -> io::Result<Vec<u8>> {
        let mut csv = Csv::new("compound_id,community_id,name,aliases,households,area_m2,buildings");
        for k in &self.compounds {
            csv.row(&[
                &k.id,
                &self.communities[k.community].id,
                &k.name,
                &k.aliases.join("|"),
                &k.households.to_string(),
                &hundredths(k.area),
                &k.buildings.to_string(),
            ]);
        }
        csv.finish()
    }

    fn companies_csv(&self) -> io::Result<Vec<u8>> {
        let mut csv = Csv::new("company_id,name");
        for (i, name) in COMPANIES.iter().enumerate() {
            csv.row(&[&company_id(i), name]);
        }
        csv.finish()
    }

    fn contracts_csv(&self) -> io::Result<Vec<u8>> {
        let mut csv = Csv::new("compound_id,company_id,service_grade,start,end");
        for (k, list) in self.compounds.iter().zip(&self.contracts) {
            for c in list {
                let grade = c.grade.to_string();
                csv.row(&[
                    &k.id,
                    &company_id(c.company),
                    &grade,
                    &c.start.to_string(),
                    &c.end.to_string(),
                ]);
            }
        }
        csv.finish()
    }
}

fn company_id(i: usize) -> String {
    format!("CO{:02}", i + 1)
}

/// The 63 communities, numbered street by street.
fn communities() -> Vec<Community> {
    let mut out = Vec::new();
    for (s, (_, stems)) in STREETS.iter().enumerate() {
        for stem in stems.split_whitespace() {
            out.push(Community {
                id: format!("C{:02}", out.len() + 1),
                street: s,
                name: format!("{stem}社区"),
            });
        }
    }
    out
}

/// How many compounds each community holds: none in [`EMPTY_COMMUNITIES`] of them (newer
/// estates only), at least 2 elsewhere, the rest spread at random.
fn compound_counts(rng: &mut Rng, communities: usize) -> Vec<usize> {
    let empty = rng.sample(communities, EMPTY_COMMUNITIES);
    let mut counts: Vec<usize> = (0..communities)
        .map(|c| if empty.contains(&c) { 0 } else { 2 })
        .collect();
    let hosts: Vec<usize> = (0..communities).filter(|c| !empty.contains(c)).collect();
    for _ in 0..COMPOUNDS - 2 * hosts.len() {
        counts[hosts[rng.below(hosts.len())]] += 1;
    }
    counts
}

/// One compound's figures: households 80..1200 (most of them small), 60–80 m2 a household.
fn compound(rng: &mut Rng, index: usize, community: usize, name: &str, aliases: &[String]) -> Compound {
    let (a, b) = (rng.between(0, 1000), rng.between(0, 1000));
    let households = 80 + 1120 * a * b / 1_000_000;
    let area = u64::from(households) * u64::from(rng.between(6000, 8000)) + u64::from(rng.between(0, 99));
    let buildings = (households / rng.between(30, 70)).clamp(1, 20);
    Compound {
        id: format!("HP{:03}", index + 1),
        community,
        name: name.to_string(),
        aliases: aliases.to_vec(),
        households,
        area,
        buildings,
    }
}

/// Stems of 里 (lane-house compound) names, in the Tianjin manner.
const LI_STEMS: &str = "福明 安善 宁静 庆云 德厚 求志 松寿 耀华 三德 兆丰 兴盛 福荫 泰华 华安 宝华 吉祥 永康 余庆 \
    大生 大吉 中和 保安 同福 增庆 善庆 新华 德荫 联华 仁和 振华 安乐 忠厚 树德 世德 厚德 崇德 积善 育德 敦厚 润康 \
    美仁 明德 怡和 文善 永和 信义 春华 锦华 荣华 华阳 长安 平安 安居 乐业 和顺 福寿 康乐 丰和 瑞和 瑞福 嘉禾 义生 \
    同庆 存厚 宝善 惠中 宁乡 光明 五福 三多 春和 景阳 松竹 桂馨 兰馨 竹林 汇丰 恒丰 德兴 东兴 西兴 南兴 荣安 吉庆 \
    永丰 福德 安和 宝兴 仁义 和乐 长寿 寿德 德善 兴华 昌盛 复兴 中兴 振兴 茂林 秀山 清平 永清 海安 宁和 祥和 祥瑞 \
    福顺 顺德 益寿 益善 鸿福 鸿安 庆丰 丰乐 丰盛 泽润 润德 德馨 林荫 华康 康宁 宁远 安平 平和 和兴 兴隆 隆福 厚生";

/// Roads of 和平区 that give compounds their names (…小区, …公寓, …大楼).
const ROADS: &str =
    "南京路 营口道 长沙路 昆明路 成都道 重庆道 大理道 睦南道 常德道 湖北路 河北路 山西路 贵州路 西安道 \
    新华路 曲阜道 南昌路 哈密道 宝鸡道 保定道 锦州道 沈阳道 辽宁路 吉林路 甘肃路 陕西路 兰州道 烟台道 洛阳道 岳阳道 \
    四平道 唐山道 山东路 多伦道 赤峰道 滨江道 和平路 张自忠路 承德道 长春道 哈尔滨道 郑州道 徐州道 泰安道 大沽北路 \
    福建路 北安道 万全道 桂林路 贵阳路 西康路 南海路 鞍山道 宁波道 开封道 琼州道 合江路 建设路 花园路 益州道 汉阳道 \
    云南路 四川路 柳州路 常州道 南宁路 康定路 新疆路 西宁道 浙江路 宁夏路 广西路";

/// Stems of …新村 names (1950s–80s workers' housing).
const VILLAGE_STEMS: &str =
    "和平 西湖 劝业 南营 长江 黄河 昆仑 泰山 华山 衡山 天山 珠江 松花 海河 津河 卫津 滨海 朝阳 \
    向阳 东风 红星 幸福 胜利 建国 团结";

/// How a compound's name is formed, which decides its possible aliases.
enum NameKind {
    Li(&'static str),
    Road(&'static str, &'static str),
    Village(&'static str),
}

impl NameKind {
    fn name(&self) -> String {
        match self {
            NameKind::Li(stem) => format!("{stem}里"),
            NameKind::Road(road, suffix) => format!("{road}{suffix}"),
            NameKind::Village(stem) => format!("{stem}新村"),
        }
    }

    /// Two alias candidates: a common variant and an address-style one (house number `n`).
    fn aliases(&self, n: u32) -> [String; 2] {
        match self {
            NameKind::Li(stem) => [format!("{stem}里小区"), format!("{stem}里{n}号院")],
            NameKind::Road(road, suffix) => {
                let short = road.trim_end_matches(['路', '道']);
                match *suffix {
                    "公寓" => [format!("{short}公寓"), format!("{road}{n}号")],
                    "大楼" => [format!("{road}{n}号楼"), format!("{short}大楼")],
                    _ => [format!("{road}{n}号院"), format!("{short}小区")],
                }
            }
            NameKind::Village(stem) => [format!("{stem}村"), format!("{stem}新村{n}号院")],
        }
    }
}

/// 323 distinct names with aliases (none for most, one or two for some), all distinct across
/// the district.
fn compound_names(rng: &mut Rng) -> io::Result<Vec<(String, Vec<String>)>> {
    let mut kinds: Vec<NameKind> = LI_STEMS.split_whitespace().map(NameKind::Li).collect();
    for road in ROADS.split_whitespace() {
        kinds.extend(["小区", "公寓", "大楼"].map(|s| NameKind::Road(road, s)));
    }
    kinds.extend(VILLAGE_STEMS.split_whitespace().map(NameKind::Village));
    rng.shuffle(&mut kinds);
    let mut used = BTreeSet::new();
    kinds.retain(|k| used.insert(k.name()));
    kinds.truncate(COMPOUNDS);
    if kinds.len() < COMPOUNDS {
        return Err(missed("too few distinct compound names"));
    }
    let mut out = Vec::with_capacity(COMPOUNDS);
    for kind in &kinds {
        let wanted = match rng.between(0, 99) {
            0..=54 => 0,
            55..=87 => 1,
            _ => 2,
        };
        let candidates = kind.aliases(rng.between(1, 99));
        let aliases: Vec<String> = candidates
            .into_iter()
            .take(wanted)
            .filter(|a| used.insert(a.clone()))
            .collect();
        out.push((kind.name(), aliases));
    }
    Ok(out)
}

/// Start dates of the contracts in force on 2025-07-01.
const STARTS: [NaiveDate; 6] = [
    date(2023, 1, 1),
    date(2023, 7, 1),
    date(2024, 1, 1),
    date(2024, 7, 1),
    date(2025, 1, 1),
    date(2025, 7, 1),
];

/// First days of the new contracts of the compounds that change company mid-half.
const SWITCHES: [NaiveDate; 4] = [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 4, 1)];

/// Ends of the contracts expiring in 2026H2 with no successor yet.
const ENDINGS: [NaiveDate; 6] = [
    date(2026, 7, 31),
    date(2026, 8, 31),
    date(2026, 9, 30),
    date(2026, 10, 31),
    date(2026, 11, 30),
    date(2026, 12, 31),
];

/// Contracts of every compound: grades about 20% / 50% / 30%, most with the street's usual
/// company until 2027-12-31 or later; [`SWITCHES`] and [`ENDINGS`] staged on random compounds.
fn contracts(rng: &mut Rng, communities: &[Community], compounds: &[Compound]) -> (Vec<Vec<Contract>>, Vec<usize>) {
    let n = compounds.len();
    let mut grades = vec![2; n];
    for (rank, c) in rng.sample(n, n).into_iter().enumerate() {
        grades[c] = if rank < n / 5 {
            1
        } else if rank < n * 7 / 10 {
            2
        } else {
            3
        };
    }
    let staged = rng.sample(n, SWITCHES.len() + ENDINGS.len());
    let (switching, ending) = staged.split_at(SWITCHES.len());
    let mut out = Vec::with_capacity(n);
    for (c, k) in compounds.iter().enumerate() {
        let home = HOME_COMPANY[communities[k.community].street];
        let company = if rng.percent(25) { 6 + rng.below(4) } else { home };
        let start = STARTS[rng.below(STARTS.len())];
        let first = Contract {
            company,
            grade: grades[c],
            start,
            end: date(2027, 12, 31),
        };
        out.push(if let Some(s) = switching.iter().position(|&x| x == c) {
            switched(rng, first, SWITCHES[s])
        } else if let Some(e) = ending.iter().position(|&x| x == c) {
            vec![Contract {
                end: ENDINGS[e],
                ..first
            }]
        } else {
            let end = match rng.between(0, 9) {
                0..=6 => first.end,
                7 | 8 => date(2028, 6, 30),
                _ => date(2028, 12, 31),
            };
            vec![Contract { end, ..first }]
        });
    }
    (out, ending.to_vec())
}

/// A contract replaced on `switch` by another company's, every other one at another grade.
fn switched(rng: &mut Rng, first: Contract, switch: NaiveDate) -> Vec<Contract> {
    let company = (first.company + 1 + rng.below(COMPANIES.len() - 1)) % COMPANIES.len();
    let grade = if rng.percent(50) {
        first.grade
    } else {
        first.grade % 3 + 1
    };
    let next = Contract {
        company,
        grade,
        start: switch,
        end: date(2028, 12, 31),
    };
    vec![
        Contract {
            end: switch.plus(-1),
            ..first
        },
        next,
    ]
}

// ---------------------------------------------------------------------------------------------
// The findings store.

/// The first letter of visit ids: `{L}{YYYYMMDD}-{compound_id}`, `-R` added for rechecks.
/// One visit per compound, level, purpose and day makes the ids unique.
fn id_letter(level: Level) -> char {
    match level {
        Level::Community => 'C',
        Level::Street => 'S',
        Level::District => 'D',
        Level::ThirdParty => 'T',
    }
}

/// People on a team of this level that day.
fn crew_range(level: Level) -> (u32, u32) {
    match level {
        Level::Community => (2, 3),
        Level::Street => (2, 4),
        Level::District => (3, 4),
        Level::ThirdParty => (3, 5),
    }
}

const TP_TEAMS: [&str; 4] = ["第三方一组", "第三方二组", "第三方三组", "第三方四组"];
const DISTRICT_TEAMS: [&str; 3] = ["区民政局检查一组", "区民政局检查二组", "区民政局检查三组"];

/// A visit as it is being created.
struct VisitSpec {
    level: Level,
    recheck: bool,
    compound: usize,
    date: NaiveDate,
    team: String,
    tally: Tally,
}

struct Visit {
    id: String,
    date: NaiveDate,
    level: Level,
    recheck: bool,
    team: String,
    inspectors: u32,
    compound: usize,
    tally: Tally,
    /// Photos of the whole visit, spread over its rows when written.
    photos: u32,
    /// The item whose row carries the inspector's note, if any.
    noted: Option<usize>,
}

/// One official routine visit to schedule.
struct Slot {
    compound: usize,
    date: NaiveDate,
    team: usize,
}

/// What an official routine visit is staged to show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An ordinary visit with this many points (scoring 86+ in 2026, 83+ in 2025).
    Normal(u32),
    /// Nothing found.
    Clean,
    /// Passing, but only just (合格, about 81–85).
    Fair,
    /// A hot spot in this category, passing.
    Hot(usize),
    /// Fails on heavy points; `lock` makes it a hot spot of 10 private ground locks too.
    Heavy { lock: bool },
    /// Fails on a single red-line point (A17) with an otherwise high score.
    RedLine,
}

/// What a staged re-inspection finds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Rectified,
    StillLow,
    StillRedLine,
}

/// The 2026H1 official round, as the later steps (titles, appeals) need it.
struct Half {
    /// Visit index per slot.
    visits: Vec<usize>,
    roles: Vec<Role>,
    /// The communities of the two compounds still failing on re-inspection: the first holds a
    /// valid title (revoked), the second only an expired one (ineligible).
    revoked: usize,
    ineligible: usize,
}

/// Inspection visits of every level, with the crews of each (date, team).
struct Store<'a> {
    district: &'a District,
    items: &'a [Item],
    visits: Vec<Visit>,
    /// People on each team on each day: the same on all of that team's visits that day.
    crews: BTreeMap<(NaiveDate, String), u32>,
}

impl<'a> Store<'a> {
    fn new(district: &'a District, items: &'a [Item]) -> Store<'a> {
        Store {
            district,
            items,
            visits: Vec::new(),
            crews: BTreeMap::new(),
        }
    }

    fn limits(&self, compound: usize, date: NaiveDate, min_score: u32, frozen: Option<usize>) -> Limits<'a> {
        Limits {
            items: self.items,
            grade: self.district.grade_on(compound, date),
            ed: edition(date),
            min_score,
            frozen,
        }
    }

    fn push(&mut self, rng: &mut Rng, spec: VisitSpec) -> usize {
        let (lo, hi) = crew_range(spec.level);
        let inspectors = *self
            .crews
            .entry((spec.date, spec.team.clone()))
            .or_insert_with(|| rng.between(lo, hi));
        let n: u32 = spec.tally.iter().sum();
        let photos = photos(rng, spec.level, spec.recheck, n);
        let noted = pick_note(rng, self.items, &spec.tally, spec.level);
        let suffix = if spec.recheck { "-R" } else { "" };
        let id = format!(
            "{}{}-{}{suffix}",
            id_letter(spec.level),
            spec.date.format("%Y%m%d"),
            self.district.compounds[spec.compound].id
        );
        self.visits.push(Visit {
            id,
            date: spec.date,
            level: spec.level,
            recheck: spec.recheck,
            team: spec.team,
            inspectors,
            compound: spec.compound,
            tally: spec.tally,
            photos,
            noted,
        });
        self.visits.len() - 1
    }

    /// The findings of a staged official routine visit.
    fn role_tally(&self, rng: &mut Rng, role: Role, slot: &Slot) -> Tally {
        let mut t = [0; N_ITEMS];
        let lim = |min, frozen| self.limits(slot.compound, slot.date, min, frozen);
        match role {
            Role::Normal(n) => {
                place(rng, &mut t, n, lim(if edition(slot.date) == 0 { 83 } else { 86 }, None));
            }
            Role::Clean => {}
            Role::Fair => place_until(rng, &mut t, lim(81, None), (83, 86)),
            Role::Hot(cat) => {
                let fixed: &[(usize, u32)] = match cat {
                    AD => &[(A03, 6), (A04, 6)],
                    PARK => &[(A14, 7), (A13, 4)],
                    _ => &[(A07, 6), (A08, 4)],
                };
                for &(i, c) in fixed {
                    t[i] = c;
                }
                place_n(rng, &mut t, (3, 5), lim(85, Some(cat)));
            }
            Role::Heavy { lock } => {
                if lock {
                    t[A01] = HOT_MIN;
                }
                place_until(rng, &mut t, lim(0, lock.then_some(LOCK)), (58, 76));
            }
            Role::RedLine => {
                t[A17] = 1;
                place_n(rng, &mut t, (3, 6), lim(85, None));
            }
        }
        t
    }

    /// Push one routine visit per slot with the given findings; returns the visit indices.
    fn push_official(&mut self, rng: &mut Rng, slots: &[Slot], tallies: Vec<Tally>) -> Vec<usize> {
        let mut out = Vec::with_capacity(slots.len());
        for (slot, tally) in slots.iter().zip(tallies) {
            let team = TP_TEAMS[slot.team].to_string();
            let spec = VisitSpec {
                level: Level::ThirdParty,
                recheck: false,
                compound: slot.compound,
                date: slot.date,
                team,
                tally,
            };
            out.push(self.push(rng, spec));
        }
        out
    }

    /// The third party's re-inspection of the failing visit `v`, by the same team, `days` later
    /// (or the next working day), finding what `outcome` says.
    fn push_recheck(&mut self, rng: &mut Rng, v: usize, days: u32, outcome: Outcome) -> io::Result<()> {
        let (compound, date) = (
            self.visits[v].compound,
            self.visits[v].date.plus(i64::from(days)).workday_on_or_after(),
        );
        if half(date) != half(self.visits[v].date) {
            return Err(missed("a re-inspection falls outside its half-year"));
        }
        let mut t = [0; N_ITEMS];
        let lim = |min| self.limits(compound, date, min, None);
        match outcome {
            Outcome::Rectified => {
                place_n(rng, &mut t, (0, 3), lim(90));
            }
            Outcome::StillLow => place_until(rng, &mut t, lim(0), (72, 77)),
            Outcome::StillRedLine => {
                t[A17] = 1;
                place_n(rng, &mut t, (2, 4), lim(85));
            }
        }
        let team = self.visits[v].team.clone();
        self.push(
            rng,
            VisitSpec {
                level: Level::ThirdParty,
                recheck: true,
                compound,
                date,
                team,
                tally: t,
            },
        );
        Ok(())
    }

    /// 2025H2: one third-party routine visit per compound in October–November 2025 (a little
    /// worse than 2026H1), six failing ones, all rectified on re-inspection within the deadline.
    fn official_2025(&mut self, rng: &mut Rng) -> io::Result<()> {
        let slots = schedule(self.district.compounds.len(), date(2025, 10, 9), date(2025, 11, 27));
        let mut roles: Vec<Role> = slots.iter().map(|_| Role::Normal(rng.between(3, 13))).collect();
        let mut early: Vec<usize> = (0..slots.len())
            .filter(|&s| slots[s].date <= date(2025, 11, 14))
            .collect();
        rng.shuffle(&mut early);
        early.truncate(6);
        for (k, &s) in early.iter().enumerate() {
            roles[s] = if k == 5 {
                Role::RedLine
            } else {
                Role::Heavy { lock: false }
            };
        }
        let tallies = slots
            .iter()
            .zip(&roles)
            .map(|(slot, &role)| self.role_tally(rng, role, slot))
            .collect();
        let visits = self.push_official(rng, &slots, tallies);
        for &s in &early {
            let days = rng.between(6, 13);
            self.push_recheck(rng, visits[s], days, Outcome::Rectified)?;
        }
        Ok(())
    }

    /// 2026H1: one third-party routine visit per compound in May–June with the staged failures,
    /// hot spots, clean and only-just-passing visits (see [`plan_2026`]), the ordinary ones spread to reach [`TARGET_POINTS`] plus the
    /// upheld appeals exactly; then the twelve re-inspections.
    fn official_2026(&mut self, rng: &mut Rng) -> io::Result<Half> {
        let slots = schedule(self.district.compounds.len(), date(2026, 5, 6), date(2026, 6, 26));
        let plan = plan_2026(rng, self.district, &slots)?;
        let mut roles = plan.roles;
        // Staged findings first: the ordinary visits share out what is left of the target.
        let mut tallies = vec![[0; N_ITEMS]; slots.len()];
        let (normal, staged): (Vec<usize>, Vec<usize>) =
            (0..slots.len()).partition(|&s| matches!(roles[s], Role::Normal(_)));
        for &s in &staged {
            tallies[s] = self.role_tally(rng, roles[s], &slots[s]);
        }
        let staged_points: u32 = tallies.iter().flatten().sum();
        let target = TARGET_POINTS + UPHELD_POINTS.iter().sum::<u32>();
        let left = target
            .checked_sub(staged_points)
            .ok_or_else(|| missed("staged findings exceed the target"))?;
        for (&s, n) in normal.iter().zip(spread(rng, left, normal.len(), 2, 12)?) {
            roles[s] = Role::Normal(n);
            tallies[s] = self.role_tally(rng, roles[s], &slots[s]);
        }
        let visits = self.push_official(rng, &slots, tallies);
        self.top_up(rng, &normal.iter().map(|&s| visits[s]).collect::<Vec<_>>(), target)?;
        for &(s, outcome, late) in &plan.rechecks {
            let days = if late { rng.between(17, 21) } else { rng.between(6, 13) };
            self.push_recheck(rng, visits[s], days, outcome)?;
        }
        Ok(Half {
            visits,
            roles,
            revoked: plan.revoked,
            ineligible: plan.ineligible,
        })
    }

    /// Add single points to ordinary visits until the official routine points reach `target`
    /// (covers any point that did not fit where the spread first put it).
    fn top_up(&mut self, rng: &mut Rng, normal: &[usize], target: u32) -> io::Result<()> {
        let mut total: u32 = self
            .visits
            .iter()
            .filter(|v| official_2026(v))
            .map(|v| v.tally.iter().sum::<u32>())
            .sum();
        if total > target {
            return Err(missed("staged findings exceed the 2026H1 target"));
        }
        let mut attempts = 0;
        while total < target {
            attempts += 1;
            if attempts > 100_000 || normal.is_empty() {
                return Err(missed("could not reach the 2026H1 target"));
            }
            let v = normal[rng.below(normal.len())];
            let lim = self.limits(self.visits[v].compound, self.visits[v].date, 86, None);
            let i = pick_item(rng, lim.items);
            if try_add(&mut self.visits[v].tally, i, lim, 0) {
                total += 1;
            }
        }
        Ok(())
    }

    /// The community, street and district levels in 2026H1: full cadence minus a few staged
    /// gaps (4 compound-months, 3 compound-quarters, 2 compounds), finding fewer points than the
    /// third party, communities fewest.
    fn lower_levels_2026(&mut self, rng: &mut Rng) {
        let n = self.district.compounds.len();
        let mut seen = vec![0; n];
        for v in self.visits.iter().filter(|v| official_2026(v)) {
            seen[v.compound] += v.tally.iter().sum::<u32>();
        }
        let gaps = Gaps {
            community: rng.sample(n, 4).into_iter().map(|c| (c, rng.between(1, 6))).collect(),
            street: rng.sample(n, 3).into_iter().map(|c| (c, rng.below(2))).collect(),
            district: rng.sample(n, 2),
        };
        for (c, &seen) in seen.iter().enumerate() {
            for month in (1..=6).filter(|&m| !gaps.community.contains(&(c, m))) {
                let date = some_workday(rng, date(2026, month, 1), date(2026, month + 1, 1).plus(-1));
                let points = rng.between(0, 2) + seen / 4;
                self.push_lower(rng, Level::Community, c, date, points);
            }
            for (q, (from, to)) in STREET_WINDOWS.into_iter().enumerate() {
                if !gaps.street.contains(&(c, q)) {
                    let date = some_workday(rng, from, to);
                    let points = rng.between(0, 3) + seen / 3;
                    self.push_lower(rng, Level::Street, c, date, points);
                }
            }
            if !gaps.district.contains(&c) {
                let date = some_workday(rng, date(2026, 3, 2), date(2026, 4, 30));
                let points = rng.between(1, 4) + seen / 2;
                self.push_lower(rng, Level::District, c, date, points);
            }
        }
    }

    /// The district's spot checks of the third party (对第三方的考核, DESIGN §16): six of each
    /// team's 2026H1 routine visits, re-inspected by the district 1 to 7 days later (never
    /// after the newest visit, so the demo's as-of date stays). The district finds what the
    /// team recorded give or take a point, and 2 to 4 points more behind [`LENIENT_TEAM`].
    /// District routine visits only: the official scores, notices and subsidies do not move.
    fn spot_checks(&mut self, rng: &mut Rng) {
        let newest = self.visits.iter().map(|v| v.date).max().unwrap_or(date(2026, 6, 30));
        for (t, team) in TP_TEAMS.iter().enumerate() {
            let theirs: Vec<usize> = (0..self.visits.len())
                .filter(|&v| official_2026(&self.visits[v]) && self.visits[v].team == *team)
                .collect();
            let mut picked: Vec<usize> = rng.sample(theirs.len(), 6).into_iter().map(|k| theirs[k]).collect();
            picked.sort_unstable();
            for v in picked {
                let (compound, seen) = (self.visits[v].compound, self.visits[v].date);
                let day = some_workday(rng, seen.plus(1), seen.plus(7).min(newest));
                // A contract changing hands in between could change the items that apply.
                let same_grade = self.district.grade_on(compound, day) == self.district.grade_on(compound, seen);
                if day <= seen || day > newest || !same_grade {
                    continue;
                }
                let mut tally = self.visits[v].tally;
                let lim = self.limits(compound, day, 75, None);
                if t == LENIENT_TEAM {
                    place_n(rng, &mut tally, (2, 4), lim);
                } else if rng.percent(50) {
                    place(rng, &mut tally, 1, lim);
                } else if let Some(i) = (0..N_ITEMS).filter(|&i| tally[i] > 0).max_by_key(|&i| tally[i]) {
                    tally[i] -= 1;
                }
                let team = DISTRICT_TEAMS[self.district.street_of(compound) / 2].to_string();
                self.push(
                    rng,
                    VisitSpec {
                        level: Level::District,
                        recheck: false,
                        compound,
                        date: day,
                        team,
                        tally,
                    },
                );
            }
        }
    }

    /// A routine visit of a lower level with up to `points` points.
    fn push_lower(&mut self, rng: &mut Rng, level: Level, compound: usize, date: NaiveDate, points: u32) {
        let (team, min) = match level {
            Level::Community => (
                format!(
                    "{}检查组",
                    self.district.communities[self.district.compounds[compound].community].name
                ),
                85,
            ),
            Level::Street => (format!("{}检查组", STREETS[self.district.street_of(compound)].0), 80),
            _ => (DISTRICT_TEAMS[self.district.street_of(compound) / 2].to_string(), 75),
        };
        let mut tally = [0; N_ITEMS];
        place(rng, &mut tally, points, self.limits(compound, date, min, None));
        self.push(
            rng,
            VisitSpec {
                level,
                recheck: false,
                compound,
                date,
                team,
                tally,
            },
        );
    }

    /// The monthly files `data/inspections/YYYY/YYYY-MM.csv`, written by the crate's own store
    /// writer (which sorts the rows by date, visit id and item).
    fn files(&self) -> io::Result<Vec<(String, Vec<u8>)>> {
        let mut months: BTreeMap<(i32, u32), Vec<Finding>> = BTreeMap::new();
        for v in &self.visits {
            let rows = months.entry((v.date.year(), v.date.month())).or_default();
            self.visit_rows(v, rows);
        }
        months
            .into_iter()
            .map(|((y, m), mut rows)| {
                let mut bytes = Vec::new();
                write_findings(&mut bytes, &mut rows)?;
                Ok((format!("data/inspections/{y:04}/{y:04}-{m:02}.csv"), bytes))
            })
            .collect()
    }

    /// A visit's rows: photos shared in proportion to the points, the remainder on the first
    /// row (in item order); a visit that found nothing is one row with an empty item.
    fn visit_rows(&self, v: &Visit, rows: &mut Vec<Finding>) {
        let row = |item: &str, count: u32, photos: u32, note: &str| Finding {
            visit_id: v.id.clone(),
            date: v.date,
            level: v.level,
            purpose: if v.recheck { Purpose::Recheck } else { Purpose::Routine },
            team: v.team.clone(),
            inspectors: v.inspectors,
            compound_id: self.district.compounds[v.compound].id.clone(),
            item: item.to_string(),
            count: count.into(),
            photos: photos.into(),
            note: note.to_string(),
        };
        let n: u32 = v.tally.iter().sum();
        if n == 0 {
            rows.push(row("", 0, v.photos, ""));
            return;
        }
        let shares: Vec<u32> = v.tally.iter().map(|&c| v.photos * c / n).collect();
        let mut extra = v.photos - shares.iter().sum::<u32>();
        for (i, &c) in v.tally.iter().enumerate().filter(|(_, &c)| c > 0) {
            let photos = shares[i] + std::mem::take(&mut extra);
            let note = if v.noted == Some(i) { self.items[i].note } else { "" };
            rows.push(row(&self.items[i].code, c, photos, note));
        }
    }
}

/// The staged coverage gaps of the lower levels: (compound, month), (compound, quarter index)
/// and compound.
struct Gaps {
    community: Vec<(usize, u32)>,
    street: Vec<(usize, usize)>,
    district: Vec<usize>,
}

/// When the street offices visit in each quarter of 2026H1.
const STREET_WINDOWS: [(NaiveDate, NaiveDate); 2] = [
    (date(2026, 1, 12), date(2026, 3, 27)),
    (date(2026, 4, 7), date(2026, 6, 19)),
];

/// An official (third-party) routine visit of 2026H1: what the targets count.
fn official_2026(v: &Visit) -> bool {
    v.level == Level::ThirdParty && !v.recheck && half(v.date) == (2026, 1)
}

/// Official visits: every working day of `from..=to`, two of the four third-party teams a day
/// (rotating), the compounds in id order (so a team-day stays in one neighbourhood) spread
/// evenly over the team-days.
fn schedule(compounds: usize, from: NaiveDate, to: NaiveDate) -> Vec<Slot> {
    let days = workdays(from, to);
    let pairs = days.len() * 2;
    (0..compounds)
        .map(|c| {
            let k = c * pairs / compounds;
            Slot {
                compound: c,
                date: days[k / 2],
                team: (k / 2 * 2 + k % 2) % TP_TEAMS.len(),
            }
        })
        .collect()
}

/// `total` split over `slots` numbers within `lo..=hi`, at random.
fn spread(rng: &mut Rng, total: u32, slots: usize, lo: u32, hi: u32) -> io::Result<Vec<u32>> {
    let room = (total as usize).checked_sub(lo as usize * slots);
    if slots == 0 || room.is_none_or(|r| r > (hi - lo) as usize * slots) {
        return Err(missed("cannot spread the ordinary points"));
    }
    let mut out = vec![lo; slots];
    let mut left = room.unwrap_or(0);
    while left > 0 {
        let s = rng.below(slots);
        if out[s] < hi {
            out[s] += 1;
            left -= 1;
        }
    }
    Ok(out)
}

/// The staged 2026H1 official round.
struct Plan {
    roles: Vec<Role>,
    /// (slot, outcome, late) of each re-inspection.
    rechecks: Vec<(usize, Outcome, bool)>,
    revoked: usize,
    ineligible: usize,
}

/// Stage 2026H1: among visits up to 5 June (so that a re-inspection up to 25 days later still
/// falls in June), 9 heavy and 3 red-line failures all re-inspected, 3 passing hot spots, 3
/// clean visits and 6 that only just pass; among visits from 22 June, one heavy failure left without re-inspection.
/// The first heavy one and a red-line one in another community still fail on re-inspection
/// (the red-line one late); one heavy one is rectified late.
fn plan_2026(rng: &mut Rng, district: &District, slots: &[Slot]) -> io::Result<Plan> {
    let mut roles = vec![Role::Normal(0); slots.len()];
    let mut early: Vec<usize> = (0..slots.len())
        .filter(|&s| slots[s].date <= date(2026, 6, 5))
        .collect();
    let mut late: Vec<usize> = (0..slots.len())
        .filter(|&s| slots[s].date >= date(2026, 6, 22))
        .collect();
    rng.shuffle(&mut early);
    rng.shuffle(&mut late);
    if early.len() < 24 || late.is_empty() {
        return Err(missed("the 2026H1 schedule is too short to stage"));
    }
    let (heavy, rest) = early.split_at(9);
    let (red, rest) = rest.split_at(3);
    for (k, &s) in heavy.iter().enumerate() {
        roles[s] = Role::Heavy { lock: k == 1 };
    }
    for &s in red {
        roles[s] = Role::RedLine;
    }
    for (&s, cat) in rest.iter().zip([AD, PARK, PILE]) {
        roles[s] = Role::Hot(cat);
    }
    for &s in &rest[3..6] {
        roles[s] = Role::Clean;
    }
    for &s in &rest[6..12] {
        roles[s] = Role::Fair;
    }
    roles[late[0]] = Role::Heavy { lock: false };

    let community = |s: usize| district.compounds[slots[s].compound].community;
    let still_low = heavy[0];
    let still_red = red
        .iter()
        .copied()
        .find(|&s| community(s) != community(still_low))
        .unwrap_or(red[0]);
    let rechecks = heavy
        .iter()
        .chain(red)
        .map(|&s| {
            let outcome = match s {
                _ if s == still_low => Outcome::StillLow,
                _ if s == still_red => Outcome::StillRedLine,
                _ => Outcome::Rectified,
            };
            (s, outcome, s == still_red || s == heavy[2])
        })
        .collect();
    Ok(Plan {
        roles,
        rechecks,
        revoked: community(still_low),
        ineligible: community(still_red),
    })
}

/// The photos of a visit: the third party documents most (about 35 a routine visit).
fn photos(rng: &mut Rng, level: Level, recheck: bool, points: u32) -> u32 {
    let p = points.min(12);
    match (level, recheck) {
        (Level::ThirdParty, false) => 24 + rng.between(0, 12) + p,
        (Level::ThirdParty, true) => 12 + rng.between(0, 10) + p,
        (Level::District, _) => 4 + rng.between(0, 8) + p,
        (Level::Street, _) => 2 + rng.between(0, 6) + p,
        (Level::Community, _) => rng.between(0, 4) + p,
    }
}

/// Now and then an inspector writes a note beside one of the items found.
fn pick_note(rng: &mut Rng, items: &[Item], t: &Tally, level: Level) -> Option<usize> {
    let chance = if level == Level::ThirdParty { 25 } else { 6 };
    if !rng.percent(chance) {
        return None;
    }
    let start = rng.below(N_ITEMS);
    (0..N_ITEMS)
        .map(|k| (start + k) % N_ITEMS)
        .find(|&i| t[i] > 0 && !items[i].note.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Titles, appeals, selections, fees, funds.

struct Title {
    community: usize,
    awarded: NaiveDate,
    until: NaiveDate,
}

/// 美丽社区 titles: ten valid ones (including the community whose title the failed
/// re-inspection revokes) and two expired ones (including the community made ineligible).
fn titles(rng: &mut Rng, district: &District, h1: &Half) -> Vec<Title> {
    let hosts: BTreeSet<usize> = district.compounds.iter().map(|k| k.community).collect();
    let mut others: Vec<usize> = hosts
        .into_iter()
        .filter(|&c| c != h1.revoked && c != h1.ineligible)
        .collect();
    rng.shuffle(&mut others);
    let mut out = Vec::new();
    for (k, &community) in std::iter::once(&h1.revoked).chain(&others[..9]).enumerate() {
        let (awarded, until) = if k < 7 {
            (date(2025, 1, 15), date(2027, 1, 14))
        } else {
            (date(2026, 1, 20), date(2028, 1, 19))
        };
        out.push(Title {
            community,
            awarded,
            until,
        });
    }
    for &community in [h1.ineligible, others[9]].iter() {
        out.push(Title {
            community,
            awarded: date(2023, 1, 16),
            until: date(2025, 1, 15),
        });
    }
    out.sort_by_key(|t| (t.community, t.awarded));
    out
}

fn titles_csv(district: &District, titles: &[Title]) -> io::Result<Vec<u8>> {
    let mut csv = Csv::new("community_id,title,awarded_on,valid_until");
    for t in titles {
        let community = &district.communities[t.community].id;
        csv.row(&[community, "美丽社区", &t.awarded.to_string(), &t.until.to_string()]);
    }
    csv.finish()
}

struct Appeal {
    visit: usize,
    item: usize,
    points: u32,
    decision: &'static str,
    decided: Option<NaiveDate>,
    note: &'static str,
}

/// The last day of 2026H1: the newest visit of the demo's store.
const H1_LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 6, 30) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

const UPHELD_NOTES: [&str; 3] = [
    "物业提交检查前已整改的照片, 经复核属实",
    "经复核该点位属相邻单位管理范围，予以核减",
    "复核认定为同一问题重复计数, 核减\"重复点位\"",
];

/// Appeals against 2026H1 official routine findings: three upheld and one pending on ordinary
/// visits (so no verdict changes), two rejected on failing ones.
fn appeals(rng: &mut Rng, store: &Store, h1: &Half) -> io::Result<Vec<Appeal>> {
    let by_role = |want: fn(&Role) -> bool| -> Vec<usize> {
        h1.roles
            .iter()
            .zip(&h1.visits)
            .filter(|(r, _)| want(r))
            .map(|(_, &v)| v)
            .collect()
    };
    let mut normal = by_role(|r| matches!(r, Role::Normal(_)));
    rng.shuffle(&mut normal);
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for (&points, note) in UPHELD_POINTS.iter().zip(UPHELD_NOTES) {
        let (visit, item) = appealable(rng, store, &normal, &used, points + 1)?;
        used.insert(visit);
        // Decided two weeks on, and by the half's last inspection day at the latest, so that
        // the report as of the newest visit (DESIGN §14) applies every upheld appeal.
        let decided = Some(store.visits[visit].date.plus(14).workday_on_or_after().min(H1_LAST_DAY));
        out.push(Appeal {
            visit,
            item,
            points,
            decision: "upheld",
            decided,
            note,
        });
    }
    let (visit, item) = appealable(rng, store, &normal, &used, 1)?;
    out.push(Appeal {
        visit,
        item,
        points: 1,
        decision: "pending",
        decided: None,
        note: "待街道核实",
    });

    let heavy = by_role(|r| matches!(r, Role::Heavy { .. }));
    let red = by_role(|r| *r == Role::RedLine);
    let (Some(&h), Some(&r)) = (heavy.first(), red.first()) else {
        return Err(missed("no failing visit to appeal"));
    };
    let t = &store.visits[h].tally;
    let item = (0..N_ITEMS).max_by_key(|&i| (t[i], std::cmp::Reverse(i))).unwrap_or(0);
    let decided = |v: usize| Some(store.visits[v].date.plus(10).workday_on_or_after());
    let note = "照片显示问题存在, 申诉理由不成立";
    out.push(Appeal {
        visit: h,
        item,
        points: t[item].min(2),
        decision: "rejected",
        decided: decided(h),
        note,
    });
    let note = "飞线充电现场有照片为证，维持原结论";
    out.push(Appeal {
        visit: r,
        item: A17,
        points: 1,
        decision: "rejected",
        decided: decided(r),
        note,
    });
    out.sort_by(|a, b| (&store.visits[a.visit].id, a.item).cmp(&(&store.visits[b.visit].id, b.item)));
    Ok(out)
}

/// An unused visit of `candidates` with an item counting at least `need` points.
fn appealable(
    rng: &mut Rng,
    store: &Store,
    candidates: &[usize],
    used: &BTreeSet<usize>,
    need: u32,
) -> io::Result<(usize, usize)> {
    let start = rng.below(N_ITEMS);
    candidates
        .iter()
        .filter(|v| !used.contains(v))
        .find_map(|&v| {
            let t = &store.visits[v].tally;
            (0..N_ITEMS)
                .map(|k| (start + k) % N_ITEMS)
                .find(|&i| t[i] >= need)
                .map(|i| (v, i))
        })
        .ok_or_else(|| missed("no visit to appeal"))
}

fn appeals_csv(store: &Store, appeals: &[Appeal]) -> io::Result<Vec<u8>> {
    let mut csv = Csv::new("visit_id,item,points,decision,decided_on,note");
    for a in appeals {
        let decided = a.decided.map(|d| d.to_string()).unwrap_or_default();
        let points = a.points.to_string();
        csv.row(&[
            &store.visits[a.visit].id,
            &store.items[a.item].code,
            &points,
            a.decision,
            &decided,
            a.note,
        ]);
    }
    csv.finish()
}

/// Two residents' selections for contracts ending in 2026H2: SEL-2026-01 valid (80% of the
/// households, 78% of the area voting) with a new company winning 60% / 58%; SEL-2026-02 short
/// of quorum (55% / 52%).
fn selections_csv(district: &District) -> io::Result<Vec<u8>> {
    let mut csv = Csv::new("selection_id,compound_id,held_on,company_id,households,area_m2");
    let staged = [
        (
            "SEL-2026-01",
            5,
            date(2026, 10, 20),
            (80, 78),
            &[(3, 60, 58), (0, 25, 27), (6, 15, 15)][..],
        ),
        (
            "SEL-2026-02",
            4,
            date(2026, 11, 6),
            (55, 52),
            &[(0, 56, 56), (2, 44, 44)][..],
        ),
    ];
    for (id, ending, held, (share_h, share_a), candidates) in staged {
        let Some(&c) = district.ending.get(ending) else {
            continue;
        };
        let k = &district.compounds[c];
        let incumbent = district.contracts[c].last().map_or(0, |x| x.company);
        let (voted_h, voted_a) = (k.households * share_h / 100, k.area * share_a / 100);
        let (mut left_h, mut left_a) = (voted_h, voted_a);
        for (n, &(offset, h, a)) in candidates.iter().enumerate() {
            // The last candidate takes what is left, so the votes add up exactly.
            let last = n + 1 == candidates.len();
            let votes_h = if last { left_h } else { voted_h * h / 100 };
            let votes_a = if last { left_a } else { voted_a * a / 100 };
            left_h -= votes_h;
            left_a -= votes_a;
            let company = company_id((incumbent + offset) % COMPANIES.len());
            csv.row(&[
                id,
                &k.id,
                &held.to_string(),
                &company,
                &votes_h.to_string(),
                &hundredths(votes_a),
            ]);
        }
    }
    csv.finish()
}

/// Fees billed for 2026H1 (6 months at 0.55 / 0.45 / 0.35 yuan per m2 by grade) and collected:
/// mostly 80–98%, a few below 80% or above 98%.
fn fees_csv(rng: &mut Rng, district: &District) -> io::Result<Vec<u8>> {
    let mut csv = Csv::new("compound_id,billed,collected");
    for (c, k) in district.compounds.iter().enumerate() {
        let rate = [55, 45, 35][usize::from(district.grade_on(c, date(2026, 6, 30)) - 1)];
        let billed = k.area * rate * 6 / 100;
        let basis_points = match rng.between(0, 99) {
            0..=7 => rng.between(6500, 7999),
            8..=92 => rng.between(8000, 9800),
            _ => rng.between(9801, 10_000),
        };
        let collected = billed * u64::from(basis_points) / 10_000;
        csv.row(&[&k.id, &hundredths(billed), &hundredths(collected)]);
    }
    csv.finish()
}

/// The 2026H1 subsidy round. The budget is 90% of the uncapped base (area × rate per month of
/// each contract), rounded down to 100,000 yuan: below what the entitlements add up to, so the
/// cap binds and the scaling shows.
fn funds_toml(district: &District) -> String {
    let rates = [30u64, 25, 20];
    let mut base = 0; // in 0.01 m2 × fen
    for (c, k) in district.compounds.iter().enumerate() {
        for month in 1..=6 {
            base += k.area * rates[usize::from(district.grade_on(c, date(2026, month, 1)) - 1)];
        }
    }
    let yuan = base / 100 / 100;
    let budget = yuan * 9 / 10 / 100_000 * 100_000;
    format!(
        r#"# 2026年上半年旧楼区物业管理补贴 (DESIGN §9). Generated by `cargo run --example demo`.
period = "2026H1"
budget = "{budget}.00"

[rates]
"1" = "0.30"
"2" = "0.25"
"3" = "0.20"

[coefficients]
"优秀" = "1.00"
"良好" = "0.95"
"合格" = "0.90"
"不合格" = "0.60"
rectified = "0.85"
recheck_failed = "0.30"
unresolved = "0"
not_assessed = "0.80"

[fee_bonus]
min_rate = "0.90"
bonus = "0.05"
"#
    )
}
