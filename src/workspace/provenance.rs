//! Provenance of a report (DESIGN §11): the tool's version, the workspace's git commit and
//! whether it had uncommitted changes, and one SHA-256 over every input file read, so a
//! published figure can be traced to its exact data.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::Command;

use rust_i18n::t;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

use super::Workspace;

/// The provenance object of a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The version of oldestate that wrote the report.
    pub tool_version: String,
    /// The workspace's git commit, when it is a git repository.
    pub git_commit: Option<String>,
    /// Whether the workspace had uncommitted changes, when it is a git repository.
    pub dirty: Option<bool>,
    /// One SHA-256 over the inputs the report read, so a reader can tell whether they changed.
    pub inputs_sha256: String,
}

/// The input files a report read, each with its SHA-256 once known. Only JSON documents carry
/// provenance, so digests are computed when asked for: a file not hashed while it was read is
/// hashed by [`Inputs::provenance`]. (A national store is most of a gigabyte; hashing it costs
/// a third of a table or CSV report that never shows the digest.)
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    files: BTreeMap<String, Option<String>>,
    /// Whether scans should hash the month files as they stream them (the report will carry
    /// provenance). Only a saving: a month file not hashed then is hashed when asked.
    pub hash_while_scanning: bool,
    /// The git commit and dirty flag to state instead of asking git (`verify` making a
    /// published document again as it was).
    pub pinned_git: Option<(Option<String>, Option<bool>)>,
}

/// The SHA-256 of a file, streamed (registry files of a national workspace are tens of
/// megabytes); `None` when it does not exist.
fn hash_file(ws: &Workspace, rel: &str) -> Result<Option<String>> {
    let path = ws.path(rel);
    match std::fs::File::open(&path) {
        Ok(file) => {
            let mut reader = HashingReader::new(file);
            std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
            Ok(reader.digest())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

impl Inputs {
    /// Record a workspace file as an input if it exists (optional inputs that are absent are
    /// skipped); it is hashed when provenance is asked for.
    pub fn add_file(&mut self, ws: &Workspace, rel: &str) -> Result<()> {
        let path = ws.path(rel);
        match std::fs::metadata(&path) {
            Ok(_) => {
                self.files.entry(rel.to_string()).or_insert(None);
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Record a file read in full, with the digest computed while it was streamed, if any.
    pub fn add_digest(&mut self, rel: &str, sha256: Option<String>) {
        let known = self.files.entry(rel.to_string()).or_insert(None);
        if sha256.is_some() {
            *known = sha256;
        }
    }

    /// One digest over all inputs: SHA-256 of the lines `SHA256  PATH\n`, sorted by path
    /// (the format of `sha256sum`, so it can be recomputed by hand). Files not hashed yet are
    /// hashed now.
    pub fn digest(&self, ws: &Workspace) -> Result<String> {
        let mut h = Sha256::new();
        for (rel, sha) in &self.files {
            let sha = match sha {
                Some(sha) => sha.clone(),
                None => hash_file(ws, rel)?
                    .ok_or_else(|| Error::msg(t!("workspace.removed_while_reporting", file => rel)))?,
            };
            h.update(format!("{sha}  {rel}\n").as_bytes());
        }
        Ok(hex(&h.finalize()))
    }

    /// Compute the report's provenance.
    pub fn provenance(&self, ws: &Workspace) -> Result<Provenance> {
        if let Some((git_commit, dirty)) = &self.pinned_git {
            return Ok(Provenance {
                tool_version: env!("CARGO_PKG_VERSION").to_string(),
                git_commit: git_commit.clone(),
                dirty: *dirty,
                inputs_sha256: self.digest(ws)?,
            });
        }
        let git = |args: &[&str]| -> Option<String> {
            let out = Command::new("git").arg("-C").arg(&ws.root).args(args).output().ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
        };
        let git_commit = git(&["rev-parse", "HEAD"])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let dirty = git_commit
            .as_ref()
            .and_then(|_| git(&["status", "--porcelain", "--", ".", ":(exclude)data/.oldestate.lock"]))
            .map(|s| !s.trim().is_empty());
        Ok(Provenance {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit,
            dirty,
            inputs_sha256: self.digest(ws)?,
        })
    }
}

/// A reader that hashes what passes through it (unless made with [`HashingReader::unhashed`]).
pub struct HashingReader<R> {
    inner: R,
    hasher: Option<Sha256>,
}

impl<R: Read> HashingReader<R> {
    /// Hash what is read from `inner`.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Some(Sha256::new()),
        }
    }

    /// A reader that passes its bytes through without hashing them.
    pub fn unhashed(inner: R) -> Self {
        HashingReader { inner, hasher: None }
    }

    /// The hex SHA-256 of everything read so far, if hashing.
    pub fn digest(self) -> Option<String> {
        self.hasher.map(|h| hex(&h.finalize()))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest is the `sha256sum` listing's own SHA-256, whether a file was hashed while a
    /// scan streamed it or only when provenance was asked for.
    #[test]
    fn digests_hashed_late_equal_digests_hashed_while_streaming() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace {
            root: dir.path().to_path_buf(),
        };
        std::fs::create_dir_all(ws.path("data")).unwrap();
        std::fs::write(ws.path("data/a.csv"), "a,b\n1,2\n").unwrap();
        std::fs::write(ws.path("data/b.toml"), "x = 1\n").unwrap();
        let sha_a = hex(&Sha256::digest(b"a,b\n1,2\n"));
        let sha_b = hex(&Sha256::digest(b"x = 1\n"));

        let mut streamed = Inputs::default();
        streamed.add_digest("data/a.csv", Some(sha_a.clone()));
        streamed.add_file(&ws, "data/b.toml").unwrap();
        streamed.add_file(&ws, "data/absent.csv").unwrap();
        let mut late = Inputs::default();
        late.add_digest("data/a.csv", None);
        late.add_file(&ws, "data/b.toml").unwrap();

        let listing = format!("{sha_a}  data/a.csv\n{sha_b}  data/b.toml\n");
        let expected = hex(&Sha256::digest(listing.as_bytes()));
        assert_eq!(streamed.digest(&ws).unwrap(), expected);
        assert_eq!(late.digest(&ws).unwrap(), expected);

        std::fs::remove_file(ws.path("data/a.csv")).unwrap();
        let err = late.digest(&ws).unwrap_err().to_string();
        assert!(
            err.contains("data/a.csv: removed while the report was being made"),
            "{err}"
        );
    }
}
