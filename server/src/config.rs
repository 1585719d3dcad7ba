//! Configuration: the demo's own flags, each also read from the environment
//! variable it names (clap's `env`), plus which Temporal to use. With no
//! Temporal address configured (Temporal's envconfig names:
//! `TEMPORAL_ADDRESS`, `TEMPORAL_PROFILE`, `TEMPORAL_CONFIG_FILE`), the demo
//! starts an embedded dev server; otherwise it connects where those say.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{CommandFactory, Parser};

use crate::devserver::DevServerOptions;
use crate::follower::Follow;
use crate::hosting::{Hosting, TrustedProxies};

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
    pub follow: Follow,
    /// Local or public hosting, and public mode's settings.
    pub hosting: Hosting,
    /// What this process does (`--role`, `SA_DEMO_ROLE`).
    pub role: Role,
}

/// What one process of the demo does. Any number of each may run against
/// one Temporal: everything a web replica needs about a run is in
/// Temporal's record or in the request, and the Worker role learns which
/// task queues to poll from Temporal's record too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// The page, the API, the streams and the Worker pool in one process.
    #[default]
    All,
    /// The page, the API and the streams; no Worker.
    Web,
    /// The Worker pool for the demo's task queues (and `/healthz`, `/readyz`).
    Worker,
}

impl Role {
    /// Whether this process serves the page, the API and the streams.
    pub fn serves_web(self) -> bool {
        self != Role::Worker
    }

    /// Whether this process runs Workers.
    pub fn runs_workers(self) -> bool {
        self != Role::Web
    }
}

/// Said after the flags by `--help`: what no flag covers.
const AFTER_HELP: &str = "\
Temporal: with none of TEMPORAL_ADDRESS, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE set, an
embedded `temporal server start-dev` is started on free ports (restarted if it exits).
Otherwise the connection follows Temporal's environment configuration: TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH, ...

Roles: `all` (the default) is one process doing everything. Behind a load balancer, run
any number of `--role web` replicas (page, API, streams) and `--role worker` processes
(the Worker pool) against one Temporal; give every web replica the same SA_DEMO_SECRET.

While Temporal is unreachable, each open run's log says so and following resumes when it
answers; a run is declared lost from view after --lost-after-secs.";

/// The flags; every one can be given instead in the environment variable
/// it names (a flag wins over its variable).
#[derive(Debug, Parser)]
#[command(
    name = "sa-demo-server",
    version,
    about = "sa-demo-server: the Temporal Standalone Activities demo",
    after_help = AFTER_HELP
)]
struct Flags {
    /// HTTP address to serve on.
    #[arg(
        long,
        env = "SA_DEMO_LISTEN",
        value_name = "ADDR",
        default_value = "127.0.0.1:3000"
    )]
    listen: SocketAddr,
    /// The built UI bundle.
    #[arg(
        long,
        env = "SA_DEMO_STATIC_DIR",
        value_name = "DIR",
        default_value = "dist"
    )]
    static_dir: PathBuf,
    /// Public mode: control tokens, payloads only for their starter, rate limits.
    #[arg(
        long,
        env = "SA_DEMO_PUBLIC",
        action = clap::ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    public: bool,
    /// Key of the control tokens; give every replica behind one address the
    /// same one (unset: a random key of this process). Prefer the variable:
    /// a flag shows in the process list.
    #[arg(
        long,
        env = "SA_DEMO_SECRET",
        value_name = "KEY",
        hide_env_values = true
    )]
    secret: Option<String>,
    /// Addresses and CIDR networks, comma-separated, whose X-Forwarded-For is believed.
    #[arg(long, env = "SA_DEMO_TRUSTED_PROXIES", value_name = "LIST")]
    trusted_proxies: Option<TrustedProxies>,
    /// CSP frame-ancestors sources (space-separated), to embed the page elsewhere.
    #[arg(
        long,
        env = "SA_DEMO_FRAME_ANCESTORS",
        value_name = "SOURCES",
        default_value_t = Hosting::default().frame_ancestors,
        value_parser = source_list
    )]
    frame_ancestors: String,
    /// The Temporal Web UI visitors may open; public mode links no other.
    #[arg(long, env = "SA_DEMO_TEMPORAL_UI_URL", value_name = "URL")]
    temporal_ui_url: Option<String>,
    /// The `temporal` CLI that runs the embedded dev server.
    #[arg(
        long,
        env = "SA_DEMO_TEMPORAL_CLI",
        value_name = "PATH",
        default_value = "temporal"
    )]
    temporal_cli: PathBuf,
    /// SQLite file keeping the embedded dev server's state (default: in memory).
    #[arg(long, env = "SA_DEMO_TEMPORAL_DB", value_name = "FILE")]
    temporal_db: Option<PathBuf>,
    /// Seconds Temporal may stay unreachable before an open run is declared lost from view.
    #[arg(
        long,
        env = "SA_DEMO_LOST_AFTER_SECS",
        value_name = "SECS",
        default_value_t = Follow::default().lost_after.as_secs(),
        value_parser = clap::value_parser!(u64).range(10..=86_400)
    )]
    lost_after_secs: u64,
    /// What this process does: everything, the web side only, or the Workers only.
    #[arg(
        long,
        env = "SA_DEMO_ROLE",
        value_enum,
        default_value_t = Role::All
    )]
    role: Role,
}

