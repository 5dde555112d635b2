//! What most reports load: settings, registry, standards and appeals, and the pass that
//! streams a period's visits through the scorer.

use crate::domain::scoring::{ScoreReport, Scorer};
use crate::domain::visit::{UpheldAppeals, Visit};
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{Lang, Settings};
use crate::model::registry::Registry;
use crate::model::{Level, Period};
use crate::workspace::provenance::Inputs;
use crate::workspace::store::{files_for, scan_visits};
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
}

impl Loaded {
    /// Load the workspace's settings, registry, standards and appeals; any error fails.
    pub fn load(ctx: &Context) -> Result<Loaded> {
        let ws = ctx.workspace()?;
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

    /// Stream the visits of `period` (as a whole calendar range) with upheld appeals applied.
    pub fn scan(&mut self, period: &Period, on_visit: impl FnMut(Visit)) -> Result<()> {
        scan(&self.ws, &self.appeals, &mut self.inputs, period, on_visit)
    }

    /// Stream a period's visits as recorded, without applying appeals (for `--explain`).
    pub fn scan_raw(&mut self, period: &Period, on_visit: impl FnMut(Visit)) -> Result<()> {
        scan(&self.ws, &UpheldAppeals::default(), &mut self.inputs, period, on_visit)
    }

    /// Score a period at a level (default: the standards' scoring level) under `standards`.
    pub fn score(&mut self, period: Period, level: Option<Level>, standards: &StandardsFile) -> Result<ScoreReport> {
        let st = &standards.standards;
        let mut scorer = Scorer::new(&self.registry, st, period, level.unwrap_or(st.scoring_level));
        let span = scorer.span();
        scan(&self.ws, &self.appeals, &mut self.inputs, &span, |v| scorer.add(&v))?;
        scorer.finish().map_err(|problems| {
            let mut d = Diagnostics::new();
            for p in problems {
                d.error(&p.file, Some(p.line), p.message);
            }
            d.into_result().err().unwrap_or_else(|| Error::msg("scoring failed"))
        })
    }
}

fn scan(
    ws: &Workspace,
    appeals: &UpheldAppeals,
    inputs: &mut Inputs,
    period: &Period,
    mut on_visit: impl FnMut(Visit),
) -> Result<()> {
    let mut d = Diagnostics::new();
    let files = files_for(ws, period, &mut d)?;
    scan_visits(ws, &files, &mut d, inputs, |mut v| {
        appeals.apply(&mut v);
        on_visit(v);
    })?;
    d.into_result()
}
