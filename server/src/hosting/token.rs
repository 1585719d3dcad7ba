//! Control tokens: the proof that a client started a run. A token is
//! HMAC-SHA256(secret, namespace \0 activity id \0 run id) in hex, so any
//! process holding the secret can check it, with no state to share or lose.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Signs and checks the control tokens of runs.
pub struct ControlTokens {
    /// The HMAC key.
    key: Vec<u8>,
}

impl ControlTokens {
    /// Tokens under `secret`.
    pub fn new(secret: &[u8]) -> ControlTokens {
        ControlTokens {
            key: secret.to_vec(),
        }
    }

    /// Tokens under a random key of this process only, from the OS.
    pub fn random() -> Result<ControlTokens, getrandom::Error> {
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(ControlTokens { key })
    }

    fn mac(&self, namespace: &str, activity_id: &str, run_id: &str) -> HmacSha256 {
        // HMAC takes a key of any length.
        #[expect(clippy::expect_used, reason = "HMAC accepts every key length")]
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("any key length");
        for (i, part) in [namespace, activity_id, run_id].iter().enumerate() {
            if i > 0 {
                mac.update(b"\0");
            }
            mac.update(part.as_bytes());
        }
        mac
    }

    /// The token of one run.
    pub fn sign(&self, namespace: &str, activity_id: &str, run_id: &str) -> String {
        let tag = self
            .mac(namespace, activity_id, run_id)
            .finalize()
            .into_bytes();
        tag.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `token` is the run's token, compared in constant time.
    pub fn verify(&self, namespace: &str, activity_id: &str, run_id: &str, token: &str) -> bool {
        let Some(tag) = unhex(token.trim()) else {
            return false;
        };
        self.mac(namespace, activity_id, run_id)
            .verify_slice(&tag)
            .is_ok()
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_own_run_only() {
        let tokens = ControlTokens::new(b"secret");
        let t = tokens.sign("default", "greet", "run-1");
        assert_eq!(t.len(), 64);
        assert!(tokens.verify("default", "greet", "run-1", &t));
        assert!(!tokens.verify("default", "greet", "run-2", &t));
        assert!(!tokens.verify("other", "greet", "run-1", &t));
        // The separator keeps ("a", "b\0c") and ("a\0b", "c") apart only if
        // ids cannot hold NUL; what matters here is that shifting text
        // between fields changes the token.
        assert!(!tokens.verify("default", "greetr", "un-1", &t));
        assert!(!tokens.verify("default", "greet", "run-1", &t[..62]));
        assert!(!tokens.verify("default", "greet", "run-1", "zz"));
        assert!(!ControlTokens::new(b"other").verify("default", "greet", "run-1", &t));
        // Another process with the same secret agrees.
        assert!(ControlTokens::new(b"secret").verify("default", "greet", "run-1", &t));
        assert!(
            !ControlTokens::random()
                .expect("OS randomness")
                .verify("default", "greet", "run-1", &t)
        );
    }
}
