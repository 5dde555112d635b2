//! What most reports load: settings, registry, standards and appeals, and the pass that
//! streams a period's visits through the scorer. Shared by the commands, which import no
//! other command.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::recheck::{NoticeBook, RecheckReport};
use crate::domain::scoring::{ScoreProblem, ScoreReport, Scorer};
use crate::domain::subsidy::{allocate, SubsidyReport};
use crate::domain::visit::{Accumulate, UpheldAppeals, Visit};
use crate::engine::scan::{default_threads, scan_file, scan_files, Sources};
use crate::engine::score::ScoreRun;
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{Lang, Settings};
use crate::model::registry::Registry;
use crate::model::{Level, Period};
use crate::workspace::provenance::Inputs;
use crate::workspace::store::{files_for, files_from, MonthFile};
use crate::workspace::{self, StandardsFile, StandardsSet, Workspace};

use super::Context;

/// A loaded workspace.
pub struct Loaded {
    /// The workspace found.
    pub ws: Workspace,
    /// data/workspace.toml: the district, the report language, the currency, and the quorum and
    /// majority a residents' selection needs.
    pub settings: Settings,
    /// Shared so that scans on several threads can read it while the report is built.
    pub registry: std::sync::Arc<Registry>,
    /// Every standards file; a report takes the one in force for its period.
    pub standards: StandardsSet,
    /// The upheld appeals, applied to the visits as they are scanned.
    pub appeals: UpheldAppeals,
    /// Every file read so far, for provenance.
    pub inputs: Inputs,
    /// Threads for scanning the store.
    pub threads: usize,
    /// `-v`: say which files are read.
    pub verbose: u8,
    /// Held while the report reads the store, so no import renames months under it.
    _lock: Option<crate::workspace::transaction::WorkspaceLock>,
}

impl Loaded {
    /// Load the workspace's settings, registry, standards and appeals; any error fails.
    /// `provenance`: the report will carry its provenance, so the month files are hashed as
    /// they are scanned rather than read again for it (see [`Inputs`]).
    pub fn load(ctx: &Context, provenance: bool) -> Result<Loaded> {
        let started = std::time::Instant::now();
        let ws = ctx.workspace()?;
        let lock = crate::workspace::transaction::read_lock(&ws, std::time::Duration::from_secs(120))?;
        let mut d = Diagnostics::new();
        let settings = workspace::load_settings(&ws, &mut d)?;
        let registry = workspace::load_registry(&ws, &mut d)?;
        let standards = workspace::load_standards(&ws, &mut d)?;
        let appeals = workspace::load_appeals(&ws, &mut d)?;
        d.into_result()?;
        let mut inputs = Inputs::default();
        inputs.hash_while_scanning = provenance;
        for (rel, _) in workspace::registry_headers() {
            inputs.add_file(&ws, rel)?;
        }
        inputs.add_file(&ws, "data/workspace.toml")?;
        inputs.add_file(&ws, "data/appeals.csv")?;
        if ctx.verbose > 1 {
            eprintln!(
                "oldestate: loaded settings, registry ({} compounds), standards and appeals in {:.2} s{}",
                registry.compounds.len(),
                started.elapsed().as_secs_f64(),
                peak_memory()
            );
        }
        Ok(Loaded {
            ws,
            settings,
            registry: registry.into(),
            standards,
            appeals: UpheldAppeals::new(&appeals),
            inputs,
            threads: default_threads(),
            verbose: ctx.verbose,
            _lock: lock,
        })
    }

    /// The report language: `--lang`, else the workspace's.
    pub fn lang(&self, ctx: &Context) -> Lang {
        ctx.lang.unwrap_or(self.settings.language)
    }

    /// The standards in force for a period, recorded as an input.
    pub fn standards_for(&mut self, period: &Period) -> Result<StandardsFile> {
        let f = self.standards.for_period(period)?.clone();
        if self.verbose > 0 {
            eprintln!("oldestate: {period} uses {} (sha256 {})", f.file, f.sha256);
        }
        self.inputs.add_file(&self.ws, &f.file)?;
        Ok(f)
    }

