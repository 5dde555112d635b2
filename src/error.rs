//! Errors and diagnostics. A diagnostic says where (file and line, relative to the workspace),
//! what was found and what was expected; the binary prints them and exits 1.

use std::fmt;
use std::path::PathBuf;

use rust_i18n::t;

/// Write one line for people to stderr, ignoring failure: a closed stderr (`2>&1 | head -1`)
/// must not turn a message into a panic, and there is nowhere left to say that it failed.
pub fn say(args: fmt::Arguments<'_>) {
    use std::io::Write;
    let text = args.to_string();
    let _ = writeln!(std::io::stderr().lock(), "{}", terminal_safe(&text));
}

/// Text with its control characters (all but newline and tab) written as `\u{1b}`: a message
/// quoting a sheet's value must not drive the terminal it is shown on (ESC, BEL, a lone CR).
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// `eprintln!` that does not panic when stderr is closed: [`say`] with `format!` arguments.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::error::say(format_args!($($arg)*))
    };
}

/// How bad a problem is: errors fail every command, warnings fail only `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// An input problem: the command fails, and `check` counts it.
    Error,
    /// Worth a person's look, but the command goes on (`check --strict` fails on it).
    Warning,
}

/// One located problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem fails the command.
    pub severity: Severity,
    /// Path relative to the workspace root (or as given, for files outside it).
    pub file: Option<String>,
    /// 1-based line in `file`, when the problem is about one row.
    pub line: Option<u64>,
    /// What was found and what was expected, in words a person can act on.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        if self.severity == Severity::Warning {
            f.write_str(&t!("diag.warning"))?;
        }
        f.write_str(&self.message)
    }
}

/// A collector of diagnostics: loaders push into it and carry on, so that one run reports
/// every problem of an input, like a compiler.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    /// Errors in `list`, kept so asking is cheap on inputs with very many problems.
    errors: usize,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Record an error in `file` (workspace-relative; empty for none) at `line`.
    pub fn error(&mut self, file: &str, line: Option<u64>, message: impl Into<String>) {
        self.push(Severity::Error, file, line, message.into());
    }

    /// Record a warning in `file` (workspace-relative; empty for none) at `line`.
    pub fn warning(&mut self, file: &str, line: Option<u64>, message: impl Into<String>) {
        self.push(Severity::Warning, file, line, message.into());
    }

    fn push(&mut self, severity: Severity, file: &str, line: Option<u64>, message: String) {
        let file = (!file.is_empty()).then(|| file.to_string());
        self.errors += usize::from(severity == Severity::Error);
        self.list.push(Diagnostic {
            severity,
            file,
            line,
            message,
        });
    }

    /// Take in another collector's diagnostics.
    pub fn absorb(&mut self, other: Diagnostics) {
        self.errors += other.errors;
        self.list.extend(other.list);
    }

    /// Whether any error was collected: then nothing may be written.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// How many errors were collected.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// How many warnings were collected.
    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors()
    }

    /// All diagnostics, ordered by file, line, then message: stable output whatever order the
    /// checks ran in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.list
            .sort_by(|a, b| (&a.file, a.line, a.severity, &a.message).cmp(&(&b.file, b.line, b.severity, &b.message)));
        self.list.dedup();
        self.list
    }

    /// `Ok(())` when no error was collected, else the errors (warnings dropped) as an [`Error`].
    pub fn into_result(self) -> Result<(), Error> {
        if self.has_errors() {
            let errors = self
                .sorted()
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            Err(Error::Invalid(errors))
        } else {
            Ok(())
        }
    }
}

/// What can go wrong in the library. Every variant but `Usage` maps to exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input data is wrong; the diagnostics say where.
    #[error("{}", t!("error.invalid", n = .0.len()))]
    Invalid(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{}: {}", .path.display(), io_words(source))]
    Io {
        /// The file that could not be read or written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The command line asks for something the command does not do (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// Problems already said on stderr, one per line, by the command (an import's, in the
    /// workspace's language): only their count is left to say.
    #[error("{}", t!("error.nothing_written", n = .0))]
    Reported(usize),
    /// A located message that is not about a data row (a missing workspace, a bad argument value).
    #[error("{0}")]
    Message(String),
}

impl Error {
    /// A failed read or write of `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A plain message error.
    pub fn msg(m: impl Into<String>) -> Error {
        Error::Message(m.into())
    }

    /// Whether the error is a closed stdout (`oldestate score | head`), which is no failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// What the operating system said, in the reader's language for the failures people meet (a
/// missing file, no permission, a full disk); the system's own words otherwise.
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let key = match e.kind() {
        K::NotFound => "io.not_found",
        K::PermissionDenied => "io.permission_denied",
        K::AlreadyExists => "io.already_exists",
        K::StorageFull => "io.storage_full",
        K::ReadOnlyFilesystem => "io.read_only",
        K::IsADirectory => "io.is_a_directory",
        K::NotADirectory => "io.not_a_directory",
        K::InvalidData => "io.invalid_data",
        _ => return e.to_string(),
    };
    t!(key).into_owned()
}

/// Say on stderr why the run failed, in the reader's language, and give the exit status for it
/// (DESIGN §11: 1 bad data or a failed run, 2 usage; a closed stdout is no failure). `all`
/// (`-v`) lists every located error, else the first [`MAX_PRINTED`].
pub fn report(e: &Error, all: bool) -> u8 {
    match e {
        e if e.is_broken_pipe() => 0,
        Error::Usage(m) => {
            say!("oldestate: {m}");
            2
        }
        Error::Invalid(list) => {
            let shown = if all { list.len() } else { MAX_PRINTED };
            for d in list.iter().take(shown) {
                say!("oldestate: {d}");
            }
            if list.len() > shown {
                say!(
                    "oldestate: {}",
                    t!("error.more", more = list.len() - shown, n = list.len())
                );
            }
            say!("oldestate: {}", t!("error.nothing_written", n = list.len()));
            1
        }
        e => {
            say!("oldestate: {e}");
            1
        }
    }
}

/// Most located errors printed before summarising the rest (`-v` prints them all; an
/// import says every problem of its sheets itself, grouped by cause).
pub const MAX_PRINTED: usize = 50;

/// The library's result: [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;
