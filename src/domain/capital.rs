//! Amounts in Chinese capital numerals (大写金额), as finance documents require:
//! `123456.78` → 壹拾贰万叁仟肆佰伍拾陆元柒角捌分.
//!
//! Rules followed (中国人民银行《支付结算办法》 附件一): 元 amounts end in 整; one 零 stands
//! for a run of zeros inside the integer part; 零 is written between 元 and 角 when the 元
//! digit is 0, and between 元 and 分 when 角 is 0; amounts below one yuan start at 角 or 分.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
const SECTION_UNITS: [&str; 4] = ["", "万", "亿", "万亿"];

/// Write a non-negative amount (rounded to the fen) in capital numerals. `None` when it is
/// negative or too large (one thousand trillion yuan or more).
pub fn capital(amount: Decimal) -> Option<String> {
    let fen_total =
        (amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero) * Decimal::ONE_HUNDRED).to_u128()?;
    let yuan = fen_total / 100;
    if yuan >= 10_u128.pow(16) {
        return None;
    }
    let jiao = (fen_total / 10 % 10) as usize;
    let fen = (fen_total % 10) as usize;
    let mut s = integer(yuan);
    if jiao == 0 && fen == 0 {
        if yuan == 0 {
            return Some("零元整".into());
        }
        s.push_str("元整");
        return Some(s);
    }
    if yuan > 0 {
        s.push('元');
        if jiao == 0 || yuan % 10 == 0 {
            s.push('零');
        }
    }
    if jiao > 0 {
        s.push(DIGITS[jiao]);
        s.push('角');
    }
    if fen > 0 {
        s.push(DIGITS[fen]);
        s.push('分');
    }
    Some(s)
}

/// The integer part, without 元; empty for 0.
fn integer(n: u128) -> String {
    let mut sections = Vec::new();
    let mut rest = n;
    while rest > 0 {
        sections.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &sec) in sections.iter().enumerate().rev() {
        if sec == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (zero_pending || sec < 1000) {
            out.push('零');
        }
        out.push_str(&section(sec));
        out.push_str(SECTION_UNITS[i]);
        zero_pending = false;
    }
    out
}

/// A section of up to four digits, e.g. 1050 → 壹仟零伍拾.
fn section(n: usize) -> String {
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (pos, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[d]);
        out.push_str(SMALL_UNITS[3 - pos]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::capital;
    use rust_decimal_macros::dec;

    #[test]
    fn worked_examples() {
        assert_eq!(capital(dec!(0.00)).unwrap(), "零元整");
        assert_eq!(capital(dec!(0.05)).unwrap(), "伍分");
        assert_eq!(capital(dec!(0.50)).unwrap(), "伍角");
        assert_eq!(capital(dec!(10.00)).unwrap(), "壹拾元整");
        assert_eq!(capital(dec!(100000.10)).unwrap(), "壹拾万元零壹角");
        assert_eq!(capital(dec!(1000000000.01)).unwrap(), "壹拾亿元零壹分");
        assert_eq!(capital(dec!(123456.78)).unwrap(), "壹拾贰万叁仟肆佰伍拾陆元柒角捌分");
    }

    #[test]
    fn zeros_inside_the_integer_part() {
        assert_eq!(capital(dec!(1001)).unwrap(), "壹仟零壹元整");
        assert_eq!(capital(dec!(1050)).unwrap(), "壹仟零伍拾元整");
        assert_eq!(capital(dec!(10010)).unwrap(), "壹万零壹拾元整");
        assert_eq!(capital(dec!(100100)).unwrap(), "壹拾万零壹佰元整");
        assert_eq!(capital(dec!(1000000)).unwrap(), "壹佰万元整");
        assert_eq!(capital(dec!(10000001)).unwrap(), "壹仟万零壹元整");
        assert_eq!(capital(dec!(100010000)).unwrap(), "壹亿零壹万元整");
        assert_eq!(capital(dec!(1680.32)).unwrap(), "壹仟陆佰捌拾元零叁角贰分");
        assert_eq!(capital(dec!(1.05)).unwrap(), "壹元零伍分");
        assert_eq!(capital(dec!(-1)), None);
    }
}
