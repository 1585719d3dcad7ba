//! Snapshots of every generated SDK snippet (with how to install, save and
//! run it) and CLI command, for every language and three representative
//! configurations, plus the failure scenario carried in `--headers`, the
//! programs that pause and unpause their run, and the operator commands'
//! CLI. Review a changed snapshot like code: it is what users copy and run.

use proto::operator::{Command, OptionsUpdate, ResetBody};
use proto::{ActivityConfig, FailureScenario, IdReusePolicy, Language};
use sa_demo_codegen::{
    Target, TokenKind, cli_command, cli_command_with, cli_setup, operator_cli, sdk_setup,
    sdk_snippet, sdk_snippet_with, sdk_snippet_with_operator_calls,
};

mod configs;
mod render;

use configs::everything;
use render::{render, render_setup};

/// The form as it loads.
fn defaults() -> ActivityConfig {
    ActivityConfig::default()
}

/// Input, id and queue that try to break out of every kind of literal.
fn awkward() -> ActivityConfig {
    ActivityConfig {
        activity_id: "it's $HOME".to_owned(),
        task_queue: "q\"#{x}".to_owned(),
        input: "O'Brien \"the $HOME\" \\ #{1} `x` ${y} \u{202e}é😀".to_owned(),
        id_reuse_policy: IdReusePolicy::AllowDuplicateFailedOnly,
        ..ActivityConfig::default()
    }
}

/// The defaults with a start delay: the run is still scheduled while a
/// program pauses and unpauses it.
fn delayed() -> ActivityConfig {
    ActivityConfig {
        start_delay_ms: Some(5_000),
        ..ActivityConfig::default()
    }
}

/// Every operator command, with a reason that needs quoting.
fn commands() -> [Command; 5] {
    [
        Command::Pause {
            reason: "it's $late".to_owned(),
        },
        Command::Unpause {
            reason: "go on".to_owned(),
        },
        Command::Reset(ResetBody {
            keep_paused: true,
            reset_heartbeat: true,
        }),
        Command::UpdateOptions(OptionsUpdate {
            task_queue: Some("other queue".to_owned()),
            start_to_close_ms: Some(20_000),
            heartbeat_ms: Some(1_500),
            retry: Some(everything().retry),
            ..OptionsUpdate::default()
        }),
        Command::Delete,
    ]
}

fn configs() -> [(&'static str, ActivityConfig); 3] {
    [
        ("defaults", defaults()),
        ("everything", everything()),
        ("awkward", awkward()),
    ]
}

#[test]
fn sdk_snippets() {
    let target = Target::default();
    for lang in Language::ALL {
        for (name, config) in configs() {
            let snippet = sdk_snippet(lang, &config, &target);
            let text = render_setup(&sdk_setup(lang)) + &render(&snippet);
            insta::assert_snapshot!(format!("sdk_{}_{name}", lang.slug()), text);
        }
    }
}

#[test]
fn cli_commands() {
    let target = Target::default();
    for lang in Language::ALL {
        for (name, config) in configs() {
            let snippet = cli_command(lang, &config, &target);
            let text = render_setup(&cli_setup()) + &render(&snippet);
            insta::assert_snapshot!(format!("cli_{}_{name}", lang.slug()), text);
        }
    }
}

/// With "Include the failure scenario": the command carries it in
/// `--headers`; each SDK program says in a comment how the demo passes it.
#[test]
fn failure_scenario_included() {
    let target = Target::default();
    let scenario = FailureScenario::FailFirst { attempts: 2 };
    let cli = cli_command_with(Language::Go, &defaults(), scenario, &target);
    insta::assert_snapshot!("cli_go_fail_first_2", render(&cli));
    for lang in Language::ALL {
        let sdk = sdk_snippet_with(lang, &defaults(), scenario, &target).text();
        assert!(
            sdk.contains(
                r#"key "demo-scenario", a JSON payload {"kind":"fail_first","attempts":2}."#
            ),
            "{lang:?}:\n{sdk}"
        );
    }
    let outage = cli_command_with(
        Language::Go,
        &defaults(),
        FailureScenario::Outage { seconds: 5 },
        &target,
    );
    assert!(
        outage
            .notes
            .iter()
            .any(|n| n.contains("cannot reproduce it"))
    );
}

/// The programs that pause, unpause, then wait for the result (Java and
/// .NET say in a comment that their SDKs cannot).
#[test]
fn sdk_snippets_with_operator_calls() {
    let target = Target::default();
    for lang in Language::ALL {
        let snippet =
            sdk_snippet_with_operator_calls(lang, &delayed(), FailureScenario::None, &target);
        insta::assert_snapshot!(
            format!("sdk_{}_operator_calls", lang.slug()),
            render(&snippet)
        );
        let plain = sdk_snippet_with(lang, &delayed(), FailureScenario::None, &target);
        let calls = matches!(lang, Language::Java | Language::Dotnet);
        assert_ne!(snippet.text(), plain.text(), "{lang:?}");
        let lower = snippet.text().to_lowercase();
        assert_eq!(lower.contains("handle.pause("), !calls, "{lang:?}");
        assert_eq!(lower.contains("handle.unpause("), !calls, "{lang:?}");
        // Without a start delay the pause may come too late: the note says so.
        let undelayed =
            sdk_snippet_with_operator_calls(lang, &defaults(), FailureScenario::None, &target);
        let warns = undelayed
            .notes
            .iter()
            .any(|n| n.starts_with("Without a start delay"));
        assert_eq!(warns, !calls, "{lang:?}: {:?}", undelayed.notes);
    }
}

/// The CLI command of every operator command, for one run.
#[test]
fn operator_commands() {
    let target = Target::default();
    let run_id = "0192c0de-0000-7000-8000-000000000001";
    let texts: Vec<String> = commands()
        .iter()
        .map(|c| render(&operator_cli(&target, "order-42", run_id, c)))
        .collect();
    insta::assert_snapshot!("cli_operator_commands", texts.join("---\n"));
}

/// One snippet with its span kinds shown, to review what gets highlighted.
#[test]
fn highlighting_of_the_go_default() {
    let snippet = sdk_snippet(Language::Go, &defaults(), &Target::default());
    let annotated: String = snippet
        .spans
        .iter()
        .map(|s| match s.kind {
            TokenKind::Plain => s.text.clone(),
            kind => format!("«{}:{}»", kind.slug(), s.text),
        })
        .collect();
    insta::assert_snapshot!(annotated);
}

#[test]
fn every_snippet_names_its_languages_activity_type() {
    let target = Target::default();
    for lang in Language::ALL {
        for (_, config) in configs() {
            let quoted = match lang {
                Language::Typescript | Language::Ruby => format!("'{}'", lang.activity_type()),
                _ => format!("\"{}\"", lang.activity_type()),
            };
            let code = sdk_snippet(lang, &config, &target).text();
            assert!(code.contains(&quoted), "{lang:?} snippet lacks {quoted}");
            for other in Language::ACTIVITY_TYPES {
                if other != lang.activity_type() {
                    for q in ['"', '\''] {
                        let quoted = format!("{q}{other}{q}");
                        assert!(!code.contains(&quoted), "{lang:?} names {other}");
                    }
                }
            }
            let cli = cli_command(lang, &config, &target).text();
            assert!(cli.contains(&format!("--type {} \\", lang.activity_type())));
        }
    }
}

/// Length of the Go interpreted string literal at the start of `s`.
fn go_literal_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next()?;
            }
            '"' => return Some(i + 1),
            '\n' => return None,
            _ => {}
        }
    }
    None
}

