//! The message catalogue: every sentence the tool says to a person, in Chinese and English.
//!
//! The words live in `locales/*.toml` (one entry per key, `zh` and `en` side by side, so
//! a missing translation shows in review); [`rust_i18n`] compiles them into the binary and
//! `t!("key", name = value)` fills `%{name}` placeholders. The test below fails when a key lacks
//! either language, when the two disagree on their placeholders, or when the code asks for a key
//! the catalogue does not have.
//!
//! Which language speaks: `--lang`, else the workspace's `language`, else `LANG` (`zh…` or
//! `en…`), else Chinese. [`choose`] decides once per run and sets the process's language, so a
//! message made deep in a loader is already in the reader's language; reports that are asked for
//! in another language pass their own (`t!("key", locale = lang.code())`).

use std::path::Path;

use crate::model::records::Lang;

/// Set the language messages are made in for the rest of the process.
pub fn set(lang: Lang) {
    rust_i18n::set_locale(lang.code());
}

/// The language messages are being made in.
pub fn current() -> Lang {
    if &*rust_i18n::locale() == "zh" {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// A level in the words of the run's language (第三方, third-party), for messages.
pub fn level(l: crate::model::Level) -> &'static str {
    current().pick(l.zh(), l.en())
}

/// The language a locale name means (`zh_CN.UTF-8`, `en_US`, `zh`), if it is one we speak.
pub fn from_locale(name: &str) -> Option<Lang> {
    let name = name.trim().to_ascii_lowercase();
    if name.starts_with("zh") {
        Some(Lang::Zh)
    } else if name.starts_with("en") {
        Some(Lang::En)
    } else {
        None
    }
}

/// The language the environment asks for: `LC_ALL`, `LC_MESSAGES`, then `LANG` (POSIX's order),
/// the first that is set and names zh or en.
pub fn from_env() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| from_locale(&v))
}

/// The workspace's `language`, read from its settings file without judging the rest of it (the
/// loaders do that, in the language chosen here). `None` when the file is missing, unreadable or
/// says nothing usable.
pub fn workspace_language(root: &Path) -> Option<Lang> {
    #[derive(serde::Deserialize)]
    struct Only {
        language: Option<Lang>,
    }
    let text = std::fs::read_to_string(root.join(crate::workspace::SETTINGS)).ok()?;
    toml::from_str::<Only>(&text).ok()?.language
}

/// The run's language: `--lang`, else the workspace's (Chinese when its settings do not say,
/// as for its reports), else, outside any workspace, the environment's, else Chinese.
pub fn decide(given: Option<Lang>, workspace: Option<&Path>) -> Lang {
    given
        .or_else(|| workspace.map(|w| workspace_language(w).unwrap_or(Lang::Zh)))
        .or_else(from_env)
        .unwrap_or(Lang::Zh)
}

