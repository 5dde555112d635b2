//! One typed, `Serialize`-able value per report: exactly the JSON of DESIGN §11 and §13 (field
//! order being key order), built from the domain's results by a thin function; the renderers
//! write every format from these values.

pub mod assessor;
pub mod company;
pub mod contracts;
pub mod coverage;
pub mod explain;
pub mod recheck;
pub mod score;
pub mod standards;
pub mod subsidy;
pub mod verify;
