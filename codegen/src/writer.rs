//! A small builder for highlighted code: generators append text with its
//! [`TokenKind`] and get a [`Snippet`] back, so the app never has to guess
//! what a piece of code is.

use proto::snippet::{Snippet, Span, TokenKind};

/// Accumulates spans (merging neighbours of the same kind, so the app renders
/// few elements) and reader notes.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    /// The code so far.
    spans: Vec<Span>,
    /// Caveats to show under the code.
    notes: Vec<String>,
}

impl Writer {
    /// An empty writer.
    pub(crate) fn new() -> Self {
        Writer::default()
    }

    /// Appends `text` as `kind`; empty text is ignored so no empty span exists.
    pub(crate) fn push(&mut self, kind: TokenKind, text: &str) -> &mut Self {
        if text.is_empty() {
            return self;
        }
        match self.spans.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => self.spans.push(Span {
                kind,
                text: text.to_owned(),
            }),
        }
        self
    }

    /// Punctuation, whitespace, identifiers.
    pub(crate) fn plain(&mut self, text: &str) -> &mut Self {
        self.push(TokenKind::Plain, text)
    }

    /// A keyword.
    pub(crate) fn kw(&mut self, text: &str) -> &mut Self {
        self.push(TokenKind::Keyword, text)
    }

    /// A complete string literal, quotes included (already escaped).
    pub(crate) fn string(&mut self, literal: &str) -> &mut Self {
        self.push(TokenKind::String, literal)
    }

    /// A numeric literal.
    pub(crate) fn num(&mut self, text: &str) -> &mut Self {
        self.push(TokenKind::Number, text)
    }

    /// A comment, markers included.
    pub(crate) fn comment(&mut self, text: &str) -> &mut Self {
        self.push(TokenKind::Comment, text)
    }

    /// A type or class name.
    pub(crate) fn ty(&mut self, text: &str) -> &mut Self {
        self.push(TokenKind::Type, text)
    }

    /// A function or method name.
    pub(crate) fn func(&mut self, text: &str) -> &mut Self {
        self.push(TokenKind::Function, text)
    }

    /// A line break.
    pub(crate) fn nl(&mut self) -> &mut Self {
        self.plain("\n")
    }

    /// Adds a caveat for the reader.
    pub(crate) fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }

    /// Appends a finished snippet's code and notes.
    pub(crate) fn append(&mut self, snippet: Snippet) -> &mut Self {
        for span in snippet.spans {
            self.push(span.kind, &span.text);
        }
        self.notes.extend(snippet.notes);
        self
    }

    /// The finished snippet.
    pub(crate) fn finish(self) -> Snippet {
        Snippet {
            spans: self.spans,
            notes: self.notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_of_one_kind_merge_and_empty_text_is_dropped() {
        let mut w = Writer::new();
        w.kw("import").plain(" ").plain("").string("\"x\"").nl();
        w.plain("a").plain("b").note("n");
        let snippet = w.finish();
        let kinds: Vec<TokenKind> = snippet.spans.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                TokenKind::Keyword,
                TokenKind::Plain,
                TokenKind::String,
                TokenKind::Plain
            ]
        );
        assert_eq!(snippet.text(), "import \"x\"\nab");
        assert_eq!(snippet.notes, ["n"]);
    }
}
