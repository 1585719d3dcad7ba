//! Run as: From a Workflow, in a real headless Chromium against the real app
//! and its dev server: the switch starts the demo's Workflow, which executes
//! the same activity (fail-first-2 completes on attempt 3), the Execution
//! Flow gains its Workflow node, the code panels show the Workflow program
//! and `temporal workflow` commands, the Compare panel sets the two runs
//! side by side, and the share link restores the switch; the setup above the
//! code is the Workflow program's (TypeScript's: two files, three packages).

mod common;
mod ui;

use ui::{
    browser, choose_scenario, count, driver, execute, open_page, set_field, testid, wait_css,
    wait_xpath,
};

#[tokio::test]
async fn a_workflow_run_from_the_page_completes_and_the_link_keeps_the_switch() {
    let driver = driver().await;
    let c = browser(&driver).await;
    open_page(&c).await;
    // Standalone by default: no Workflow node, the Standalone program.
    let node = testid(&c, "flow-node-workflow").await;
    assert!(!node.is_displayed().await.expect("displayed"));
    set_field(&c, "input-activity-id", &common::unique("sa-ui")).await;
    execute(&c).await;
    wait_css(&c, "[data-testid=result][data-status=completed]").await;
    // One kind only: nothing to compare yet.
    assert_eq!(count(&c, "[data-testid=compare]").await, 0);
    let first = testid(&c, "run-id").await.text().await.expect("run id");
    testid(&c, "select-run-as")
        .await
        .select_by_value("workflow")
        .await
        .expect("choose From a Workflow");
    let code = testid(&c, "sdk-code").await.text().await.expect("code");
    assert!(code.contains("workflow.ExecuteActivity"), "{code}");
    let cli = testid(&c, "cli-command").await.text().await.expect("cli");
    assert!(cli.contains("temporal workflow execute"), "{cli}");

    set_field(&c, "input-activity-id", &common::unique("wf-ui")).await;
    choose_scenario(&c, "fail_first").await;
    set_field(&c, "fail-attempts", "2").await;
    set_field(&c, "max-retries", "2").await;
    execute(&c).await;
    // The Workflow run is on screen, not the first one's result.
    wait_xpath(
        &c,
        &format!("//*[@data-testid='run-id'][text()!='{first}']"),
    )
    .await;
    let result = wait_css(&c, "[data-testid=result][data-status=completed]").await;
    let text = result.text().await.expect("text");
    assert!(
        text.contains("attempt 3") && text.contains("Hello, World!"),
        "{text}"
    );
    wait_css(&c, "[data-testid=log-line][data-type=workflow_started]").await;
    wait_css(&c, "[data-testid=flow-node-workflow][data-state=completed]").await;
    assert!(
        testid(&c, "flow-node-workflow")
            .await
            .is_displayed()
            .await
            .expect("displayed")
    );

    // Both kinds ran: the comparison, from the two runs.
    let table = wait_css(&c, "[data-testid=compare]")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        table.contains("StartActivityExecution from the client"),
        "{table}"
    );
    assert!(
        table.contains("ActivityOptions inside the Workflow definition"),
        "{table}"
    );
    assert!(
        table.contains("no Event History") && table.contains(" events"),
        "{table}"
    );
    assert!(
        table.contains("completed (attempt 1)") && table.contains("completed (attempt 3)"),
        "{table}"
    );

    // The link carries the switch; a fresh page opened with it restores it.
    let link = testid(&c, "share-link")
        .await
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    assert!(link.contains("as=workflow"), "{link}");
    c.goto(&link).await.expect("open the link");
    let chosen = testid(&c, "select-run-as")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(chosen.as_deref(), Some("workflow"));
    c.close().await.expect("close session");
}

/// The setup lines follow the switch: TypeScript's Workflow program is two
/// files needing the Worker and Workflow packages, its Standalone one file
/// and the client.
#[tokio::test]
async fn the_setup_above_the_code_is_the_workflow_programs() {
    let driver = driver().await;
    let c = browser(&driver).await;
    let app = common::app();
    c.goto(&format!("{}/?lang=typescript&as=workflow", app.base))
        .await
        .expect("open");
    let install = "@temporalio/worker@1.24.0";
    wait_xpath(
        &c,
        &format!("//*[@data-testid='setup-install'][contains(., '{install}')]"),
    )
    .await;
    let setup = testid(&c, "sdk-setup").await.text().await.expect("setup");
    for needle in [
        "@temporalio/workflow@1.24.0",
        "workflows.ts, main.ts",
        "npx tsx main.ts",
    ] {
        assert!(setup.contains(needle), "{needle}: {setup}");
    }
    testid(&c, "select-run-as")
        .await
        .select_by_value("standalone")
        .await
        .expect("choose Standalone");
    wait_xpath(
        &c,
        "//*[@data-testid='setup-save-as'][normalize-space()='execute-activity.ts']",
    )
    .await;
    let setup = testid(&c, "sdk-setup").await.text().await.expect("setup");
    assert!(!setup.contains(install), "{setup}");
    c.close().await.expect("close session");
}
