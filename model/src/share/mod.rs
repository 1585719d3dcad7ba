//! The form as a link: every option, the failure scenario, the language tab
//! and the "include the failure scenario" toggle, as short query keys with
//! defaults left out (`?lang=go&id=greeting-x1&sim=fail_first-2`).
//!
//! Reading a link never fails: each key is parsed and checked on its own
//! (with [`validate`]'s limits), and a value that is malformed or out of
//! bounds falls back to the default for that field only, reported in
//! [`Decoded::ignored`] so the page can say what it did not take.

use proto::api::{RunAs, RunRequest};
use proto::config::{ActivityConfig, IdConflictPolicy, IdReusePolicy, TimeoutKind};
use proto::decimal::{self, Decimal};
use proto::field::Field;
use proto::language::Language;
use proto::scenario::FailureScenario;
use proto::validate::validate;

pub mod query;

#[cfg(test)]
mod tests;

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedForm {
    /// The run the form describes (options, scenario, language).
    pub request: RunRequest,
    /// Whether the CLI command carries the scenario in `--headers`.
    pub include_scenario: bool,
}

impl Default for SharedForm {
    fn default() -> Self {
        SharedForm {
            request: RunRequest {
                config: ActivityConfig::default(),
                scenario: FailureScenario::None,
                language: Language::default(),
                run_as: Default::default(),
            },
            include_scenario: false,
        }
    }
}

/// One query parameter a link had that the page did not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// The key, as written.
    pub key: String,
    /// The value, as written.
    pub value: String,
    /// Why, naming the field.
    pub reason: String,
}

/// What [`decode`] made of a query string.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The form: the base, with every valid parameter applied.
    pub form: SharedForm,
    /// Parameters that were malformed, out of bounds or repeated.
    pub ignored: Vec<Ignored>,
    /// Whether the query held any of the form's keys: it is then a link,
    /// which wins over anything the browser remembered.
    pub is_link: bool,
}

/// Language tab (always written, so a link never leans on a saved tab).
pub const LANG: &str = "lang";
const ID: &str = "id";
const QUEUE: &str = "q";
const INPUT: &str = "in";
const TIMEOUT: &str = "t";
const TIMEOUT_KIND: &str = "tk";
const SCHEDULE_TO_START: &str = "s2s";
const HEARTBEAT: &str = "hb";
const START_DELAY: &str = "delay";
const INITIAL: &str = "ri";
const BACKOFF: &str = "rb";
const MAXIMUM: &str = "rm";
const ATTEMPTS: &str = "ra";
const NON_RETRYABLE: &str = "nr";
const REUSE: &str = "reuse";
const CONFLICT: &str = "conflict";
const SCENARIO: &str = "sim";
const HEADERS: &str = "hdr";
const RUN_AS: &str = "as";

/// Every key a link may carry, in the order they are written.
pub const KEYS: [&str; 19] = [
    LANG,
    ID,
    QUEUE,
    INPUT,
    TIMEOUT,
    TIMEOUT_KIND,
    SCHEDULE_TO_START,
    HEARTBEAT,
    START_DELAY,
    INITIAL,
    BACKOFF,
    MAXIMUM,
    ATTEMPTS,
    NON_RETRYABLE,
    REUSE,
    CONFLICT,
    SCENARIO,
    HEADERS,
    RUN_AS,
];

fn timeout_kind_code(k: TimeoutKind) -> &'static str {
    match k {
        TimeoutKind::StartToClose => "stc",
        TimeoutKind::ScheduleToClose => "s2c",
    }
}

/// `fail_first-2`, `non_retryable`, `long_running-30`, ...; `None` for none.
fn scenario_code(s: FailureScenario) -> Option<String> {
    Some(match s {
        FailureScenario::None => return None,
        FailureScenario::FailFirst { attempts } => format!("fail_first-{attempts}"),
        FailureScenario::NonRetryable => "non_retryable".to_owned(),
        FailureScenario::TooSlow { attempts } => format!("too_slow-{attempts}"),
        FailureScenario::Crash { attempts } => format!("crash-{attempts}"),
        FailureScenario::LongRunning { seconds } => format!("long_running-{seconds}"),
        FailureScenario::Outage { seconds } => format!("outage-{seconds}"),
    })
}

