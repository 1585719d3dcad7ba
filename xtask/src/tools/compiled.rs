//! Prepares what the generated Go and Java programs are compiled against, so
//! the snippet tests only compile the program itself: a Go module pinned to
//! `go.temporal.io/sdk` with its module and build caches, and the classpath
//! of `io.temporal:temporal-sdk` resolved by Maven into a local repository.
//! Everything lives under the tools directory, outside the clone; a second
//! run downloads nothing.
//!
//! The toolchains themselves (`go`, `javac` + `mvn`) are the machine's. When
//! one is missing the tests are told why (they skip, and fail under
//! `CI=true`); under `CI=true` a missing toolchain already fails here.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;

/// Go module `go.temporal.io/sdk`: the Go snippet's `client.StartActivityOptions`.
pub const GO_SDK: &str = "v1.51.0";
/// Maven `io.temporal:temporal-sdk`: the standalone `ActivityClient`.
pub const JAVA_SDK: &str = "1.38.0";
/// The Maven plugin that writes the classpath, pinned so Maven resolves no "latest".
const DEPENDENCY_PLUGIN: &str = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

/// A prepared toolchain, or why there is none.
pub enum Prepared<T> {
    /// Ready.
    Ready(T),
    /// Missing on this machine (outside CI): the reason, for the tests to print.
    Missing(String),
}

/// Whether this is CI, where a missing toolchain is a failure.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn found(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `Missing(reason)` outside CI, an error under `CI=true`.
fn missing<T>(reason: String) -> Result<Prepared<T>, String> {
    if ci() {
        Err(format!(
            "{reason} (CI=true: a missing toolchain is a failure)"
        ))
    } else {
        eprintln!("xtask: warning: {reason}; the snippet tests will skip those programs");
        Ok(Prepared::Missing(reason))
    }
}

/// The environment every `go` command gets: caches in `dir`, no toolchain
/// download, no workspace, and no network unless `online`.
pub fn go_env(cmd: &mut Command, dir: &Path, online: bool) {
    cmd.env("GOMODCACHE", dir.join("mod"))
        .env("GOCACHE", dir.join("build"))
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("GOFLAGS", "-modcacherw");
    if !online {
        cmd.env("GOPROXY", "off");
    }
}

/// A stub importing every package the Go snippet can import, so `go mod
/// tidy` records them all in go.mod and go.sum and `go build` compiles them
/// into the build cache once.
const GO_STUB: &str = "// Imports every package the generated Go program can use.
package main

import (
\t_ \"go.temporal.io/api/enums/v1\"
\t_ \"go.temporal.io/sdk/client\"
\t_ \"go.temporal.io/sdk/temporal\"
)

func main() {}
";

/// The Go module directory (go.mod, go.sum) with warm caches beside it:
/// `dir/module`, `dir/mod` (GOMODCACHE), `dir/build` (GOCACHE).
pub fn go(tools: &Path) -> Result<Prepared<PathBuf>, String> {
    if !found("go", "version") {
        return missing("`go` is not on PATH, so the generated Go programs cannot be built".into());
    }
    let dir = tools.join(format!("go-sdk-{GO_SDK}"));
    let module = dir.join("module");
    let marker = dir.join(".installed");
    if !marker.exists() {
        fs::create_dir_all(&module).map_err(|e| format!("{}: {e}", module.display()))?;
        let go_mod = format!("module snippet\n\ngo 1.23\n\nrequire go.temporal.io/sdk {GO_SDK}\n");
        fs::write(module.join("go.mod"), go_mod).map_err(|e| e.to_string())?;
        fs::write(module.join("main.go"), GO_STUB).map_err(|e| e.to_string())?;
        for args in [&["mod", "tidy"][..], &["build", "-o", "/dev/null", "."]] {
            let mut cmd = Command::new("go");
            cmd.current_dir(&module).args(args);
            go_env(&mut cmd, &dir, true);
            run(&mut cmd)?;
        }
        fs::write(&marker, GO_SDK).map_err(|e| e.to_string())?;
    }
    Ok(Prepared::Ready(dir))
}

fn pom() -> String {
    format!(
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sa-demo</groupId>
  <artifactId>snippet-classpath</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-sdk</artifactId>
      <version>{JAVA_SDK}</version>
    </dependency>
  </dependencies>
</project>
"
    )
}

/// The classpath (jars in a local Maven repository under the tools
/// directory) the generated Java program compiles and runs with.
pub fn java(tools: &Path) -> Result<Prepared<String>, String> {
    for (tool, arg) in [("javac", "-version"), ("java", "-version"), ("mvn", "-v")] {
        if !found(tool, arg) {
            return missing(format!(
                "`{tool}` is not on PATH, so the generated Java programs cannot be built"
            ));
        }
    }
    let dir = tools.join(format!("java-sdk-{JAVA_SDK}"));
    let classpath = dir.join("classpath.txt");
    let marker = dir.join(".installed");
    if !marker.exists() {
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        fs::write(dir.join("pom.xml"), pom()).map_err(|e| e.to_string())?;
        run(Command::new("mvn")
            .current_dir(&dir)
            .args(["-B", "-q"])
            .arg(format!("-Dmaven.repo.local={}", dir.join("m2").display()))
            .arg(format!("{DEPENDENCY_PLUGIN}:build-classpath"))
            .arg(format!("-Dmdep.outputFile={}", classpath.display())))?;
        fs::write(&marker, JAVA_SDK).map_err(|e| e.to_string())?;
    }
    let cp = fs::read_to_string(&classpath).map_err(|e| format!("{}: {e}", classpath.display()))?;
    Ok(Prepared::Ready(cp.trim().to_owned()))
}
