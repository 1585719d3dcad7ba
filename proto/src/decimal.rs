//! Decimal text for the few fractional numbers the demo reads and writes:
//! seconds from whole milliseconds, and the retry backoff coefficient.
//! Everything goes through integers: exact for the values the demo has
//! (whole milliseconds; a coefficient typed or recorded with up to 15
//! significant digits), and it keeps Rust's general float formatting and
//! parsing (about 8 KB of the page's compressed WASM) out of the browser.

/// A decimal number as written: `mantissa × 10^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    mantissa: u64,
    exponent: i32,
}

/// Powers of ten that are exact as `f64` (up to 10^22).
const EXACT_POWERS: i32 = 22;

/// The largest mantissa an `f64` holds exactly (2^53).
const EXACT_MANTISSA: u64 = 1 << 53;

impl Decimal {
    /// Reads `[+-]digits[.digits][(e|E)[+-]digits]` (`10`, `0.5`, `.5`,
    /// `1e3`); `None` for anything else, for more than 19 significant digits,
    /// or an exponent beyond ±1000.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                pos = 1;
                true
            }
            Some(b'+') => {
                pos = 1;
                false
            }
            _ => false,
        };
        let (mut mantissa, mut exponent, mut digits, mut significant) = (0u64, 0i32, 0, 0);
        let mut fraction = false;
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'0'..=b'9' => {
                    digits += 1;
                    if mantissa > 0 || b != b'0' {
                        significant += 1;
                    }
                    if significant > 19 {
                        return None;
                    }
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if fraction {
                        exponent -= 1;
                    }
                }
                b'.' if !fraction => fraction = true,
                _ => break,
            }
            pos += 1;
        }
        if digits == 0 {
            return None;
        }
        if let Some(b'e' | b'E') = bytes.get(pos) {
            let rest = &text[pos + 1..];
            let (sign, digits) = match rest.strip_prefix('-') {
                Some(digits) => (-1, digits),
                None => (1, rest.strip_prefix('+').unwrap_or(rest)),
            };
            if !(1..=4).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            exponent += sign * digits.parse::<i32>().ok()?;
            pos = bytes.len();
        }
        (pos == bytes.len() && (-1000..=1000).contains(&exponent)).then_some(Self {
            negative,
            mantissa,
            exponent,
        })
    }

    /// The nearest `f64`: correctly rounded up to 15 significant digits and
    /// exponents within ±22 (one IEEE multiply or divide of exact values),
    /// within a few units in the last place beyond.
    pub fn to_f64(self) -> f64 {
        let m = self.mantissa as f64;
        let value = if self.mantissa <= EXACT_MANTISSA && self.exponent.abs() <= EXACT_POWERS {
            let power = 10f64.powi(self.exponent.abs());
            if self.exponent < 0 {
                m / power
            } else {
                m * power
            }
        } else {
            m * 10f64.powi(self.exponent)
        };
        if self.negative { -value } else { value }
    }

    /// The value in thousandths (seconds → milliseconds), rounded half up;
    /// `None` when negative or too large for a `u64`.
    pub fn thousandths(self) -> Option<u64> {
        if self.mantissa == 0 {
            return Some(0);
        }
        if self.negative {
            return None;
        }
        let shift = self.exponent + 3;
        if shift >= 0 {
            self.mantissa.checked_mul(10u64.checked_pow(shift as u32)?)
        } else if -shift > 19 {
            Some(0)
        } else {
            let divisor = 10u64.pow(-shift as u32);
            Some(
                self.mantissa / divisor + u64::from(self.mantissa % divisor >= divisor.div_ceil(2)),
            )
        }
    }
}

/// Whole milliseconds as exact seconds: `10`, `1.5`, `0.25`, `0.001`.
pub fn seconds(ms: u64) -> String {
    let (secs, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        return secs.to_string();
    }
    let frac = format!("{frac:03}");
    format!("{secs}.{}", frac.trim_end_matches('0'))
}

/// Seconds as typed (`10`, ` 0.5 `, `1e3`) in whole milliseconds, rounded
/// half up; `None` unless a non-negative number of at most `max_ms`.
pub fn parse_seconds(text: &str, max_ms: u64) -> Option<u64> {
    let ms = Decimal::parse(text.trim())?.thousandths()?;
    (ms <= max_ms).then_some(ms)
}

/// A count of thousandths with exactly `places` decimals (at most 3),
/// rounded half away from zero: `fixed(1_250, 1)` is `1.3`, `fixed(-40, 2)`
/// is `-0.04`.
pub fn fixed(thousandths: i64, places: u32) -> String {
    let places = places.min(3);
    let unit = 10u64.pow(3 - places);
    let units = (thousandths.unsigned_abs() + unit / 2) / unit;
    let sign = if thousandths < 0 && units != 0 {
        "-"
    } else {
        ""
    };
    if places == 0 {
        return format!("{sign}{units}");
    }
    let scale = 10u64.pow(places);
    let width = places as usize;
    format!("{sign}{}.{:0width$}", units / scale, units % scale)
}

/// The shortest decimal that reads back as `f` (`2`, `1.5`, `0.1`), found
/// among those with up to 15 significant digits; values that need 16 or 17
/// are written with 15, one unit in the last place off at most. No exponent
/// notation: every language and JSON reads the result.
pub fn shortest(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_owned();
    }
    let sign = if f.is_sign_negative() && f != 0.0 {
        "-"
    } else {
        ""
    };
    let a = f.abs();
    if a >= 1e15 {
        // Beyond 15 digits only the integer part is meaningful here.
        return format!("{sign}{}", a as u128);
    }
    let mut best = (a.round() as u64, 0);
    for places in 0..=EXACT_POWERS {
        let scaled = (a * 10f64.powi(places)).round();
        if scaled >= 1e15 {
            break;
        }
        best = (scaled as u64, places);
        let back = Decimal {
            negative: false,
            mantissa: best.0,
            exponent: -places,
        };
        if back.to_f64() == a {
            break;
        }
    }
    let (mut mantissa, mut places) = best;
    while places > 0 && mantissa % 10 == 0 {
        (mantissa, places) = (mantissa / 10, places - 1);
    }
    let (digits, places) = (mantissa.to_string(), places as usize);
    if places == 0 || mantissa == 0 {
        return format!("{sign}{digits}");
    }
    let digits = format!("{digits:0>width$}", width = places + 1);
    let (int, frac) = digits.split_at(digits.len() - places);
    format!("{sign}{int}.{frac}")
}

#[cfg(test)]
mod tests;