fn parse_scenario(code: &str) -> Option<FailureScenario> {
    let (kind, n) = match code.split_once('-') {
        Some((kind, n)) => (kind, Some(n.parse::<u32>().ok()?)),
        None => (code, None),
    };
    Some(match (kind, n) {
        ("non_retryable", None) => FailureScenario::NonRetryable,
        ("fail_first", Some(attempts)) => FailureScenario::FailFirst { attempts },
        ("too_slow", Some(attempts)) => FailureScenario::TooSlow { attempts },
        ("crash", Some(attempts)) => FailureScenario::Crash { attempts },
        ("long_running", Some(seconds)) => FailureScenario::LongRunning { seconds },
        ("outage", Some(seconds)) => FailureScenario::Outage { seconds },
        _ => return None,
    })
}

/// The link's parameters for `form`: the language always, every other key
/// only when it differs from [`SharedForm::default`].
pub fn encode(form: &SharedForm) -> Vec<(&'static str, String)> {
    let c = &form.request.config;
    let d = ActivityConfig::default();
    let mut out = vec![(LANG, form.request.language.slug().to_owned())];
    let mut put = |key: &'static str, differs: bool, value: String| {
        if differs {
            out.push((key, value));
        }
    };
    put(ID, c.activity_id != d.activity_id, c.activity_id.clone());
    put(QUEUE, c.task_queue != d.task_queue, c.task_queue.clone());
    put(INPUT, c.input != d.input, c.input.clone());
    put(
        TIMEOUT,
        c.timeout_ms != d.timeout_ms,
        decimal::seconds(c.timeout_ms),
    );
    let kind = timeout_kind_code(c.timeout_kind).to_owned();
    put(TIMEOUT_KIND, c.timeout_kind != d.timeout_kind, kind);
    if let Some(ms) = c.schedule_to_start_timeout_ms {
        put(SCHEDULE_TO_START, true, decimal::seconds(ms));
    }
    if let Some(ms) = c.start_delay_ms {
        put(START_DELAY, true, decimal::seconds(ms));
    }
    if let Some(ms) = c.heartbeat_timeout_ms {
        put(HEARTBEAT, true, decimal::seconds(ms));
    }
    let (r, dr) = (&c.retry, &d.retry);
    let initial = decimal::seconds(r.initial_interval_ms);
    put(
        INITIAL,
        r.initial_interval_ms != dr.initial_interval_ms,
        initial,
    );
    let backoff = proto::decimal::shortest(r.backoff_coefficient);
    put(
        BACKOFF,
        r.backoff_coefficient != dr.backoff_coefficient,
        backoff,
    );
    let maximum = decimal::seconds(r.maximum_interval_ms);
    put(
        MAXIMUM,
        r.maximum_interval_ms != dr.maximum_interval_ms,
        maximum,
    );
    let attempts = r.maximum_attempts.to_string();
    put(
        ATTEMPTS,
        r.maximum_attempts != dr.maximum_attempts,
        attempts,
    );
    let types = r.non_retryable_error_types.join(",");
    put(NON_RETRYABLE, !types.is_empty(), types);
    let reuse = c.id_reuse_policy.cli_name().to_owned();
    put(REUSE, c.id_reuse_policy != d.id_reuse_policy, reuse);
    let conflict = c.id_conflict_policy.cli_name().to_owned();
    put(
        CONFLICT,
        c.id_conflict_policy != d.id_conflict_policy,
        conflict,
    );
    if let Some(code) = scenario_code(form.request.scenario) {
        put(SCENARIO, true, code);
    }
    put(HEADERS, form.include_scenario, "1".to_owned());
    put(
        RUN_AS,
        !form.request.run_as.is_standalone(),
        form.request.run_as.slug().to_owned(),
    );
    out
}

