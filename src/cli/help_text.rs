//! `--help` in the run's language. The English help is clap's, derived from the `///` comments
//! of `cli.rs` and the commands' Args structs (one source for English). In a zh run the
//! command is rewritten before parsing: every command's about and examples, every argument's
//! help, the values an argument takes, the headings and clap's own words come from the
//! catalogue (`locales/help.toml`), keyed by where they stand (`help.score.about`,
//! `help.score.arg.period`, `help.global.arg.workspace`, `help.score.value.by-street`).
//!
//! clap writes some words itself: `Options`, `Arguments`, the `Usage:` heading, `[default: …]`,
//! `Possible values:`, the help and version flags. A zh run gives every argument a heading of
//! its own, its own help and version flags, a help template with 用法, and writes the values
//! and the default into the argument's help (clap's are hidden). What stays English: the usage
//! line's `[OPTIONS]`, `<COMMAND>` and value names (they are syntax, typed as shown). The
//! completions and man page are made from the same rewritten command, the completions with
//! each value's own help in the catalogue's words too ([`localize_values`]).
//!
//! The test below walks the derived command and fails when a text lacks an entry or the
//! entry's `en` is not clap's text today, so a new option cannot ship without its Chinese.

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, Command};
use rust_i18n::t;

/// The language's text for `key`, or `None` when the catalogue has no such entry.
fn lookup(key: &str) -> Option<String> {
    let text = t!(key, locale = "zh");
    // rust-i18n answers a missing key with the key itself.
    (text != key).then(|| text.into_owned())
}

/// Where a command stands: `oldestate`, `score`, `inspect.import`.
fn child(path: &str, name: &str) -> String {
    if path == TOP {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The top command's place in the keys.
const TOP: &str = "oldestate";

/// The key of an argument's help (`long` for its long help): global options once for all.
fn arg_key(path: &str, arg: &Arg, long: bool) -> String {
    let kind = if long { "long" } else { "arg" };
    let path = if arg.is_global_set() { "global" } else { path };
    format!("help.{path}.{kind}.{}", arg.get_id())
}

/// The key of a value's help (`help.score.value.by-street`, `help.global.value.format-csv`):
/// one word, for a value named `zh` or `en` would read as a language in the catalogue.
fn value_key(path: &str, arg: &Arg, value: &PossibleValue) -> String {
    let path = if arg.is_global_set() { "global" } else { path };
    format!("help.{path}.value.{}-{}", arg.get_id(), value.get_name())
}

/// The key of a help heading (`Global options` → `help.heading.global_options`).
fn heading_key(heading: &str) -> String {
    format!("help.heading.{}", heading.to_lowercase().replace(' ', "_"))
}

/// The help flags' and the help command's keys, by the text clap gives them.
const HELP_SHORT: &str = "help.flag.help";
const HELP_MORE: &str = "help.flag.help_more";
const HELP_SUMMARY: &str = "help.flag.help_summary";
const VERSION_FLAG: &str = "help.flag.version";
const HELP_COMMAND: &str = "help.flag.help_command";

#[cfg(test)]
/// clap's own words, each found in the English help (the test checks that).
const WORDS: &[&str] = &[
    HELP_SHORT,
    "help.word.usage",
    "help.word.options",
    "help.word.arguments",
    "help.word.commands",
    "help.word.possible_values",
    "help.word.default",
];

/// `cmd` with its help in the catalogue's Chinese: every text that has an entry replaced.
pub fn localize(cmd: Command) -> Command {
    let globals_long = cmd.get_arguments().any(|a| a.is_global_set() && has_long(a));
    let mut cmd = localize_command(cmd, TOP, globals_long, false);
    // The help command exists once the command is built.
    cmd.build();
    localize_help_command(cmd)
}

/// Does this argument's help have a long form (clap's test for "see more with '--help'")?
fn has_long(arg: &Arg) -> bool {
    arg.get_long_help().is_some() || arg.get_possible_values().iter().any(|v| v.get_help().is_some())
}

/// One of clap's words (or a flag's help) in the catalogue's language.
fn word(key: &str) -> String {
    lookup(key).unwrap_or_default()
}

/// A command's texts, its arguments, its own help and version flags, its help template and,
/// below it, its subcommands (`path` is where it stands in the keys).
fn localize_command(mut cmd: Command, path: &str, globals_long: bool, inherits_version: bool) -> Command {
    let key = |k: &str| lookup(&format!("help.{path}.{k}"));
    if let Some(s) = key("about") {
        cmd = cmd.about(s);
    }
    if let Some(s) = key("long_about") {
        cmd = cmd.long_about(s);
    }
    if let Some(s) = key("after") {
        cmd = cmd.after_help(s);
    }
    if let Some(s) = key("after_long") {
        cmd = cmd.after_long_help(s);
    }
    if let Some(s) = key("before") {
        cmd = cmd.before_help(s);
    }
    let long = globals_long || cmd.get_long_about().is_some() || cmd.get_arguments().any(has_long);
    cmd = cmd.mut_args(|a| localize_arg(a, path));
    let version = cmd.get_version().is_some() || inherits_version;
    cmd = own_flags(cmd, long, version);
    // clap lists a heading where its first argument stands: put the arguments in clap's order
    // of headings (arguments, options with the help and version flags, global options) by
    // moving each option, then each global one, to the end.
    let (globals, options): (Vec<&Arg>, Vec<&Arg>) = cmd
        .get_arguments()
        .filter(|a| !a.is_positional())
        .partition(|a| a.is_global_set());
    let order: Vec<String> = options
        .into_iter()
        .chain(globals)
        .map(|a| a.get_id().to_string())
        .collect();
    for id in order {
        cmd = cmd.mut_arg(id, |a| a);
    }
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
        word("help.word.usage")
    );
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(word("help.word.commands"));
    // `propagate_version` is clap's global setting: once set, every command below has -V.
    let propagates = inherits_version || (version && cmd.is_propagate_version_set());
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = child(path, &name);
        cmd = cmd.mut_subcommand(&name, |s| localize_command(s, &sub, globals_long, propagates));
    }
    cmd
}

