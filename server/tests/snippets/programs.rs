//! The generated programs, built and run as a user would: Python with
//! `temporalio`, TypeScript type-checked by `tsc` and run by node (the
//! Workflow program's two files each saved under the name its marker and
//! its setup give, its Worker bundling the compiled `workflows.js`), Go built
//! with `go.temporal.io/sdk` in a module pinned like the one `cargo xtask`
//! prepares, Java compiled by `javac` against `io.temporal:temporal-sdk` as
//! US-ASCII source (what JDK 17 assumes under a non-UTF-8 locale such as
//! `LC_ALL=C`), so a non-ASCII character in a literal fails the build. Each
//! program is saved under the file name its tab tells users to use.
//! Nothing is downloaded here: Go runs with `GOPROXY=off`.

use std::path::{Path, PathBuf};
use std::process::Output;

use codegen::{
    Setup, TS_FILE_MARKER, Target, sdk_setup, sdk_snippet, sdk_snippet_with_operator_calls,
    sdk_workflow_setup, sdk_workflow_snippet_with,
};
use proto::{ActivityConfig, FailureScenario, Language};
use tokio::process::Command;

use crate::child::{self, Scratch, required, run, run_ok, show, toolchain};

/// One language's runtime, found from what `cargo xtask test` set.
pub enum Runtime {
    /// A Python with `temporalio`.
    Python(PathBuf),
    /// A `node_modules` with `@temporalio/client`, `@temporalio/worker`,
    /// `@temporalio/workflow` and `typescript`.
    Typescript(PathBuf),
    /// The prepared Go module directory (`module/`, `mod/`, `build/`).
    Go(PathBuf),
    /// The Java SDK's classpath.
    Java(String),
}

impl Runtime {
    /// The runtime for `lang`, or `None` when its toolchain is missing on
    /// this machine outside CI (the skip is printed).
    pub fn find(lang: Language) -> Option<Runtime> {
        Some(match lang {
            Language::Python => Runtime::Python(required("SA_DEMO_PYTHON", "Python programs")),
            Language::Typescript => {
                Runtime::Typescript(required("SA_DEMO_NODE_MODULES", "TypeScript programs"))
            }
            Language::Go => Runtime::Go(
                toolchain("SA_DEMO_GO_SDK", "SA_DEMO_GO_MISSING", "Go programs")?.into(),
            ),
            Language::Java => Runtime::Java(toolchain(
                "SA_DEMO_JAVA_CLASSPATH",
                "SA_DEMO_JAVA_MISSING",
                "Java programs",
            )?),
            other => panic!("{} programs are only parsed, not run", other.label()),
        })
    }

    /// The language.
    pub fn lang(&self) -> Language {
        match self {
            Runtime::Python(_) => Language::Python,
            Runtime::Typescript(_) => Language::Typescript,
            Runtime::Go(_) => Language::Go,
            Runtime::Java(_) => Language::Java,
        }
    }

    /// Builds and runs the program generated for `config`, connected to
    /// `target`; returns its output, whatever its exit status (the build
    /// must succeed).
    pub async fn run(&self, config: &ActivityConfig, target: &Target) -> Output {
        let code = sdk_snippet(self.lang(), config, target).text();
        self.run_code(code, sdk_setup(self.lang())).await
    }

    /// [`Runtime::run`] for the program that pauses, then unpauses its run
    /// before it waits for the result.
    pub async fn run_operating(&self, config: &ActivityConfig, target: &Target) -> Output {
        let code =
            sdk_snippet_with_operator_calls(self.lang(), config, FailureScenario::None, target);
        self.run_code(code.text(), sdk_setup(self.lang())).await
    }

    /// [`Runtime::run`] for the "From a Workflow" program, saved as its
    /// own setup says: its Worker runs the Workflow, the demo's Worker the
    /// activity.
    pub async fn run_workflow(&self, config: &ActivityConfig, target: &Target) -> Output {
        let code = sdk_workflow_snippet_with(self.lang(), config, FailureScenario::None, target);
        self.run_code(code.text(), sdk_workflow_setup(self.lang()))
            .await
    }

    /// Builds and runs `code`, this runtime's program, saved under the
    /// file name(s) `setup` gives.
    async fn run_code(&self, code: String, setup: Setup) -> Output {
        let what = format!("the {} program\n{code}\n", self.lang().label());
        let dir = Scratch::new(self.lang().slug());
        let file = setup.file_name();
        let program = match self {
            Runtime::Python(python) => {
                std::fs::write(dir.0.join(file), &code).expect("write the Python program");
                let mut cmd = Command::new(python);
                // Reports a segmentation fault (see `known_python_exit_crash`).
                cmd.env("PYTHONFAULTHANDLER", "1").arg(file);
                cmd
            }
            Runtime::Typescript(node_modules) => {
                let files = typescript_files(&code, &setup);
                let out = typescript_build(node_modules, &dir, &files, &what).await;
                assert!(out.status.success(), "tsc on {what}failed\n{}", show(&out));
                // The last file is the one the setup's run command names.
                let (last, _) = files.last().expect("a file");
                let mut cmd = Command::new("node");
                cmd.arg(Path::new("out").join(last).with_extension("js"));
                cmd
            }
            Runtime::Go(sdk) => {
                go_build(sdk, &dir, &code, &what).await;
                Command::new(dir.0.join("snippet"))
            }
            Runtime::Java(classpath) => {
                // The public class must live in a file of its name: the tab's
                // file name is checked by javac here.
                std::fs::write(dir.0.join(file), &code).expect("write the Java program");
                let mut javac = Command::new("javac");
                javac.current_dir(&dir.0).env("LC_ALL", "C").args([
                    "-encoding",
                    "US-ASCII",
                    "-Werror",
                    "-cp",
                    classpath,
                ]);
                javac.args(["-d", "out", file]);
                run_ok(javac, &format!("javac on {what}")).await;
                let mut cmd = Command::new("java");
                cmd.arg("-cp").arg(format!("out:{classpath}"));
                cmd.arg("ExecuteActivity");
                cmd
            }
        };
        let mut program = program;
        program.current_dir(&dir.0);
        run(program, &what).await
    }
}

