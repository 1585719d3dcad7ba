//! Project tasks: `cargo xtask demo` installs what is missing, builds the UI
//! bundle and the server, and runs the demo; `cargo xtask test` installs what
//! is missing and runs every check CI runs. Installs are idempotent and live
//! in one tools directory outside the clone, next to one shared target dir.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod bundle;
mod tools;

use tools::compiled::Prepared;

/// Where tools, the shared target dir and the built bundle live.
pub struct Paths {
    /// The workspace root (the clone).
    pub root: PathBuf,
    /// Cache home: `$SA_DEMO_HOME`, else `$XDG_CACHE_HOME/sa-demo`, else `~/.cache/sa-demo`.
    pub home: PathBuf,
    /// The cargo target dir shared by every build (`$CARGO_TARGET_DIR` wins).
    pub target: PathBuf,
    /// Installed tools.
    pub tools: PathBuf,
    /// The built UI bundle served by the server.
    pub dist: PathBuf,
}

impl Paths {
    fn discover() -> Paths {
        // Cargo says where the manifest is when it runs us; the path compiled
        // in is only right for the clone that built this binary.
        let manifest = env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
        let root = manifest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let home = env::var_os("SA_DEMO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("sa-demo")))
            .or_else(|| env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/sa-demo")))
            .unwrap_or_else(|| root.join(".sa-demo"));
        let target = env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join("target"));
        Paths {
            tools: home.join("tools"),
            dist: target.join("dist"),
            root,
            home,
            target,
        }
    }
}

/// When this xtask started: every step says how far in it is.
static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Seconds since this xtask started, for progress lines.
pub fn elapsed() -> f64 {
    STARTED.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Runs `cmd`, echoing it with the time so far and how long it took (so a
/// newcomer sees the build is moving); an error names the command.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let began = Instant::now();
    eprintln!("xtask [{:6.1}s] {}", elapsed(), describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    let program = cmd.get_program().to_string_lossy().into_owned();
    let step = cmd
        .get_args()
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    eprintln!(
        "xtask [{:6.1}s] {} {step}: {} in {:.1}s",
        elapsed(),
        Path::new(&program)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(program),
        if status.success() { "done" } else { "failed" },
        began.elapsed().as_secs_f64()
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed with {status}", describe(cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn cargo(paths: &Paths) -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(&paths.root)
        .env("CARGO_TARGET_DIR", &paths.target);
    cmd
}

/// The environment every server process and test gets: where the tools and
/// the bundle are.
fn app_env(cmd: &mut Command, paths: &Paths, t: &tools::Tools) {
    cmd.env("SA_DEMO_STATIC_DIR", &paths.dist)
        .env("SA_DEMO_TEMPORAL_CLI", &t.temporal);
    if let Some(driver) = &t.chromedriver {
        cmd.env("SA_DEMO_CHROMEDRIVER", driver);
    }
    if let Some(python) = &t.python {
        cmd.env("SA_DEMO_PYTHON", python);
    }
    if let Some(node_modules) = &t.node_modules {
        cmd.env("SA_DEMO_NODE_MODULES", node_modules);
    }
    // Each either names what the programs compile against or says why it is missing.
    match &t.go {
        Some(Prepared::Ready(dir)) => cmd.env("SA_DEMO_GO_SDK", dir),
        Some(Prepared::Missing(why)) => cmd.env("SA_DEMO_GO_MISSING", why),
        None => cmd,
    };
    match &t.java {
        Some(Prepared::Ready(cp)) => cmd.env("SA_DEMO_JAVA_CLASSPATH", cp),
        Some(Prepared::Missing(why)) => cmd.env("SA_DEMO_JAVA_MISSING", why),
        None => cmd,
    };
}

fn demo(paths: &Paths, args: &[String]) -> Result<(), String> {
    // The dev profile by default: the tests build the same artifacts, and
    // the demo server's own CPU use is too small for an optimised build to
    // matter to a visitor (`cargo xtask bench` measures an optimised one).
    let release = env::var_os("SA_DEMO_RELEASE").is_some_and(|v| !v.is_empty() && v != "0");
    let (profile, dir) = if release {
        ("release", "release")
    } else {
        ("dev", "debug")
    };
    // The server and the app's WASM compile while the tools install
    // (downloads, the wasm-bindgen CLI in its own target dir): three things
    // that do not wait on one another (the two builds lock different
    // profile dirs of the shared target dir). Binding and shrinking the WASM
    // needs the tools, so it comes last.
    tools::wasm_target(paths)?;
    let mut server_build = cargo(paths);
    server_build.args(["build", "--profile", profile]);
    if release {
        server_build.args(["--package", "sa-demo-server"]);
    } else {
        // Cargo unifies features over the packages it is asked for and, when
        // a test target is among them, over dev-dependencies too; a feature
        // set unlike `cargo test --workspace`'s would compile every crate
        // again for the tests. So ask for the same packages, with one small
        // test target: the tests then reuse every dependency built here.
        server_build.args([
            "--workspace",
            "--bin",
            "sa-demo-server",
            "--test",
            "devserver",
        ]);
    }
    let server = std::thread::spawn(move || run(&mut server_build));
    let wasm = {
        let paths = Paths::discover();
        std::thread::spawn(move || bundle::compile(&paths))
    };
    let t = tools::ensure(paths, tools::Need::Demo)?;
    let joined = |r: std::thread::Result<Result<(), String>>, what: &str| {
        r.map_err(|_| format!("the {what} build thread panicked"))?
    };
    joined(wasm.join(), "WASM")?;
    bundle::build(paths, &t)?;
    joined(server.join(), "server")?;
    eprintln!(
        "xtask [{:6.1}s] starting the demo ({profile} profile)",
        elapsed()
    );
    let mut cmd = Command::new(paths.target.join(dir).join("sa-demo-server"));
    app_env(&mut cmd, paths, &t);
    if env::var_os("SA_DEMO_TEMPORAL_DB").is_none() {
        // Keep the embedded dev server's state across restarts of the demo, so
        // a run once started is never lost from the user's view.
        cmd.env("SA_DEMO_TEMPORAL_DB", paths.home.join("temporal-dev.db"));
    }
    run(cmd.args(args))
}

fn test(paths: &Paths, args: &[String]) -> Result<(), String> {
    let t = tools::ensure(paths, tools::Need::Test)?;
    run(cargo(paths).args(["fmt", "--all", "--check"]))?;
    run(cargo(paths).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo(paths).args([
        "clippy",
        "--package",
        "sa-demo-app",
        "--package",
        "sa-demo-proto",
        "--package",
        "sa-demo-codegen",
        "--package",
        "sa-demo-model",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    bundle::build(paths, &t)?;
    let mut cmd = cargo(paths);
    app_env(&mut cmd, paths, &t);
    // The target dir is shared by every clone: a test binary another clone
    // built may be fresh here, with that clone's path compiled in. insta
    // then finds the snapshots of this one.
    cmd.env("INSTA_WORKSPACE_ROOT", &paths.root);
    run(cmd
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(args))
}

fn bench(paths: &Paths) -> Result<(), String> {
    // The load's settings (SA_DEMO_BENCH_VISITORS, _ROUNDS, _REPLICAS) reach
    // the benches in the environment cargo inherits from this process.
    let t = tools::ensure(paths, tools::Need::Demo)?;
    let mut cmd = cargo(paths);
    app_env(&mut cmd, paths, &t);
    run(cmd.args([
        "bench",
        "--package",
        "sa-demo-server",
        "--bench",
        "latency",
        "--bench",
        "load",
    ]))
}

fn main() -> ExitCode {
    elapsed();
    let args: Vec<String> = env::args().skip(1).collect();
    let paths = Paths::discover();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&paths, &args[1..]),
        Some("test") => test(&paths, &args[1..]),
        Some("bench") => bench(&paths),
        Some("bundle") => tools::ensure(&paths, tools::Need::Demo).and_then(|t| bundle::build(&paths, &t)),
        Some("tools") => tools::ensure(&paths, tools::Need::Test).map(|_| ()),
        _ => Err("usage: cargo xtask <demo|test|bundle|tools> [args...]\n  \
                  demo   install what is missing, build, and run the demo (args go to the server)\n  \
                  test   install what is missing and run fmt, clippy (native + wasm32) and every test\n  \
                  bench  measure latency (one run, and many visitors at once) against SDK and CLI baselines\n  \
                  bundle build the UI bundle only\n  \
                  tools  install the tools only"
            .to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
