//! `oldestate inspect import`: the sheets inspectors hand in, into the canonical store.

use rust_i18n::t;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::error::Severity;
use crate::error::{Diagnostics, Error, Result};
use crate::import::book::{open_book, Grid, Opened, TextSheet};
use crate::import::form::{describe, read_form};
use crate::import::merge::{self, get_str, get_u64, put_str, put_u64, Arena, Plan, Sheets};
use crate::import::problems::{Place, Problem, Problems};
use crate::import::sheet::{Changed, Encoding};
use crate::import::{visits_from_rows, visits_from_sheet_each, Defaults, Resolver, SheetVisit};
use crate::model::records::Lang;
use crate::model::{Level, Purpose};
use crate::workspace::sha256_hex;
use crate::workspace::sources::{copy_sources, csv_field, push_source_line, SOURCES};
use crate::workspace::store::{month_path, write_findings};
use crate::workspace::transaction::{lock, recover, Transaction, WorkspaceLock};
use crate::workspace::Published;
use crate::workspace::Workspace;

use super::Context;

/// The import ledger: one line per sheet imported.
pub const LEDGER: &str = "data/imports.csv";
const LEDGER_HEADER: &str = "imported_at,file,sha256,visits,rows\n";
/// How long an import waits for another writer to finish.
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// Import inspectors' sheets (CSV, GB18030 CSV, xlsx) into the store.
///
/// Import inspection sheets (CSV/TSV/TXT in UTF-8 or GB18030, or .xlsx) into the store.
/// Long sheets have a row per finding, wide ones a row per visit and a column per item; headers
/// may be English or Chinese. All or nothing: every problem in every file is reported and then
/// nothing is written. A visit already stored identically is skipped; one stored differently
/// is an error unless --replace. Each sheet is archived under data/archive/ by its SHA-256 and
/// logged in data/imports.csv.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate inspect import 2026-04.xlsx\n  oldestate inspect import --level 第三方 --purpose 复检 --dry-run recheck.csv"
)]
pub struct ImportArgs {
    /// The sheets to import
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The level of visits whose sheet has no level column (an id or 社区, 街道, 区, 第三方)
    #[arg(long, value_parser = parse_sheet_level)]
    pub level: Option<Level>,
    /// The purpose of visits whose sheet has no purpose column: routine or recheck (日常 or
    /// 复检) [default: routine]
    #[arg(long, value_name = "routine|recheck", value_parser = parse_purpose)]
    pub purpose: Option<Purpose>,
    /// Only this worksheet of a workbook (repeat for several; default: every visible sheet
    /// that holds a header)
    #[arg(long, value_name = "NAME")]
    pub sheet: Vec<String>,
    /// Text encoding of CSV sheets (default: detected; UTF-8 with or without BOM, else GB18030)
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    /// Overwrite stored visits whose content differs
    #[arg(long)]
    pub replace: bool,
    /// Validate and report, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also write every problem to FILE (CSV: file, sheet, row, column, value, problem, fix),
    /// for the person who fixes the sheet
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Warnings (a visit dated outside its sheet's month) fail the import too
    #[arg(long)]
    pub strict: bool,
}

fn parse_sheet_level(s: &str) -> std::result::Result<Level, String> {
    crate::import::values::parse_level(s).ok_or_else(|| t!("import.bad_level", value = s).into_owned())
}

fn parse_purpose(s: &str) -> std::result::Result<Purpose, String> {
    crate::import::values::parse_purpose(s).ok_or_else(|| t!("import.bad_purpose", value = s).into_owned())
}

/// Import the sheets: read them all, plan the merge under the workspace lock, write the
/// months, archive and ledger all at once (unless a dry run), and report what was done.
pub fn cmd_import(ctx: &Context, args: &ImportArgs) -> Result<()> {
    let ws = ctx.workspace()?;
    if let Some(errors) = &args.errors {
        crate::workspace::refuse_store_path(&ws, errors, "--errors")?;
    }
    let lang = ctx.lang.unwrap_or_else(|| workspace_lang(&ws));
    let registry = ws.registry()?;
    let standards = ws.standards()?;
    let resolver = Resolver::new(&registry, &standards);
    let mut ps = Problems::new(lang);
    let started = std::time::Instant::now();
    let (sheets, sources, read) = read_sheets(ctx, args, &resolver, &mut ps)?;
    // The sheets are read: the registry and its lookups (a national registry's are a hundred
    // MiB) give their room to the merge.
    drop(resolver);
    drop(standards);
    drop(registry);
    let sheet_visits = sheets.len();
    phase(
        ctx,
        t!("import.phase_read", visits = sheet_visits, seconds = seconds(started)),
    );
    let _lock = take_lock(ctx, &ws, args.dry_run)?;
    let mut d = Diagnostics::new();
    let published = crate::workspace::load_published(&ws, &mut d)?;
    // Where and when each visit is, kept only when something has been published.
    let dated: Vec<Dated> = match published.is_empty() {
        true => Vec::new(),
        false => sheets.places().map(Dated::of).collect(),
    };
    let started = std::time::Instant::now();
    let plan = merge::plan(&ws, sheets, args.replace, &mut ps, &mut d)?;
    phase(
        ctx,
        t!(
            "import.phase_planned",
            months = plan.months.len(),
            seconds = seconds(started)
        ),
    );
    ps.absorb(d);
    warn_published(&dated, &plan, &published, &mut ps);
    report_problems(ctx, args, &mut ps)?;
    for line in &read {
        ctx.note(line);
    }
    let summary = summary(lang, args.files.len(), sheet_visits, &plan);
    if args.dry_run {
        ctx.note(t!("import.msg.dry_run", locale = lang.code(), summary = summary));
        return Ok(());
    }
    let started = std::time::Instant::now();
    let replaced = write(&ws, plan, &sources)?;
    phase(ctx, t!("import.phase_written", seconds = seconds(started)));
    ctx.note(t!("import.msg.imported", locale = lang.code(), summary = summary));
    if let Some(archive) = replaced {
        ctx.note(t!(
            "import.msg.replaced_archived",
            locale = lang.code(),
            archive = archive,
            ledger = LEDGER
        ));
    }
    Ok(())
}

/// With `-vv`, a phase of the import done: what, how long, and the peak memory so far.
fn phase(ctx: &Context, what: impl std::fmt::Display) {
    if ctx.verbose > 1 {
        crate::say!("oldestate: {what}{}", super::loaded::peak_memory());
    }
}

/// The seconds since `started`, as a phase states them.
fn seconds(started: std::time::Instant) -> String {
    format!("{:.2}", started.elapsed().as_secs_f64())
}

/// Where and when a visit of a sheet is, for the warnings about published periods.
struct Dated {
    id: String,
    date: chrono::NaiveDate,
    place: Place,
    row: u64,
}

impl Dated {
    fn of((id, date, place, row): (&str, chrono::NaiveDate, &Place, u64)) -> Dated {
        Dated {
            id: id.to_string(),
            date,
            place: place.clone(),
            row,
        }
    }
}

/// A visit added to (or replaced in) a period already published (`data/published.csv`) is a
/// warning naming its row: the published document no longer matches the store (`--strict`:
/// an error).
fn warn_published(dated: &[Dated], plan: &Plan, published: &[Published], ps: &mut Problems) {
    for v in dated.iter().filter(|v| plan.imported.contains(&v.id)) {
        // Only a publication that could see the visit (its as-of date on or after the visit's)
        // no longer matches: one standing on an earlier day is made again unchanged.
        let Some(p) = published
            .iter()
            .find(|p| p.period.contains(v.date) && p.as_of >= v.date)
        else {
            continue;
        };
        let code = ps.lang.code();
        let as_of = match ps.lang {
            Lang::Zh => crate::render::zh_date(p.as_of),
            Lang::En => p.as_of.to_string(),
        };
        let message = t!(
            "import.msg.published",
            locale = code,
            date = v.date,
            period = p.period,
            as_of = as_of
        )
        .into_owned();
        let fix = t!("import.msg.published_fix", locale = code).into_owned();
        ps.push(Problem {
            severity: Severity::Warning,
            file: v.place.file.clone(),
            sheet: v.place.sheet.clone(),
            row: Some(v.row),
            column: None,
            value: None,
            message,
            fix,
            cause: None,
        });
    }
}

/// The workspace's language, for the messages of a sheet's problems (zh when it cannot be
/// read: `check` says why).
fn workspace_lang(ws: &Workspace) -> Lang {
    let mut d = Diagnostics::new();
    crate::workspace::load_settings(ws, &mut d).map_or(Lang::Zh, |s| s.language)
}

/// Say every problem (warnings too), write them to `--errors FILE` when asked, and fail when
/// there is an error (with `--strict`, a warning).
fn report_problems(ctx: &Context, args: &ImportArgs, ps: &mut Problems) -> Result<()> {
    if args.strict {
        ps.strict();
    }
    if let Some(path) = &args.errors {
        let bytes = ps.to_csv();
        std::fs::write(path, bytes).map_err(|e| Error::io(path, e))?;
    }
    let lines = ps.lines();
    if ps.errors() == 0 {
        for l in &lines {
            ctx.note(format!("oldestate: {l}"));
        }
        return Ok(());
    }
    for l in &lines {
        crate::say!("oldestate: {l}");
    }
    Err(Error::Reported(ps.errors()))
}

/// A sheet file read: its path, its SHA-256 as read (the archive copies the file and checks
/// it is the same), and the visits read from it with where in it each was read (for
/// `data/sources.csv`).
struct Source {
    path: PathBuf,
    sha256: String,
    visits: SourceVisits,
}

/// The visits read from one sheet file, packed one after another in one buffer: each one's
/// id, its count of store rows, its date, its worksheet and its sheet rows. A million-row sheet
/// gives a third of a million visits, and a `String` and a `Vec` for each cost three times
/// the buffer.
#[derive(Default)]
struct SourceVisits {
    /// The visits' records, in blocks (none grows by doubling).
    buf: Arena,
    /// The worksheets the visits were read from, each with its name as a CSV field (empty for
    /// a CSV sheet); a visit holds its worksheet's index.
    sheets: Vec<(Option<String>, String)>,
}

/// One visit of a [`SourceVisits`]: its id, its count of store rows, its date, its worksheet
/// (as a CSV field) and its sheet rows, ascending.
struct VisitPlace<'s> {
    id: &'s str,
    rows: usize,
    date: chrono::NaiveDate,
    sheet: &'s str,
    sheet_rows: Vec<u64>,
}