/// A CSP source list stays one directive's value: no `;` (a new directive),
/// no `,` (a second policy), no line break.
fn source_list(s: &str) -> Result<String, String> {
    if s.contains([';', ',', '\n', '\r']) {
        Err("a space-separated source list (no ';', ',' or line break)".to_owned())
    } else {
        Ok(s.to_owned())
    }
}

/// Treats a set but blank value as unset, as the variables always were.
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Reads the flags (`args`, the program name first) and their
    /// environment variables; `temporal_env` answers Temporal's own
    /// variables, which decide between the embedded and an external server.
    /// On `--help`, `--version` or a bad flag, clap's error: its `exit()`
    /// prints it and exits 0 or 2.
    pub fn parse_from<I, T>(
        args: I,
        temporal_env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let flags = Flags::try_parse_from(args)?;
        let external = [
            "TEMPORAL_ADDRESS",
            "TEMPORAL_PROFILE",
            "TEMPORAL_CONFIG_FILE",
        ]
        .iter()
        .any(|k| temporal_env(k).is_some_and(|v| !v.is_empty()));
        if flags.role != Role::All && !external {
            // Each process would start a dev server of its own, and the
            // halves would never meet.
            let role = if flags.role == Role::Web {
                "web"
            } else {
                "worker"
            };
            return Err(Flags::command().error(
                clap::error::ErrorKind::MissingRequiredArgument,
                format!(
                    "--role {role} needs the Temporal the other processes use: set \
                     TEMPORAL_ADDRESS (or TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE)"
                ),
            ));
        }
        let temporal = if external {
            TemporalTarget::External
        } else {
            TemporalTarget::Embedded(DevServerOptions {
                cli: flags.temporal_cli,
                db_file: flags.temporal_db,
                headless: false,
                port: None,
            })
        };
        Ok(Config {
            listen: flags.listen,
            static_dir: flags.static_dir,
            temporal,
            follow: Follow {
                lost_after: Duration::from_secs(flags.lost_after_secs),
            },
            hosting: Hosting {
                public: flags.public,
                secret: given(flags.secret),
                trusted_proxies: flags.trusted_proxies.unwrap_or_default(),
                frame_ancestors: given(Some(flags.frame_ancestors))
                    .unwrap_or_else(|| Hosting::default().frame_ancestors),
                temporal_ui_url: given(flags.temporal_ui_url),
                ..Hosting::default()
            },
            role: flags.role,
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Config::parse_from(
            std::iter::once("sa-demo-server").chain(args.iter().copied()),
            no_env,
        )
    }

    #[test]
    fn the_flags_are_consistent() {
        Flags::command().debug_assert();
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let cmd = Flags::command();
        let default = |id: &str| -> String {
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_id() == id)
                .unwrap_or_else(|| panic!("no flag {id}"));
            arg.get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(default("listen"), "127.0.0.1:3000");
        assert_eq!(default("static_dir"), "dist");
        assert_eq!(default("frame_ancestors"), "'self'");
        assert_eq!(default("temporal_cli"), "temporal");
        assert_eq!(default("lost_after_secs"), "600");
        assert_eq!(default("role"), "all");
    }

    #[test]
    fn embedded_unless_temporal_is_configured() {
        let c = parse(&[]).unwrap();
        assert!(matches!(c.temporal, TemporalTarget::Embedded(_)));
        let c = Config::parse_from(["sa-demo-server", "--listen", "0.0.0.0:8080"], |k| {
            (k == "TEMPORAL_ADDRESS").then(|| "example.tmprl.cloud:7233".to_owned())
        })
        .unwrap();
        assert!(matches!(c.temporal, TemporalTarget::External));
        assert_eq!(c.listen.port(), 8080);
    }

    #[test]
    fn every_setting_has_a_flag() {
        let c = parse(&[
            "--listen",
            "0.0.0.0:8080",
            "--static-dir",
            "/srv/dist",
            "--public",
            "--secret",
            "s3cret",
            "--trusted-proxies",
            "10.0.0.0/8,127.0.0.1",
            "--frame-ancestors",
            "https://docs.temporal.io",
            "--temporal-ui-url",
            "https://ui.example",
            "--temporal-cli",
            "/opt/temporal",
            "--temporal-db",
            "/tmp/temporal.db",
            "--lost-after-secs",
            "30",
        ])
        .unwrap();
        assert_eq!(c.listen, "0.0.0.0:8080".parse().unwrap());
        assert_eq!(c.static_dir, PathBuf::from("/srv/dist"));
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
        let TemporalTarget::Embedded(dev) = c.temporal else {
            panic!("embedded");
        };
        assert_eq!(dev.cli, PathBuf::from("/opt/temporal"));
        assert_eq!(dev.db_file, Some(PathBuf::from("/tmp/temporal.db")));
        assert_eq!(c.follow.lost_after, Duration::from_secs(30));
        assert_eq!(c.role, Role::All);
        let temporal = |k: &str| (k == "TEMPORAL_ADDRESS").then(|| "temporal:7233".to_owned());
        let c = Config::parse_from(["sa-demo-server", "--role", "worker"], temporal).unwrap();
        assert_eq!(c.role, Role::Worker);
        assert!(!c.role.serves_web() && c.role.runs_workers());
        assert!(matches!(c.temporal, TemporalTarget::External));
    }

    #[test]
    fn bad_flags_are_clap_errors() {
        for (args, kind) in [
            (&["--nope"][..], ErrorKind::UnknownArgument),
            (&["--listen"], ErrorKind::InvalidValue),
            (&["--listen", "nope"], ErrorKind::ValueValidation),
            (&["--public=maybe"], ErrorKind::TooManyValues),
            (
                &["--trusted-proxies", "proxy.local"],
                ErrorKind::ValueValidation,
            ),
            (
                &["--trusted-proxies", "10.0.0.0/33"],
                ErrorKind::ValueValidation,
            ),
            (
                &["--frame-ancestors", "'self'; script-src *"],
                ErrorKind::ValueValidation,
            ),
            (&["--lost-after-secs", "5"], ErrorKind::ValueValidation),
            (&["--role", "both"], ErrorKind::InvalidValue),
            // Apart, the roles need the Temporal they share.
            (&["--role", "web"], ErrorKind::MissingRequiredArgument),
            (&["--role", "worker"], ErrorKind::MissingRequiredArgument),
        ] {
            let err = parse(args).expect_err(&format!("{args:?}"));
            assert_eq!(err.kind(), kind, "{args:?}: {err}");
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
        let help = parse(&["--help"]).expect_err("--help stops");
        assert_eq!(help.kind(), ErrorKind::DisplayHelp);
        assert_eq!(help.exit_code(), 0);
    }
}
