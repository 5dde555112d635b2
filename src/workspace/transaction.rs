//! Writing the store safely: an exclusive lock on the workspace, every new file written to a
//! temporary sibling and synced, then a journal naming the renames, then the renames. A crash
//! before the journal is complete leaves the old store; after it, the next writer (or
//! [`recover`]) finishes the renames: the store is always the old one or the new one, whole.

use rust_i18n::t;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

use super::Workspace;

/// The lock file of earlier versions, relative to the workspace: no longer taken (the lock is
/// now on the `data/` directory itself), named so that `check` and git status pass over one
/// left behind.
pub const LOCK: &str = "data/.oldestate.lock";
/// The journal of an unfinished commit.
pub const JOURNAL: &str = "data/.oldestate.journal";
const TMP_PREFIX: &str = ".oldestate-tmp-";
/// The environment variable that shortens (or lengthens) the wait for the lock, in seconds.
pub const LOCK_WAIT_ENV: &str = "OLDESTATE_LOCK_WAIT";

/// The workspace lock, released when dropped (or when the process dies: the operating system
/// drops file locks with the process). It is an `flock` on the `data/` directory itself,
/// which no `git clean` or `rm` of a lock file can take from under a writer; writers also hold
/// the workspace directory's lock, their announced intent, so that readers arriving while a
/// writer waits queue behind it instead of starving it.
pub struct WorkspaceLock {
    _files: Vec<File>,
}

