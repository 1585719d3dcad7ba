//! The server's modules form no import circle: dependencies point one way
//! (routes → service → gateway, everything → error), and a lower module
//! never reaches up, not even by a doc link. Read from the sources: every
//! `crate::…` and `super::…` path outside the test modules is an edge from
//! its file's module to the module it names; a module and its own
//! submodules count as one (a parent declares its children).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of `src/` by path (`hosting::headers`), with its source up
/// to its test module. The crate roots and test-only files are left out.
fn modules(src: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, String>) {
        let entries = std::fs::read_dir(dir).expect("read src/");
        for entry in entries {
            let path = entry.expect("dir entry").path();
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 name")
                .to_owned();
            if path.is_dir() {
                let mut inner = prefix.to_vec();
                inner.push(stem);
                walk(&path, &inner, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let root = prefix.is_empty() && (stem == "lib" || stem == "main");
                if root || stem == "tests" {
                    continue;
                }
                let name = if stem == "mod" {
                    prefix.join("::")
                } else {
                    [prefix, &[stem]].concat().join("::")
                };
                let text = std::fs::read_to_string(&path).expect("read source");
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
                out.insert(name, code);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, &[], &mut out);
    out
}

/// Reads the use tree at the start of `s` (`a::b`, `a::{b, c::{d, E}}`,
/// `{a, self}`) after `prefix`: every path it names, and how much it read.
fn paths(s: &str, prefix: &[String]) -> (Vec<Vec<String>>, usize) {
    let mut path = prefix.to_vec();
    let mut at = 0;
    loop {
        if s[at..].starts_with('{') {
            at += 1;
            let mut found = Vec::new();
            loop {
                at += s[at..].len() - s[at..].trim_start().len();
                match s[at..].chars().next() {
                    Some('}') => return (found, at + 1),
                    None => return (found, at),
                    Some(',') => at += 1,
                    Some(_) => {
                        let (inner, used) = paths(&s[at..], &path);
                        found.extend(inner);
                        // Not a path (a stray character): step over it.
                        at += used.max(1);
                    }
                }
            }
        }
        let rest = &s[at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return (vec![path], at);
        }
        if &rest[..len] != "self" {
            path.push(rest[..len].to_owned());
        }
        at += len;
        if s[at..].starts_with("::") {
            at += 2;
        } else {
            return (vec![path], at);
        }
    }
}

/// The module a path lands in: its longest prefix that is a module, or the
/// module a crate-root re-export (`crate::AppState`) comes from.
fn module_of(
    path: &[String],
    modules: &BTreeMap<String, String>,
    reexports: &BTreeMap<String, String>,
) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains_key(m))
        .or_else(|| reexports.get(path.first()?).cloned())
}

/// `pub use service::AppState;` and `pub use app::{App, serve};` in lib.rs.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        if let Some(tree) = line.trim().strip_prefix("pub use ") {
            for path in paths(tree.trim_end_matches(';'), &[]).0 {
                if let [module, .., item] = path.as_slice() {
                    out.insert(item.clone(), module.clone());
                }
            }
        }
    }
    out
}

/// Whether `a` is `b` or one contains the other.
fn related(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner == outer || inner.starts_with(&format!("{outer}::")) || outer.is_empty()
    };
    within(a, b) || within(b, a)
}

/// Each module's edges, with the path that makes each one.
fn edges(src: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let modules = modules(src);
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let reexports = reexports(&lib);
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (name, code) in &modules {
        let segments: Vec<String> = name.split("::").map(str::to_owned).collect();
        // `super::` is the parent module, whether the file is `x.rs` or `x/mod.rs`.
        let parent = &segments[..segments.len() - 1];
        let targets = out.entry(name.clone()).or_default();
        for (word, base) in [("crate::", &[][..]), ("super::", parent)] {
            let mut from = 0;
            while let Some(i) = code[from..].find(word) {
                let start = from + i;
                from = start + word.len();
                let before = code[..start].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                for path in paths(&code[from..], base).0 {
                    if let Some(target) = module_of(&path, &modules, &reexports)
                        && !related(name, &target)
                    {
                        targets
                            .entry(target)
                            .or_insert_with(|| format!("{word}{}", path.join("::")));
                    }
                }
            }
        }
    }
    out
}

/// Every module `from` reaches.
fn reach(edges: &BTreeMap<String, BTreeMap<String, String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(m) = todo.pop() {
        for next in edges.get(&m).into_iter().flat_map(|e| e.keys()) {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn no_module_reaches_up() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges(&src);
    assert!(
        edges
            .get("error")
            .is_some_and(|e| e.contains_key("gateway")),
        "the scan sees no edge error → gateway: it reads nothing: {edges:?}"
    );
    let mut circles = Vec::new();
    for (a, targets) in &edges {
        for (b, via) in targets {
            if reach(&edges, b).contains(a) {
                circles.push(format!("{a} → {b} (by {via}), and {b} leads back to {a}"));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_scan_reads_use_trees() {
    let (found, _) = paths("{a::{b, C}, self, d::e::F};", &["x".to_owned()]);
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["x::a::b", "x::a::C", "x", "x::d::e::F"]);
    let (found, used) = paths("hosting::headers::MAX_BODY_BYTES)", &[]);
    assert_eq!(found[0].join("::"), "hosting::headers::MAX_BODY_BYTES");
    assert_eq!(used, "hosting::headers::MAX_BODY_BYTES".len());
}