/// `search` (the page's `location.search`) with the form's keys replaced by
/// `form`'s link; keys that are not the form's keep their place. No `?`.
pub fn merge_query(search: &str, form: &SharedForm) -> String {
    let mut pairs: Vec<(String, String)> = query::parse(search)
        .into_iter()
        .filter(|(k, _)| !KEYS.contains(&k.as_str()))
        .collect();
    pairs.extend(encode(form).into_iter().map(|(k, v)| (k.to_owned(), v)));
    query::build(&pairs)
}

/// The key whose value sets `field`.
fn key_of(field: Field) -> &'static str {
    match field {
        Field::ActivityId => ID,
        Field::TaskQueue => QUEUE,
        Field::Input => INPUT,
        Field::Timeout => TIMEOUT,
        Field::ScheduleToStartTimeout => SCHEDULE_TO_START,
        Field::HeartbeatTimeout => HEARTBEAT,
        Field::StartDelay => START_DELAY,
        Field::InitialInterval => INITIAL,
        Field::BackoffCoefficient => BACKOFF,
        Field::MaximumInterval => MAXIMUM,
        Field::MaximumAttempts => ATTEMPTS,
        Field::NonRetryableErrorTypes => NON_RETRYABLE,
        Field::FailAttempts | Field::ScenarioSeconds => SCENARIO,
    }
}

