//! The four inspection levels and the two visit purposes (DESIGN §1, §4).

use std::fmt;
use std::str::FromStr;

use rust_i18n::t;
use serde::Deserialize;

/// Who inspected: the residents' committee, the street office, the district bureau, or the
/// hired assessor whose score is the official one by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The residents' committee (社区).
    Community,
    /// The street office (街道).
    Street,
    /// The district bureau (区).
    District,
    /// The hired assessor (第三方).
    ThirdParty,
}

impl Level {
    /// All levels, in the order reports list them (lowest first).
    pub const ALL: [Level; 4] = [Level::Community, Level::Street, Level::District, Level::ThirdParty];

    /// The id used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Community => "community",
            Level::Street => "street",
            Level::District => "district",
            Level::ThirdParty => "third_party",
        }
    }

    /// The level in English words, for people's reports (the id stays in CSV and JSON).
    pub fn en(self) -> &'static str {
        match self {
            Level::Community => "community",
            Level::Street => "street",
            Level::District => "district",
            Level::ThirdParty => "third-party",
        }
    }

    /// The Chinese word inspectors write for this level.
    pub fn zh(self) -> &'static str {
        match self {
            Level::Community => "社区",
            Level::Street => "街道",
            Level::District => "区",
            Level::ThirdParty => "第三方",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level id on the command line (`--level street`): clap's parser.
pub fn parse_level(s: &str) -> Result<Level, String> {
    s.parse()
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Level, String> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| t!("period.unknown_level", level => s).into_owned())
    }
}

/// Why a visit was made: the routine round, or the re-inspection after a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    /// A visit of the routine round; the official ones are scored.
    Routine,
    /// A re-inspection after a rectification notice (DESIGN §7).
    Recheck,
}

impl Purpose {
    /// The word used in the store and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Routine => "routine",
            Purpose::Recheck => "recheck",
        }
    }
}

impl FromStr for Purpose {
    type Err = String;

    fn from_str(s: &str) -> Result<Purpose, String> {
        match s {
            "routine" => Ok(Purpose::Routine),
            "recheck" => Ok(Purpose::Recheck),
            _ => Err(t!("period.unknown_purpose", purpose => s).into_owned()),
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
