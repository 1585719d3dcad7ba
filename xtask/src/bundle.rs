//! Builds the UI bundle: the app compiled to wasm32, bound by wasm-bindgen,
//! shrunk by wasm-opt, with `public/` and the concatenated `style/*.css`,
//! every text asset precompressed (brotli + gzip) for tower-http to serve.
//! Steps whose inputs did not change are skipped.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::tools::Tools;
use crate::{Paths, cargo, run};

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn io(e: std::io::Error, what: &Path) -> String {
    format!("{}: {e}", what.display())
}

fn compress(path: &Path) -> Result<(), String> {
    let data = fs::read(path).map_err(|e| io(e, path))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data).map_err(|e| io(e, path))?;
    let gz = gz.finish().map_err(|e| io(e, path))?;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(&data).map_err(|e| io(e, path))?;
    }
    let name = path.as_os_str().to_owned();
    let mut gz_path = name.clone();
    gz_path.push(".gz");
    let mut br_path = name;
    br_path.push(".br");
    fs::write(&gz_path, gz).map_err(|e| io(e, path))?;
    fs::write(&br_path, br).map_err(|e| io(e, path))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| io(e, to))?;
    for entry in fs::read_dir(from).map_err(|e| io(e, from))? {
        let entry = entry.map_err(|e| io(e, from))?;
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest).map_err(|e| io(e, &dest))?;
        }
    }
    Ok(())
}

/// Compiles the app to wasm32 (needs no tool of ours, so it can run while
/// they install).
pub fn compile(paths: &Paths) -> Result<(), String> {
    run(cargo(paths).args([
        "build",
        "--package",
        "sa-demo-app",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))
}

/// Builds `paths.dist`.
pub fn build(paths: &Paths, tools: &Tools) -> Result<(), String> {
    compile(paths)?;
    let wasm = paths
        .target
        .join("wasm32-unknown-unknown/wasm-release/sa-demo-app.wasm");
    let pkg = paths.dist.join("pkg");
    let bound = pkg.join("sa_demo_app_bg.wasm");
    if modified(&bound) < modified(&wasm) {
        run(Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "sa_demo_app",
            ])
            .arg("--out-dir")
            .arg(&pkg)
            .arg(&wasm))?;
        run(Command::new(&tools.wasm_opt)
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(&bound)
            .arg("-o")
            .arg(&bound))?;
    }

    copy_dir(&paths.root.join("public"), &paths.dist)?;
    let mut css_files: Vec<_> = fs::read_dir(paths.root.join("style"))
        .map_err(|e| io(e, &paths.root.join("style")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "css"))
        .collect();
    css_files.sort();
    let mut css = String::new();
    for file in &css_files {
        css.push_str(&fs::read_to_string(file).map_err(|e| io(e, file))?);
        css.push('\n');
    }
    fs::write(paths.dist.join("style.css"), css).map_err(|e| io(e, &paths.dist))?;

    for dir in [paths.dist.clone(), pkg] {
        for entry in fs::read_dir(&dir).map_err(|e| io(e, &dir))? {
            let path = entry.map_err(|e| io(e, &dir))?.path();
            let compressible = path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "html" | "css" | "js" | "wasm" | "svg" | "json"));
            if compressible
                && modified(&path.with_extension(format!(
                "{}.br",
                path.extension().and_then(|x| x.to_str()).unwrap_or_default()
            ))) < modified(&path)
            {
                compress(&path)?;
            }
        }
    }
    eprintln!("xtask: bundle ready in {}", paths.dist.display());
    Ok(())
}
