//! The checks on a parsed program: tree-sitter queries for the traps the
//! reference names (Go's argument count, .NET's retry placement and float
//! coefficient, Java's double coefficient, Ruby's `max_*` keywords and its
//! handle's pause and unpause arguments, an interpolation made of the
//! user's text).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use proto::Language;
use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use crate::grammar;

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

/// Go: `ExecuteActivity(ctx, options, activity, input)`, or in a Workflow
/// `workflow.ExecuteActivity(ctx, activity, input)`. The SDK checks the
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
    let string = |n: &Node<'_>| n.kind().ends_with("string_literal");
    let callee = args
        .parent()
        .and_then(|c| c.child_by_field_name("function"));
    let args = code_children(args);
    let kinds: Vec<&str> = args.iter().map(|n| n.kind()).collect();
    // Inside a Workflow, the options are on the context: `(ctx, name, input)`.
    if callee.map(|f| text(f, code)) == Some("workflow.ExecuteActivity") {
        return match args.as_slice() {
            [ctx, activity, input]
                if text(*ctx, code) == "ctx"
                    && string(activity)
                    && input.kind() == "identifier" =>
            {
                Ok(())
            }
            _ => Err(format!(
                "expected workflow.ExecuteActivity(ctx, name, input), got {kinds:?}"
            )),
        };
    }
    let [ctx, options, activity, input] = args.as_slice() else {
        return Err(format!("ExecuteActivity takes 4 arguments, got {kinds:?}"));
    };
    let options_type = options.child_by_field_name("type").map(|t| text(t, code));
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
    // A Standalone start's options, or a Workflow's activity options.
    if !matches!(owner, Some("StartActivityOptions" | "ActivityOptions")) {
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

/// Every check for `lang`'s program.
pub(crate) fn traps(lang: Language, tree: &Tree, code: &str) -> Result<(), String> {
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
