//! `proto::decimal` checked against Rust's own float formatting and parsing
//! (which the native tests have), over every value the form can produce and
//! a sweep of others.

use super::*;

/// A small deterministic generator, so the sweep is the same on every run.
fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1);
    *state >> 11
}

#[test]
fn parse_reads_what_std_reads_up_to_15_digits() {
    let fixed = [
        "0",
        "1",
        "2",
        "1.5",
        "0.5",
        ".5",
        "5.",
        "10",
        "1.0001",
        "2.75",
        "1e3",
        "1E-3",
        "+4",
        "-1.25",
        "0.1",
        "0.2",
        "0.3",
        "123456789012345",
        "1.23456789012345",
        "9.99999999999999",
        "0.000001",
        "1e22",
        "1e-22",
        "17.5e-1",
    ];
    for text in fixed {
        let ours = Decimal::parse(text)
            .unwrap_or_else(|| panic!("{text}"))
            .to_f64();
        assert_eq!(ours, text.parse::<f64>().unwrap(), "{text}");
    }
    let mut state = 7;
    for _ in 0..20_000 {
        let digits = 1 + lcg(&mut state) % 15;
        let mantissa = lcg(&mut state) % 10u64.pow(digits as u32);
        let places = lcg(&mut state) % (digits + 1);
        let text = fixed_text(mantissa, places as usize);
        let ours = Decimal::parse(&text).unwrap().to_f64();
        assert_eq!(ours, text.parse::<f64>().unwrap(), "{text}");
    }
}

/// `mantissa` with `places` decimals, as text.
fn fixed_text(mantissa: u64, places: usize) -> String {
    let digits = format!("{mantissa:0>width$}", width = places + 1);
    let (int, frac) = digits.split_at(digits.len() - places);
    if places == 0 {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    }
}

#[test]
fn parse_rejects_what_is_not_a_plain_decimal() {
    for text in [
        "",
        ".",
        "-",
        "+",
        "e3",
        "1e",
        "1e+",
        "1e++3",
        "1e+-3",
        "1.2.3",
        "1,5",
        " 1",
        "1 ",
        "inf",
        "NaN",
        "0x10",
        "1e99999",
        "1_000",
        "12345678901234567890",
    ] {
        assert_eq!(Decimal::parse(text), None, "{text:?}");
    }
}

#[test]
fn shortest_writes_what_std_writes() {
    for f in [
        0.0, 1.0, 2.0, 1.5, 0.1, 0.3, 10.0, 1.0001, 2.75, 1e-7, 123.456, 1e14,
    ] {
        assert_eq!(shortest(f), format!("{f}"), "{f}");
        let negative = if f == 0.0 {
            "0".to_owned()
        } else {
            format!("{}", -f)
        };
        assert_eq!(shortest(-f), negative, "{f}");
    }
    let mut state = 11;
    for _ in 0..20_000 {
        let digits = 1 + lcg(&mut state) % 15;
        let mantissa = lcg(&mut state) % 10u64.pow(digits as u32);
        let places = lcg(&mut state) % (digits + 1);
        let f: f64 = fixed_text(mantissa, places as usize).parse().unwrap();
        assert_eq!(shortest(f), format!("{f}"), "{f}");
    }
}

#[test]
fn shortest_stays_within_an_ulp_past_15_digits() {
    let f = 0.1 + 0.2;
    let text = shortest(f);
    assert_eq!(text, "0.3");
    assert!((text.parse::<f64>().unwrap() - f).abs() <= f64::EPSILON);
    assert_eq!(shortest(f64::NAN), "NaN");
}

#[test]
fn thousandths_round_half_up_and_refuse_negatives() {
    let cases = [
        ("10", Some(10_000)),
        ("0.5", Some(500)),
        ("1.2345", Some(1_235)),
        ("1.2344", Some(1_234)),
        ("0.0005", Some(1)),
        ("0.0004", Some(0)),
        ("1e-30", Some(0)),
        ("2e3", Some(2_000_000)),
        ("-0", Some(0)),
        ("0e50", Some(0)),
        ("-1", None),
        ("1e20", None),
    ];
    for (text, ms) in cases {
        assert_eq!(Decimal::parse(text).unwrap().thousandths(), ms, "{text}");
    }
}

#[test]
fn typed_seconds_are_whole_milliseconds_within_the_bound() {
    assert_eq!(parse_seconds(" 1.5 ", 2_000), Some(1_500));
    assert_eq!(parse_seconds("2", 2_000), Some(2_000));
    assert_eq!(parse_seconds("2.001", 2_000), None);
    assert_eq!(parse_seconds("-1", 2_000), None);
    assert_eq!(parse_seconds("soon", 2_000), None);
}

#[test]
fn seconds_are_exact() {
    let cases = [
        (10_000, "10"),
        (1_500, "1.5"),
        (1_250, "1.25"),
        (1, "0.001"),
        (0, "0"),
    ];
    for (ms, text) in cases {
        assert_eq!(seconds(ms), text);
    }
}

#[test]
fn fixed_rounds_half_away_from_zero() {
    let cases = [
        (1_250, 1, "1.3"),
        (1_249, 1, "1.2"),
        (1_020, 2, "1.02"),
        (-40, 2, "-0.04"),
        (-4, 2, "0.00"),
        (61_234, 3, "61.234"),
        (999, 0, "1"),
        (0, 1, "0.0"),
    ];
    for (thousandths, places, text) in cases {
        assert_eq!(fixed(thousandths, places), text, "{thousandths} {places}");
    }
}
