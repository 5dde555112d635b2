//! The integration tests: the real binary run on temporary workspaces.

mod as_of;
mod bulletin;
mod check;
mod cli;
mod contracts;
mod demo;
mod documents;
mod explain;
mod forms;
mod harness;
mod hostile;
mod import;
mod init;
mod names;
mod recheck;
mod reliability;
mod score;
mod standards_diff;
mod subsidy;
mod xlsx;
