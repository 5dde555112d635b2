//! What most reports load: settings, registry, standards and appeals, and the pass that
//! streams a period's visits through the scorer. Shared by the commands, which import no
//! other command.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_i18n::t;

use crate::domain::as_of::{AsOf, Chosen, Inspected};
use crate::domain::recheck::{NoticeBook, NoticeBooks, RecheckReport, Rechecks, WorstOutcomes};
use crate::domain::scoring::{LevelCoverage, ScoreProblem, ScoreReport, Scorer};
use crate::domain::subsidy::{Allocation, SubsidyReport};
use crate::domain::visit::{Accumulate, UpheldAppeals, Visit};
use crate::engine::scan::{default_threads, scan_file, scan_files, Sources};
use crate::engine::score::ScoreRun;
use crate::error::{Diagnostics, Error, Result};
use crate::model::funds::Funds;
use crate::model::records::{Appeal, Fee, Lang, Settings};
use crate::model::registry::Registry;
use crate::model::{AsOfArg, Level, Period};
use crate::render::Format;
use crate::workspace::provenance::Inputs;
use crate::workspace::store::{files_for, files_from, newest_visit, MonthFile};
use crate::workspace::{self, StandardsFile, StandardsSet, Workspace};

use super::Context;

/// A period's funds and fees: what its subsidy needs besides scores and notices.
pub struct Money {
    /// `data/funds/PERIOD.toml`.
    pub funds: Funds,
    /// `data/fees/PERIOD.csv` (empty when there is none).
    pub fees: Vec<Fee>,
}

/// One side of a comparison of two standards: the period's scores, and what its notices come
/// to for each compound's subsidy when they were asked for.
pub struct Side {
    /// The period's scores under this side's standards.
    pub scores: ScoreReport,
    /// The worst outcome of each compound's notices as of the as-of date, when asked for.
    pub notices: Option<WorstOutcomes>,
}

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
    /// The day the report stands on (DESIGN §14): it sees no record dated after it.
    pub as_of: AsOf,
    /// The appeals upheld on the as-of date, applied to the visits as they are scanned.
    pub appeals: UpheldAppeals,
    /// Every file read so far, for provenance.
    pub inputs: Inputs,
    /// Threads for scanning the store.
    pub threads: usize,
    /// `-v`: say which files are read.
    pub verbose: u8,
    /// `-q`: no progress bar.
    quiet: bool,
    /// Held while the report reads the store, so no import renames months under it.
    _lock: Option<crate::workspace::transaction::WorkspaceLock>,
}

impl Loaded {
    /// [`Loaded::load`] as most reports load: provenance hashed when `format` carries it,
    /// `--as-of` as given, else the newest visit's date.
    pub fn report(ctx: &Context, format: Format, as_of: Option<AsOfArg>) -> Result<Loaded> {
        Loaded::load(ctx, format.carries_provenance(), as_of, AsOfDefault::NewestVisit)
    }