    /// Stream a period's visits as recorded, without applying appeals (for `--explain`).
    pub fn scan_raw(&mut self, period: &Period, mut on_visit: impl FnMut(&Visit)) -> Result<()> {
        let files = self.files(Range::Period(*period))?;
        let mut d = Diagnostics::new();
        let none = UpheldAppeals::default();
        let src = Sources {
            ws: &self.ws,
            appeals: &none,
            registry: &self.registry,
            hash: self.inputs.hash_while_scanning,
        };
        for f in &files {
            let sha = scan_file(&src, f, &mut d, &mut on_visit)?;
            self.inputs.add_digest(&f.rel, sha);
        }
        d.into_result()
    }

    /// Feed a range of months to an accumulator, the month files shared between threads.
    fn scan_into<T: Accumulate + Sync>(&mut self, range: Range, acc: T) -> Result<T> {
        let files = self.files(range)?;
        let started = std::time::Instant::now();
        let src = Sources {
            ws: &self.ws,
            appeals: &self.appeals,
            registry: &self.registry,
            hash: self.inputs.hash_while_scanning,
        };
        let (values, scans) = scan_files(&src, &files, self.threads, || acc.fork(), |t, v| t.add(v))?;
        let mut d = Diagnostics::new();
        for r in scans {
            d.absorb(r.diags);
            self.inputs.add_digest(&r.file.rel, r.sha256);
        }
        let mut acc = acc;
        for v in values {
            acc.merge(v);
        }
        d.into_result()?;
        if self.verbose > 1 {
            eprintln!(
                "oldestate: scanned {} month file(s) in {:.2} s{}",
                files.len(),
                started.elapsed().as_secs_f64(),
                peak_memory()
            );
        }
        Ok(acc)
    }

    fn files(&self, range: Range) -> Result<Vec<MonthFile>> {
        // Oddly named files are warnings for `check`; reports just leave them out.
        let mut d = Diagnostics::new();
        let files = match range {
            Range::Period(p) => files_for(&self.ws, &p, &mut d)?,
            Range::From(date) => files_from(&self.ws, date, &mut d)?,
        };
        if self.verbose > 0 {
            let names: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
            eprintln!(
                "oldestate: scanning {} month file(s) on {} thread(s): {}",
                files.len(),
                self.threads,
                names.join(" ")
            );
        }
        Ok(files)
    }