impl SourceVisits {
    /// Take in a visit read from the file. The visits of one worksheet are adjacent, so its
    /// name is quoted once.
    fn push(&mut self, v: &SheetVisit) {
        use chrono::Datelike;
        let sheet = match self.sheets.last() {
            Some((name, _)) if *name == v.sheet => self.sheets.len() - 1,
            _ => {
                let field = csv_field(v.sheet.as_deref().unwrap_or(""));
                self.sheets.push((v.sheet.clone(), field));
                self.sheets.len() - 1
            }
        };
        let mut record = Vec::with_capacity(64);
        let buf = &mut record;
        put_str(buf, &v.visit.id);
        put_u64(buf, v.visit.rows.len() as u64);
        let day = v.visit.date().num_days_from_ce();
        // Zigzag: a day before the era is a small number too.
        put_u64(buf, u64::from(((day << 1) ^ (day >> 31)) as u32));
        put_u64(buf, sheet as u64);
        put_u64(buf, v.rows.len() as u64);
        let mut last = 0u64;
        for &r in &v.rows {
            put_u64(buf, r.wrapping_sub(last));
            last = r;
        }
        self.buf.put(&record);
    }

    /// The visits, in the order taken in.
    fn iter(&self) -> impl Iterator<Item = VisitPlace<'_>> + '_ {
        let mut blocks = self.buf.blocks();
        let mut at: &[u8] = &[];
        std::iter::from_fn(move || {
            while at.is_empty() {
                at = blocks.next()?;
            }
            let id = get_str(&mut at)?;
            let rows = usize::try_from(get_u64(&mut at)?).ok()?;
            let zig = u32::try_from(get_u64(&mut at)?).ok()?;
            let day = ((zig >> 1) as i32) ^ -((zig & 1) as i32);
            let date = chrono::NaiveDate::from_num_days_from_ce_opt(day)?;
            let sheet = self.sheets.get(usize::try_from(get_u64(&mut at)?).ok()?)?;
            let n = usize::try_from(get_u64(&mut at)?).ok()?;
            let mut sheet_rows = Vec::with_capacity(n.min(at.len()));
            let mut last = 0u64;
            for _ in 0..n {
                last = last.wrapping_add(get_u64(&mut at)?);
                sheet_rows.push(last);
            }
            Some(VisitPlace {
                id,
                rows,
                date,
                sheet: &sheet.1,
                sheet_rows,
            })
        })
    }
}

