//! The fixture kit: the generators behind the demo district and the benchmark workspaces.
//!
//! Fixtures are not the product, so they live beside the examples rather than in the library;
//! but they are still one set of rules in one place. Each example (and the demo test) pulls
//! the kit in with `#[path = "kit/mod.rs"] mod kit;`.
//!
//! - [`calendar`]: dates (the crate's `NaiveDate`) and the working days inspectors visit on;
//! - [`rng`]: the one random generator (splitmix64) the demo and synth draw from;
//! - [`demo`]: the demo district the repository ships as its own `data/` and `standards/`;
//!   `examples/synth.rs` builds on [`rng`] and the crate's own standards parser.

// Each example uses only part of the kit; what one leaves unused another needs.
#![allow(dead_code)]

pub mod calendar;
pub mod demo;
pub mod rng;