#[test]
fn go_passes_exactly_one_argument() {
    let target = Target::default();
    for (_, config) in configs() {
        let code = sdk_snippet(Language::Go, &config, &target).text();
        assert_eq!(code.matches("ExecuteActivity(").count(), 1);
        let (_, after) = code
            .split_once("}, \"Activity\", ")
            .expect("the activity is passed by name after the options");
        let len = go_literal_len(after).expect("one string literal");
        assert!(
            after[len..].starts_with(")\n"),
            "more than one argument:\n{code}"
        );
    }
}

#[test]
fn spans_are_well_formed() {
    let target = Target::default();
    for lang in Language::ALL {
        for (_, config) in configs() {
            let operating =
                sdk_snippet_with_operator_calls(lang, &config, FailureScenario::None, &target);
            let operators = commands().map(|c| operator_cli(&target, "a", "r", &c));
            for snippet in [
                sdk_snippet(lang, &config, &target),
                cli_command(lang, &config, &target),
                operating,
            ]
            .into_iter()
            .chain(operators)
            {
                for pair in snippet.spans.windows(2) {
                    assert_ne!(pair[0].kind, pair[1].kind, "neighbours should merge");
                }
                for span in &snippet.spans {
                    assert!(!span.text.is_empty());
                    if span.kind == TokenKind::Number {
                        assert!(span.text.starts_with(|c: char| c.is_ascii_digit()));
                    }
                }
                assert!(snippet.text().ends_with('\n'));
            }
        }
    }
}

#[test]
fn notes_name_missing_flags_the_endless_wait_pythons_exit_crash_and_the_start_delay() {
    let target = Target::default();
    for lang in Language::ALL {
        // Only start-to-close: nothing bounds the wait for a Worker.
        let notes = cli_command(lang, &defaults(), &target).notes;
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("waits forever"), "{notes:?}");
        let sdk_notes = sdk_snippet(lang, &defaults(), &target).notes;
        assert!(sdk_notes.iter().any(|n| n.contains("waits forever")));
        // Schedule-to-close bounds it.
        let notes = cli_command(lang, &everything(), &target).notes;
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("no flag for non-retryable error types"));
        assert!(notes[0].contains("ValidationError, Fatal"));
        let sdk_notes = sdk_snippet(lang, &everything(), &target).notes;
        let mut sdk_notes = sdk_notes.iter();
        if lang == Language::Python {
            // temporalio's exit crash (sdk-python#300).
            let crash = sdk_notes.next().expect("a note");
            assert!(crash.contains("PyGILState_Release"));
        }
        // The start delay is newer than the rest of the API.
        let delay = sdk_notes.next().expect("a start delay note");
        assert!(delay.contains("is newer than the rest"), "{delay}");
        assert_eq!(sdk_notes.next(), None);
    }
}

#[test]
fn java_programs_are_ascii() {
    for (_, config) in configs() {
        let code = sdk_snippet(Language::Java, &config, &Target::default()).text();
        assert!(code.is_ascii(), "{code}");
    }
}
