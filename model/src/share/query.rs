//! A URL query string, read and written the way browsers do
//! (`application/x-www-form-urlencoded`, as `URLSearchParams` does), through
//! the `form_urlencoded` crate. Pure, so the link's encoding is tested
//! natively; the app only hands `location.search` in and out.

/// Splits `?a=1&b=x+y` into decoded `(key, value)` pairs, in order. A pair
/// without `=` has an empty value; malformed escapes are kept as written,
/// and bytes that are not UTF-8 become U+FFFD (never a panic).
pub fn parse(search: &str) -> Vec<(String, String)> {
    let query = search.strip_prefix('?').unwrap_or(search);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// Joins pairs into `a=1&b=x+y` (no leading `?`), escaping as
/// `URLSearchParams` does: `+` for a space, `%XX` for every byte outside
/// `A-Z a-z 0-9 * - . _`.
pub fn build<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
        .finish()
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
            let pairs = parse(&build(&[("k", s)]));
            assert_eq!(pairs, [("k".to_owned(), s.to_owned())], "{s:?}");
        }
    }

    #[test]
    fn reads_what_browsers_write() {
        let pairs = parse("?lang=go&in=Zo%C3%AB+x&flag&&q=%2&s=a%20b");
        assert_eq!(
            pairs,
            [
                ("lang".to_owned(), "go".to_owned()),
                ("in".to_owned(), "Zoë x".to_owned()),
                ("flag".to_owned(), String::new()),
                ("q".to_owned(), "%2".to_owned()),
                ("s".to_owned(), "a b".to_owned()),
            ]
        );
        assert_eq!(parse("x=%FF"), [("x".to_owned(), "\u{FFFD}".to_owned())]);
    }

    #[test]
    fn writes_what_browsers_write() {
        // new URLSearchParams([["a b", "c&d"], ["e", "Zoë*~"]]).toString()
        assert_eq!(
            build(&[("a b", "c&d"), ("e", "Zoë*~")]),
            "a+b=c%26d&e=Zo%C3%AB*%7E"
        );
    }
}
