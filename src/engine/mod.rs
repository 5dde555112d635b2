//! How the store is read fast: the machinery that drives the domain's plain rules over
//! millions of rows on every core. Nothing here decides a figure; the domain
//! ([`crate::domain`]) does, and imports nothing from here.
//!
//! - [`scan`]: the month files shared between threads, each read by [`store_rows`] (a reader
//!   made for the store's own shape) while its records are plain and by the csv crate from the
//!   first that is not, rows grouped into visits;
//! - [`compound_table`]: a compound's registry position and grade on a date, in one probe;
//! - [`score`]: the scorer's per-compound tallies in one shared table, batched and prefetched;
//! - [`hint`]: the cache prefetch the scan and the tallies use;
//! - [`par`]: the one helper for work in ordered chunks on every core (results, tables, CSV).

pub mod compound_table;
pub mod hint;
pub mod par;
pub mod scan;
pub mod score;
pub(crate) mod store_rows;
pub(crate) mod utf8_watch;
