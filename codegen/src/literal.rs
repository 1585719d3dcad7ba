//! String literals for every target language, escaped so that any input (the
//! activity input, ids, queue names) reads back as exactly that text and can
//! neither end the literal early nor be interpolated.
//!
//! Besides quotes, backslashes and line breaks, every generator escapes the
//! characters a reader cannot see: control characters, line/paragraph
//! separators, zero-width and bidirectional formatting characters. The code
//! shown on screen then matches the code that runs.

/// Whether `c` is escaped in every language because it is invisible or
/// changes how the surrounding code is displayed.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `\uXXXX` (every hidden character is in the Basic Multilingual Plane).
fn unicode_escape(c: char, out: &mut String) {
    out.push_str(&format!("\\u{:04x}", u32::from(c)));
}

/// Quotes `s` with `quote`, backslash-escaping the quote, backslash, the
/// common line breaks and `extra`; `hidden` writes any other hidden character.
fn quoted(s: &str, quote: char, extra: &[char], hidden: fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if c == quote || extra.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) => hidden(c, &mut out),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `preferred`, unless `other` needs fewer escapes in `s`: the rule Black and
/// Prettier apply when they pick a string's quotes.
fn pick_quote(s: &str, preferred: char, other: char) -> char {
    let count = |q: char| s.chars().filter(|&c| c == q).count();
    if count(preferred) > count(other) {
        other
    } else {
        preferred
    }
}

/// A Go interpreted string literal.
pub(crate) fn go(s: &str) -> String {
    quoted(s, '"', &[], unicode_escape)
}

/// A Python string literal, quoted as Black quotes it.
pub(crate) fn python(s: &str) -> String {
    quoted(s, pick_quote(s, '"', '\''), &[], unicode_escape)
}

/// A C# regular string literal. `\x` is avoided: it takes up to four hex
/// digits and would swallow a following digit.
pub(crate) fn csharp(s: &str) -> String {
    quoted(s, '"', &[], unicode_escape)
}

/// A Java string literal, in ASCII only.
///
/// `javac` reads source in the platform encoding (JDK 17: the locale's), so
/// a raw `é` in a program saved as UTF-8 is misread, or rejected, under a
/// non-UTF-8 locale: every non-ASCII character is written as `\uXXXX` (UTF-16
/// units, so a character outside the BMP becomes a surrogate pair).
///
/// Java turns `\uXXXX` into its character *before* lexing, so `\u000a` would
/// put a raw line break into the literal: hidden characters below U+0080 use
/// three-digit octal escapes instead (`\u0085` and up are safe).
pub(crate) fn java(s: &str) -> String {
    fn hidden(c: char, out: &mut String) {
        let cp = u32::from(c);
        if cp < 0x80 {
            out.push_str(&format!("\\{cp:03o}"));
        } else {
            unicode_escape(c, out);
        }
    }
    let mut out = String::new();
    for c in quoted(s, '"', &[], hidden).chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A TypeScript string literal, quoted as Prettier quotes it with the
/// Temporal samples' `singleQuote` setting.
pub(crate) fn typescript(s: &str) -> String {
    quoted(s, pick_quote(s, '\'', '"'), &[], unicode_escape)
}

/// A Ruby string literal: single-quoted when that can hold `s` (only `\` and
/// `'` need escaping there), otherwise double-quoted with `#` escaped so that
/// `#{...}` cannot interpolate.
pub(crate) fn ruby(s: &str) -> String {
    if s.chars()
        .any(|c| is_hidden(c) || matches!(c, '\n' | '\r' | '\t'))
    {
        quoted(s, '"', &['#'], unicode_escape)
    } else {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        for c in s.chars() {
            if matches!(c, '\'' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('\'');
        out
    }
}

/// A JSON string (what the CLI's `--input` expects for a string argument,
/// as `serde_json` writes strings).
pub(crate) fn json(s: &str) -> String {
    quoted(s, '"', &[], unicode_escape)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AWKWARD: &str = r#"O'Brien "the $HOME" \ "#;

    #[test]
    fn awkward_input_in_double_quoted_languages() {
        let expected = r#""O'Brien \"the $HOME\" \\ ""#;
        for escape in [go, csharp, java, json] {
            assert_eq!(escape(AWKWARD), expected);
        }
    }

    #[test]
    fn python_and_typescript_pick_the_quote_needing_fewer_escapes() {
        assert_eq!(python(AWKWARD), r#"'O\'Brien "the $HOME" \\ '"#);
        assert_eq!(python("it's"), r#""it's""#);
        assert_eq!(python("plain"), r#""plain""#);
        assert_eq!(typescript("it's"), r#""it's""#);
        assert_eq!(typescript(r#"say "hi""#), r#"'say "hi"'"#);
        assert_eq!(typescript("plain"), "'plain'");
    }

    #[test]
    fn awkward_input_in_single_quoted_languages() {
        assert_eq!(typescript(AWKWARD), r#"'O\'Brien "the $HOME" \\ '"#);
        assert_eq!(ruby(AWKWARD), r#"'O\'Brien "the $HOME" \\ '"#);
    }

    #[test]
    fn line_breaks_and_tabs_use_short_escapes() {
        assert_eq!(go("a\nb\r\tc"), r#""a\nb\r\tc""#);
        assert_eq!(java("a\nb"), r#""a\nb""#);
    }

    #[test]
    fn hidden_characters_are_escaped() {
        let s = "a\u{0}b\u{7f}c\u{202e}d\u{2028}e";
        assert_eq!(go(s), r#""a\u0000b\u007fc\u202ed\u2028e""#);
        assert_eq!(typescript(s), r"'a\u0000b\u007fc\u202ed\u2028e'");
        assert_eq!(ruby(s), r#""a\u0000b\u007fc\u202ed\u2028e""#);
    }

    #[test]
    fn java_never_writes_unicode_escapes_below_u0080() {
        assert_eq!(java("a\u{0}b\u{1b}c\u{85}"), r#""a\000b\033c\u0085""#);
        assert_eq!(java("\u{202e}"), r#""\u202e""#);
        // A literal backslash-u in the input stays inert: `\\u` is not an escape.
        assert_eq!(java(r"\u000a"), r#""\\u000a""#);
    }

    #[test]
    fn java_literals_are_ascii() {
        assert_eq!(java("Zoë 😀 日"), r#""Zo\u00eb \ud83d\ude00 \u65e5""#);
        assert!(java("\u{202e}é\u{85}😀").is_ascii());
    }

    #[test]
    fn ruby_double_quotes_escape_interpolation() {
        assert_eq!(ruby("#{x}\n"), r#""\#{x}\n""#);
        assert_eq!(ruby("#{x}"), "'#{x}'");
    }

    #[test]
    fn unicode_text_is_kept_as_is() {
        assert_eq!(python("Zoë 😀 日本"), "\"Zoë 😀 日本\"");
        assert_eq!(ruby("Zoë 😀"), "'Zoë 😀'");
    }

    #[test]
    fn json_output_parses_back_to_the_input() {
        for s in [AWKWARD, "a\nb\u{0}\u{1f}\u{2028}", "日本 😀", ""] {
            let parsed: String = serde_json::from_str(&json(s)).expect("valid JSON");
            assert_eq!(parsed, s);
        }
    }
}
