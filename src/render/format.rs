//! The output formats the writers of this module produce. They are chosen on the command
//! line (clap parses `--format` straight into [`Format`]), but they belong with the writers:
//! a format is a way of rendering a report, and rendering needs nothing from the command line.

use clap::ValueEnum;

/// Output formats. Each command accepts the subset that makes sense for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people in a terminal (the default).
    Table,
    /// Formula-safe CSV with stable English headers, for scripts and spreadsheets.
    Csv,
    /// The JSON documents of DESIGN §11, with provenance, for scripts.
    Json,
    /// A Markdown document.
    Md,
    /// An HTML document.
    Html,
    /// A Word document laid out as a 公文 (DESIGN §15).
    Docx,
    /// An Excel workbook: typed cells, a title row, a 合计 row (DESIGN §15).
    Xlsx,
}

impl Format {
    /// The name given to `--format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }

    /// Whether a report in this format carries its provenance (DESIGN §11): the JSON documents
    /// do, for scripts to trace a figure to its data, and a Word document in its properties
    /// (never in its text); what people read otherwise does not.
    pub fn carries_provenance(self) -> bool {
        matches!(self, Format::Json | Format::Docx)
    }

    /// Whether the format is binary (a zip: docx, xlsx), which is not written to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Docx | Format::Xlsx)
    }
}
