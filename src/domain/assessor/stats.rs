//! The two tests that name an outlying team (DESIGN §16), as R computes them, so that a
//! figure in the report can be checked with R by anyone:
//!
//! - Fisher's exact test of a 2×2 table, two-sided: the sum of the probabilities of every
//!   table with the same margins that is no more probable than the observed one, "no more"
//!   with R's relative tolerance of 1e-7 (`fisher.test`). The hypergeometric probabilities are
//!   statrs's, taken in logarithms: a national team's margins run to hundreds of thousands,
//!   where the plain binomials overflow. (statrs's own `fishers_exact` compares with a
//!   tolerance of 1e-4, as SciPy does, and would differ from R in the last digits.)
//! - The Mann–Whitney U test (Wilcoxon rank-sum), two-sided, always by the normal
//!   approximation with the tie correction and the continuity correction: R's
//!   `wilcox.test(x, y, exact = FALSE, correct = TRUE)`. Points per visit are small integers
//!   with many ties, where R itself falls back to this approximation; taking it always keeps one
//!   rule for every team. Samples are given as counts per value (a histogram), so a national
//!   level of a million visits is ranked in one walk over its few distinct values.
//!
//! Probabilities are `f64`: they are statistics, not money or scores, and are reported rounded.

use std::collections::BTreeMap;

use statrs::distribution::{ContinuousCDF, Discrete, Hypergeometric, Normal};

/// R's relative tolerance in `fisher.test`: tables within it of the observed probability
/// count as equally probable (floating-point noise must not drop the mirror table).
const RELATIVE_TOLERANCE: f64 = 1e-7;