/// Read every sheet of `args` into visits (packed as they are read), each with the source it
/// came from, and a line per file saying which worksheets were read and what was passed over.
/// Every problem of every sheet goes to `ps` before giving up.
fn read_sheets(
    ctx: &Context,
    args: &ImportArgs,
    resolver: &Resolver<'_>,
    ps: &mut Problems,
) -> Result<(Sheets, Vec<Source>, Vec<String>)> {
    let mut sheets = Sheets::default();
    let mut sources = Vec::new();
    let mut read = Vec::new();
    for path in &args.files {
        let label = path.display().to_string();
        let file = Place {
            file: label.clone(),
            sheet: None,
        };
        // What is archived is what was read: the archive copies the file and checks its
        // SHA-256 against this reading's.
        let known = |h: &str| resolver.known_column(h);
        let (opened, sha256) = match open_book(path, &args.sheet, args.encoding, &known) {
            Ok(read) => read,
            Err(e) => {
                ps.file_error(&file, e.row, e.message);
                continue;
            }
        };
        let mut source = Source {
            path: path.clone(),
            sha256,
            visits: SourceVisits::default(),
        };
        // How many visits a grid is about to hand out: the list they join is made room for
        // once, not grown by doubling.
        let expected = std::cell::Cell::new(0);
        let expect = |n| expected.set(n);
        let each = &mut |v: SheetVisit| {
            let n = expected.take();
            if n > 0 {
                sheets.reserve(n);
            }
            source.visits.push(&v);
            sheets.push(&v);
        };
        let account = read_grids(ctx, args, resolver, (&label, path), opened, ps, (&expect, each));
        read.push(account);
        sources.push(source);
    }
    Ok((sheets, sources, read))
}