/// [`decide`] the run's language and make it the process's.
pub fn choose(given: Option<Lang>, workspace: Option<&Path>) -> Lang {
    let lang = decide(given, workspace);
    set(lang);
    lang
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every entry of the catalogue as key → (language → text): a table holding `zh` or `en`
    /// is an entry, any other table a group of keys.
    fn entries() -> BTreeMap<String, BTreeMap<String, String>> {
        fn walk(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, BTreeMap<String, String>>) {
            for (k, v) in table {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                let Some(t) = v.as_table() else { continue };
                if t.contains_key("zh") || t.contains_key("en") {
                    let texts = t.iter().map(|(l, s)| (l.clone(), s.as_str().unwrap_or("").to_string()));
                    out.insert(key, texts.collect());
                } else {
                    walk(&key, t, out);
                }
            }
        }
        // rust-i18n merges every file of `locales/`; so does this test.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let before = out.len();
            let mut mine = BTreeMap::new();
            walk("", &table, &mut mine);
            let n = mine.len();
            out.extend(mine);
            assert_eq!(
                out.len(),
                before + n,
                "{} repeats a key of another file",
                path.display()
            );
        }
        out
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(i) = rest.find("%{") {
            rest = &rest[i + 2..];
            if let Some(j) = rest.find('}') {
                out.insert(rest[..j].to_string());
                rest = &rest[j + 1..];
            }
        }
        out
    }

    #[test]
    fn every_entry_speaks_both_languages_with_the_same_placeholders() {
        let entries = entries();
        assert!(entries.len() > 10, "the catalogue has {} entries", entries.len());
        let mut faults = Vec::new();
        for (key, texts) in &entries {
            let (Some(zh), Some(en)) = (texts.get("zh"), texts.get("en")) else {
                faults.push(format!("{key}: needs both zh and en (has {:?})", texts.keys()));
                continue;
            };
            if zh.trim().is_empty() || en.trim().is_empty() {
                faults.push(format!("{key}: an empty text"));
            }
            if placeholders(zh) != placeholders(en) {
                faults.push(format!(
                    "{key}: zh has {:?}, en has {:?}",
                    placeholders(zh),
                    placeholders(en)
                ));
            }
            if texts.len() != 2 {
                faults.push(format!("{key}: languages other than zh and en: {:?}", texts.keys()));
            }
        }
        assert!(faults.is_empty(), "catalogue faults:\n{}", faults.join("\n"));
    }

    /// The keys the code asks for with a literal: `t!("a.b"` anywhere under `src/`.
    fn keys_in_code() -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    // Code, not the comments that show how to ask.
                    let code: String = text
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let mut rest = code.as_str();
                    while let Some(i) = rest.find("t!(") {
                        // `t!(` itself, not the end of `print!(` or `format!(`.
                        let word = rest[..i]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_');
                        rest = rest[i + 3..].trim_start();
                        if word || !rest.starts_with('"') {
                            continue;
                        }
                        if let Some(j) = rest[1..].find('"') {
                            let key = &rest[1..=j];
                            // A key is dotted lowercase words (`load.as_of`), not a stray quote.
                            if key
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                            {
                                out.insert(key.to_string(), path.display().to_string());
                            }
                            rest = &rest[j + 1..];
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_key_the_code_asks_for_is_in_the_catalogue_and_every_entry_is_used() {
        let entries = entries();
        let used = keys_in_code();
        let missing: Vec<String> = used
            .iter()
            .filter(|(k, _)| !entries.contains_key(*k))
            .map(|(k, file)| format!("{k} (asked for in {file})"))
            .collect();
        assert!(
            missing.is_empty(),
            "keys missing from locales/messages.toml:\n{}",
            missing.join("\n")
        );
        // Keys made at run time from an id (`level.third_party`) are listed by prefix.
        let dynamic = ["io.", "word.", "help."];
        let unused: Vec<&String> = entries
            .keys()
            .filter(|k| !used.contains_key(*k) && !dynamic.iter().any(|p| k.starts_with(p)))
            .collect();
        assert!(unused.is_empty(), "entries no code asks for: {unused:?}");
    }

    #[test]
    fn the_language_is_the_flag_then_the_workspace_then_the_environment() {
        // No test sets the process language: unit tests all speak the default, English.
        assert_eq!(from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(from_locale("C.UTF-8"), None);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data/workspace.toml"), "language = \"en\"\n").unwrap();
        assert_eq!(decide(Some(Lang::Zh), Some(dir.path())), Lang::Zh);
        assert_eq!(decide(None, Some(dir.path())), Lang::En);
        std::fs::write(dir.path().join("data/workspace.toml"), "district = \"和平区\"\n").unwrap();
        assert_eq!(
            decide(None, Some(dir.path())),
            Lang::Zh,
            "a workspace speaks zh unless it says otherwise"
        );
        assert_eq!(
            rust_i18n::t!("error.nothing_written", locale = "zh", n = 2),
            "2 个错误，未写入任何文件"
        );
        assert_eq!(
            rust_i18n::t!("error.nothing_written", locale = "en", n = 2),
            "2 error(s); nothing was written"
        );
    }
}
