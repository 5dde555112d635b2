//! The fixture kit: the generators behind the demo district and the benchmark workspaces.
//!
//! Fixtures are not the product, so they live beside the examples rather than in the library;
//! but they are still one set of rules in one place. Each example (and the demo test) pulls
//! the kit in with `#[path = "kit/mod.rs"] mod kit;`.
//!
//! - [`calendar`]: dates (the crate's `NaiveDate`) and the working days inspectors visit on;
//! - [`rng`]: the random numbers: splitmix64 for the demo and synth, and the two frozen
//!   sequences the July sheets and the import benchmark's sheet were made with;
//! - [`demo`]: the demo district the repository ships as its own `data/` and `standards/`.
//!
//! The generators use the crate's own types and writers where it has them: `Level`, the
//! standards parser, the store writer and the csv crate, so a fixture cannot drift from the
//! files the product reads.

// Each example uses only part of the kit; what one leaves unused another needs.
#![allow(dead_code)]

pub mod calendar;
pub mod demo;
pub mod rng;