/// Applies one parameter to `form`; `Err` says why it was not taken.
fn apply(form: &mut SharedForm, key: &str, value: &str) -> Result<(), String> {
    let c = &mut form.request.config;
    let bad = |what: &str| Err(what.to_owned());
    let secs = |v: &str| {
        decimal::parse_seconds(v, 86_400_000).ok_or_else(|| "not a number of seconds".to_owned())
    };
    match key {
        LANG => match Language::from_slug(value) {
            Some(l) => form.request.language = l,
            None => return bad("language: not one of go, python, dotnet, java, typescript, ruby"),
        },
        ID => c.activity_id = value.to_owned(),
        QUEUE => c.task_queue = value.to_owned(),
        INPUT => c.input = value.to_owned(),
        TIMEOUT => c.timeout_ms = secs(value)?,
        TIMEOUT_KIND => {
            c.timeout_kind = TimeoutKind::ALL
                .into_iter()
                .find(|k| timeout_kind_code(*k) == value)
                .ok_or_else(|| "Timeout Type: not stc or s2c".to_owned())?;
        }
        SCHEDULE_TO_START => c.schedule_to_start_timeout_ms = Some(secs(value)?),
        HEARTBEAT => c.heartbeat_timeout_ms = Some(secs(value)?),
        START_DELAY => c.start_delay_ms = Some(secs(value)?),
        INITIAL => c.retry.initial_interval_ms = secs(value)?,
        MAXIMUM => c.retry.maximum_interval_ms = secs(value)?,
        BACKOFF => match Decimal::parse(value.trim()) {
            Some(d) => c.retry.backoff_coefficient = d.to_f64(),
            None => return bad("not a number"),
        },
        ATTEMPTS => match value.trim().parse::<u32>() {
            Ok(n) => c.retry.maximum_attempts = n,
            Err(_) => return bad("not a whole number"),
        },
        NON_RETRYABLE => {
            c.retry.non_retryable_error_types = value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        REUSE => {
            c.id_reuse_policy = IdReusePolicy::ALL
                .into_iter()
                .find(|p| p.cli_name() == value)
                .ok_or_else(|| "ID reuse policy: unknown".to_owned())?;
        }
        CONFLICT => {
            c.id_conflict_policy = IdConflictPolicy::ALL
                .into_iter()
                .find(|p| p.cli_name() == value)
                .ok_or_else(|| "ID conflict policy: unknown".to_owned())?;
        }
        SCENARIO => {
            form.request.scenario =
                parse_scenario(value).ok_or_else(|| "failure scenario: unknown".to_owned())?;
        }
        RUN_AS => {
            form.request.run_as =
                RunAs::from_slug(value).ok_or_else(|| "run as: unknown".to_owned())?;
        }
        HEADERS => match value {
            "1" => form.include_scenario = true,
            "0" => form.include_scenario = false,
            _ => return bad("not 0 or 1"),
        },
        _ => {}
    }
    Ok(())
}

/// Resets the field `key` sets to its value in `base`.
fn reset(form: &mut SharedForm, base: &SharedForm, key: &str) {
    let (c, b) = (&mut form.request.config, &base.request.config);
    match key {
        ID => c.activity_id = b.activity_id.clone(),
        QUEUE => c.task_queue = b.task_queue.clone(),
        INPUT => c.input = b.input.clone(),
        TIMEOUT => c.timeout_ms = b.timeout_ms,
        SCHEDULE_TO_START => c.schedule_to_start_timeout_ms = b.schedule_to_start_timeout_ms,
        HEARTBEAT => c.heartbeat_timeout_ms = b.heartbeat_timeout_ms,
        START_DELAY => c.start_delay_ms = b.start_delay_ms,
        INITIAL => c.retry.initial_interval_ms = b.retry.initial_interval_ms,
        BACKOFF => c.retry.backoff_coefficient = b.retry.backoff_coefficient,
        MAXIMUM => c.retry.maximum_interval_ms = b.retry.maximum_interval_ms,
        ATTEMPTS => c.retry.maximum_attempts = b.retry.maximum_attempts,
        NON_RETRYABLE => {
            c.retry.non_retryable_error_types = b.retry.non_retryable_error_types.clone()
        }
        SCENARIO => form.request.scenario = base.request.scenario,
        _ => {}
    }
}

/// Reads a query string onto `base` (the form as it loads without a link).
///
/// Each of the form's keys is applied on its own; one that does not parse
/// keeps `base`'s value. Then [`validate`] runs once over the result, and a
/// field it rejects whose value came from the link falls back to `base`'s,
/// with the validator's reason. Errors about fields the link did not set
/// (a crash scenario without a heartbeat timeout) stay for the form to show.
/// Keys that are not the form's are left alone; a repeated key counts once.
pub fn decode(search: &str, base: &SharedForm) -> Decoded {
    let mut form = base.clone();
    let mut ignored = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (key, value) in query::parse(search) {
        if !KEYS.contains(&key.as_str()) {
            continue;
        }
        if seen.iter().any(|(k, _)| *k == key) {
            let reason = "repeated: the first one counts".to_owned();
            ignored.push(Ignored { key, value, reason });
            continue;
        }
        match apply(&mut form, &key, &value) {
            Ok(()) => seen.push((key, value)),
            Err(reason) => ignored.push(Ignored { key, value, reason }),
        }
    }
    if let Err(errors) = validate(&form.request) {
        for e in errors {
            let key = key_of(e.field);
            let Some(i) = seen.iter().position(|(k, _)| k == key) else {
                continue;
            };
            let (key, value) = seen.remove(i);
            reset(&mut form, base, &key);
            let reason = format!("{} {}", e.field.label(), e.message);
            ignored.push(Ignored { key, value, reason });
        }
    }
    let is_link = !seen.is_empty() || !ignored.is_empty();
    Decoded {
        form,
        ignored,
        is_link,
    }
}

/// The sentence the page shows when a link had parameters it did not take.
pub fn ignored_note(ignored: &[Ignored]) -> Option<String> {
    if ignored.is_empty() {
        return None;
    }
    let items: Vec<String> = ignored
        .iter()
        .map(|i| {
            let value: String = i.value.chars().take(40).collect();
            // Debug quoting escapes what would not show (controls, bidi
            // overrides), so the page says exactly what the link held.
            format!("{}={value:?} ({})", i.key, i.reason)
        })
        .collect();
    Some(format!(
        "The link had values this page cannot use, so those fields kept their defaults: {}.",
        items.join("; ")
    ))
}
