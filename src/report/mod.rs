//! One typed, `Serialize`-able value per report: exactly the JSON of DESIGN §11, built from
//! the domain's results by a thin function and written by [`crate::render::json`].

pub mod coverage;
pub mod explain;
pub mod recheck;
pub mod score;
pub mod subsidy;