/// A grid of a sheet file: a workbook's worksheet (or a UTF-16 text file's rows) held, or a
/// delimited text file's, read again row by row.
enum GridIn {
    Held(Grid),
    Text(Box<TextSheet>),
}

/// The visits of every grid of a book that reads as a form, each to `each` as it is made, and
/// the account of the file: each worksheet read (with what was passed over in it), each
/// passed over and why.
fn read_grids(
    ctx: &Context,
    args: &ImportArgs,
    resolver: &Resolver<'_>,
    (label, path): (&str, &std::path::Path),
    opened: Opened,
    ps: &mut Problems,
    (expect, each): (&dyn Fn(usize), &mut dyn FnMut(SheetVisit)),
) -> String {
    let lang = ps.lang;
    let code = lang.code();
    let mut parts = Vec::new();
    let (skipped, grids) = match opened {
        Opened::Book(book) => (book.skipped, book.grids.into_iter().map(GridIn::Held).collect()),
        Opened::Text(text) => (Vec::new(), vec![GridIn::Text(text)]),
    };
    let mut passed: Vec<String> = skipped.iter().map(|(n, why)| format!("「{n}」（{why}）")).collect();
    let known = |h: &str| resolver.known_column(h);
    let several = grids.len() > 1;
    for grid in grids {
        let name = match &grid {
            GridIn::Held(g) => g.name.clone(),
            GridIn::Text(_) => None,
        };
        let place = Place {
            file: label.to_string(),
            sheet: name.clone(),
        };
        let defaults = |title: &crate::import::form::Title| Defaults {
            level: args.level,
            purpose: args.purpose,
            title_level: title.level,
            year: title.year,
        };
        let mut n = 0;
        let skipped = match grid {
            GridIn::Held(mut grid) => {
                let Some(form) = read_form(&mut grid, &known) else {
                    no_header(&place, name.as_deref(), several, &mut passed, ps);
                    continue;
                };
                let rows = form.sheet.rows.len().saturating_sub(1) as u64;
                let bar = super::progress::progress_bar(ctx, rows, super::progress::Unit::Rows, label);
                visits_from_sheet_each(
                    resolver,
                    &place,
                    form.sheet,
                    defaults(&form.title),
                    ps,
                    &mut |n| bar.set_position(n as u64),
                    &mut |n| expect(n),
                    &mut |v| {
                        n += 1;
                        each(v);
                    },
                );
                bar.finish_and_clear();
                form.skipped
            }
            GridIn::Text(text) => {
                let TextSheet { plan, form } = *text;
                let Some(form) = form else {
                    no_header(&place, name.as_deref(), several, &mut passed, ps);
                    continue;
                };
                let bar = super::progress::progress_bar(ctx, form.rows as u64, super::progress::Unit::Rows, label);
                let mut sorter = form.body();
                let body_at = form.body_at;
                // A scanned form always has its header row.
                let Some(header) = form.header.first() else { continue };
                let read = visits_from_rows(
                    resolver,
                    &place,
                    header,
                    form.rows,
                    defaults(&form.title),
                    ps,
                    &mut |n| bar.set_position(n as u64),
                    &mut |give| {
                        let mut i = 0usize;
                        plan.read(path, &mut |row| {
                            if i >= body_at && sorter.keep(row) {
                                give(row);
                            }
                            i += 1;
                        })
                    },
                    &mut |n| expect(n),
                    &mut |v| {
                        n += 1;
                        each(v);
                    },
                );
                bar.finish_and_clear();
                match read {
                    Ok(()) => {}
                    Err(Changed::Content) => {
                        ps.file_error(&place, None, t!("import.msg.changed_while_read", locale = code));
                    }
                    Err(Changed::Io(e)) => {
                        let error = crate::error::io_words(&e);
                        ps.file_error(
                            &place,
                            None,
                            t!("import.msg.unreadable_while_read", locale = code, error = error),
                        );
                    }
                }
                form.skipped
            }
        };
        let skipped = describe(&skipped, lang);
        let name = name.as_ref().map(|n| format!("「{n}」")).unwrap_or_default();
        parts.push(if skipped.is_empty() {
            t!("import.msg.sheet_visits", locale = code, name = name, n = n)
        } else {
            t!(
                "import.msg.sheet_visits_skipped",
                locale = code,
                name = name,
                n = n,
                skipped = skipped
            )
        });
    }
    let mut account = format!(
        "{label}{}{}",
        t!("import.msg.colon", locale = code),
        parts.join(t!("import.msg.parts_sep", locale = code).as_ref())
    );
    if !passed.is_empty() {
        let sheets = passed.join(t!("import.msg.rows_sep", locale = code).as_ref());
        account += &t!("import.msg.sheets_not_read", locale = code, sheets = sheets);
    }
    account
}