    /// Score a period at a level (default: the standards' scoring level) under `standards`.
    pub fn score(
        &mut self,
        period: Period,
        level: Option<Level>,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<ScoreReport> {
        let st = &standards.standards;
        let registry = std::sync::Arc::clone(&self.registry);
        let mut scorer = Scorer::new(&registry, st, period, level.unwrap_or(st.scoring_level));
        scorer.ignore_inapplicable = inapplicable.left_out();
        let span = scorer.span();
        let run = self.scan_into(Range::Period(span), ScoreRun::new(&scorer, self.threads))?;
        let started = std::time::Instant::now();
        let report = run.finish().map_err(problems_error)?;
        if self.verbose > 1 {
            eprintln!(
                "oldestate: scored in {:.2} s{}",
                started.elapsed().as_secs_f64(),
                peak_memory()
            );
        }
        Ok(report)
    }

    /// A period's scores and its notices in one pass over the store (what the subsidy needs).
    pub fn score_and_rechecks(
        &mut self,
        period: Period,
        as_of: NaiveDate,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<(ScoreReport, RecheckReport)> {
        let (scores, rechecks, ()) = self.score_rechecks_and(period, as_of, standards, inapplicable, ())?;
        Ok((scores, rechecks))
    }

    /// A period's scores, its notices, and whatever else `extra` gathers, in one pass: every
    /// accumulator ignores the visits it does not need, so the pass starts at the earliest
    /// month any of them needs and runs to the end of the store.
    pub fn score_rechecks_and<T: Accumulate + Sync>(
        &mut self,
        period: Period,
        as_of: NaiveDate,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
        extra: T,
    ) -> Result<(ScoreReport, RecheckReport, T)> {
        let st = &standards.standards;
        let registry = std::sync::Arc::clone(&self.registry);
        let mut scorer = Scorer::new(&registry, st, period, st.scoring_level);
        scorer.ignore_inapplicable = inapplicable.left_out();
        let mut book = NoticeBook::new(&registry, st, period);
        book.ignore_inapplicable = inapplicable.left_out();
        let first = scorer.span().start().min(book.first_day());
        let run = ScoreRun::new(&scorer, self.threads);
        let ((run, book), extra) = self.scan_into(Range::From(first), ((run, book), extra))?;
        Ok((
            run.finish().map_err(problems_error)?,
            book.finish(as_of).map_err(problems_error)?,
            extra,
        ))
    }

    /// A period's subsidy allocation under `standards` (DESIGN §9), or `None` when the period
    /// has no funds file: its funds and fees loaded, its scores and notices in one pass.
    pub fn subsidy(
        &mut self,
        period: Period,
        standards: &StandardsFile,
        budget: Option<Decimal>,
        as_of: NaiveDate,
        inapplicable: Inapplicable,
    ) -> Result<Option<SubsidyReport>> {
        let rel = format!("data/funds/{period}.toml");
        let grades: Vec<&str> = standards.standards.grades.iter().map(|g| g.name.as_str()).collect();
        let mut d = Diagnostics::new();
        let funds = workspace::load_funds(&self.ws, &period, &grades, &mut d)?;
        let fees = workspace::load_fees(&self.ws, &period, &mut d)?;
        d.into_result()?;
        let Some(funds) = funds else { return Ok(None) };
        self.inputs.add_file(&self.ws, &rel)?;
        self.inputs.add_file(&self.ws, &format!("data/fees/{period}.csv"))?;
        let (scores, notices) = self.score_and_rechecks(period, as_of, standards, inapplicable)?;
        allocate(
            &self.registry,
            period,
            &funds,
            budget,
            &scores.compounds,
            &notices.notices,
            &fees,
        )
        .map(Some)
        .map_err(|m| Error::msg(format!("{rel}: {m}")))
    }

    /// The notices of a period and their re-inspections as of a date, under `standards`.
    pub fn rechecks(
        &mut self,
        period: Period,
        as_of: NaiveDate,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<RecheckReport> {
        let registry = std::sync::Arc::clone(&self.registry);
        let mut book = NoticeBook::new(&registry, &standards.standards, period);
        book.ignore_inapplicable = inapplicable.left_out();
        let first = book.first_day();
        let report = self.scan_into(Range::From(first), book)?.finish(as_of);
        report.map_err(problems_error)
    }
}

/// What scoring does with a finding on an item the standards do not apply (to the compound's
/// service grade): said by the command at each call, as it depends on whose standards they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inapplicable {
    /// An error, as `check` reports it: the standards are those the data were recorded under.
    Refused,
    /// Left out and counted (`ignored_points`): the standards are hypothetical, a proposal
    /// under review or another period's, which the data were never recorded under.
    LeftOut,
}

impl Inapplicable {
    fn left_out(self) -> bool {
        self == Inapplicable::LeftOut
    }
}

fn problems_error(problems: Vec<ScoreProblem>) -> Error {
    let mut d = Diagnostics::new();
    for p in problems {
        d.error(&p.file, Some(p.line), p.message);
    }
    d.into_result().err().unwrap_or_else(|| Error::msg("scoring failed"))
}

/// Which month files a scan reads.
#[derive(Debug, Clone, Copy)]
pub enum Range {
    /// The months of a period.
    Period(Period),
    /// From the month of a date to the end of the store.
    From(NaiveDate),
}

/// ", peak memory N MiB so far" where the system tells it (Linux), for `-vv` timings.
pub fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| format!(", peak memory {} MiB so far", kb / 1024))
        .unwrap_or_default()
}
