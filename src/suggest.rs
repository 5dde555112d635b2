//! "Did you mean" hints: the nearest known names to an unknown one.

/// Up to three candidates nearest to `unknown` (by normalised Levenshtein similarity, which
/// works for Chinese names as well as codes), best first; none when nothing is close.
pub fn nearest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let mut s = strsim::normalized_levenshtein(unknown, c);
            if !unknown.is_empty() && (c.contains(unknown) || unknown.contains(c)) {
                s += 0.5;
            }
            (s, c)
        })
        .filter(|(s, _)| *s >= 0.34)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `(did you mean "X" or "Y"?)`, or empty.
pub fn did_you_mean<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = nearest(unknown, candidates);
    if near.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = near.iter().map(|n| format!("\"{n}\"")).collect();
    format!(" (did you mean {}?)", quoted.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_codes_and_names() {
        assert_eq!(nearest("A99", ["A01", "A09", "A19", "B22"]), vec!["A09", "A19"]);
        assert_eq!(
            nearest("南营门", ["南营门里", "福明里", "长沙路小区"]),
            vec!["南营门里"]
        );
        assert!(nearest("zzz", ["A01", "A02"]).is_empty());
    }
}
