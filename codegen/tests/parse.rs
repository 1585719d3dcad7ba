//! Parses the generated Go, C#, Java and Ruby with tree-sitter grammars, so a
//! snippet that would not compile fails the build here rather than in a
//! user's editor, and checks in the syntax tree the traps §7 of the reference
//! names: Go's argument count, .NET's retry placement and float coefficient,
//! Java's double coefficient and Ruby's `max_*` keywords, and how Ruby's
//! handle takes a pause's and an unpause's reason. The programs that pause
//! and unpause their run are parsed too. Python and TypeScript are not here:
//! their snippets are run for real elsewhere.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use proto::{
    ActivityConfig, FailureScenario, IdConflictPolicy, IdReusePolicy, Language, RetryPolicy,
    TimeoutKind,
};
use sa_demo_codegen::{Target, sdk_snippet, sdk_snippet_with, sdk_snippet_with_operator_calls};
use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

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

/// `source` compiled for `lang`, once per test binary: a query over the C#
/// grammar takes tens of milliseconds to compile in a debug build.
fn compiled(lang: Language, source: &'static str) -> Arc<Query> {
    type Cache = HashMap<(Language, &'static str), Arc<Query>>;
    static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let query = cache.entry((lang, source)).or_insert_with(|| {
        Arc::new(Query::new(&grammar(lang), source).expect("the query fits the grammar"))
    });
    Arc::clone(query)
}

/// The nodes captured as `@capture` by `query` anywhere in `tree`.
fn captures<'t>(lang: Language, tree: &'t Tree, code: &str, query: &'static str) -> Vec<Node<'t>> {
    let query = compiled(lang, query);
    let index = query
        .capture_index_for_name("capture")
        .expect("the query names a @capture");
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), code.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        out.extend(m.nodes_for_capture_index(index));
    }
    out
}

fn text<'c>(node: Node<'_>, code: &'c str) -> &'c str {
    &code[node.byte_range()]
}

/// The named children that are code, not comments.
fn code_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|n| !n.kind().contains("comment"))
        .collect()
}

/// Exactly one node, or why not.
fn only<'t>(nodes: Vec<Node<'t>>, what: &str) -> Result<Node<'t>, String> {
    match nodes.as_slice() {
        [node] => Ok(*node),
        _ => Err(format!("expected one {what}, found {}", nodes.len())),
    }
}

/// Go: `ExecuteActivity(ctx, options, activity, input)`. The SDK checks the
/// argument count against the activity at run time; the docs' demo passed
/// two inputs to the one-argument `Activity`.
fn go_traps(tree: &Tree, code: &str) -> Result<(), String> {
    let args = only(
        captures(
            Language::Go,
            tree,
            code,
            r#"(call_expression
                 function: (selector_expression field: (field_identifier) @method)
                 arguments: (argument_list) @capture
                 (#eq? @method "ExecuteActivity"))"#,
        ),
        "ExecuteActivity call",
    )?;
    let args = code_children(args);
    let kinds: Vec<&str> = args.iter().map(|n| n.kind()).collect();
    let [ctx, options, activity, input] = args.as_slice() else {
        return Err(format!("ExecuteActivity takes 4 arguments, got {kinds:?}"));
    };
    let options_type = options.child_by_field_name("type").map(|t| text(t, code));
    let string = |n: &Node<'_>| n.kind().ends_with("string_literal");
    if text(*ctx, code) != "ctx"
        || options_type != Some("client.StartActivityOptions")
        || !string(activity)
        || !string(input)
    {
        return Err(format!(
            "expected (ctx, client.StartActivityOptions{{..}}, name, input), got {kinds:?}"
        ));
    }
    Ok(())
}

/// The type named by the nearest `new T { .. }` around `node`.
fn enclosing_new<'c>(node: Node<'_>, code: &'c str) -> Option<&'c str> {
    let mut at = node.parent();
    while let Some(n) = at {
        if n.kind() == "object_creation_expression" {
            return n.child_by_field_name("type").map(|t| text(t, code));
        }
        at = n.parent();
    }
    None
}

/// .NET: `MaximumAttempts` exists only on `RetryPolicy` (on the options it
/// does not compile), and `BackoffCoefficient` is a `float`, so its literal
/// needs the `F` suffix.
fn dotnet_traps(tree: &Tree, code: &str) -> Result<(), String> {
    let assignments = captures(
        Language::Dotnet,
        tree,
        code,
        "(assignment_expression left: (identifier) right: (_)) @capture",
    );
    let assigned = |property: &str| -> Vec<Node<'_>> {
        assignments
            .iter()
            .filter(|a| a.child_by_field_name("left").map(|l| text(l, code)) == Some(property))
            .filter_map(|a| a.child_by_field_name("right"))
            .collect()
    };
    for property in ["MaximumAttempts", "BackoffCoefficient"] {
        for value in assigned(property) {
            let owner = enclosing_new(value, code);
            if owner != Some("RetryPolicy") {
                return Err(format!("{property} is set on {owner:?}, not RetryPolicy"));
            }
        }
    }
    only(assigned("MaximumAttempts"), "MaximumAttempts assignment")?;
    let retry = only(assigned("RetryPolicy"), "RetryPolicy assignment")?;
    let owner = enclosing_new(retry, code);
    if owner != Some("StartActivityOptions") {
        return Err(format!("RetryPolicy is set on {owner:?}"));
    }
    let coefficient = only(assigned("BackoffCoefficient"), "BackoffCoefficient")?;
    let literal = text(coefficient, code);
    if coefficient.kind() != "real_literal" || !literal.ends_with(['F', 'f']) {
        return Err(format!(
            "BackoffCoefficient = {literal} ({}), want a float literal like 2.0F",
            coefficient.kind()
        ));
    }
    Ok(())
}