/// A TypeScript program's files as `(name, text)`, the one to run last,
/// named as `setup` says to save them: a program in parts (the Workflow
/// program) is split at each [`TS_FILE_MARKER`] line, which names its file
/// and stays in it, as in a part a reader copies (anything above the first
/// marker goes with the first file); those names must be the setup's, in
/// its order. A program in one part is the setup's one file.
pub fn typescript_files(code: &str, setup: &Setup) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut above = String::new();
    for line in code.split_inclusive('\n') {
        let marked = line
            .strip_prefix(TS_FILE_MARKER)
            .and_then(|rest| rest.trim_end().strip_suffix(" ====="));
        if let Some(name) = marked {
            files.push((name.to_owned(), std::mem::take(&mut above)));
        }
        match files.last_mut() {
            Some((_, text)) => text.push_str(line),
            None => above.push_str(line),
        }
    }
    if files.is_empty() {
        return vec![(setup.file_name().to_owned(), above)];
    }
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        setup.file_names(),
        "the program's parts are not the files its setup says to save\n{code}"
    );
    files
}

/// Type-checks and transpiles `files` (see [`typescript_files`]) with `tsc`
/// (Node 20 cannot run TypeScript) into `dir/out/`, each `name.ts` as
/// `name.js`.
///
/// Strict, and without `--skipLibCheck`: the SDK's own types must resolve.
/// CommonJS with `node10` resolution, because under `nodenext` the `ms`
/// package's `exports` hide its types, the SDK's `Duration` silently becomes
/// `any`, and `startToCloseTimeout: '10 parsecs'` type-checks.
/// `esModuleInterop`, as in the samples' `@tsconfig/node*` base: the types
/// of `@temporalio/workflow` default-import the `long` package, which only
/// type-checks with it (TS1259).
pub async fn typescript_build(
    node_modules: &Path,
    dir: &Scratch,
    files: &[(String, String)],
    what: &str,
) -> Output {
    // The program imports `@temporalio/client` as a project would: from a
    // `node_modules` beside it.
    std::os::unix::fs::symlink(node_modules, dir.0.join("node_modules")).expect("symlink");
    for (name, text) in files {
        std::fs::write(dir.0.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"));
    }
    let mut tsc = Command::new(node_modules.join(".bin/tsc"));
    tsc.current_dir(&dir.0).args([
        "--strict",
        "--noUnusedLocals",
        "--esModuleInterop",
        "--target",
        "es2022",
        "--module",
        "commonjs",
        "--moduleResolution",
        "node10",
        "--outDir",
        "out",
    ]);
    tsc.args(files.iter().map(|(name, _)| name));
    run(tsc, &format!("tsc on {what}")).await
}

/// A `go` command in `dir` with the prepared caches, offline: everything
/// must already be in the module cache.
fn go(sdk: &Path, dir: &Scratch, args: &[&str]) -> Command {
    let mut cmd = Command::new("go");
    cmd.current_dir(&dir.0)
        .args(args)
        .env("GOMODCACHE", sdk.join("mod"))
        .env("GOCACHE", sdk.join("build"))
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("GOFLAGS", "-modcacherw -mod=readonly")
        .env("GOPROXY", "off");
    cmd
}

/// Vets and builds `code` as `dir/snippet` in a copy of the prepared module.
async fn go_build(sdk: &Path, dir: &Scratch, code: &str, what: &str) {
    for file in ["go.mod", "go.sum"] {
        std::fs::copy(sdk.join("module").join(file), dir.0.join(file)).expect("copy go.mod");
    }
    std::fs::write(dir.0.join("main.go"), code).expect("write main.go");
    run_ok(go(sdk, dir, &["vet", "."]), &format!("go vet of {what}")).await;
    let build = go(sdk, dir, &["build", "-o", "snippet", "."]);
    run_ok(build, &format!("go build of {what}")).await;
}

/// The line a program prints when it gets `result`.
pub fn result_line(result: &str) -> String {
    format!("Result: {result}\n")
}

/// Checks that a program ended well and printed `Result: {result}`; a
/// Python program may also end in temporalio's known exit crash after it.
pub fn assert_printed(out: &Output, lang: Language, result: &str) {
    let line = result_line(result);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let ok = out.status.success()
        || (lang == Language::Python && child::known_python_exit_crash(out, &line));
    assert!(ok, "the {} program failed\n{}", lang.label(), show(out));
    assert!(
        stdout.contains(&line),
        "the {} program printed {stdout:?}, expected {line:?}",
        lang.label()
    );
}

/// Checks that a program failed and said `needle` (on stdout or stderr).
pub fn assert_failed_saying(out: &Output, lang: Language, needle: &str) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success() && text.contains(needle),
        "the {} program should have failed saying {needle:?}\n{}",
        lang.label(),
        show(out)
    );
}
