//! clap's parse errors in the reader's language. clap words its errors in English; the common
//! ones (a missing or unknown argument, an unknown command, a value that is not one of the
//! choices or does not parse) are said again here through the catalogue, with clap's own
//! suggestion and usage line. Help, version and rarer errors keep clap's rendering.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use rust_i18n::t;

/// The error's words in the run's language, or `None` where clap's own rendering stays.
pub fn words(e: &clap::Error) -> Option<String> {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::MissingRequiredArgument => t!("clap.missing", args = arg).into_owned(),
        ErrorKind::UnknownArgument => t!("clap.unknown_argument", arg = arg).into_owned(),
        ErrorKind::InvalidSubcommand => {
            let cmd = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            t!("clap.unknown_command", command = cmd).into_owned()
        }
        ErrorKind::InvalidValue => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let mut s = t!("clap.invalid_value", arg = arg, value = value).into_owned();
            if let Some(valid) = text(ContextKind::ValidValue) {
                s += &t!("clap.valid_values", values = valid);
            }
            s
        }
        ErrorKind::ValueValidation => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            t!("clap.bad_value", arg = arg, value = value, why = why).into_owned()
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(ContextKind::PriorArg).unwrap_or_default();
            t!("clap.conflict", arg = arg, other = prior).into_owned()
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            t!("clap.value_count", arg = arg).into_owned()
        }
        _ => return None,
    };
    let suggestion = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(text);
    if let Some(s) = suggestion {
        out += &t!("clap.did_you_mean", suggestion = s);
    }
    Some(out)
}

/// Say a parse error in the run's language and end the process with status 2 (help and
/// version on stdout with status 0, as clap does).
pub fn exit(e: clap::Error) -> ! {
    let Some(message) = words(&e) else { e.exit() };
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u.to_string(),
        _ => String::new(),
    };
    let usage = usage
        .trim()
        .strip_prefix("Usage:")
        .map(|u| format!("\n\n{}{}", t!("clap.usage"), u.trim()))
        .unwrap_or_default();
    crate::say!("{}{message}{usage}\n\n{}", t!("clap.error"), t!("clap.more"));
    std::process::exit(2)
}

/// `--lang` and `--workspace` as written on a command line clap refused: the run's language
/// must be known to say why it refused it.
pub fn language_args(args: &[String]) -> (Option<crate::model::records::Lang>, Option<std::path::PathBuf>) {
    let mut lang = None;
    let mut workspace = None;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned());
        match name {
            "--lang" => lang = value().and_then(|v| crate::i18n::from_locale(&v)),
            "--workspace" => workspace = value().map(std::path::PathBuf::from),
            "--" => break,
            _ => {}
        }
    }
    (lang, workspace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_language_options_are_found_however_written() {
        let (l, w) = language_args(&strings(&["oldestate", "--lang", "en", "--workspace=/w", "scor"]));
        assert_eq!(l, Some(crate::model::records::Lang::En));
        assert_eq!(w.as_deref(), Some(std::path::Path::new("/w")));
        let (l, w) = language_args(&strings(&["oldestate", "score", "--lang=zh"]));
        assert_eq!(l, Some(crate::model::records::Lang::Zh));
        assert_eq!(w, None);
        assert_eq!(language_args(&strings(&["oldestate", "--lang"])), (None, None));
    }
}
