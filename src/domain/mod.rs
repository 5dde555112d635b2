//! The domain core: pure functions from loaded data to results. No file system, no clock.

pub mod selection;
