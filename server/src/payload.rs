//! `json/plain` payloads, the encoding every SDK's default converter uses:
//! the activity input, the Header fields that carry the scenario and the
//! start token, heartbeat details and results.

use std::collections::HashMap;

use serde_json::Value;
use temporalio_common::protos::temporal::api::common::v1::Payload;

/// A `json/plain` payload of `value`.
pub fn json_payload(value: &Value) -> Payload {
    Payload {
        metadata: HashMap::from([("encoding".to_owned(), b"json/plain".to_vec())]),
        data: serde_json::to_vec(value).unwrap_or_default(),
        ..Default::default()
    }
}

/// Decodes a `json/plain` payload; `None` for any other encoding.
pub fn payload_json(p: &Payload) -> Option<Value> {
    match p.metadata.get("encoding").map(Vec::as_slice) {
        Some(b"json/plain") => serde_json::from_slice(&p.data).ok(),
        _ => None,
    }
}

/// The Header field `key`, decoded as `T`.
pub fn header_json<T: serde::de::DeserializeOwned>(
    headers: &HashMap<String, Payload>,
    key: &str,
) -> Option<T> {
    headers
        .get(key)
        .and_then(payload_json)
        .and_then(|v| serde_json::from_value(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_encodings() {
        let p = json_payload(&serde_json::json!({"name": "World"}));
        assert_eq!(payload_json(&p), Some(serde_json::json!({"name": "World"})));
        let mut binary = p.clone();
        binary
            .metadata
            .insert("encoding".to_owned(), b"binary/plain".to_vec());
        assert_eq!(payload_json(&binary), None);
        let headers = HashMap::from([("k".to_owned(), json_payload(&serde_json::json!("t")))]);
        assert_eq!(header_json::<String>(&headers, "k").as_deref(), Some("t"));
        assert_eq!(header_json::<String>(&headers, "missing"), None);
    }
}
