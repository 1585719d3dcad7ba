//! Parses the generated Go, C#, Java and Ruby with tree-sitter grammars, so a
//! snippet that would not compile fails the build here rather than in a
//! user's editor, and checks in the syntax tree the traps §7 of the reference
//! names: Go's argument count, .NET's retry placement and float coefficient,
//! Java's double coefficient and Ruby's `max_*` keywords, and how Ruby's
//! handle takes a pause's and an unpause's reason. The programs that pause
//! and unpause their run are parsed too, and so are the Workflow programs. Python and TypeScript are not here:
//! their snippets are run for real elsewhere. The checks themselves are in
//! `traps.rs`.

use proto::{
    ActivityConfig, FailureScenario, IdConflictPolicy, IdReusePolicy, Language, RetryPolicy,
    TimeoutKind,
};
use sa_demo_codegen::{
    Target, sdk_snippet, sdk_snippet_with, sdk_snippet_with_operator_calls,
    sdk_workflow_snippet_with,
};
use tree_sitter::{Parser, Tree};

mod traps;

use traps::traps;

/// The targets with a grammar here.
const PARSED: [Language; 4] = [
    Language::Go,
    Language::Dotnet,
    Language::Java,
    Language::Ruby,
];

fn grammar(lang: Language) -> tree_sitter::Language {
    match lang {
        Language::Go => tree_sitter_go::LANGUAGE.into(),
        Language::Dotnet => tree_sitter_c_sharp::LANGUAGE.into(),
        Language::Java => tree_sitter_java::LANGUAGE.into(),
        Language::Ruby => tree_sitter_ruby::LANGUAGE.into(),
        Language::Python | Language::Typescript => panic!("{lang:?} is executed, not parsed"),
    }
}

/// Where the first ERROR or MISSING node is, in document order, and what it
/// holds. Every node is visited, not only those under `has_error`, so the
/// check does not lean on the parser's own summary.
fn first_syntax_error(tree: &Tree, code: &str) -> Option<String> {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let what = if node.is_missing() {
                format!("missing `{}`", node.kind())
            } else {
                let text: String = code[node.byte_range()].chars().take(80).collect();
                format!("cannot parse {text:?}")
            };
            let at = node.start_position();
            let line = code.lines().nth(at.row).unwrap_or_default();
            let (row, column) = (at.row + 1, at.column + 1);
            return Some(format!("line {row}, column {column}: {what}\n    {line}"));
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

/// Parses `code`, or says where it stops being `lang`.
fn check_syntax(lang: Language, code: &str) -> Result<Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&grammar(lang))
        .expect("the grammar's ABI is one this tree-sitter reads");
    let tree = parser
        .parse(code, None)
        .expect("parsing only gives up on a timeout or cancellation, and none is set");
    match first_syntax_error(&tree, code) {
        Some(error) => Err(error),
        None => Ok(tree),
    }
}

/// The code with line numbers, for failure messages.
fn numbered(code: &str) -> String {
    code.lines()
        .enumerate()
        .map(|(i, line)| format!("{:>3} | {line}\n", i + 1))
        .collect()
}
/// Every timeout, both non-default id policies, non-retryable types and
/// intervals that are not whole seconds.
fn everything() -> ActivityConfig {
    ActivityConfig {
        activity_id: "order-42".to_owned(),
        task_queue: "payments".to_owned(),
        input: "Ada".to_owned(),
        timeout_kind: TimeoutKind::ScheduleToClose,
        timeout_ms: 90_000,
        schedule_to_start_timeout_ms: Some(5_000),
        heartbeat_timeout_ms: Some(2_500),
        retry: RetryPolicy {
            initial_interval_ms: 1_500,
            backoff_coefficient: 1.5,
            maximum_interval_ms: 22_500,
            maximum_attempts: 6,
            non_retryable_error_types: vec!["ValidationError".to_owned(), "Fatal".to_owned()],
        },
        id_reuse_policy: IdReusePolicy::RejectDuplicate,
        id_conflict_policy: IdConflictPolicy::UseExisting,
        start_delay_ms: Some(2_500),
    }
}

/// Text that tries to end or interpolate every kind of literal.
fn awkward() -> ActivityConfig {
    const NASTY: &str = "O'Brien \"$HOME\" \\ é 🎉 #{x} ${y} `z` \u{202e}";
    ActivityConfig {
        activity_id: NASTY.to_owned(),
        task_queue: format!("q-{NASTY}"),
        // The input alone may hold control characters.
        input: format!("{NASTY} \n\t\r\\n"),
        retry: RetryPolicy {
            non_retryable_error_types: vec![NASTY.to_owned(), "a\"b".to_owned()],
            ..RetryPolicy::default()
        },
        ..ActivityConfig::default()
    }
}

/// The limits of the form: one attempt, the largest coefficient (a whole
/// number that must still be written as a float), the shortest intervals.
fn edges() -> ActivityConfig {
    ActivityConfig {
        timeout_ms: 1_001,
        heartbeat_timeout_ms: Some(1_000),
        retry: RetryPolicy {
            initial_interval_ms: 100,
            backoff_coefficient: 10.0,
            maximum_interval_ms: 100,
            maximum_attempts: 1,
            non_retryable_error_types: vec!["Only".to_owned()],
        },
        id_reuse_policy: IdReusePolicy::AllowDuplicateFailedOnly,
        ..ActivityConfig::default()
    }
}

