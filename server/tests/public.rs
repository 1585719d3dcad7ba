//! Public mode against the real app on a real Temporal, over real sockets:
//! control tokens (stateless: a second process with the same secret honours
//! them), per-IP rate limits and stream caps (client IPs told apart through a
//! trusted proxy's `X-Forwarded-For`, a spoofed one ignored), body caps and
//! the security headers every response carries.

mod common;

use common::*;
use proto::{ApiError, EventKind, FailureScenario, RunStarted};
use sa_demo_server::hosting::{Hosting, Limits};
use sa_demo_server::tracker::Status;

const SECRET: &str = "public-test-secret";

fn public(limits: Limits, trusted: &str) -> Hosting {
    Hosting {
        limits,
        trusted_proxies: trusted.parse().expect("proxies"),
        ..Hosting::public(SECRET)
    }
}

/// POSTs a stop action to `base` with `token` (if any).
async fn stop_on(
    base: &str,
    started: &RunStarted,
    action: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new().post(format!(
        "{base}/api/runs/{}/{}/{action}",
        started.activity_id, started.run_id
    ));
    if let Some(t) = token {
        req = req.header("X-Control-Token", t);
    }
    req.send().await.expect("POST stop")
}

async fn api_error(resp: reqwest::Response, status: u16) -> ApiError {
    assert_eq!(resp.status(), status);
    assert_eq!(
        resp.headers()["content-type"].to_str().expect("ascii"),
        "application/json"
    );
    resp.json().await.expect("ApiError JSON")
}

fn long_running(name: &str) -> proto::RunRequest {
    let mut req = request(name, FailureScenario::LongRunning { seconds: 30 }, 1);
    // A queue of its own: every app in this binary polls the default queue,
    // and one that stops at the end of its test cancels what it runs.
    req.config.task_queue = unique(&format!("{name}-queue"));
    req.config.timeout_ms = 60_000;
    req.config.heartbeat_timeout_ms = Some(10_000);
    req
}

#[tokio::test]
async fn only_the_token_holder_stops_a_run_on_any_replica() {
    let one = app().another_with(public(Limits::default(), ""));
    let started = start_on(&one.base, &long_running("token")).await;
    let token = started.control_token.clone().expect("a control token");

    // No token, another run's token, garbage: 403, and the run goes on.
    let other = start_on(&one.base, &request("token-other", FailureScenario::None, 1)).await;
    let foreign = other.control_token.clone().expect("token");
    for bad in [None, Some(foreign.as_str()), Some("00ff"), Some("not hex")] {
        for action in ["cancel", "terminate"] {
            let e = api_error(stop_on(&one.base, &started, action, bad).await, 403).await;
            assert_eq!(e.code, "forbidden", "{bad:?}");
        }
    }
    assert_eq!(describe(&started).await.status, Status::Running);

    // A second process holding the same secret takes the token: nothing is
    // kept in memory.
    let two = app().another_with(public(Limits::default(), ""));
    let resp = stop_on(&two.base, &started, "cancel", Some(&token)).await;
    assert_eq!(resp.status(), 202);
    let events = read_from(&two.base, &started, None, |_| false).await;
    assert!(
        matches!(
            events.last().map(|(_, e)| &e.kind),
            Some(EventKind::Canceled { .. })
        ),
        "{:?}",
        events.last()
    );
    // A process with another secret does not.
    let stranger = app().another_with(Hosting::public("another secret"));
    let e = api_error(
        stop_on(&stranger.base, &other, "cancel", Some(&foreign)).await,
        403,
    )
    .await;
    assert_eq!(e.code, "forbidden");
    for app in [one, two, stranger] {
        app.shutdown();
    }
}

#[tokio::test]
async fn streams_show_the_result_only_to_the_token_holder() {
    let one = app().another_with(public(Limits::default(), ""));
    let started = start_on(&one.base, &request("redact", FailureScenario::None, 1)).await;
    let result =
        |events: &[(SseMessage, proto::RunEvent)]| match &events.last().expect("events").1.kind {
            EventKind::Completed { result, .. } => result.clone(),
            other => panic!("expected completion, got {other:?}"),
        };
    let anonymous = read_from(&one.base, &started, None, |_| false).await;
    assert_eq!(result(&anonymous), None);
    let token = started.control_token.clone().expect("token");
    let url = format!(
        "{}/api/runs/{}/{}/events?token={token}",
        one.base, started.activity_id, started.run_id
    );
    let mine = read_url(&url, None, |_| false).await;
    assert_eq!(result(&mine).as_deref(), Some("\"Hello, World!\""));
    // Local mode shows everyone everything, as before.
    let local = read_from(&app().base, &started, None, |_| false).await;
    assert_eq!(result(&local).as_deref(), Some("\"Hello, World!\""));
    one.shutdown();
}

/// POSTs a start to `base` as the client `ip` says (through a proxy).
async fn start_as(base: &str, ip: Option<&str>, body: &serde_json::Value) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/api/runs"))
        .json(body);
    if let Some(ip) = ip {
        req = req.header("X-Forwarded-For", ip);
    }
    req.send().await.expect("POST /api/runs")
}

