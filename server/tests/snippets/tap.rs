//! A loopback TCP relay between a generated program and Temporal that tells
//! the test when given bytes (a run id) came back from the server in a gRPC
//! reply: proof that the program's start was answered with that run, so the
//! test lets the run finish only afterwards, without guessing a delay.
//!
//! It reads the server's side as HTTP/2 frames (plain h2c, as the programs
//! connect) and DATA frames as gRPC messages, gunzipping compressed ones:
//! the Go SDK compresses with gzip by default.

use std::collections::HashMap;
use std::io::Read;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The relay; it stops with the test's runtime.
pub struct Tap {
    /// `127.0.0.1:port`, for the program to connect to.
    pub address: String,
    seen: watch::Receiver<bool>,
}

/// The gRPC messages in the DATA frames of the server's side of one
/// connection.
#[derive(Default)]
struct Replies {
    /// Bytes not yet parsed into whole frames.
    frames: Vec<u8>,
    /// Per stream, DATA payload not yet parsed into whole messages.
    streams: HashMap<u32, Vec<u8>>,
}

impl Replies {
    /// Takes bytes the server sent; returns the whole messages they
    /// completed, decompressed.
    fn feed(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        self.frames.extend_from_slice(bytes);
        let mut messages = Vec::new();
        while self.frames.len() >= 9 {
            let f = &self.frames;
            let len = usize::from(f[0]) << 16 | usize::from(f[1]) << 8 | usize::from(f[2]);
            if f.len() < 9 + len {
                break;
            }
            let (kind, flags) = (f[3], f[4]);
            let stream = u32::from_be_bytes([f[5], f[6], f[7], f[8]]) & 0x7fff_ffff;
            let frame: Vec<u8> = self.frames.drain(..9 + len).skip(9).collect();
            if kind != 0 {
                continue; // not DATA
            }
            let payload = if flags & 0x8 != 0 {
                // PADDED: a pad length byte, the data, then the padding.
                let pad = usize::from(frame[0]);
                frame[1..frame.len() - pad].to_vec()
            } else {
                frame
            };
            let buf = self.streams.entry(stream).or_default();
            buf.extend_from_slice(&payload);
            while buf.len() >= 5 {
                let n = u32::from_be_bytes([buf[1], buf[2], buf[3], buf[4]]) as usize;
                if buf.len() < 5 + n {
                    break;
                }
                let compressed = buf[0] == 1;
                let message: Vec<u8> = buf.drain(..5 + n).skip(5).collect();
                messages.push(if compressed {
                    let mut plain = Vec::new();
                    flate2::read::GzDecoder::new(message.as_slice())
                        .read_to_end(&mut plain)
                        .expect("a gzip-compressed gRPC message");
                    plain
                } else {
                    message
                });
            }
        }
        messages
    }
}

impl Tap {
    /// Relays every connection to `upstream`, watching the server's replies
    /// for `needle`.
    pub async fn new(upstream: &str, needle: &[u8]) -> Tap {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("addr").to_string();
        let (tx, seen) = watch::channel(false);
        let upstream = upstream.to_owned();
        let needle = needle.to_vec();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(&upstream).await.expect("upstream");
                let (mut client_r, mut client_w) = client.into_split();
                let (mut server_r, mut server_w) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut client_r, &mut server_w).await;
                    let _ = server_w.shutdown().await;
                });
                let (tx, needle) = (tx.clone(), needle.clone());
                tokio::spawn(async move {
                    let mut replies = Replies::default();
                    let mut buf = vec![0; 64 * 1024];
                    while let Ok(n) = server_r.read(&mut buf).await {
                        if n == 0 || client_w.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                        let found = replies
                            .feed(&buf[..n])
                            .iter()
                            .any(|m| m.windows(needle.len()).any(|w| w == needle.as_slice()));
                        if found {
                            let _ = tx.send(true);
                        }
                    }
                    let _ = client_w.shutdown().await;
                });
            }
        });
        Tap { address, seen }
    }

    /// Waits until the server has sent the needle to the program.
    pub async fn seen(&mut self) {
        self.seen.wait_for(|s| *s).await.expect("the relay runs");
    }
}