fn configs() -> Vec<(String, ActivityConfig)> {
    let mut out = vec![
        ("defaults".to_owned(), ActivityConfig::default()),
        ("everything".to_owned(), everything()),
        ("awkward".to_owned(), awkward()),
        ("edges".to_owned(), edges()),
    ];
    for timeout_kind in TimeoutKind::ALL {
        for id_reuse_policy in IdReusePolicy::ALL {
            for id_conflict_policy in IdConflictPolicy::ALL {
                let name = format!(
                    "{}/{}/{}",
                    timeout_kind.slug(),
                    id_reuse_policy.cli_name(),
                    id_conflict_policy.cli_name()
                );
                let config = ActivityConfig {
                    timeout_kind,
                    id_reuse_policy,
                    id_conflict_policy,
                    ..ActivityConfig::default()
                };
                out.push((name, config));
            }
        }
    }
    out
}

#[test]
fn generated_snippets_parse_and_avoid_the_known_traps() {
    let mut failures = Vec::new();
    for lang in PARSED {
        let mut shown = false;
        for (name, config) in configs() {
            // "everything" also carries the scenario comment at the top.
            let scenario = match name.as_str() {
                "everything" => FailureScenario::FailFirst { attempts: 2 },
                _ => FailureScenario::None,
            };
            let target = Target::default();
            let programs = [
                ("", sdk_snippet_with(lang, &config, scenario, &target)),
                (
                    " with operator calls",
                    sdk_snippet_with_operator_calls(lang, &config, scenario, &target),
                ),
                (
                    " from a Workflow",
                    sdk_workflow_snippet_with(lang, &config, scenario, &target),
                ),
            ];
            for (variant, program) in programs {
                let code = program.text();
                let problem = match check_syntax(lang, &code) {
                    Err(error) => format!("does not parse at {error}"),
                    Ok(tree) => match traps(lang, &tree, &code) {
                        Err(trap) => format!("parses, but {trap}"),
                        Ok(()) => continue,
                    },
                };
                failures.push(format!("{lang:?} / {name}{variant}: {problem}"));
                // One whole snippet per language is enough to read the rest.
                if !shown {
                    failures.push(numbered(&code));
                    shown = true;
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The last `)` of the default snippet removed: every grammar must notice,
/// or the test above proves nothing.
#[test]
fn a_missing_parenthesis_is_a_syntax_error() {
    for lang in PARSED {
        let mut code = sdk_snippet(lang, &ActivityConfig::default(), &Target::default()).text();
        assert!(check_syntax(lang, &code).is_ok(), "{lang:?} default parses");
        let last = code.rfind(')').expect("every snippet calls something");
        code.remove(last);
        assert!(
            check_syntax(lang, &code).is_err(),
            "{lang:?} accepted broken code:\n{}",
            numbered(&code)
        );
    }
}

/// Each trap check rejects the mistake it exists for, in code that still
/// parses: the docs' demo's Go and .NET defects, a float or int coefficient,
/// Ruby's `maximum_*` spelling, input that became an interpolation.
#[test]
fn the_trap_checks_catch_the_known_mistakes() {
    let two_inputs = (r#""World")"#, r#""Hello", "World")"#);
    let attempts_on_options = (
        "FromSeconds(10),",
        "FromSeconds(10),\n        MaximumAttempts = 4,",
    );
    let mutations = [
        (Language::Go, two_inputs),
        (Language::Dotnet, attempts_on_options),
        (Language::Dotnet, ("= 2.0F", "= 2.0")),
        (Language::Java, ("(2.0)", "(2)")),
        (Language::Java, ("(2.0)", "(2.0f)")),
        (Language::Ruby, ("max_attempts:", "maximum_attempts:")),
        (Language::Ruby, ("max_interval:", "maximum_interval:")),
        (Language::Ruby, ("'World'", "\"#{World}\"")),
        (Language::Dotnet, ("\"World\"", "$\"{World}\"")),
    ];
    let operating = |lang| {
        sdk_snippet_with_operator_calls(
            lang,
            &ActivityConfig::default(),
            FailureScenario::None,
            &Target::default(),
        )
        .text()
    };
    let operator_mutations = [
        ("pause('Paused", "pause(reason: 'Paused"),
        ("unpause(reason: 'Unpaused", "unpause('Unpaused"),
    ];
    for (from, to) in operator_mutations {
        let good = operating(Language::Ruby);
        assert!(good.contains(from), "Ruby lacks {from:?}");
        let bad = good.replacen(from, to, 1);
        let tree = check_syntax(Language::Ruby, &bad)
            .unwrap_or_else(|e| panic!("Ruby mutation {to:?} should parse: {e}"));
        assert!(
            traps(Language::Ruby, &tree, &bad).is_err(),
            "Ruby trap check accepted {to:?}"
        );
    }
    for (lang, (from, to)) in mutations {
        let good = sdk_snippet(lang, &ActivityConfig::default(), &Target::default()).text();
        assert!(good.contains(from), "{lang:?} default lacks {from:?}");
        let bad = good.replacen(from, to, 1);
        let tree = check_syntax(lang, &bad)
            .unwrap_or_else(|e| panic!("{lang:?} mutation {to:?} should parse: {e}"));
        assert!(
            traps(lang, &tree, &bad).is_err(),
            "{lang:?} trap check accepted {to:?}"
        );
    }
}