/// A grid in which no row is a header: passed over when its book has several (an
/// instructions sheet), else an error.
fn no_header(place: &Place, name: Option<&str>, several: bool, passed: &mut Vec<String>, ps: &mut Problems) {
    let code = ps.lang.code();
    match name {
        Some(n) if several => passed.push(format!(
            "「{n}」（{}）",
            t!("import.msg.no_header_short", locale = code)
        )),
        _ => ps.file_error(place, None, t!("import.msg.no_header", locale = code)),
    }
}

/// Hold the workspace while the store is read and written: a dry run reads the store as a
/// report does (shared); an import holds it alone, first finishing any write a crash left.
fn take_lock(ctx: &Context, ws: &Workspace, dry_run: bool) -> Result<Option<WorkspaceLock>> {
    if dry_run {
        return crate::workspace::transaction::read_lock(ws, LOCK_WAIT);
    }
    let l = lock(ws, LOCK_WAIT, || ctx.note(t!("import.waiting_for_lock")))?;
    recover(ws)?;
    Ok(Some(l))
}

/// The one-line account of an import (or of what it would do).
fn summary(lang: Lang, files: usize, sheet_visits: usize, plan: &Plan) -> String {
    let months: Vec<String> = if plan.imported.is_empty() {
        Vec::new()
    } else {
        plan.months.iter().map(ToString::to_string).collect()
    };
    let code = lang.code();
    let months = if months.is_empty() {
        t!("import.msg.no_months", locale = code).into_owned()
    } else {
        months.join(t!("import.msg.rows_sep", locale = code).as_ref())
    };
    t!(
        "import.msg.summary",
        locale = code,
        files = files,
        visits = sheet_visits,
        added = plan.added,
        replaced = plan.replaced,
        skipped = plan.skipped,
        rows = plan.rows,
        months = months
    )
    .into_owned()
}