/// clap's help and version flags, replaced by the same flags with words from the catalogue
/// (clap makes its own at build time, in English, after every other argument).
fn own_flags(cmd: Command, long: bool, version: bool) -> Command {
    let options = word("help.word.options");
    let mut help = Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help_heading(options.clone());
    help = if long {
        help.help(word(HELP_MORE)).long_help(word(HELP_SUMMARY))
    } else {
        help.help(word(HELP_SHORT))
    };
    let mut cmd = cmd.disable_help_flag(true).arg(help);
    if version {
        let flag = Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(word(VERSION_FLAG))
            .help_heading(options);
        cmd = cmd.disable_version_flag(true).arg(flag);
    }
    cmd
}

/// An argument's help, its values and its default in the catalogue's words, under a heading
/// of its own (clap would put it under its English `Options` or `Arguments`).
fn localize_arg(mut arg: Arg, path: &str) -> Arg {
    let help = lookup(&arg_key(path, &arg, false)).or_else(|| arg.get_help().map(|s| s.to_string()));
    let long = lookup(&arg_key(path, &arg, true)).or_else(|| arg.get_long_help().map(|s| s.to_string()));
    let heading = match arg.get_help_heading() {
        Some(h) => lookup(&heading_key(h)).unwrap_or_else(|| h.to_string()),
        None if arg.is_positional() => word("help.word.arguments"),
        None => word("help.word.options"),
    };
    arg = arg.help_heading(heading);
    let (mut short_text, mut long_text) = (help.unwrap_or_default(), long);
    let takes_values = arg.get_action().takes_values();
    if let Some((list, block)) = values(&arg, path).filter(|_| takes_values) {
        // clap's `[possible values: …]` in the summary, its `Possible values:` list in the long
        // help when the values have help of their own.
        long_text = match block {
            Some(block) => Some(long_text.unwrap_or_else(|| short_text.clone()) + &block),
            None => long_text.map(|l| format!("{l} {list}")),
        };
        short_text = format!("{short_text} {list}");
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        let default = format!("[{}{}]", word("help.word.default"), defaults.join(" "));
        short_text = format!("{short_text} {default}");
        long_text = long_text.map(|l| format!("{l}\n\n{default}"));
        arg = arg.hide_default_value(true);
    }
    arg = arg.help(short_text.trim_start().to_string());
    if let Some(l) = long_text {
        arg = arg.long_help(l);
    }
    arg
}

