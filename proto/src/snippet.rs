//! Highlighted code as it crosses the wire: the body of `/api/code`'s answer
//! ([`crate::CodeResponse`]) and what the code generators (`sa-demo-codegen`)
//! return. Spans are typed (keyword, string, number), so the app highlights
//! code without a general-purpose tokenizer; [`Snippet::text`] is the plain
//! code that gets copied and run.

use serde::{Deserialize, Serialize};

/// What a piece of code is, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Punctuation, whitespace, identifiers.
    Plain,
    /// A language keyword.
    Keyword,
    /// A string literal, quotes included.
    String,
    /// A numeric literal.
    Number,
    /// A comment.
    Comment,
    /// A type or class name.
    Type,
    /// A function or method name.
    Function,
}

impl TokenKind {
    /// CSS class suffix.
    pub const fn slug(self) -> &'static str {
        match self {
            TokenKind::Plain => "plain",
            TokenKind::Keyword => "kw",
            TokenKind::String => "str",
            TokenKind::Number => "num",
            TokenKind::Comment => "com",
            TokenKind::Type => "ty",
            TokenKind::Function => "fn",
        }
    }
}

/// A run of code of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// What it is.
    pub kind: TokenKind,
    /// The code.
    pub text: String,
}

/// Generated code, as highlighted spans, plus notes for the reader (things
/// the target cannot express, for example).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Snippet {
    /// The code, in order.
    pub spans: Vec<Span>,
    /// Plain-language caveats shown under the code.
    pub notes: Vec<String>,
}

impl Snippet {
    /// The plain code.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}
