//! How the store is read fast: the machinery that drives the domain's plain rules over
//! millions of rows on every core. Nothing here decides a figure; the domain
//! ([`crate::domain`]) does, and imports nothing from here.

pub mod score;
