//! Configuration: the demo's own flags and environment, plus which Temporal
//! to use. With no Temporal address configured (Temporal's envconfig names:
//! `TEMPORAL_ADDRESS`, `TEMPORAL_PROFILE`, `TEMPORAL_CONFIG_FILE`), the demo
//! starts an embedded dev server; otherwise it connects where those say.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::devserver::DevServerOptions;
use crate::hosting::Hosting;

/// Which Temporal the demo talks to.
#[derive(Debug, Clone)]
pub enum TemporalTarget {
    /// Start `temporal server start-dev` locally.
    Embedded(DevServerOptions),
    /// Connect as Temporal's envconfig (environment, profile file) says.
    External,
    /// Connect to a plain-text frontend (`host:port`) in a namespace: a
    /// second demo process on the same Temporal, as the tests run one.
    Plain {
        /// `host:port`.
        address: String,
        /// The namespace.
        namespace: String,
    },
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the HTTP server listens (`--listen`, `SA_DEMO_LISTEN`).
    pub listen: SocketAddr,
    /// The built UI bundle (`--static-dir`, `SA_DEMO_STATIC_DIR`).
    pub static_dir: PathBuf,
    /// The Temporal to use.
    pub temporal: TemporalTarget,
    /// How followers behave while Temporal is away.
    pub follow: crate::follower::Follow,
    /// Local or public hosting, and public mode's settings.
    pub hosting: Hosting,
}

/// Help text for `--help`.
pub const USAGE: &str = "\
sa-demo-server: the Temporal Standalone Activities demo

USAGE: sa-demo-server [--listen ADDR] [--static-dir DIR] [--public]

  --listen ADDR      HTTP address to serve on (SA_DEMO_LISTEN, default 127.0.0.1:3000)
  --static-dir DIR   built UI bundle (SA_DEMO_STATIC_DIR, default ./dist)
  --public           public mode (SA_DEMO_PUBLIC=1): control tokens, rate limits

Public hosting: SA_DEMO_SECRET (control token key, shared by replicas),
SA_DEMO_TRUSTED_PROXIES (addresses/CIDRs whose X-Forwarded-For is believed),
SA_DEMO_FRAME_ANCESTORS (CSP frame-ancestors, default 'self'),
SA_DEMO_TEMPORAL_UI_URL (the Temporal Web UI to link; public mode links no other).

Temporal: with none of TEMPORAL_ADDRESS, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE set, an
embedded `temporal server start-dev` is started on free ports (CLI: SA_DEMO_TEMPORAL_CLI,
default `temporal`; state file: SA_DEMO_TEMPORAL_DB, default in-memory; restarted if it
exits). Otherwise the
connection follows Temporal's environment configuration: TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH, ...

While Temporal is unreachable, each open run's log says so and following resumes when it
answers; a run is declared lost from view after SA_DEMO_LOST_AFTER_SECS (default 600).";

impl Config {
    /// Reads flags (`args` without the program name) and the environment.
    pub fn from_args_and_env(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, String> {
        let mut listen = env("SA_DEMO_LISTEN").unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let mut static_dir = env("SA_DEMO_STATIC_DIR").unwrap_or_else(|| "dist".to_owned());
        let mut hosting = Hosting::from_env(&env)?;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--listen" => listen = value("--listen")?,
                "--static-dir" => static_dir = value("--static-dir")?,
                "--public" => hosting.public = true,
                "-h" | "--help" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            }
        }
        let listen = listen
            .parse()
            .map_err(|e| format!("--listen {listen:?}: {e}"))?;
        let external = [
            "TEMPORAL_ADDRESS",
            "TEMPORAL_PROFILE",
            "TEMPORAL_CONFIG_FILE",
        ]
        .iter()
        .any(|k| env(k).is_some_and(|v| !v.is_empty()));
        let temporal = if external {
            TemporalTarget::External
        } else {
            TemporalTarget::Embedded(DevServerOptions {
                cli: env("SA_DEMO_TEMPORAL_CLI")
                    .unwrap_or_else(|| "temporal".to_owned())
                    .into(),
                db_file: env("SA_DEMO_TEMPORAL_DB").map(PathBuf::from),
                headless: false,
                port: None,
            })
        };
        let mut follow = crate::follower::Follow::default();
        if let Some(secs) = env("SA_DEMO_LOST_AFTER_SECS") {
            let secs: u64 = secs
                .parse()
                .ok()
                .filter(|s| (10..=86_400).contains(s))
                .ok_or(format!(
                    "SA_DEMO_LOST_AFTER_SECS={secs:?}: seconds from 10 to 86400"
                ))?;
            follow.lost_after = std::time::Duration::from_secs(secs);
        }
        Ok(Config {
            listen,
            static_dir: static_dir.into(),
            temporal,
            follow,
            hosting,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn embedded_by_default() {
        let c = Config::from_args_and_env([], env_of(&[])).unwrap();
        assert!(matches!(c.temporal, TemporalTarget::Embedded(_)));
        assert_eq!(c.listen.port(), 3000);
    }

    #[test]
    fn temporal_address_means_external() {
        let c = Config::from_args_and_env(
            ["--listen".to_owned(), "0.0.0.0:8080".to_owned()],
            env_of(&[("TEMPORAL_ADDRESS", "example.tmprl.cloud:7233")]),
        )
        .unwrap();
        assert!(matches!(c.temporal, TemporalTarget::External));
        assert_eq!(c.listen.port(), 8080);
    }

    #[test]
    fn local_unless_told_public() {
        let c = Config::from_args_and_env([], env_of(&[])).unwrap();
        assert!(!c.hosting.public);
        assert_eq!(c.hosting.frame_ancestors, "'self'");
        let c = Config::from_args_and_env(["--public".to_owned()], env_of(&[])).unwrap();
        assert!(c.hosting.public);
        let c = Config::from_args_and_env(
            [],
            env_of(&[
                ("SA_DEMO_PUBLIC", "1"),
                ("SA_DEMO_SECRET", "s3cret"),
                ("SA_DEMO_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1"),
                ("SA_DEMO_FRAME_ANCESTORS", "https://docs.temporal.io"),
                ("SA_DEMO_TEMPORAL_UI_URL", "https://ui.example"),
            ]),
        )
        .unwrap();
        assert!(c.hosting.public);
        assert_eq!(c.hosting.secret.as_deref(), Some("s3cret"));
        assert!(
            c.hosting
                .trusted_proxies
                .contains("10.1.2.3".parse().unwrap())
        );
        assert_eq!(c.hosting.frame_ancestors, "https://docs.temporal.io");
        assert_eq!(
            c.hosting.temporal_ui_url.as_deref(),
            Some("https://ui.example")
        );
        for bad in [
            ("SA_DEMO_PUBLIC", "maybe"),
            ("SA_DEMO_TRUSTED_PROXIES", "proxy.local"),
            ("SA_DEMO_FRAME_ANCESTORS", "'self'; script-src *"),
        ] {
            assert!(
                Config::from_args_and_env([], env_of(&[bad])).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn bad_flags_are_explained() {
        let err = Config::from_args_and_env(["--nope".to_owned()], env_of(&[])).unwrap_err();
        assert!(err.contains("unknown argument"));
        let err = Config::from_args_and_env(["--listen".to_owned()], env_of(&[])).unwrap_err();
        assert!(err.contains("needs a value"));
    }
}
