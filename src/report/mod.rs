//! One typed, `Serialize`-able value per report: the JSON of DESIGN §11 and §13, field order
//! being key order. The renderers write every format from these values.

pub mod company;
pub mod contracts;
pub mod standards;