/// Java: `setBackoffCoefficient(double)` gets a decimal literal, not an int
/// or a `float`.
fn java_traps(tree: &Tree, code: &str) -> Result<(), String> {
    let args = only(
        captures(
            Language::Java,
            tree,
            code,
            r#"(method_invocation
                 name: (identifier) @name
                 arguments: (argument_list) @capture
                 (#eq? @name "setBackoffCoefficient"))"#,
        ),
        "setBackoffCoefficient call",
    )?;
    let arg = only(code_children(args), "setBackoffCoefficient argument")?;
    let literal = text(arg, code);
    if arg.kind() != "decimal_floating_point_literal" || literal.ends_with(['f', 'F']) {
        return Err(format!(
            "setBackoffCoefficient({literal}) ({}), want a double literal like 2.0",
            arg.kind()
        ));
    }
    Ok(())
}

/// Ruby: `Temporalio::RetryPolicy.new` takes `max_interval:` and
/// `max_attempts:`; `maximum_*` raises an unknown-keyword error.
fn ruby_traps(tree: &Tree, code: &str) -> Result<(), String> {
    let args = only(
        captures(
            Language::Ruby,
            tree,
            code,
            r#"(call
                 receiver: (scope_resolution) @class
                 method: (identifier) @method
                 arguments: (argument_list) @capture
                 (#eq? @class "Temporalio::RetryPolicy")
                 (#eq? @method "new"))"#,
        ),
        "Temporalio::RetryPolicy.new call",
    )?;
    let mut keys = Vec::new();
    for arg in code_children(args) {
        let key = (arg.kind() == "pair")
            .then(|| arg.child_by_field_name("key"))
            .flatten()
            .filter(|k| k.kind() == "hash_key_symbol")
            .ok_or_else(|| format!("RetryPolicy.new gets a non-keyword {:?}", text(arg, code)))?;
        keys.push(text(key, code));
    }
    const KNOWN: [&str; 5] = [
        "initial_interval",
        "backoff_coefficient",
        "max_interval",
        "max_attempts",
        "non_retryable_error_types",
    ];
    if let Some(unknown) = keys.iter().find(|k| !KNOWN.contains(k)) {
        return Err(format!("RetryPolicy.new has no keyword {unknown}:"));
    }
    for required in ["max_interval", "max_attempts"] {
        if !keys.contains(&required) {
            return Err(format!("RetryPolicy.new lacks {required}: (keys {keys:?})"));
        }
    }
    Ok(())
}

/// Ruby, where the program pauses and unpauses its run: the gem's
/// `ActivityHandle#pause(reason = nil)` takes the reason positionally and
/// `#unpause(reason: nil, jitter: nil)` by keyword only (sdk-ruby#575).
fn ruby_operator_traps(tree: &Tree, code: &str) -> Result<(), String> {
    let calls = captures(
        Language::Ruby,
        tree,
        code,
        r#"(call
             receiver: (identifier) @handle
             method: (identifier) @method
             arguments: (argument_list) @capture
             (#eq? @handle "handle")
             (#match? @method "^(pause|unpause)$"))"#,
    );
    if calls.is_empty() {
        return Ok(()); // a program that does not pause
    }
    let [pause, unpause] = calls.as_slice() else {
        return Err(format!(
            "expected a pause and an unpause, got {}",
            calls.len()
        ));
    };
    let pause = only(code_children(*pause), "pause argument")?;
    if pause.kind() != "string" {
        return Err(format!(
            "pause({}): the reason is positional",
            text(pause, code)
        ));
    }
    let unpause = only(code_children(*unpause), "unpause argument")?;
    let key = unpause.child_by_field_name("key").map(|k| text(k, code));
    if unpause.kind() != "pair" || key != Some("reason") {
        return Err(format!(
            "unpause({}): the reason is a keyword",
            text(unpause, code)
        ));
    }
    Ok(())
}

/// C# and Ruby: the one interpolation is the snippet's own result line, so
/// no `{..}` or `#{..}` in the user's text became code.
fn one_interpolation(lang: Language, tree: &Tree, code: &str) -> Result<(), String> {
    let found = captures(lang, tree, code, "(interpolation) @capture");
    let texts: Vec<&str> = found.iter().map(|n| text(*n, code)).collect();
    match texts.as_slice() {
        [one] if one.contains("result") => Ok(()),
        _ => Err(format!("interpolations {texts:?}, want only the result")),
    }
}

fn traps(lang: Language, tree: &Tree, code: &str) -> Result<(), String> {
    match lang {
        Language::Go => go_traps(tree, code),
        Language::Dotnet => dotnet_traps(tree, code).and(one_interpolation(lang, tree, code)),
        Language::Java => java_traps(tree, code),
        Language::Ruby => ruby_traps(tree, code)
            .and(ruby_operator_traps(tree, code))
            .and(one_interpolation(lang, tree, code)),
        Language::Python | Language::Typescript => Ok(()),
    }
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
