//! A zh report speaks Chinese: none of the data's ids (`third_party`, `recheck_failed`, `half`)
//! nor their English words (`third-party`, `not in place`) may show in what the demo district's
//! reports print for people. The ids and words are the catalogue's vocabulary
//! (`locales/words.toml`), so a new word is guarded as soon as it has an entry.
//!
//! And the other way round: an en report of the same district shows the English words.

use std::path::Path;

use crate::harness::run_in;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// (`KIND.ID`, id, English words) of every `word.KIND.ID` entry.
fn vocabulary() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(repo().join("locales/words.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let mut out = Vec::new();
    let kinds = table["word"].as_table().unwrap();
    for (kind, ids) in kinds {
        for (id, texts) in ids.as_table().unwrap() {
            let en = texts["en"].as_str().unwrap().to_string();
            out.push((format!("{kind}.{id}"), id.clone(), en));
        }
    }
    out
}

/// Whether `text` holds `word` as a whole word (not inside a longer ASCII word: `fail` is not
/// found in `failed`, `street` not in `streets`).
fn holds_word(text: &str, word: &str) -> bool {
    let wordish = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(wordish) && !after.is_some_and(wordish)
    })
}

/// What a person reads of the demo district in `lang`: every report over 2026H1 in its table or
/// document form.
fn reports(lang: &str) -> Vec<(String, String)> {
    let ws = repo().to_str().unwrap();
    let runs: [&[&str]; 12] = [
        &["score", "--period", "2026H1"],
        &["score", "--period", "2026H1", "--by", "street"],
        &["score", "--period", "2026H1", "--explain", "德馨里"],
        &["inspect", "coverage", "--period", "2026H1"],
        &["recheck", "--period", "2026H1"],
        &["subsidy", "--period", "2026H1"],
        &["subsidy", "--period", "2026H1", "--by", "compound"],
        &["subsidy", "--period", "2026H1", "--by", "company"],
        &["bulletin", "--period", "2026H1"],
        &["company", "CO02", "--period", "2026H1"],
        &["contracts", "--as-of", "2026-06-30"],
        &["check"],
    ];
    runs.iter()
        .map(|args| {
            let mut all = vec!["--workspace", ws, "--lang", lang];
            all.extend_from_slice(args);
            let r = run_in(repo(), &all);
            assert!(r.code == 0, "{all:?} failed: {}", r.stderr);
            (args.join(" "), format!("{}{}", r.stdout, r.stderr))
        })
        .collect()
}

#[test]
fn a_zh_report_shows_no_id_and_no_english_word_of_the_vocabulary() {
    let vocabulary = vocabulary();
    assert!(vocabulary.len() >= 20, "{} words", vocabulary.len());
    let mut leaks = Vec::new();
    for (command, out) in reports("zh") {
        for (key, id, en) in &vocabulary {
            for word in [id.as_str(), en.as_str()] {
                if holds_word(&out, word) {
                    leaks.push(format!("`{command}` shows \"{word}\" (word.{key})"));
                }
            }
        }
    }
    leaks.sort();
    leaks.dedup();
    assert!(leaks.is_empty(), "zh reports leak English:\n{}", leaks.join("\n"));
}

#[test]
fn an_en_report_says_the_english_words() {
    let all: String = reports("en").into_iter().map(|(_, out)| out).collect();
    for word in ["third-party", "in place", "pass", "half-yearly"] {
        assert!(holds_word(&all, word), "no \"{word}\" in the en reports");
    }
    assert!(!all.contains("recheck_failed"), "an id where the words belong");
}

#[test]
fn whole_words_only() {
    assert!(holds_word("a fail b", "fail"));
    assert!(!holds_word("failed", "fail"));
    assert!(!holds_word("third_party_x", "third_party"));
    assert!(holds_word("（third_party）", "third_party"));
}