/// How long to wait for the lock: `wait`, unless `OLDESTATE_LOCK_WAIT` says otherwise.
fn wait_for(wait: Duration) -> Duration {
    std::env::var(LOCK_WAIT_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(wait, Duration::from_secs)
}

fn locked(ws: &Workspace, wait: Duration) -> Error {
    Error::msg(t!("lock.busy", workspace = ws.root.display(), seconds = wait.as_secs()))
}

/// Lock `file` (shared or exclusive), polling every `poll` until `deadline`. `Ok(false)`: the
/// deadline passed.
fn take(
    file: &File,
    shared: bool,
    deadline: Instant,
    poll: Duration,
    on_wait: &mut dyn FnMut(),
) -> std::io::Result<bool> {
    let mut told = false;
    loop {
        let r = if shared {
            file.try_lock_shared()
        } else {
            file.try_lock()
        };
        match r {
            Ok(()) => return Ok(true),
            Err(std::fs::TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    return Ok(false);
                }
                if !told {
                    on_wait();
                    told = true;
                }
                std::thread::sleep(poll);
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

fn open_dir(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| Error::io(path, e))
}

/// Take the workspace lock alone, waiting up to `wait` for other writers and for the readers
/// already reading; readers that come after wait behind this writer.
pub fn lock(ws: &Workspace, wait: Duration, mut on_wait: impl FnMut()) -> Result<WorkspaceLock> {
    let wait = wait_for(wait);
    let deadline = Instant::now() + wait;
    // Intent first: from here no new reader starts.
    let intent = open_dir(&ws.root)?;
    if !take(&intent, false, deadline, Duration::from_millis(5), &mut on_wait).map_err(|e| Error::io(&ws.root, e))? {
        return Err(locked(ws, wait));
    }
    let data_dir = ws.path("data");
    let data = open_dir(&data_dir)?;
    if !take(&data, false, deadline, Duration::from_millis(20), &mut on_wait).map_err(|e| Error::io(&data_dir, e))? {
        return Err(locked(ws, wait));
    }
    Ok(WorkspaceLock {
        _files: vec![data, intent],
    })
}

/// A temporary file in `dir`, named `prefix` and random letters, to be renamed over a file
/// the tool writes. It is created with mode 0666 less the umask, as `File::create` would:
/// tempfile's default 0600 would leave every report and store file private to its writer
/// however the bureau's umask is set.
pub fn temp_file_in(dir: &Path, prefix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Give the temporary `tmp`, about to be renamed over `target`, the mode `target` has: a
/// rewritten file keeps its permissions (a store made group-readable stays so whatever the
/// writer's umask), and a new file keeps 0666 less the umask from [`temp_file_in`].
pub fn keep_mode(tmp: &std::fs::File, target: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(target) {
            let mode = meta.permissions().mode() & 0o7777;
            tmp.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (tmp, target);
    Ok(())
}

/// A set of files to replace together.
#[derive(Debug, Default)]
pub struct Transaction {
    /// (temporary file, final path), both absolute.
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Transaction {
    /// Write `bytes` to a synced temporary file beside `rel`'s final place.
    pub fn stage(&mut self, ws: &Workspace, rel: &str, bytes: &[u8]) -> Result<()> {
        self.stage_with(ws, rel, |out| {
            out.write_all(bytes).map_err(|e| Error::io(ws.path(rel), e))
        })
    }

    /// Write what `write` writes to a synced temporary file beside `rel`'s final place: a file
    /// too large to hold (a month of the store) is streamed into place.
    pub fn stage_with(
        &mut self,
        ws: &Workspace,
        rel: &str,
        write: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let target = ws.path(rel);
        let dir = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| ws.root.clone());
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut tmp = temp_file_in(&dir, TMP_PREFIX).map_err(|e| Error::io(&dir, e))?;
        keep_mode(tmp.as_file(), &target).map_err(|e| Error::io(&target, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut out)?;
        out.flush().map_err(|e| Error::io(&target, e))?;
        drop(out);
        tmp.as_file().sync_all().map_err(|e| Error::io(&target, e))?;
        let (_, path) = tmp.keep().map_err(|e| Error::io(&target, e.error))?;
        // The temporary's directory entry must be durable before the journal names it.
        sync_dir(&dir);
        if let Some(parent) = dir.parent() {
            sync_dir(parent);
        }
        self.staged.push((path, target));
        Ok(())
    }

    /// Commit: write the journal, rename every staged file into place, remove the journal.
    /// The caller holds the lock.
    pub fn commit(mut self, ws: &Workspace) -> Result<()> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for (tmp, target) in &self.staged {
            text.push_str(&format!("{}\t{}\n", rel(ws, tmp), rel(ws, target)));
        }
        let journal = ws.path(JOURNAL);
        let staged_journal = journal.with_extension("new");
        write_synced(&staged_journal, text.as_bytes())?;
        // Renaming the journal into place is the commit point.
        std::fs::rename(&staged_journal, &journal).map_err(|e| Error::io(&journal, e))?;
        sync_dir(&ws.path("data"));
        // Committed: from here the staged files belong to the journal. If a rename fails now,
        // they must stay for the next command to finish the commit, so `drop` may not remove
        // them.
        let staged = std::mem::take(&mut self.staged);
        finish(ws, &staged)
    }
}

impl Drop for Transaction {
    /// Staged files of a transaction that was not committed are removed.
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn rel(ws: &Workspace, p: &Path) -> String {
    p.strip_prefix(&ws.root).unwrap_or(p).to_string_lossy().into_owned()
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(path, e))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn finish(ws: &Workspace, staged: &[(PathBuf, PathBuf)]) -> Result<()> {
    for (tmp, target) in staged {
        if tmp.exists() {
            std::fs::rename(tmp, target).map_err(|e| Error::io(target, e))?;
            if let Some(dir) = target.parent() {
                sync_dir(dir);
            }
        }
    }
    let journal = ws.path(JOURNAL);
    std::fs::remove_file(&journal).map_err(|e| Error::io(&journal, e))?;
    sync_dir(&ws.path("data"));
    Ok(())
}

/// Finish a commit that a crash interrupted, and clear temporary files of one that never
/// reached its commit point. The caller holds the lock. Returns whether anything was done.
pub fn recover(ws: &Workspace) -> Result<bool> {
    let journal = ws.path(JOURNAL);
    let mut did = false;
    if let Ok(text) = std::fs::read_to_string(&journal) {
        let staged: Vec<(PathBuf, PathBuf)> = text
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (ws.path(a), ws.path(b)))
            .collect();
        finish(ws, &staged)?;
        did = true;
    }
    let _ = std::fs::remove_file(journal.with_extension("new"));
    // Temporaries that never reached a journal: remove them.
    let mut stack = vec![ws.path("data")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if e.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                let _ = std::fs::remove_file(&p);
                did = true;
            }
        }
    }
    Ok(did)
}

/// What a killed import left behind (workspace-relative, sorted): temporary files under
/// `data/` that never reached a journal, and a journal still being written
/// (`data/.oldestate.new`). `check` reports them; `oldestate inspect clean` removes them.
pub fn leftovers(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    let staged_journal = ws.path(JOURNAL).with_extension("new");
    if staged_journal.exists() {
        out.push(rel(ws, &staged_journal));
    }
    let mut stack = vec![ws.path("data")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if is_temporary(&e.file_name().to_string_lossy()) {
                out.push(rel(ws, &p));
            }
        }
    }
    out.sort();
    out
}

/// Whether a file name is one of the tool's temporary files.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(TMP_PREFIX)
}

/// Before reading the store: if a crash interrupted a commit, finish it first (under the
/// lock), so no reader ever sees half a commit.
pub fn settle(ws: &Workspace) -> Result<()> {
    if ws.path(JOURNAL).exists() {
        let _lock = lock(ws, Duration::from_secs(120), || {})?;
        recover(ws)?;
    }
    Ok(())
}

/// A reader's hold on the store: shared with other readers, exclusive of writers, so no report
/// reads months while an import is renaming them; a reader waits behind a writer that is
/// waiting. An interrupted commit is finished first. `None` when the workspace's directories
/// cannot be opened (nothing can be read there either).
pub fn read_lock(ws: &Workspace, wait: Duration) -> Result<Option<WorkspaceLock>> {
    let wait = wait_for(wait);
    loop {
        let deadline = Instant::now() + wait;
        let (Ok(intent), Ok(data)) = (File::open(&ws.root), File::open(ws.path("data"))) else {
            return Ok(None);
        };
        // Pass through the intent lock: held by a writer (waiting or writing), it stops us.
        if !take(&intent, true, deadline, Duration::from_millis(50), &mut || {}).map_err(|e| Error::io(&ws.root, e))? {
            return Err(locked(ws, wait));
        }
        let got = take(&data, true, deadline, Duration::from_millis(50), &mut || {});
        // Let a writer announce itself as soon as this reader holds the data.
        drop(intent);
        if !got.map_err(|e| Error::io(ws.path("data"), e))? {
            return Err(locked(ws, wait));
        }
        if !ws.path(JOURNAL).exists() {
            return Ok(Some(WorkspaceLock { _files: vec![data] }));
        }
        // A writer died after its commit point: finish its commit, then read.
        drop(data);
        settle(ws)?;
    }
}
