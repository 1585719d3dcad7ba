//! The built `sa-demo-server` binary's command line: `--help` lists every
//! flag with its environment variable and exits 0; a bad flag, or a bad
//! value in a variable, gets clap's error and exit code 2, before anything
//! starts.

use std::process::Output;
use std::time::Duration;

use tokio::process::Command;

/// Long enough for a debug build to print its error; a server that
/// started instead (a variable not read) fails the test here.
const DEADLINE: Duration = Duration::from_secs(30);

/// Every flag and the variable that can stand for it.
const FLAGS: [(&str, &str); 10] = [
    ("--listen", "SA_DEMO_LISTEN"),
    ("--static-dir", "SA_DEMO_STATIC_DIR"),
    ("--public", "SA_DEMO_PUBLIC"),
    ("--secret", "SA_DEMO_SECRET"),
    ("--trusted-proxies", "SA_DEMO_TRUSTED_PROXIES"),
    ("--frame-ancestors", "SA_DEMO_FRAME_ANCESTORS"),
    ("--temporal-ui-url", "SA_DEMO_TEMPORAL_UI_URL"),
    ("--temporal-cli", "SA_DEMO_TEMPORAL_CLI"),
    ("--temporal-db", "SA_DEMO_TEMPORAL_DB"),
    ("--lost-after-secs", "SA_DEMO_LOST_AFTER_SECS"),
];

/// Runs the binary with `args` and the variables `env`, none of the
/// caller's own `SA_DEMO_*` or Temporal variables, and waits for it to exit.
async fn server(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sa-demo-server"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("SA_DEMO_") || key.starts_with("TEMPORAL_") {
            cmd.env_remove(&*key);
        }
    }
    cmd.args(args).envs(env.iter().copied()).kill_on_drop(true);
    tokio::time::timeout(DEADLINE, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{args:?} {env:?}: still running after {DEADLINE:?}"))
        .expect("the server binary runs")
}

#[tokio::test]
async fn help_lists_every_flag_with_its_variable() {
    let out = server(&["--help"], &[("SA_DEMO_SECRET", "not-for-your-eyes")]).await;
    let help = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{help}");
    for (flag, var) in FLAGS {
        let line = help
            .lines()
            .position(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("--help does not list {flag}:\n{help}"));
        // A flag's variable is named in its own entry (its line or the
        // description lines that follow, up to the next flag).
        let entry: String = help
            .lines()
            .skip(line)
            .take_while(|l| !l.trim_start().starts_with("--") || l.contains(flag))
            .collect();
        assert!(entry.contains(var), "{flag} does not name {var}:\n{help}");
    }
    assert!(
        !help.contains("not-for-your-eyes"),
        "--help shows the secret:\n{help}"
    );
}

#[tokio::test]
async fn a_bad_flag_gets_claps_error() {
    let out = server(&["--nope"], &[]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unexpected argument '--nope'"), "{err}");
    assert!(err.contains("Usage: sa-demo-server"), "{err}");

    let out = server(&["--listen", "nowhere"], &[]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("'nowhere'") && err.contains("--listen"),
        "{err}"
    );
}

#[tokio::test]
async fn a_bad_variable_gets_claps_error() {
    for (var, value) in [
        ("SA_DEMO_PUBLIC", "maybe"),
        ("SA_DEMO_LISTEN", "nowhere"),
        ("SA_DEMO_LOST_AFTER_SECS", "5"),
        ("SA_DEMO_TRUSTED_PROXIES", "proxy.local"),
    ] {
        let out = server(&[], &[(var, value)]).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{var}={value}: {err}");
        assert!(err.contains(value), "{var}={value}: {err}");
    }
}