/// The two-sided p-value of Fisher's exact test of the table `[[a, b], [c, d]]`; 1 when a
/// row or a column is empty (every table with those margins is the observed one).
pub fn fisher_two_sided(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (rows, cols) = ((a + b, c + d), (a + c, b + d));
    if rows.0 == 0 || rows.1 == 0 || cols.0 == 0 || cols.1 == 0 {
        return 1.0;
    }
    let n = rows.0 + rows.1;
    // x, the top-left cell, is hypergeometric: population n, successes the first column,
    // draws the first row.
    let Ok(h) = Hypergeometric::new(n, cols.0, rows.0) else {
        return 1.0;
    };
    let lo = rows.0.saturating_sub(cols.1);
    let hi = rows.0.min(cols.0);
    let observed = h.ln_pmf(a);
    let limit = observed + RELATIVE_TOLERANCE.ln_1p();
    let p: f64 = (lo..=hi)
        .map(|x| h.ln_pmf(x))
        .filter(|&l| l <= limit)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

/// The two-sided p-value of the Mann–Whitney U test of sample `x` against sample `y`, each
/// given as value → how many times it occurs; `None` when a sample is empty or every value is
/// the same (R answers NaN: there is nothing to rank).
pub fn mann_whitney_two_sided(x: &BTreeMap<u64, u64>, y: &BTreeMap<u64, u64>) -> Option<f64> {
    let nx: u64 = x.values().sum();
    let ny: u64 = y.values().sum();
    if nx == 0 || ny == 0 {
        return None;
    }
    let (nx_f, ny_f) = (nx as f64, ny as f64);
    let n = nx_f + ny_f;
    // Walk the values in order: each value's occurrences share the mean of the ranks they
    // occupy; x's rank sum and the ties' t³ − t are summed on the way.
    let mut values: Vec<u64> = x.keys().chain(y.keys()).copied().collect();
    values.sort_unstable();
    values.dedup();
    let (mut below, mut rank_sum, mut ties) = (0f64, 0f64, 0f64);
    for v in values {
        let in_x = x.get(&v).copied().unwrap_or(0) as f64;
        let t = in_x + y.get(&v).copied().unwrap_or(0) as f64;
        rank_sum += in_x * (below + (t + 1.0) / 2.0);
        ties += t * t * t - t;
        below += t;
    }
    let w = rank_sum - nx_f * (nx_f + 1.0) / 2.0;
    let z = w - nx_f * ny_f / 2.0;
    let sigma = ((nx_f * ny_f / 12.0) * ((n + 1.0) - ties / (n * (n - 1.0)))).sqrt();
    if sigma.is_nan() || sigma <= 0.0 {
        return None;
    }
    let correction = if z > 0.0 {
        0.5
    } else if z < 0.0 {
        -0.5
    } else {
        0.0
    };
    let z = (z - correction) / sigma;
    let normal = Normal::standard();
    Some((2.0 * normal.cdf(z).min(normal.sf(z))).min(1.0))
}

/// Cohen's kappa of a 2×2 agreement table `[[both pass, a pass d fail], [a fail d pass, both
/// fail]]`: (p_o − p_e) / (1 − p_e), exactly in decimals; `None` with no pairs or when the
/// expected agreement p_e is 1 (both sides gave one verdict only: kappa is undefined).
pub fn cohen_kappa(pp: u64, pf: u64, fp: u64, ff: u64) -> Option<rust_decimal::Decimal> {
    use rust_decimal::Decimal;
    let n = pp + pf + fp + ff;
    if n == 0 {
        return None;
    }
    let nd = Decimal::from(n);
    // In counts: p_o = (pp + ff) / n, p_e = (a_pass·d_pass + a_fail·d_fail) / n²; so
    // kappa = (n·(pp + ff) − E) / (n² − E) with E = a_pass·d_pass + a_fail·d_fail.
    let (a_pass, a_fail) = (Decimal::from(pp + pf), Decimal::from(fp + ff));
    let (d_pass, d_fail) = (Decimal::from(pp + fp), Decimal::from(pf + ff));
    let expected = a_pass * d_pass + a_fail * d_fail;
    let denominator = nd * nd - expected;
    if denominator.is_zero() {
        return None;
    }
    Some((nd * Decimal::from(pp + ff) - expected) / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn hist(values: &[u64]) -> BTreeMap<u64, u64> {
        let mut m = BTreeMap::new();
        for &v in values {
            *m.entry(v).or_default() += 1;
        }
        m
    }

    fn close(got: f64, want: f64, tol: f64) {
        assert!((got - want).abs() <= tol, "got {got}, want {want}");
    }

    /// Fisher's tea-tasting table, R's own example (`?fisher.test`, `TeaTasting`:
    /// matrix(c(3, 1, 1, 3), 2)). With margins 4/4 the hypergeometric probabilities of
    /// x = 0..4 are 1, 16, 36, 16, 1 over 70; the observed x = 3 has 16/70, so the two-sided
    /// p is (1 + 16 + 16 + 1) / 70 = 34/70 = 0.4857143 (R prints p-value = 0.4857).
    #[test]
    fn fisher_tea_tasting_is_34_over_70() {
        close(fisher_two_sided(3, 1, 1, 3), 34.0 / 70.0, 1e-12);
    }

    /// The dieting example of Wikipedia's "Fisher's exact test" (men: 1 dieting, 11 not;
    /// women: 9 dieting, 3 not), worked by hand: N = 24, first row 12, first column 10, so
    /// P(x) = C(10,x)·C(14,12−x)/C(24,12), C(24,12) = 2704156. Numerators: x = 0: 91,
    /// 1: 10·364 = 3640, 2: 45·1001 = 45045, …, 8: 45045, 9: 3640, 10: 91. The observed x = 1
    /// has 3640; the tables no more probable are x = 0, 1, 9, 10: p = 7462/2704156 =
    /// 0.0027595 (the article's and R's fisher.test(matrix(c(1, 9, 11, 3), 2)): 0.002759).
    #[test]
    fn fisher_dieting_matches_the_published_value() {
        close(fisher_two_sided(1, 11, 9, 3), 7462.0 / 2704156.0, 1e-12);
    }

    /// A table with an empty row has p = 1, as in R.
    #[test]
    fn fisher_empty_margin_is_one() {
        assert_eq!(fisher_two_sided(0, 0, 3, 4), 1.0);
        assert_eq!(fisher_two_sided(2, 0, 3, 0), 1.0);
    }

    /// R's `?wilcox.test` example (Hollander & Wolfe 1973, p. 69): x = 0.80 0.83 1.89 1.04
    /// 1.45 1.38 1.91 1.64 0.73 1.46, y = 1.15 0.88 0.90 0.74 1.21; W = 35. Ranked ×100 as
    /// integers (no ties). With exact = FALSE, correct = TRUE: σ = √(10·5·16/12) = √66.667 =
    /// 8.1650, z = (35 − 25 − 0.5)/8.1650 = 1.16351, p = 2·(1 − Φ(1.16351)) = 0.24463.
    #[test]
    fn mann_whitney_hollander_wolfe_normal_approximation() {
        let x = hist(&[80, 83, 189, 104, 145, 138, 191, 164, 73, 146]);
        let y = hist(&[115, 88, 90, 74, 121]);
        close(mann_whitney_two_sided(&x, &y).unwrap(), 0.24463, 5e-5);
        // Symmetric: the test of y against x has the same p.
        close(mann_whitney_two_sided(&y, &x).unwrap(), 0.24463, 5e-5);
    }

    /// With ties, by hand: x = 0 0 1 2, y = 1 3 3 4 (points per visit). Ranks of the 8
    /// values 0 0 1 1 2 3 3 4: 1.5 1.5 3.5 3.5 5 6.5 6.5 8; x's rank sum 1.5+1.5+3.5+5 = 11.5,
    /// W = 11.5 − 10 = 1.5, z = 1.5 − 8 = −6.5. Ties: three pairs, Σ(t³ − t) = 18;
    /// σ² = (16/12)·(9 − 18/56) = 1.3333·8.67857 = 11.5714, σ = 3.40168;
    /// z = (−6.5 + 0.5)/3.40168 = −1.76384, p = 2·Φ(−1.76384) = 0.077757
    /// (R: wilcox.test(c(0,0,1,2), c(1,3,3,4), exact=FALSE) p-value = 0.07776).
    #[test]
    fn mann_whitney_with_ties() {
        let p = mann_whitney_two_sided(&hist(&[0, 0, 1, 2]), &hist(&[1, 3, 3, 4])).unwrap();
        close(p, 0.077757, 5e-6);
    }

    /// Nothing to rank: one sample empty, or every value equal.
    #[test]
    fn mann_whitney_undefined_cases() {
        assert_eq!(mann_whitney_two_sided(&hist(&[]), &hist(&[1, 2])), None);
        assert_eq!(mann_whitney_two_sided(&hist(&[2, 2]), &hist(&[2, 2, 2])), None);
    }

    /// Kappa by hand: 10 pairs, both pass 6, assessor pass / district fail 2, the reverse 0,
    /// both fail 2. p_o = 8/10; assessor passes 8, district passes 6: p_e = (8·6 + 2·4)/100
    /// = 0.56; kappa = (0.8 − 0.56)/(1 − 0.56) = 0.24/0.44 = 0.545454…
    #[test]
    fn kappa_worked_example() {
        let k = cohen_kappa(6, 2, 0, 2).unwrap();
        assert_eq!(k.round_dp(6), dec!(0.545455));
        // Perfect agreement with both verdicts present is 1; one verdict only is undefined.
        assert_eq!(cohen_kappa(3, 0, 0, 2), Some(dec!(1)));
        assert_eq!(cohen_kappa(5, 0, 0, 0), None);
        assert_eq!(cohen_kappa(0, 0, 0, 0), None);
    }
}
