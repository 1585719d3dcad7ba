//! A URL query string, read and written the way browsers do
//! (`application/x-www-form-urlencoded`): `+` or `%20` for a space, `%XX`
//! for every byte outside the unreserved set. Pure, so the link's encoding is
//! tested natively; the app only hands `location.search` in and out.

/// Splits `?a=1&b=x+y` into decoded `(key, value)` pairs, in order. A pair
/// without `=` has an empty value; malformed escapes are kept as written,
/// and bytes that are not UTF-8 become U+FFFD (never a panic).
pub fn parse(search: &str) -> Vec<(String, String)> {
    search
        .strip_prefix('?')
        .unwrap_or(search)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Joins pairs into `a=1&b=x%20y` (no leading `?`).
pub fn build<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but `A-Z a-z 0-9 - . _ ~`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Decodes `+` and `%XX`.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_awkward_text() {
        for s in [
            "",
            "a b",
            "O'Brien \"$HOME\" \\ é 🎉",
            "a&b=c?d#e%f+g",
            "\u{202e}\n",
        ] {
            assert_eq!(decode(&encode(s)), s);
        }
    }

    #[test]
    fn reads_what_browsers_write() {
        let pairs = parse("?lang=go&in=Zo%C3%AB+x&flag&&q=%2");
        assert_eq!(
            pairs,
            [
                ("lang".to_owned(), "go".to_owned()),
                ("in".to_owned(), "Zoë x".to_owned()),
                ("flag".to_owned(), String::new()),
                ("q".to_owned(), "%2".to_owned()),
            ]
        );
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(build(&[("a b", "c&d")]), "a%20b=c%26d");
    }
}
