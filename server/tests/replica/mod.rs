//! Demo processes of the real binary for the replica tests: a dev server
//! of the test's own, `sa-demo-server --role ...` processes killed when
//! dropped, and a round-robin TCP proxy standing for the load balancer.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sa_demo_server::devserver::DevServer;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::common::{dev_server_options, temporal_answers};

/// How long a process may take to print where it serves.
const START_DEADLINE: Duration = Duration::from_secs(120);

/// One demo process of the real binary, killed when dropped.
pub struct Replica {
    child: Child,
    /// `http://127.0.0.1:port`.
    pub base: String,
}

impl Replica {
    /// Starts `sa-demo-server --role {role}` on the Temporal at `address`.
    pub async fn start(role: &str, address: &str) -> Replica {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sa-demo-server"))
            .args(["--role", role])
            .env("SA_DEMO_LISTEN", "127.0.0.1:0")
            .env("TEMPORAL_ADDRESS", address)
            .env("TEMPORAL_NAMESPACE", "default")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start sa-demo-server");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = tokio::time::timeout(START_DEADLINE, async {
            while let Some(line) = lines.next_line().await.expect("stdout") {
                if let Some((_, url)) = line.rsplit_once(": ")
                    && url.starts_with("http://")
                {
                    return url.trim().to_owned();
                }
            }
            panic!("sa-demo-server --role {role} ended before serving");
        })
        .await
        .expect("the process served within the deadline");
        // Keep reading what it prints, so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Replica { child, base }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub async fn kill(&mut self) {
        self.child.kill().await.expect("kill");
    }
}

/// A round-robin TCP proxy: each connection goes to the next backend, or
/// the one after it when that one refuses (a dead replica), as a load
/// balancer does. Returns its address and which backend each connection
/// reached, in order.
pub async fn proxy(backends: Vec<SocketAddr>) -> (String, Arc<Mutex<Vec<usize>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        let mut next = 0;
        while let Ok((mut inbound, _)) = listener.accept().await {
            let n = backends.len();
            let first = next % n;
            next += 1;
            let mut reached = None;
            for i in (0..n).map(|k| (first + k) % n) {
                if let Ok(out) = tokio::net::TcpStream::connect(backends[i]).await {
                    reached = Some((i, out));
                    break;
                }
            }
            let Some((i, mut outbound)) = reached else {
                continue;
            };
            seen.lock().expect("log").push(i);
            tokio::spawn(async move {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    (format!("http://{addr}"), log)
}

pub fn socket(base: &str) -> SocketAddr {
    base.trim_start_matches("http://").parse().expect("addr")
}

/// A dev server of the test's own, answering.
pub async fn dev_server() -> (DevServer, String) {
    let temporal = DevServer::start(&dev_server_options())
        .await
        .expect("a dev server of the test's own");
    let address = temporal.address().to_string();
    temporal_answers(&address).await;
    (temporal, address)
}
