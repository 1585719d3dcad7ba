//! The attempt timeline in a real headless Chromium, against runs on the
//! real Temporal Server: the bars and backoffs are where Temporal's record
//! puts them, the text alternative lists the same attempts, the hop costs
//! are shown, and a 390 px wide phone never scrolls the page sideways.

mod common;
mod ui;

use fantoccini::{Client, Locator};
use ui::{
    browser, choose_scenario, count, driver, execute, open_advanced, open_page, set_field, testid,
    wait_css,
};

/// An integer `data-*` attribute of `el`.
async fn ms(el: &fantoccini::elements::Element, name: &str) -> i64 {
    let v = el.attr(name).await.expect("attr");
    v.as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} = {v:?}"))
}

async fn text(c: &Client, id: &str) -> String {
    testid(c, id).await.text().await.expect("text")
}

/// Whether the page is wider than the window (it must never be).
async fn overflows(c: &Client) -> bool {
    let js = "return document.documentElement.scrollWidth > document.documentElement.clientWidth";
    c.execute(js, vec![]).await.expect("script") == serde_json::Value::Bool(true)
}

#[tokio::test]
async fn retries_show_three_attempts_and_the_backoffs_the_server_scheduled() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    choose_scenario(&c, "fail_first").await;
    set_field(&c, "fail-attempts", "2").await;
    set_field(&c, "max-retries", "2").await;
    open_advanced(&c).await;
    set_field(&c, "input-initial-interval", "1").await;
    set_field(&c, "input-backoff", "2").await;
    execute(&c).await;
    // While attempt 2 waits, its backoff is drawn with what is left of it.
    // Focused (as Tab would), it keeps the focus while the live drawing is
    // redrawn: the countdown, the next lanes, the close.
    // The log's lines so far stay the same elements as lines arrive (its
    // live region then announces only the new ones).
    wait_css(&c, "[data-testid=timeline-backoff]").await;
    c.execute(
        "document.querySelector('[data-testid=timeline-backoff]').focus(); \
         document.querySelectorAll('[data-testid=log-line]').forEach(l => l.keptByTheLog = true);",
        vec![],
    )
    .await
    .expect("focus");
    wait_css(&c, "[data-testid=result][data-status=completed]").await;
    let kept = c
        .execute(
            "const lines = [...document.querySelectorAll('[data-testid=log-line]')]; \
             return [lines.findIndex(l => l.keptByTheLog !== true), lines.length];",
            vec![],
        )
        .await
        .expect("script");
    let (first_new, lines): (i64, i64) = serde_json::from_value(kept.clone()).expect("pair");
    assert!(
        0 < first_new && first_new < lines,
        "{kept}: the old lines, then new ones"
    );
    let focused = c
        .execute(
            "const e = document.activeElement; \
             return e && e.dataset ? [e.dataset.testid, e.dataset.after] : null",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(focused, serde_json::json!(["timeline-backoff", "1"]));
    // The terminal event is in: the timeline shows the closed run.
    wait_css(&c, "[data-testid=timeline-attempt][data-outcome=completed]").await;

    let bars = c
        .find_all(Locator::Css("[data-testid=timeline-attempt]"))
        .await
        .expect("bars");
    assert_eq!(bars.len(), 3, "three attempt bars");
    // Each lane's execution bar is an SVG shape the browser laid out, later
    // attempts further right.
    let boxes = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=timeline-attempt] .tl-bar')] \
             .map(r => r instanceof SVGRectElement ? [r.getBBox().x, r.getBBox().width] : null)",
            vec![],
        )
        .await
        .expect("script");
    let boxes: Vec<(f64, f64)> =
        serde_json::from_value(boxes.clone()).unwrap_or_else(|e| panic!("{e}: {boxes}"));
    assert_eq!(boxes.len(), 3, "{boxes:?}");
    assert!(boxes.iter().all(|(_, w)| *w >= 2.0), "{boxes:?}");
    assert!(boxes.windows(2).all(|p| p[0].0 < p[1].0), "{boxes:?}");
    let mut spans = Vec::new();
    for (i, bar) in bars.iter().enumerate() {
        assert_eq!(ms(bar, "data-attempt").await, i as i64 + 1);
        let outcome = bar
            .attr("data-outcome")
            .await
            .expect("attr")
            .unwrap_or_default();
        assert_eq!(outcome, if i < 2 { "failed" } else { "completed" });
        let (start, end) = (ms(bar, "data-start-ms").await, ms(bar, "data-end-ms").await);
        assert!(
            0 <= start && start <= end,
            "attempt {}: {start}..{end}",
            i + 1
        );
        spans.push((start, end));
    }
    let backoffs = c
        .find_all(Locator::Css("[data-testid=timeline-backoff]"))
        .await
        .expect("backoffs");
    assert_eq!(backoffs.len(), 2, "two backoffs");
    for (i, (b, want)) in backoffs.iter().zip([1_000, 2_000]).enumerate() {
        let (from, to) = (ms(b, "data-start-ms").await, ms(b, "data-end-ms").await);
        // The interval Temporal reported, and the span between Temporal's
        // failure time and its next-attempt time, are both the policy's.
        assert_eq!(ms(b, "data-length-ms").await, want);
        assert_eq!(to - from, want, "backoff {}", i + 1);
        // From the failure it follows, to no later than the next pickup.
        assert_eq!(from, spans[i].1);
        assert!(to <= spans[i + 1].0, "{to} > {:?}", spans[i + 1]);
    }

    // Focus (as Tab would) shows a part's exact times.
    c.execute(
        "document.querySelector('[data-testid=timeline-backoff]').focus()",
        vec![],
    )
    .await
    .expect("focus");
    let detail = text(&c, "timeline-detail").await;
    assert!(
        detail.contains("Backoff after attempt 1") && detail.contains("1 s"),
        "{detail}"
    );

    // The text alternative lists the same attempts.
    wait_css(&c, "[data-testid=timeline-table] > summary")
        .await
        .click()
        .await
        .expect("open the table");
    assert_eq!(count(&c, "[data-testid=timeline-row]").await, 3);
    let table = text(&c, "timeline-table").await;
    assert!(
        table.contains("failed (") && table.contains("completed"),
        "{table}"
    );
    assert!(table.contains("1 s") && table.contains("2 s"), "{table}");

    // The hops of this run, measured.
    for hop in ["hop-schedule", "hop-poll", "hop-execute", "hop-return"] {
        testid(&c, hop).await;
    }
    assert!(text(&c, "hop-execute").await.contains("#3"));

    let shots = std::env::var_os("SA_DEMO_TIMELINE_SCREENSHOTS").map(std::path::PathBuf::from);
    let shoot = async |name: &str| {
        if let Some(dir) = &shots {
            // The flow (with the hop costs) and the timeline under it.
            c.execute(
                "document.getElementById('flow-panel').scrollIntoView()",
                vec![],
            )
            .await
            .expect("scroll");
            let png = c.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(name), png).expect("write screenshot");
        }
    };
    shoot("timeline-desktop.png").await;
    // A phone: the timeline scrolls inside its panel, the page never sideways.
    c.set_window_size(390, 844).await.expect("resize");
    wait_css(&c, "[data-testid=timeline]").await;
    assert!(!overflows(&c).await, "the page overflows a 390 px window");
    shoot("timeline-phone.png").await;
    c.close().await.expect("close session");
}

#[tokio::test]
async fn an_outage_shows_the_wait_on_the_queue() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    choose_scenario(&c, "outage").await;
    set_field(&c, "scenario-seconds", "3").await;
    execute(&c).await;
    // While no Worker polls, the outage is drawn.
    wait_css(&c, ".tl-outage").await;
    wait_css(&c, "[data-testid=result][data-status=completed]").await;
    let bar = wait_css(&c, "[data-testid=timeline-attempt][data-outcome=completed]").await;
    // Picked up only once the Worker came back, about 3 s after scheduling.
    let start = ms(&bar, "data-start-ms").await;
    assert!(start >= 2_000, "picked up at {start} ms");
    let poll = text(&c, "hop-poll").await;
    assert!(poll.contains("#1 2.") || poll.contains("#1 3"), "{poll}");
    wait_css(&c, "[data-testid=timeline-attempt] .tl-queue").await;
    c.close().await.expect("close session");
}