/// The values an argument shows: the one-line list (`[可选值：a, b]`) and, when the values
/// have help, the long help's block of one line per value. `None` when it shows none.
fn values(arg: &Arg, path: &str) -> Option<(String, Option<String>)> {
    if arg.is_hide_possible_values_set() {
        return None;
    }
    let values = arg.get_possible_values();
    let visible: Vec<&PossibleValue> = values.iter().filter(|v| !v.is_hide_set()).collect();
    if visible.is_empty() {
        return None;
    }
    let names: Vec<&str> = visible.iter().map(|v| v.get_name()).collect();
    let list = format!("[{}{}]", word("help.word.possible_values"), names.join(", "));
    if visible.iter().all(|v| v.get_help().is_none()) {
        return Some((list, None));
    }
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut block = format!("\n\n{}", word("help.word.possible_values"));
    for v in visible {
        let name = v.get_name();
        match lookup(&value_key(path, arg, v)).or_else(|| v.get_help().map(|h| h.to_string())) {
            Some(t) => block += &format!("\n- {name}: {:pad$}{t}", "", pad = width - name.len()),
            None => block += &format!("\n- {name}"),
        }
    }
    Some((list, Some(block)))
}

/// `cmd` with each value's own help in the catalogue's words (a shell shows it beside the
/// value it completes). Only for describing the command line: the value parsers it sets give
/// strings, not the typed values a run parses.
pub fn localize_values(cmd: Command) -> Command {
    values_in(cmd, TOP)
}

fn values_in(mut cmd: Command, path: &str) -> Command {
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |arg| {
            let values = arg.get_possible_values();
            if values.is_empty() || !arg.get_action().takes_values() {
                return arg;
            }
            let own: Vec<PossibleValue> = values
                .into_iter()
                .map(|v| match lookup(&value_key(path, &arg, &v)) {
                    Some(help) => v.help(help),
                    None => v,
                })
                .collect();
            arg.value_parser(clap::builder::PossibleValuesParser::new(own))
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = child(path, &name);
        cmd = cmd.mut_subcommand(&name, |s| values_in(s, &sub));
    }
    cmd
}

/// The `help` command clap adds to a command with subcommands, in the catalogue's words.
fn localize_help_command(cmd: Command) -> Command {
    cmd.mut_subcommands(|s| {
        if s.get_name() == "help" {
            s.about(word(HELP_COMMAND))
        } else {
            localize_help_command(s)
        }
    })
}

