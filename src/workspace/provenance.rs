//! Provenance of a report (DESIGN §11): the tool's version, the workspace's git commit and
//! whether it had uncommitted changes, and one SHA-256 over every input file read, so a
//! published figure can be traced to its exact data.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

use super::Workspace;

/// The provenance object of a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub tool_version: String,
    pub git_commit: Option<String>,
    pub dirty: Option<bool>,
    pub inputs_sha256: String,
}

/// The input files a report read, each with its SHA-256.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    files: BTreeMap<String, String>,
}

impl Inputs {
    /// Hash a workspace file if it exists (optional inputs that are absent are skipped).
    pub fn add_file(&mut self, ws: &Workspace, rel: &str) -> Result<()> {
        let path = ws.path(rel);
        // Streamed: registry files of a national workspace are tens of megabytes.
        match std::fs::File::open(&path) {
            Ok(file) => {
                let mut reader = HashingReader::new(file);
                std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
                self.files.insert(rel.to_string(), reader.finish());
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Record a digest computed while the file was streamed.
    pub fn add_digest(&mut self, rel: &str, sha256: String) {
        self.files.insert(rel.to_string(), sha256);
    }

    /// One digest over all inputs: SHA-256 of the lines `SHA256  PATH\n`, sorted by path
    /// (the format of `sha256sum`, so it can be recomputed by hand).
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        for (rel, sha) in &self.files {
            h.update(format!("{sha}  {rel}\n").as_bytes());
        }
        hex(&h.finalize())
    }

    /// Compute the report's provenance.
    pub fn provenance(&self, ws: &Workspace) -> Provenance {
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
        Provenance {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit,
            dirty,
            inputs_sha256: self.digest(),
        }
    }
}

/// A reader that hashes what passes through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The hex SHA-256 of everything read so far.
    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
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
