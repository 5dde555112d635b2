//! The domain core: pure functions from loaded data to results. No file system, no clock.

pub mod as_of;
pub mod assessor;
pub mod bulletin;
pub mod capital;
pub mod company;
pub mod contracts;
pub mod explain;
pub mod recheck;
pub mod rule;
pub mod scoring;
pub mod selection;
pub mod standards_diff;
pub mod subsidy;
pub mod visit;