#[cfg(test)]
/// Every text of `cmd`'s help as (key, clap's English): what the catalogue must hold. `cmd` is
/// built, so that the help and version flags and the help command are there.
pub fn texts(cmd: &Command) -> Vec<(String, String)> {
    let mut out = Vec::new();
    texts_of(cmd, TOP, &mut out);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
fn texts_of(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
    let mut put = |k: String, v: Option<String>| {
        if let Some(v) = v {
            out.push((k, v));
        }
    };
    let s = |x: Option<&clap::builder::StyledStr>| x.map(|x| x.to_string());
    put(format!("help.{path}.about"), s(cmd.get_about()));
    put(format!("help.{path}.long_about"), s(cmd.get_long_about()));
    put(format!("help.{path}.after"), s(cmd.get_after_help()));
    put(format!("help.{path}.after_long"), s(cmd.get_after_long_help()));
    put(format!("help.{path}.before"), s(cmd.get_before_help()));
    for arg in cmd.get_arguments() {
        if arg.is_global_set() && path != TOP {
            continue;
        }
        match arg.get_id().as_str() {
            "help" if arg.get_long_help().is_some() => {
                put(HELP_MORE.into(), s(arg.get_help()));
                put(HELP_SUMMARY.into(), s(arg.get_long_help()));
            }
            "help" => put(HELP_SHORT.into(), s(arg.get_help())),
            "version" => put(VERSION_FLAG.into(), s(arg.get_help())),
            _ => {
                put(arg_key(path, arg, false), s(arg.get_help()));
                put(arg_key(path, arg, true), s(arg.get_long_help()));
                for v in arg.get_possible_values() {
                    put(value_key(path, arg, &v), s(v.get_help()));
                }
            }
        }
        if let Some(h) = arg.get_help_heading() {
            put(heading_key(h), Some(h.to_string()));
        }
    }
    for sub in cmd.get_subcommands().filter(|s| s.get_name() == "help") {
        put(HELP_COMMAND.into(), s(sub.get_about()));
    }
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        texts_of(sub, &child(path, sub.get_name()), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::collections::BTreeMap;

    /// Every `help.*` entry of the catalogue as key → (zh, en).
    fn entries() -> BTreeMap<String, (String, String)> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/help.toml");
        let table: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        fn walk(prefix: &str, t: &toml::Table, out: &mut BTreeMap<String, (String, String)>) {
            for (k, v) in t {
                let key = format!("{prefix}.{k}");
                let Some(t) = v.as_table() else { continue };
                match (
                    t.get("zh").and_then(|s| s.as_str()),
                    t.get("en").and_then(|s| s.as_str()),
                ) {
                    (Some(zh), Some(en)) => {
                        out.insert(key, (zh.to_string(), en.to_string()));
                    }
                    _ => walk(&key, t, out),
                }
            }
        }
        let mut out = BTreeMap::new();
        walk("help", table["help"].as_table().unwrap(), &mut out);
        out
    }

    fn built() -> Command {
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        cmd
    }

    /// A new command or option needs its Chinese: every text of the derived help has an entry
    /// whose `en` is exactly clap's text today, and no entry stands for a text that is gone.
    #[test]
    fn every_help_text_has_an_entry_whose_english_is_the_derived_text() {
        let entries = entries();
        let texts = texts(&built());
        let mut faults = Vec::new();
        for (key, en) in &texts {
            match entries.get(key) {
                None => faults.push(format!(
                    "missing from locales/help.toml:\n[{key}]\nzh = \"\"\nen = {en:?}\n"
                )),
                Some((_, have)) if have != en => faults.push(format!("{key}: en is {have:?}, clap says {en:?}")),
                Some(_) => {}
            }
        }
        let known: std::collections::BTreeSet<&String> = texts.iter().map(|(k, _)| k).collect();
        for key in entries.keys() {
            if !known.contains(key) && !WORDS.contains(&key.as_str()) {
                faults.push(format!("{key}: no command or argument has this text any more"));
            }
        }
        assert!(faults.is_empty(), "{}", faults.join("\n"));
    }

    /// clap's own words, as the catalogue gives them in English, are clap's: each is in the
    /// English help.
    #[test]
    fn clap_words_are_claps() {
        let entries = entries();
        let mut cmd = built();
        let mut english = cmd.render_help().to_string();
        for name in ["score", "completions"] {
            english += &cmd.find_subcommand_mut(name).unwrap().render_long_help().to_string();
        }
        for key in WORDS {
            let en = &entries[*key].1;
            let en = en.trim_end_matches(": ").trim_end_matches(':');
            assert!(english.contains(en), "{key}: {en:?} not in\n{english}");
        }
    }

    /// The Chinese help holds no English text the catalogue translates.
    #[test]
    fn the_chinese_help_leaves_no_english_behind() {
        let entries = entries();
        let mut cmd = localize(crate::cli::Cli::command());
        let mut pages = vec![cmd.render_long_help().to_string(), cmd.render_help().to_string()];
        for name in ["score", "recheck", "subsidy", "init", "completions"] {
            let sub = cmd.find_subcommand_mut(name).unwrap();
            pages.push(sub.render_long_help().to_string());
            pages.push(sub.render_help().to_string());
        }
        for page in &pages {
            for (key, (zh, en)) in &entries {
                // Short words may stand in a Chinese text too (a value's name, `English`).
                if en.len() > 12 && zh != en {
                    assert!(!page.contains(en.as_str()), "{key}: {en:?} in\n{page}");
                }
            }
            assert!(!page.contains("Options:") && !page.contains("Usage:"), "{page}");
        }
    }
}