    /// Load the workspace's settings, registry, standards and appeals; any error fails.
    /// `provenance`: the report will carry its provenance, so the month files are hashed as
    /// they are scanned rather than read again for it (see [`Inputs`]). `as_of`: `--as-of` as
    /// given, else the command's default (DESIGN §14).
    pub fn load(ctx: &Context, provenance: bool, as_of: Option<AsOfArg>, default: AsOfDefault) -> Result<Loaded> {
        let started = std::time::Instant::now();
        let ws = ctx.workspace()?;
        let lock = crate::workspace::transaction::read_lock(&ws, std::time::Duration::from_secs(120))?;
        // The newest visit's date (a read of the newest month file) is found while the
        // registry loads, when the as-of date defaults to it: from when the registry's smaller
        // tables are read (see `load_registry_then`), so three reads do not share two cores.
        let (records, newest) = std::thread::scope(|s| {
            let (start, started) = std::sync::mpsc::channel::<()>();
            let ws = &ws;
            let newest = (as_of.is_none() && default == AsOfDefault::NewestVisit).then(|| {
                s.spawn(move || {
                    // (Also when the loading failed before: the sender is then dropped.)
                    let _ = started.recv();
                    newest_visit(ws)
                })
            });
            let records = load_records(ws, move || {
                let _ = start.send(());
            });
            let newest = newest.map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::msg(t!("load.store_read_failed"))))
            });
            (records, newest)
        });
        let (settings, registry, standards, appeals) = records?;
        let as_of = match resolve_as_of(ctx, as_of, newest.transpose()?)? {
            Some(as_of) if as_of.chosen == Chosen::NewestVisit => {
                note_later_appeals(ctx, &as_of, &appeals);
                as_of
            }
            Some(as_of) => as_of,
            // An empty store: every period report fails as "no inspections", before any date
            // is shown.
            None => AsOf::new(NaiveDate::MIN, Chosen::NewestVisit),
        };
        let mut inputs = Inputs::default();
        inputs.hash_while_scanning = provenance;
        inputs.pinned_git = ctx.pinned_git.clone();
        for (rel, _) in workspace::registry_headers() {
            inputs.add_file(&ws, rel)?;
        }
        inputs.add_file(&ws, "data/workspace.toml")?;
        inputs.add_file(&ws, "data/appeals.csv")?;
        if ctx.verbose > 0 {
            crate::say!(
                "oldestate: {}",
                t!("load.as_of", date = as_of.date, how = chosen_words(as_of.chosen))
            );
        }
        if ctx.verbose > 1 {
            crate::say!(
                "oldestate: {}{}",
                t!(
                    "load.loaded",
                    compounds = registry.compounds.len(),
                    seconds = format!("{:.2}", started.elapsed().as_secs_f64())
                ),
                peak_memory()
            );
        }
        Ok(Loaded {
            ws,
            settings,
            registry: registry.into(),
            standards,
            appeals: as_of.upheld_appeals(&appeals),
            as_of,
            inputs,
            threads: default_threads(),
            verbose: ctx.verbose,
            quiet: ctx.quiet,
            _lock: lock,
        })
    }

    /// A table or CSV over a period not ended on the as-of date says so in one line on stderr
    /// (JSON says `complete: false`; documents say it in their first lines).
    pub fn note_if_incomplete(&self, ctx: &Context, period: &Period, format: Format) {
        if !self.as_of.complete(period) && matches!(format, Format::Table | Format::Csv) {
            ctx.note(t!("load.incomplete", period = period, date = self.as_of.date));
        }
    }

    /// The report language: `--lang`, else the workspace's.
    pub fn lang(&self, ctx: &Context) -> Lang {
        ctx.lang.unwrap_or(self.settings.language)
    }

    /// The standards in force for a period, recorded as an input.
    pub fn standards_for(&mut self, period: &Period) -> Result<StandardsFile> {
        let f = self.standards.for_period(period)?.clone();
        if self.verbose > 0 {
            crate::say!(
                "oldestate: {}",
                t!("load.uses_standards", period = period, file = f.file, sha256 = f.sha256)
            );
        }
        self.inputs.add_file(&self.ws, &f.file)?;
        Ok(f)
    }

    /// Stream a period's visits as recorded, without applying appeals, from the month files
    /// `only` keeps (for `--explain`: the months of its appealed visits).
    pub fn scan_raw(
        &mut self,
        period: &Period,
        only: impl Fn(&MonthFile) -> bool,
        mut on_visit: impl FnMut(&Visit),
    ) -> Result<()> {
        let mut files = self.files(Range::Period(*period))?;
        files.retain(|f| only(f));
        let mut d = Diagnostics::new();
        let none = UpheldAppeals::default();
        let src = Sources {
            ws: &self.ws,
            as_of: self.as_of,
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
            as_of: self.as_of,
            appeals: &self.appeals,
            registry: &self.registry,
            hash: self.inputs.hash_while_scanning,
        };
        // A bar on a terminal when the store is large (a national half-year: seconds), moved as
        // each month file is done.
        let size = |f: &MonthFile| std::fs::metadata(self.ws.path(&f.rel)).map_or(0, |m| m.len());
        let bar = super::progress::bar(
            self.quiet,
            files.iter().map(size).sum(),
            super::progress::Unit::Bytes,
            &t!("scan.progress"),
        );
        let done = |f: &MonthFile| bar.inc(size(f));
        let (values, scans) = scan_files(&src, &files, self.threads, || acc.fork(), |t, v| t.add(v), done)?;
        bar.finish_and_clear();
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
            crate::say!(
                "oldestate: {}{}",
                t!(
                    "load.scanned",
                    files = files.len(),
                    seconds = format!("{:.2}", started.elapsed().as_secs_f64())
                ),
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
            Range::Between(first, last) => files_from(&self.ws, first, &mut d)?
                .into_iter()
                .filter(|f| f.month.start() <= last)
                .collect(),
        };
        // A month that began after the as-of date holds nothing the report may see.
        let files: Vec<MonthFile> = files
            .into_iter()
            .filter(|f| self.as_of.knows(f.month.start()))
            .collect();
        if self.verbose > 0 {
            let names: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
            crate::say!(
                "oldestate: {}",
                t!(
                    "load.scanning",
                    files = files.len(),
                    threads = self.threads,
                    names = names.join(" ")
                )
            );
        }
        Ok(files)
    }

    /// Score a period at a level (default: the standards' scoring level) under `standards`.
    /// A period with no visit of that level up to the as-of date is an error (DESIGN §14), not
    /// a report of zeros.
    pub fn score(
        &mut self,
        period: Period,
        level: Option<Level>,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<ScoreReport> {
        let level = level.unwrap_or(standards.standards.scoring_level);
        match self.score_pass(period, level, standards, inapplicable, |seen| seen.by(level))? {
            Some(report) => Ok(report),
            None => Err(self.no_inspections(&period, Some(level))),
        }
    }

    /// [`Loaded::score`], or `None` when the period has no visit of the level up to the as-of
    /// date: for a period a report only compares with (the previous one, a company's earlier
    /// record).
    pub fn score_if_any(
        &mut self,
        period: Period,
        level: Option<Level>,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<Option<ScoreReport>> {
        let level = level.unwrap_or(standards.standards.scoring_level);
        self.score_pass(period, level, standards, inapplicable, |seen| seen.by(level))
    }

    /// The coverage of every level in a period: an error only when no level visited in it up
    /// to the as-of date (a month the scoring level skipped still has its coverage).
    pub fn coverage(&mut self, period: Period, standards: &StandardsFile) -> Result<Vec<LevelCoverage>> {
        let level = standards.standards.scoring_level;
        match self.score_pass(period, level, standards, Inapplicable::Refused, Inspected::any)? {
            Some(report) => Ok(report.coverage()),
            None => Err(self.no_inspections(&period, None)),
        }
    }

    /// One pass scoring `period` at `level`. Its results are built only when `wanted` says the
    /// levels seen call for them (at national scale 220,000 results, for a previous period
    /// without visits built only to be dropped); a problem met in the pass fails it either way.
    fn score_pass(
        &mut self,
        period: Period,
        level: Level,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
        wanted: impl FnOnce(&Inspected) -> bool,
    ) -> Result<Option<ScoreReport>> {
        let st = &standards.standards;
        let registry = std::sync::Arc::clone(&self.registry);
        let mut scorer = Scorer::new(&registry, st, period, level).as_of(self.as_of.date);
        scorer.ignore_inapplicable = inapplicable.left_out();
        let span = scorer.span();
        let acc = (ScoreRun::new(&scorer, self.threads), Inspected::new(period));
        let (run, seen) = self.scan_into(Range::Period(span), acc)?;
        let wanted = wanted(&seen);
        if !wanted && !run.has_problems() {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        let report = run.finish().map_err(problems_error)?;
        if self.verbose > 1 {
            crate::say!(
                "oldestate: {}{}",
                t!(
                    "load.scored",
                    seconds = format!("{:.2}", started.elapsed().as_secs_f64())
                ),
                peak_memory()
            );
        }
        Ok(wanted.then_some(report))
    }

    /// A period scored at `level` and whatever else `extra` gathers from the visits dated
    /// `first..=last` (and the period's), in one pass: the assessor's assessment (DESIGN §16).
    /// A period with no visit of `level` up to the as-of date is an error.
    pub fn score_level_and<T: Accumulate + Sync>(
        &mut self,
        period: Period,
        level: Level,
        standards: &StandardsFile,
        (first, last): (NaiveDate, NaiveDate),
        extra: T,
    ) -> Result<(ScoreReport, T)> {
        let st = &standards.standards;
        let registry = std::sync::Arc::clone(&self.registry);
        let scorer = Scorer::new(&registry, st, period, level).as_of(self.as_of.date);
        let span = scorer.span();
        let range = Range::Between(span.start().min(first), span.end().max(last));
        let acc = ((ScoreRun::new(&scorer, self.threads), Inspected::new(period)), extra);
        let ((run, seen), extra) = self.scan_into(range, acc)?;
        let report = run.finish().map_err(problems_error)?;
        if !seen.by(level) {
            return Err(self.no_inspections(&period, Some(level)));
        }
        Ok((report, extra))
    }

    /// Every row of `data/appeals.csv` (decided or not) and the ids of the visits they name:
    /// the assessor's assessment counts appeals against the assessed level's visits.
    pub fn appeal_records(&self) -> Result<(Vec<Appeal>, std::collections::HashSet<String>)> {
        let mut d = Diagnostics::new();
        let appeals = workspace::load_appeals(&self.ws, &mut d)?;
        d.into_result()?;
        let ids = appeals.iter().map(|a| a.visit_id.clone()).collect();
        Ok((appeals, ids))
    }

    /// A period's scores and its notices in one pass over the store (what the subsidy needs).
    pub fn score_and_rechecks(
        &mut self,
        period: Period,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<(ScoreReport, RecheckReport)> {
        let (scores, rechecks, ()) = self.score_rechecks_and(period, standards, inapplicable, ())?;
        Ok((scores, rechecks))
    }

    /// A period's scores, its notices as of the as-of date, and whatever else `extra` gathers,
    /// in one pass: every accumulator ignores the visits it does not need, so the pass starts
    /// at the earliest month any of them needs and runs to the as-of date. A period with no
    /// visit of the scoring level up to the as-of date is an error.
    pub fn score_rechecks_and<T: Accumulate + Sync>(
        &mut self,
        period: Period,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
        extra: T,
    ) -> Result<(ScoreReport, RecheckReport, T)> {
        self.score_rechecks_and_from(period, standards, inapplicable, extra, None)
    }

    /// [`Loaded::score_rechecks_and`], the pass starting no later than `earliest` when
    /// `extra` needs visits from before the period (the bulletin's assessor section pairs
    /// visits with the district's up to `agreement_days` before).
    pub fn score_rechecks_and_from<T: Accumulate + Sync>(
        &mut self,
        period: Period,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
        extra: T,
        earliest: Option<NaiveDate>,
    ) -> Result<(ScoreReport, RecheckReport, T)> {
        let st = &standards.standards;
        let registry = std::sync::Arc::clone(&self.registry);
        let mut scorer = Scorer::new(&registry, st, period, st.scoring_level).as_of(self.as_of.date);
        scorer.ignore_inapplicable = inapplicable.left_out();
        let mut book = NoticeBook::new(&registry, st, period);
        book.ignore_inapplicable = inapplicable.left_out();
        let first = scorer.span().start().min(book.first_day());
        let first = earliest.map_or(first, |e| e.min(first));
        let run = ScoreRun::new(&scorer, self.threads);
        let seen = Inspected::new(period);
        let ((run, book), (extra, seen)) = self.scan_into(Range::From(first), ((run, book), (extra, seen)))?;
        // The notices are decided on a core of their own while the scores are built; a
        // problem with the scores is still the one told first.
        let as_of = self.as_of.date;
        let (scores, notices) = both(|| run.finish(), || book.finish(as_of));
        let scores = scores.map_err(problems_error)?;
        let notices = notices.map_err(problems_error)?;
        if !seen.by(st.scoring_level) {
            return Err(self.no_inspections(&period, Some(st.scoring_level)));
        }
        Ok((scores, notices, extra))
    }

    /// A period's subsidy allocation under `standards` (DESIGN §9), or `None` when the period
    /// has no funds file: its funds and fees loaded, its scores and notices in one pass.
    ///
    /// The period's scores and notices, done with once allocated, are handed to `done` (the
    /// command leaves them to the process's end: freeing 220,000 results cost more than
    /// allocating to them).
    pub fn subsidy(
        &mut self,
        period: Period,
        standards: &StandardsFile,
        budget: Option<Decimal>,
        inapplicable: Inapplicable,
        done: impl FnOnce((ScoreReport, RecheckReport)),
    ) -> Result<Option<SubsidyReport>> {
        let Some(money) = self.funds_for(period, standards)? else {
            return Ok(None);
        };
        let (scores, notices) = self.score_and_rechecks(period, standards, inapplicable)?;
        let report = self.allocate(period, &money, budget, &scores, &notices);
        done((scores, notices));
        report.map(Some)
    }

    /// What a period's subsidy needs besides its scores and notices: its funds (read with the
    /// grades of `standards`) and fees; `None` when the period has no funds file.
    pub fn funds_for(&mut self, period: Period, standards: &StandardsFile) -> Result<Option<Money>> {
        let grades: Vec<&str> = standards.standards.grades.iter().map(|g| g.name.as_str()).collect();
        let mut d = Diagnostics::new();
        let funds = workspace::load_funds(&self.ws, &period, &grades, &mut d)?;
        let fees = workspace::load_fees(&self.ws, &period, &mut d)?;
        d.into_result()?;
        let Some(funds) = funds else { return Ok(None) };
        self.inputs.add_file(&self.ws, &format!("data/funds/{period}.toml"))?;
        self.inputs.add_file(&self.ws, &format!("data/fees/{period}.csv"))?;
        Ok(Some(Money { funds, fees }))
    }

    /// Allocate a period's subsidy from its funds, scores and notices.
    pub fn allocate(
        &self,
        period: Period,
        money: &Money,
        budget: Option<Decimal>,
        scores: &ScoreReport,
        notices: &RecheckReport,
    ) -> Result<SubsidyReport> {
        let allocation = Allocation {
            reg: &self.registry,
            period,
            funds: &money.funds,
            budget,
            results: &scores.compounds,
            fees: &money.fees,
        };
        allocation.report(&notices.notices).map_err(|m| funds_error(period, &m))
    }

    /// One period scored under two standards in one pass over the store (`standards diff`),
    /// each side with its notices when `notices` (its subsidy needs them). A side whose
    /// scoring level has no visit in the period up to the as-of date is an error, the first
    /// side's before the second's, as when each was scored on its own.
    pub fn score_sides(
        &mut self,
        period: Period,
        sides: [&StandardsFile; 2],
        notices: bool,
        inapplicable: Inapplicable,
    ) -> Result<[Side; 2]> {
        let registry = std::sync::Arc::clone(&self.registry);
        let as_of = self.as_of.date;
        let scorers = sides.map(|s| {
            let st = &s.standards;
            let mut scorer = Scorer::new(&registry, st, period, st.scoring_level).as_of(as_of);
            scorer.ignore_inapplicable = inapplicable.left_out();
            scorer
        });
        // Both sides' notices in one accumulator: the re-inspections kept once, and each visit
        // scored once where the two standards score it alike.
        let books =
            notices.then(|| NoticeBooks::new(&registry, sides.map(|s| &s.standards), period, inapplicable.left_out()));
        let [a, b] = [scorers[0].span(), scorers[1].span()];
        let range = match &books {
            Some(books) => Range::From(a.start().min(b.start()).min(books.first_day())),
            None if a == b => Range::Period(a),
            None => Range::Between(a.start().min(b.start()), a.end().max(b.end())),
        };
        let runs = [0, 1].map(|i| ScoreRun::new(&scorers[i], self.threads));
        let [run_0, run_1] = runs;
        let acc = ((run_0, run_1), (books, Inspected::new(period)));
        let ((run_0, run_1), (books, seen)) = self.scan_into(range, acc)?;
        let (rechecks, [book_0, book_1]) = match books.map(NoticeBooks::into_books) {
            Some((rechecks, [x, y])) => (rechecks, [Some(x), Some(y)]),
            None => (Rechecks::default(), [None, None]),
        };
        // Each side is finished on its own core; the errors are then taken in the order
        // scoring each side on its own would meet them.
        // Only the notices' worst outcomes are kept: the subsidy is all a side's notices are for.
        let finish = |run: ScoreRun, book: Option<NoticeBook>| {
            (run.finish(), book.map(|b| b.finish_worst_with(as_of, &rechecks)))
        };
        let ((run_0, book_0), (run_1, book_1)) = both(|| finish(run_0, book_0), || finish(run_1, book_1));
        let scored =
            |run: std::result::Result<ScoreReport, Vec<ScoreProblem>>, s: &StandardsFile| -> Result<ScoreReport> {
                let report = run.map_err(problems_error)?;
                let level = s.standards.scoring_level;
                if !seen.by(level) {
                    return Err(self.no_inspections(&period, Some(level)));
                }
                Ok(report)
            };
        let (scores_0, scores_1) = (scored(run_0, sides[0])?, scored(run_1, sides[1])?);
        let decided = |book: Option<std::result::Result<WorstOutcomes, Vec<ScoreProblem>>>| {
            book.transpose().map_err(problems_error)
        };
        let (notices_0, notices_1) = (decided(book_0)?, decided(book_1)?);
        Ok([
            Side {
                scores: scores_0,
                notices: notices_0,
            },
            Side {
                scores: scores_1,
                notices: notices_1,
            },
        ])
    }

    /// The notices of a period and their re-inspections as of the as-of date, under
    /// `standards`. A period with no visit of the scoring level up to the as-of date is an
    /// error.
    pub fn rechecks(
        &mut self,
        period: Period,
        standards: &StandardsFile,
        inapplicable: Inapplicable,
    ) -> Result<RecheckReport> {
        let registry = std::sync::Arc::clone(&self.registry);
        let st = &standards.standards;
        let mut book = NoticeBook::new(&registry, st, period);
        book.ignore_inapplicable = inapplicable.left_out();
        let first = book.first_day();
        let seen = Inspected::new(period);
        let (book, seen) = self.scan_into(Range::From(first), (book, seen))?;
        let report = book.finish(self.as_of.date).map_err(problems_error)?;
        if !seen.by(st.scoring_level) {
            return Err(self.no_inspections(&period, Some(st.scoring_level)));
        }
        Ok(report)
    }

    /// "No inspections in P up to D", naming the level that scores it (when one was needed)
    /// and the newest data (DESIGN §14).
    fn no_inspections(&self, period: &Period, level: Option<Level>) -> Error {
        let newest = match newest_visit(&self.ws) {
            Ok(Some(day)) => day,
            Ok(None) => return Error::msg(t!("load.store_empty", period = period)),
            Err(e) => return e,
        };
        let by = level.map(|l| t!("load.by_scoring_level", level = crate::i18n::level(l)));
        Error::msg(t!(
            "load.no_inspections",
            period = period,
            date = self.as_of.date,
            by = by.unwrap_or_default(),
            newest = newest
        ))
    }
}

/// A period's subsidy that cannot be allocated, said of its funds file.
pub fn funds_error(period: Period, why: &str) -> Error {
    Error::msg(format!("data/funds/{period}.toml{}{why}", t!("punct.colon")))
}

/// `a` and `b` at once, `b` on a thread of its own (a panic in either goes on in the caller):
/// for a report's two independent halves after its pass over the store, which would otherwise
/// leave the second core idle.
pub fn both<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|s| {
        let b = s.spawn(b);
        let a = a();
        (a, b.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

/// The workspace's settings, registry, standards and appeals; any error fails.
/// `others_read` is told when the registry's tables but the compounds are read.
fn load_records(ws: &Workspace, others_read: impl FnOnce()) -> Result<(Settings, Registry, StandardsSet, Vec<Appeal>)> {
    let mut d = Diagnostics::new();
    let settings = workspace::load_settings(ws, &mut d)?;
    let registry = workspace::load_registry_then(ws, &mut d, others_read)?;
    let standards = workspace::load_standards(ws, &mut d)?;
    let appeals = workspace::load_appeals(ws, &mut d)?;
    d.into_result()?;
    Ok((settings, registry, standards, appeals))
}

/// The day a report stands on (DESIGN §14): `--as-of DATE`, `--as-of today`, else the
/// command's default, today for the calendar lists and the newest visit's date for the rest
/// (`newest`, read when that is the default). `None` for a report whose default is the newest
/// visit, in a store without visits (it then fails, whatever its period, as "no inspections").
fn resolve_as_of(ctx: &Context, asked: Option<AsOfArg>, newest: Option<Option<NaiveDate>>) -> Result<Option<AsOf>> {
    Ok(match (asked, newest) {
        (Some(AsOfArg::Date(day)), _) => Some(AsOf::new(day, Chosen::Given)),
        (_, Some(newest)) => newest.map(|day| AsOf::new(day, Chosen::NewestVisit)),
        (Some(AsOfArg::Today), _) | (None, None) => Some(AsOf::new(ctx.today(), Chosen::Today)),
    })
}

/// With the default as-of date, an appeal upheld after the newest visit is not applied: say
/// so, with the date that would apply it, as a report silently without it could mislead.
fn note_later_appeals(ctx: &Context, as_of: &AsOf, appeals: &[Appeal]) {
    let later = as_of.upheld_later(appeals);
    let Some(last) = later.iter().filter_map(|a| a.decided_on).max() else {
        return;
    };
    ctx.note(t!(
        "load.later_appeals",
        n = later.len(),
        date = as_of.date,
        last = last
    ));
}

/// How the as-of date was chosen, for `-v`.
fn chosen_words(chosen: Chosen) -> std::borrow::Cow<'static, str> {
    match chosen {
        Chosen::Given => t!("load.chosen_given"),
        Chosen::Today => t!("load.chosen_today"),
        Chosen::NewestVisit => t!("load.chosen_newest"),
    }
}

/// A command's as-of date when `--as-of` is not given (DESIGN §14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOfDefault {
    /// The date of the newest visit in the store: every report over a period.
    NewestVisit,
    /// The calendar day: the calendar lists, `contracts` and `recheck --due-within`.
    Today,
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
    d.into_result()
        .err()
        .unwrap_or_else(|| Error::msg(t!("load.scoring_failed")))
}

/// Which month files a scan reads.
#[derive(Debug, Clone, Copy)]
pub enum Range {
    /// The months of a period.
    Period(Period),
    /// From the month of a date to the end of the store.
    From(NaiveDate),
    /// The months from the one of the first date to the one of the last.
    Between(NaiveDate, NaiveDate),
}

/// ", peak memory N MiB so far" where the system tells it (Linux), for `-vv` timings.
pub fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| t!("load.peak_memory", mib = kb / 1024).into_owned())
        .unwrap_or_default()
}
