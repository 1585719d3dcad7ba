//! The browser app's JSON: text into a [`Json`] tree and the wire types out
//! of it ([`FromJson`]), and the app's two request bodies into it
//! ([`ToJson`]).
//!
//! The server reads and writes every wire type with serde; the app does it
//! here instead, without serde's derived code, whose generics per type and
//! per field (internally tagged enums buffer every value twice) were the
//! largest part of the page's WASM that was not the UI itself. The tests
//! read back what serde wrote, for every type and every variant, and have
//! serde read back what is written here, so the two sides cannot drift
//! apart unnoticed.

mod decode;
mod encode;
mod parse;
#[cfg(test)]
mod tests;
mod wire;

use crate::code::literal;

pub use decode::{Fields, FromJson};
pub use encode::{ToJson, object};

/// A parsed JSON value. Numbers keep their text, so an integer is read back
/// exactly whatever its size; objects keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in the order written.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses one JSON document (whitespace around it allowed, nothing else).
    pub fn parse(text: &str) -> Result<Json, String> {
        parse::document(text)
    }

    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as an unsigned integer, when it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The number as a signed integer, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The number as a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => crate::decimal::Decimal::parse(n).map(|d| d.to_f64()),
            _ => None,
        }
    }

    /// The value written back as compact JSON.
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => out.push_str(&literal::json(s)),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&literal::json(key));
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Parses `text` and decodes a `T` from it.
pub fn decode<T: FromJson>(text: &str) -> Result<T, String> {
    T::from_json(&Json::parse(text)?)
}
