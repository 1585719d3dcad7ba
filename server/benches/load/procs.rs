//! The load bench's own processes: the all-in-one demo server (the real
//! binary, a child in a process group of its own, its embedded Temporal dev
//! server a child of it; stopped with SIGTERM when dropped) and the CPU time
//! a process and its descendants used, read from `/proc`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The demo server, as a child process in a process group of its own (its
/// embedded Temporal dev server is a child of it).
pub struct DemoServer {
    child: Child,
    pub base: String,
}

impl DemoServer {
    pub fn start() -> DemoServer {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(env!("CARGO_BIN_EXE_sa-demo-server"))
            .env("SA_DEMO_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .process_group(0)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the demo server");
        let stdout = child.stdout.take().expect("stdout");
        let mut base = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("server stdout");
            if let Some(url) = line.split("demo: ").nth(1) {
                base = Some(url.trim().to_owned());
                break;
            }
        }
        let base = base.expect("the demo server printed its URL");
        DemoServer { child, base }
    }

    /// CPU seconds used so far by the demo server process and by its
    /// descendants (the embedded Temporal), from `/proc`.
    pub fn cpu(&self) -> (f64, f64) {
        let own = proc_cpu(self.child.id());
        let temporal = descendants(self.child.id()).into_iter().map(proc_cpu).sum();
        (own, temporal)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        // SIGTERM: the server stops its Workers and the embedded dev server.
        let _ = Command::new("kill")
            .args(["-s", "TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// utime + stime of `pid` in seconds (0 when it is gone).
pub fn proc_cpu(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the `(comm)`, which may contain spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after `)`.
    (ticks(11).unwrap_or(0.0) + ticks(12).unwrap_or(0.0)) / 100.0
}

fn descendants(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let children = std::fs::read_dir(format!("/proc/{p}/task"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|s| {
                s.split_whitespace()
                    .filter_map(|c| c.parse().ok())
                    .collect::<Vec<u32>>()
            })
            .collect::<Vec<_>>();
        out.extend(&children);
        todo.extend(children);
    }
    out
}