fn small_limits() -> Limits {
    Limits {
        start_burst: 3,
        starts_per_minute: 1,
        streams_per_ip: 2,
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_burst_of_starts_is_limited_per_client() {
    let proxied = app().another_with(public(small_limits(), "127.0.0.1"));
    // Invalid starts count too: the limit is on asking, not on succeeding.
    let invalid = serde_json::json!({"config": {}});
    for _ in 0..3 {
        let resp = start_as(&proxied.base, Some("198.51.100.1"), &invalid).await;
        assert_eq!(resp.status(), 422);
    }
    let resp = start_as(&proxied.base, Some("198.51.100.1"), &invalid).await;
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    // One start a minute after the burst: the next is about a minute away.
    assert!((1..=60).contains(&retry), "{retry}");
    let e = api_error(resp, 429).await;
    assert_eq!(e.code, "rate_limited");
    // Another client behind the same proxy is served, for real.
    let req = request("limited", FailureScenario::None, 1);
    let other = start_as(
        &proxied.base,
        Some("198.51.100.2"),
        &serde_json::to_value(&req).expect("json"),
    )
    .await;
    assert_eq!(other.status(), 201);
    // The proxy's nearest untrusted hop counts, not a spoofed first entry.
    let spoofed = start_as(&proxied.base, Some("203.0.113.7, 198.51.100.1"), &invalid).await;
    assert_eq!(spoofed.status(), 429);

    // Without a trusted proxy, X-Forwarded-For is the client's own claim and
    // is ignored: every request counts against the socket's address.
    let direct = app().another_with(public(small_limits(), ""));
    for n in 0..4 {
        let ip = format!("192.0.2.{n}");
        let resp = start_as(&direct.base, Some(&ip), &invalid).await;
        assert_eq!(resp.status(), if n < 3 { 422 } else { 429 }, "request {n}");
    }
    // Local mode has no such limit.
    for _ in 0..5 {
        assert_eq!(start_as(&app().base, None, &invalid).await.status(), 422);
    }
    proxied.shutdown();
    direct.shutdown();
}

#[tokio::test]
async fn open_streams_are_capped_per_client() {
    let one = app().another_with(public(small_limits(), ""));
    let started = start_on(&one.base, &long_running("streams")).await;
    let url = format!(
        "{}/api/runs/{}/{}/events",
        one.base, started.activity_id, started.run_id
    );
    let client = reqwest::Client::new();
    let first = client.get(&url).send().await.expect("stream 1");
    let second = client.get(&url).send().await.expect("stream 2");
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = client.get(&url).send().await.expect("stream 3");
    assert!(third.headers().contains_key("retry-after"));
    assert_eq!(api_error(third, 429).await.code, "rate_limited");
    // Streams that ended free their places.
    let token = started.control_token.clone().expect("token");
    assert_eq!(
        stop_on(&one.base, &started, "terminate", Some(&token))
            .await
            .status(),
        202
    );
    for resp in [first, second] {
        tokio::time::timeout(RUN_DEADLINE, resp.bytes())
            .await
            .expect("the stream ends with the run")
            .expect("body");
    }
    let again = client.get(&url).send().await.expect("stream again");
    assert_eq!(again.status(), 200);
    one.shutdown();
}

#[tokio::test]
async fn oversized_bodies_are_refused_as_json() {
    let one = app().another_with(public(Limits::default(), ""));
    let huge = "x".repeat(20 * 1024);
    for base in [&one.base, &app().base] {
        let mut req = request("too-large", FailureScenario::None, 1);
        req.config.input = huge.clone();
        let e = api_error(post_run_to(base, &req).await, 413).await;
        assert_eq!(e.code, "too_large");
        let resp = reqwest::Client::new()
            .post(format!("{base}/api/runs/some-id/some-run/cancel"))
            .header("X-Control-Token", "00")
            .body(format!("{{\"reason\": \"{huge}\"}}"))
            .send()
            .await
            .expect("POST cancel");
        // Public mode refuses the stranger before reading the body.
        let status = if base == &one.base { 403 } else { 413 };
        api_error(resp, status).await;
    }
    one.shutdown();
}

/// Inline `<script>` elements (with no `src`) in `html`.
fn inline_scripts(html: &str) -> usize {
    html.match_indices("<script")
        .filter(|(at, _)| {
            let tag = &html[*at..];
            let end = tag.find('>').unwrap_or(tag.len());
            !tag[..end].contains("src=")
        })
        .count()
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let framed = Hosting {
        frame_ancestors: "https://docs.temporal.io".to_owned(),
        temporal_ui_url: Some("https://ui.example".to_owned()),
        ..Hosting::public(SECRET)
    };
    let one = app().another_with(framed);
    for (base, ancestors) in [
        (&app().base, "'self'"),
        (&one.base, "https://docs.temporal.io"),
    ] {
        for path in ["/", "/api/info", "/api/nope", "/main.js"] {
            let resp = reqwest::get(format!("{base}{path}")).await.expect("GET");
            let h = resp.headers();
            let csp = h["content-security-policy"].to_str().expect("ascii");
            let script_src = csp
                .split(';')
                .map(str::trim)
                .find(|d| d.starts_with("script-src"))
                .expect("script-src");
            assert!(!script_src.contains("unsafe-inline"), "{csp}");
            assert!(script_src.contains("'wasm-unsafe-eval'"), "{csp}");
            assert!(csp.contains("connect-src 'self'"), "{csp}");
            assert!(
                csp.ends_with(&format!("frame-ancestors {ancestors}")),
                "{csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(h["referrer-policy"], "no-referrer");
        }
    }
    // The page loads its module from a file: the CSP lets no inline script run.
    let page = reqwest::get(&app().base).await.expect("GET /");
    let html = page.text().await.expect("html");
    assert_eq!(inline_scripts(&html), 0, "{html}");
    assert!(html.contains(r#"<script type="module" src="/main.js">"#));
    // The check catches an inline loader.
    let mutated = html.replace(
        r#"<script type="module" src="/main.js"></script>"#,
        r#"<script type="module">import init from '/pkg/sa_demo_app.js'; init();</script>"#,
    );
    assert_eq!(inline_scripts(&mutated), 1);
    // A public page links only to the Web UI it was given.
    assert_eq!(one.info.web_ui_url.as_deref(), Some("https://ui.example"));
    one.shutdown();
}
