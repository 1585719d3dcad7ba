//! Durations and decimal numbers as each target writes them. The form works
//! in whole milliseconds; generators show whole seconds when the value is
//! one, and exact milliseconds otherwise, never a rounded value.

/// A duration in the unit a generator should write it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dur {
    /// A whole number of seconds.
    Secs(u64),
    /// Milliseconds that are not a whole number of seconds.
    Millis(u64),
}

/// Picks the unit for `ms`.
pub(crate) fn dur(ms: u64) -> Dur {
    if ms.is_multiple_of(1000) {
        Dur::Secs(ms / 1000)
    } else {
        Dur::Millis(ms)
    }
}

/// A duration string in Go syntax, which the CLI and TypeScript's `ms`-style
/// strings both accept: `10s`, or `1500ms` when not whole seconds.
pub(crate) fn duration_string(ms: u64) -> String {
    match dur(ms) {
        Dur::Secs(s) => format!("{s}s"),
        Dur::Millis(m) => format!("{m}ms"),
    }
}

/// A floating-point literal that always has a decimal point (`2.0`, `1.5`),
/// so every language reads it as a float, not an integer.
pub(crate) fn float_literal(f: f64) -> String {
    let s = proto::decimal::shortest(f);
    if f.is_finite() && !s.contains('.') {
        format!("{s}.0")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_and_milliseconds() {
        assert_eq!(dur(10_000), Dur::Secs(10));
        assert_eq!(dur(0), Dur::Secs(0));
        assert_eq!(dur(1_500), Dur::Millis(1_500));
    }

    #[test]
    fn duration_strings() {
        assert_eq!(duration_string(10_000), "10s");
        assert_eq!(duration_string(120_000), "120s");
        assert_eq!(duration_string(1_500), "1500ms");
    }

    #[test]
    fn floats_always_have_a_decimal_point() {
        assert_eq!(float_literal(2.0), "2.0");
        assert_eq!(float_literal(1.5), "1.5");
        assert_eq!(float_literal(10.0), "10.0");
        assert_eq!(float_literal(1.05), "1.05");
    }
}