/// Write the plan all or nothing: each touched month whole, each sheet's archive copy, and
/// the ledger with a line per sheet. An import that adds nothing writes nothing. The rows
/// that `--replace` removed are archived as a store file (importable back with `--replace`)
/// and logged in the ledger as `replaced-by:SHEETS`; returns that archive's path.
fn write(ws: &Workspace, plan: Plan, sources: &[Source]) -> Result<Option<String>> {
    let mut tx = Transaction::default();
    let mut replaced = None;
    if !plan.imported.is_empty() {
        // The rows that `--replace` removed, gathered as their months are rewritten.
        let mut replaced_rows = Vec::new();
        for month in &plan.months {
            tx.stage_with(ws, &month_path(month), |out| {
                plan.write_month(ws, *month, out, &mut replaced_rows)
            })?;
        }
        let mut ledger = read_ledger(ws)?;
        let when = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string();
        let mut archived = BTreeSet::new();
        let mut shas = Vec::with_capacity(sources.len());
        for source in sources {
            let sha = source.sha256.clone();
            stage_archive(&mut tx, ws, source, &sha, &mut archived)?;
            ledger.push_str(&ledger_line(&when, source, &sha, &plan.imported));
            shas.push(sha);
        }
        if !replaced_rows.is_empty() {
            let rows = &mut replaced_rows;
            let visits: BTreeSet<&str> = rows.iter().map(|r| r.visit_id.as_str()).collect();
            let visits = visits.len();
            let mut out = Vec::new();
            write_findings(&mut out, rows).map_err(|e| Error::msg(t!("import.archive_failed", error = e)))?;
            let sha = sha256_hex(&out);
            let archive = format!("data/archive/{sha}.csv");
            if !ws.path(&archive).exists() {
                tx.stage(ws, &archive, &out)?;
            }
            let names: Vec<String> = sources
                .iter()
                .filter_map(|s| s.path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            let mut line = csv::Writer::from_writer(Vec::new());
            let _ = line.write_record([
                when.as_str(),
                crate::render::csv_safe(&format!("replaced-by:{}", names.join(";"))).as_ref(),
                &sha,
                &visits.to_string(),
                &replaced_rows.len().to_string(),
            ]);
            ledger.push_str(&String::from_utf8_lossy(&line.into_inner().unwrap_or_default()));
            replaced = Some(archive);
        }
        tx.stage(ws, LEDGER, ledger.as_bytes())?;
        // The source record is copied into place and its new lines written after, neither
        // held: a million-row sheet adds a third of a million lines.
        tx.stage_with(ws, SOURCES, |out| {
            copy_sources(ws, out)?;
            // Each visit written gets one line, from the first sheet that gave it.
            let mut pending: BTreeSet<&str> = plan.imported.iter().map(String::as_str).collect();
            for (source, sha) in sources.iter().zip(&shas) {
                source_lines(out, &when, source, sha, &mut pending).map_err(|e| Error::io(ws.path(SOURCES), e))?;
            }
            Ok(())
        })?;
    }
    tx.commit(ws)?;
    Ok(replaced)
}

/// Append to the source record a line per visit of `source` still `pending` (imported, added
/// or replaced, and not yet recorded), each visit once: the first sheet that gave it is the
/// one merged ([`merge::plan`] keeps the first of identical repeats).
fn source_lines(
    out: &mut dyn std::io::Write,
    when: &str,
    source: &Source,
    sha: &str,
    pending: &mut BTreeSet<&str>,
) -> std::io::Result<()> {
    let name = source
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = csv_field(&name);
    let mut line = String::new();
    for v in source.visits.iter() {
        if pending.remove(v.id) {
            line.clear();
            push_source_line(&mut line, when, v.id, v.date, &file, sha, v.sheet, &v.sheet_rows);
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

/// The ledger as it stands, ending in a newline. Only a missing ledger starts afresh; one that
/// cannot be read (saved as GB18030 by Excel, say) stops the import rather than losing its
/// history.
fn read_ledger(ws: &Workspace) -> Result<String> {
    let mut ledger = match std::fs::read(ws.path(LEDGER)) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| Error::msg(t!("ledger.not_utf8", file = LEDGER, action = t!("ledger.importing"))))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => LEDGER_HEADER.to_string(),
        Err(e) => return Err(Error::io(ws.path(LEDGER), e)),
    };
    if !ledger.ends_with('\n') {
        ledger.push('\n');
    }
    Ok(ledger)
}

/// Keep a sheet as it came, under data/archive/ by its SHA-256 (`sha`, as it was read), unless
/// it is there already or another sheet of this import with the same bytes is. The file is
/// copied from disk, not held: if it changed since it was read, the import stops, nothing
/// written ([`copy_verified`]).
fn stage_archive(
    tx: &mut Transaction,
    ws: &Workspace,
    source: &Source,
    sha: &str,
    archived: &mut BTreeSet<String>,
) -> Result<()> {
    let ext = source
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("bin")
        .to_ascii_lowercase();
    let archive = format!("data/archive/{sha}.{ext}");
    if !ws.path(&archive).exists() && archived.insert(archive.clone()) {
        tx.stage_with(ws, &archive, |out| match copy_verified(&source.path, sha, out) {
            Ok(()) => Ok(()),
            Err(CopyError::Io(e)) => Err(Error::io(&source.path, e)),
            Err(CopyError::Changed) => Err(Error::msg(t!("import.sheet_changed", file = source.path.display()))),
        })?;
    }
    Ok(())
}

/// Why a sheet could not be copied into the archive.
#[derive(Debug)]
enum CopyError {
    /// Reading the sheet or writing the copy failed.
    Io(std::io::Error),
    /// The sheet's SHA-256 is no longer the one it had when it was read: it changed during
    /// the import.
    Changed,
}

/// Copy the file at `path` to `out`, hashing it as it goes: [`CopyError::Changed`] unless its
/// SHA-256 is `sha` (what the import read is what is archived, without holding its bytes).
fn copy_verified(
    path: &std::path::Path,
    sha: &str,
    out: &mut dyn std::io::Write,
) -> std::result::Result<(), CopyError> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(CopyError::Io)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Io(e)),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(CopyError::Io)?;
    }
    if crate::workspace::provenance::hex(&hasher.finalize()) != sha {
        return Err(CopyError::Changed);
    }
    Ok(())
}

