//! The integration tests: the real binary run on temporary workspaces.

mod accountability;
mod as_of;
mod assessor;
mod bulletin;
mod check;
mod cli;
mod contracts;
mod demo;
mod documents;
mod explain;
mod forms;
mod harness;
mod help;
mod hostile;
mod import;
mod import_merge;
mod init;
mod messages;
mod names;
mod recheck;
mod reliability;
mod score;
mod standards_diff;
mod subsidy;
mod words;
mod xlsx;
