//! What most reports load: settings, registry, standards and appeals, and the pass that
//! streams a period's visits through the scorer.

use chrono::NaiveDate;

use crate::domain::bulletin::{Summary, SummaryBuilder};
use crate::domain::recheck::{NoticeBook, RecheckReport};
use crate::domain::scoring::{ScoreProblem, ScoreReport, Scorer};
use crate::domain::visit::{UpheldAppeals, Visit};
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{Lang, Settings};
use crate::model::registry::Registry;
use crate::model::{Level, Period};
use crate::workspace::provenance::Inputs;
use crate::workspace::store::{files_for, files_from, scan_visits};
use crate::workspace::{self, StandardsFile, StandardsSet, Workspace};

use super::Context;

/// A loaded workspace.
pub struct Loaded {
    pub ws: Workspace,
    pub settings: Settings,
    pub registry: Registry,
    pub standards: StandardsSet,
    pub appeals: UpheldAppeals,
    /// Every file read so far, for provenance.
    pub inputs: Inputs,
    /// Score under hypothetical standards: leave out findings on items they do not apply.
    pub ignore_inapplicable: bool,
}

impl Loaded {
    /// Load the workspace's settings, registry, standards and appeals; any error fails.
    pub fn load(ctx: &Context) -> Result<Loaded> {
        let ws = ctx.workspace()?;
        crate::workspace::transaction::settle(&ws)?;
        let mut d = Diagnostics::new();
        let settings = workspace::load_settings(&ws, &mut d)?;
        let registry = workspace::load_registry(&ws, &mut d)?;
        let standards = workspace::load_standards(&ws, &mut d)?;
        let appeals = workspace::load_appeals(&ws, &mut d)?;
        d.into_result()?;
        let mut inputs = Inputs::default();
        for (rel, _) in workspace::registry_headers() {
            inputs.add_file(&ws, rel)?;
        }
        inputs.add_file(&ws, "data/workspace.toml")?;
        inputs.add_file(&ws, "data/appeals.csv")?;
        Ok(Loaded {
            ws,
            settings,
            registry,
            standards,
            appeals: UpheldAppeals::new(&appeals),
            inputs,
            ignore_inapplicable: false,
        })
    }

    /// The report language: `--lang`, else the workspace's.
    pub fn lang(&self, ctx: &Context) -> Lang {
        ctx.lang.unwrap_or(self.settings.language)
    }

    /// The standards in force for a period, recorded as an input.
    pub fn standards_for(&mut self, period: &Period) -> Result<StandardsFile> {
        let f = self.standards.for_period(period)?.clone();
        self.inputs.add_file(&self.ws, &f.file)?;
        Ok(f)
    }

    /// Stream the visits of a range of months with upheld appeals applied.
    pub fn scan(&mut self, range: Range, on_visit: impl FnMut(Visit)) -> Result<()> {
        scan(&self.ws, &self.appeals, &mut self.inputs, range, on_visit)
    }

    /// Stream a period's visits as recorded, without applying appeals (for `--explain`).
    pub fn scan_raw(&mut self, period: &Period, on_visit: impl FnMut(Visit)) -> Result<()> {
        scan(
            &self.ws,
            &UpheldAppeals::default(),
            &mut self.inputs,
            Range::Period(*period),
            on_visit,
        )
    }

    /// Score a period at a level (default: the standards' scoring level) under `standards`.
    pub fn score(&mut self, period: Period, level: Option<Level>, standards: &StandardsFile) -> Result<ScoreReport> {
        let st = &standards.standards;
        let mut scorer = Scorer::new(&self.registry, st, period, level.unwrap_or(st.scoring_level));
        scorer.ignore_inapplicable = self.ignore_inapplicable;
        let span = scorer.span();
        scan(&self.ws, &self.appeals, &mut self.inputs, Range::Period(span), |v| {
            scorer.add(&v)
        })?;
        scorer.finish().map_err(problems_error)
    }

    /// The bulletin's headline figures for a period (optionally one street's).
    pub fn summary(&mut self, period: Period, standards: &StandardsFile, street: Option<&str>) -> Result<Summary> {
        let mut b = SummaryBuilder::new(&self.registry, &standards.standards, period, street);
        scan(&self.ws, &self.appeals, &mut self.inputs, Range::Period(period), |v| {
            b.add(&v)
        })?;
        Ok(b.finish())
    }

    /// The notices of a period and their re-inspections as of a date, under `standards`.
    pub fn rechecks(&mut self, period: Period, as_of: NaiveDate, standards: &StandardsFile) -> Result<RecheckReport> {
        let mut book = NoticeBook::new(&self.registry, &standards.standards, period);
        book.ignore_inapplicable = self.ignore_inapplicable;
        let first = book.first_day();
        scan(&self.ws, &self.appeals, &mut self.inputs, Range::From(first), |v| {
            book.add(v)
        })?;
        book.finish(as_of).map_err(problems_error)
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

fn scan(
    ws: &Workspace,
    appeals: &UpheldAppeals,
    inputs: &mut Inputs,
    range: Range,
    mut on_visit: impl FnMut(Visit),
) -> Result<()> {
    let mut d = Diagnostics::new();
    let files = match range {
        Range::Period(p) => files_for(ws, &p, &mut d)?,
        Range::From(date) => files_from(ws, date, &mut d)?,
    };
    scan_visits(ws, &files, &mut d, inputs, |mut v| {
        appeals.apply(&mut v);
        on_visit(v);
    })?;
    d.into_result()
}
