//! Hosting the demo where strangers can reach it. Local mode (the default)
//! only adds security headers and body and time limits; public mode
//! (`SA_DEMO_PUBLIC=1` / `--public`) also requires a per-run control token
//! to stop a run, hides a run's payloads from streams without that token,
//! rate-limits each client IP and caps its open streams, and never links to
//! a loopback Web UI. Everything here is stateless across processes but
//! for the limits: the tokens are an HMAC of the run under a shared secret,
//! so they survive a restart and work on every replica with that secret.

pub mod client_ip;
pub mod headers;
pub mod limits;
pub mod redact;
pub mod token;

use std::sync::Arc;

pub use client_ip::{ClientIp, TrustedProxies};
pub use limits::{Limits, RateLimits};
pub use token::ControlTokens;

/// How the demo is exposed: the part of the server's configuration (read
/// by the config module) that public hosting adds. `Hosting::default()` is
/// local mode.
#[derive(Debug, Clone)]
pub struct Hosting {
    /// Public mode: tokens required, limits on (`SA_DEMO_PUBLIC=1`, `--public`).
    pub public: bool,
    /// The key of the control tokens (`SA_DEMO_SECRET`); replicas behind one
    /// address need the same one. `None`: a random key for this process.
    pub secret: Option<String>,
    /// Peers whose `X-Forwarded-For` is believed (`SA_DEMO_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// The CSP `frame-ancestors` sources (`SA_DEMO_FRAME_ANCESTORS`).
    pub frame_ancestors: String,
    /// The Temporal Web UI visitors can open (`SA_DEMO_TEMPORAL_UI_URL`);
    /// in public mode the only one ever linked.
    pub temporal_ui_url: Option<String>,
    /// The per-IP and global limits enforced in public mode.
    pub limits: Limits,
}

impl Default for Hosting {
    fn default() -> Self {
        Hosting {
            public: false,
            secret: None,
            trusted_proxies: TrustedProxies::default(),
            frame_ancestors: "'self'".to_owned(),
            temporal_ui_url: None,
            limits: Limits::default(),
        }
    }
}

impl Hosting {
    /// Public mode with `secret`, every other setting at its default.
    pub fn public(secret: &str) -> Hosting {
        Hosting {
            public: true,
            secret: Some(secret.to_owned()),
            ..Hosting::default()
        }
    }
}

/// What the routes need of the hosting policy at run time, shared by every
/// request (an axum `Extension`).
pub struct Guard {
    /// Public mode.
    pub public: bool,
    /// Signs and checks control tokens.
    pub tokens: ControlTokens,
    /// The rate and stream limits (enforced in public mode only).
    pub limits: RateLimits,
    /// Whose `X-Forwarded-For` counts.
    pub trusted_proxies: TrustedProxies,
}

impl Guard {
    /// Builds the policy of `hosting`; without a secret, a random one (an
    /// error only if the OS has no randomness to give).
    pub fn new(hosting: &Hosting) -> Result<Arc<Guard>, getrandom::Error> {
        let tokens = match &hosting.secret {
            Some(secret) => ControlTokens::new(secret.as_bytes()),
            None => {
                if hosting.public {
                    tracing::warn!(
                        "SA_DEMO_SECRET is not set: control tokens will not survive a restart \
                         nor work on another replica"
                    );
                }
                ControlTokens::random()?
            }
        };
        Ok(Arc::new(Guard {
            public: hosting.public,
            tokens,
            limits: RateLimits::new(&hosting.limits),
            trusted_proxies: hosting.trusted_proxies.clone(),
        }))
    }

    /// Whether `ip` may be told a run's payloads and stop it with `token`.
    pub fn may_control(
        &self,
        namespace: &str,
        key: &crate::runs::RunKey,
        token: Option<&str>,
    ) -> bool {
        !self.public
            || token.is_some_and(|t| {
                self.tokens
                    .verify(namespace, &key.activity_id, &key.run_id, t)
            })
    }
}