/// The ledger's line for one sheet: when, its file name, its SHA-256, and how many of its
/// visits and rows were `imported` (added or replaced).
fn ledger_line(when: &str, source: &Source, sha: &str, imported: &BTreeSet<String>) -> String {
    let (mut visits, mut rows) = (0usize, 0usize);
    for v in source.visits.iter().filter(|v| imported.contains(v.id)) {
        visits += 1;
        rows += v.rows;
    }
    let name = source
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut line = csv::Writer::from_writer(Vec::new());
    let _ = line.write_record([
        when,
        crate::render::csv_safe(&name).as_ref(),
        sha,
        &visits.to_string(),
        &rows.to_string(),
    ]);
    String::from_utf8_lossy(&line.into_inner().unwrap_or_default()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_that_cannot_be_read_again_says_what_the_system_said() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let error = crate::error::io_words(&gone);
        for code in ["zh", "en"] {
            let said = t!(
                "import.msg.unreadable_while_read",
                locale = code,
                error = error.as_str()
            );
            assert!(said.ends_with(error.as_str()), "{said}");
            assert!(!said.contains("import.msg"), "{said}");
            assert_ne!(said, t!("import.msg.changed_while_read", locale = code));
        }
    }

    #[test]
    fn the_archive_copy_is_the_file_read_and_a_changed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        let first = "日期,小区\n2026-07-03,南营门里\n";
        std::fs::write(&path, first).unwrap();
        let sha = sha256_hex(first.as_bytes());
        let mut out = Vec::new();
        copy_verified(&path, &sha, &mut out).unwrap();
        assert_eq!(out, first.as_bytes());
        // Changed in place (same length), grown, emptied: refused.
        for changed in [
            "日期,小区\n2026-07-04,南营门里\n",
            "日期,小区\n2026-07-03,南营门里\nx\n",
            "",
        ] {
            std::fs::write(&path, changed).unwrap();
            assert!(matches!(
                copy_verified(&path, &sha, &mut Vec::new()),
                Err(CopyError::Changed)
            ));
        }
        // A file larger than the copy's buffer is copied whole.
        let big: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(&path, &big).unwrap();
        let mut out = Vec::new();
        copy_verified(&path, &sha256_hex(&big), &mut out).unwrap();
        assert_eq!(out, big);
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(
            copy_verified(&path, &sha, &mut Vec::new()),
            Err(CopyError::Io(_))
        ));
    }
}
