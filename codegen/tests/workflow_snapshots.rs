//! Snapshots of the "Run as: From a Workflow" programs (with how to
//! install, save and run each) and commands for every language, at the
//! form's defaults and with every option set (and with a failure scenario),
//! plus what every one of them must say: the
//! Workflow type, the activity type, the activity's options inside the
//! Workflow and the Workflow's Worker. Review a changed snapshot like code:
//! it is what users copy and run.

use proto::{ActivityConfig, FailureScenario, Language};
use sa_demo_codegen::{
    TS_FILE_MARKER, Target, cli_workflow_command_with, sdk_workflow_setup,
    sdk_workflow_snippet_with,
};

mod configs;
mod render;

use configs::everything;
use render::{render, render_setup};

fn configs() -> [(&'static str, ActivityConfig); 2] {
    [
        ("defaults", ActivityConfig::default()),
        ("everything", everything()),
    ]
}

#[test]
fn sdk_workflow_programs() {
    let target = Target::default();
    for lang in Language::ALL {
        for (name, config) in configs() {
            let snippet = sdk_workflow_snippet_with(lang, &config, FailureScenario::None, &target);
            let text = render_setup(&sdk_workflow_setup(lang)) + &render(&snippet);
            insta::assert_snapshot!(format!("sdk_workflow_{}_{name}", lang.slug()), text);
        }
    }
}

#[test]
fn cli_workflow_commands() {
    let target = Target::default();
    for lang in Language::ALL {
        for (name, config) in configs() {
            let snippet = cli_workflow_command_with(lang, &config, FailureScenario::None, &target);
            insta::assert_snapshot!(
                format!("cli_workflow_{}_{name}", lang.slug()),
                render(&snippet)
            );
        }
    }
}

#[test]
fn a_failure_scenario_is_said_not_sent() {
    let target = Target::default();
    let config = ActivityConfig::default();
    let scenario = FailureScenario::FailFirst { attempts: 2 };
    let program = sdk_workflow_snippet_with(Language::Go, &config, scenario, &target);
    let command = cli_workflow_command_with(Language::Go, &config, scenario, &target);
    insta::assert_snapshot!(
        "workflow_go_fail_first_2",
        render(&program) + "---\n" + &render(&command)
    );
    assert!(!command.text().contains("--headers"), "{}", command.text());
}

/// What a Workflow program must contain in each SDK's own API: the
/// Workflow-side activity call, its options type, the Worker registering
/// the Workflow, the client start and both type names.
#[test]
fn every_program_uses_its_sdks_workflow_api() {
    let target = Target::default();
    let config = everything();
    for lang in Language::ALL {
        let code = sdk_workflow_snippet_with(lang, &config, FailureScenario::None, &target).text();
        let expected: &[&str] = match lang {
            Language::Go => &[
                "workflow.ExecuteActivity(ctx, \"Activity\", name)",
                "workflow.ActivityOptions{",
                "RetryPolicy: &temporal.RetryPolicy{",
                "w.RegisterWorkflow(GreetingWorkflow)",
                "c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{",
            ],
            Language::Python => &[
                "await workflow.execute_activity(",
                "retry_policy=RetryPolicy(",
                "workflows=[GreetingWorkflow]",
                "await client.execute_workflow(",
            ],
            Language::Dotnet => &[
                "Workflow.ExecuteActivityAsync<string>(",
                "new ActivityOptions",
                "AddWorkflow<GreetingWorkflow>()",
                "client.ExecuteWorkflowAsync(",
            ],
            Language::Java => &[
                "Workflow.newActivityStub(",
                "ActivityOptions.newBuilder()",
                "registerWorkflowImplementationTypes(GreetingWorkflowImpl.class)",
                "client.newWorkflowStub(",
            ],
            Language::Typescript => &[
                "proxyActivities<{ greet(name: string): Promise<string> }>({",
                "export async function greetingWorkflow(",
                "workflowsPath: require.resolve('./workflows')",
                "client.workflow.execute(greetingWorkflow, {",
            ],
            Language::Ruby => &[
                "Temporalio::Workflow.execute_activity(",
                "retry_policy: Temporalio::RetryPolicy.new(",
                "workflows: [GreetingWorkflow]",
                "client.execute_workflow(",
            ],
        };
        for needle in expected {
            assert!(code.contains(needle), "{lang:?} lacks {needle:?}\n{code}");
        }
        assert!(code.contains(lang.workflow_type()), "{code}");
        assert!(code.contains(lang.activity_type()), "{code}");
        assert!(code.contains("payments"), "{code}");
    }
}

/// TypeScript's two files each start with a marker naming the file, the
/// files the setup says to save, in its order; only the Workflow file
/// imports `@temporalio/workflow`, and every package the program imports is
/// one the setup installs.
#[test]
fn typescript_comes_as_two_files() {
    let code = sdk_workflow_snippet_with(
        Language::Typescript,
        &ActivityConfig::default(),
        FailureScenario::None,
        &Target::default(),
    )
    .text();
    let files: Vec<&str> = code.split(TS_FILE_MARKER).skip(1).collect();
    assert_eq!(files.len(), 2, "{code}");
    assert!(files[0].starts_with("workflows.ts ="), "{}", files[0]);
    assert!(files[0].contains("'@temporalio/workflow'"), "{}", files[0]);
    assert!(files[1].starts_with("main.ts ="), "{}", files[1]);
    assert!(!files[1].contains("'@temporalio/workflow'"), "{}", files[1]);
    assert!(files[1].contains("'./workflows'"), "{}", files[1]);
    let setup = sdk_workflow_setup(Language::Typescript);
    let named: Vec<&str> = files
        .iter()
        .filter_map(|f| f.split_once(" ="))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(named, setup.file_names());
    let everything = sdk_workflow_snippet_with(
        Language::Typescript,
        &everything(),
        FailureScenario::None,
        &Target::default(),
    );
    for code in [code.as_str(), &everything.text()] {
        let packages = code
            .split(" from '")
            .skip(1)
            .filter_map(|rest| rest.split_once('\'').map(|(from, _)| from))
            .filter(|from| !from.starts_with('.'));
        for package in packages {
            let pinned = format!("{package}@");
            assert!(
                setup.install.contains(&pinned),
                "{package}: {}",
                setup.install
            );
        }
    }
}
