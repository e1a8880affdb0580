use crate::conditions::{absent_values, present_values, segments, within};
use crate::validation_error_as_bad_request::validator_result;
use crate::vocabulary::names_server_state;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{Condition, Failure, Operand, Path, PatternKind, Spelling, Step, Test};
use hsl_fixes as fixes;
use hsl_status_codes as status_codes;
use hsl_tables::Conditions;

declare_rule! {
    /// A `500` answers the client's own mistake.
    ///
    /// ## What it does
    /// Flags a `500 Internal Server Error` set in a branch that handles something the client
    /// got wrong: a missing request field (`if (!req.body.email)`, `if body.name.is_empty()`),
    /// a missing body (`if (!request.body)`), a request header or multipart part the client
    /// left out or sent malformed (`headers.get("ttl").ok_or_else(..)`, the block of
    /// `let Some(ttl) = headers.get("ttl") else { .. }`, Rocket's `headers().get_one(..)`,
    /// `parse_duration(ttl).map_err(..)` under `if let Some(ttl) = headers.get("ttl")`,
    /// `part.content_disposition().ok_or_else(..)`), a failed validation (a validator's result, as
    /// `validation-error-as-bad-request` reads it), a lookup that found nothing (a `catch`
    /// that singles out `err.code === "P2025"`, an `Err(RowNotFound)` arm), or a branch whose
    /// literal message says so ("not found" under a test for a missing value, "is required",
    /// "must be", "invalid email", "already exists", "do not match", "no access").
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.6.1: `500` means the server "encountered an unexpected condition that
    /// prevented it from fulfilling the request". A request without a required field or for a
    /// record that does not exist is a `4xx` (§15.5): the client can fix it, and should not
    /// retry the same request. `500`s page on-call engineers, count against error budgets and
    /// make clients, proxies and SDKs retry a request that will fail the same way every time.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.post("/signup", (req, res) => {
    ///   if (!req.body.email) {
    ///     return res.status(500).json({ error: "Email is required" });
    ///   }
    ///   res.status(201).json(register(req.body));
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.post("/signup", (req, res) => {
    ///   if (!req.body.email) {
    ///     return res.status(400).json({ error: "Email is required" });
    ///   }
    ///   res.status(201).json(register(req.body));
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn signup(Json(body): Json<Signup>) -> impl IntoResponse {
    ///     if body.email.is_empty() {
    ///         return (StatusCode::INTERNAL_SERVER_ERROR, "email is required").into_response();
    ///     }
    ///     StatusCode::CREATED.into_response()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn signup(Json(body): Json<Signup>) -> impl IntoResponse {
    ///     if body.email.is_empty() {
    ///         return (StatusCode::BAD_REQUEST, "email is required").into_response();
    ///     }
    ///     StatusCode::CREATED.into_response()
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// The codes the context supports are offered as suggested fixes, never applied by
    /// `--fix`: `400 Bad Request` for a missing field or a "required" message, `422
    /// Unprocessable Content` for a failed validation, `404 Not Found` for a "not found"
    /// message or a not-found error kind, `400` and `422` both for "must be" and "invalid"
    /// messages, `409 Conflict` for "already exists", `403 Forbidden` for "no access" and "not
    /// allowed". Which one is right depends on the API's conventions.
    ///
    /// ## When it stays silent
    /// For a `500` in a `catch` or `Err` arm that handles the server's own failure (a database
    /// error, a generic `catch (err)`), even when that handler sits in a branch that tests a
    /// request field (`else` of `if let Some(name) = query.get("name")` rendering a template
    /// whose `.map_err(..)` answers `500`), and for the `Err` of a call that reads the request
    /// (`body.collect().await.map_err(..)`: the read failed, nothing was proven missing); for
    /// the failed parse of a value the server holds (a setting, a stored row, the headers of
    /// another server's answer, `upstream.headers().get(..)`): only a header read from the
    /// request itself (`headers.get(..)`, `req.headers().get(..)`) is the client's; for a
    /// `500` past a guard on an optional header (`if let Some(tag) = headers.get(..) { return
    /// .. }`) that answers a later test: a header proven absent counts only by the `500`'s own
    /// test (`.ok_or(..)`, `let … else`, the innermost branch); for a
    /// `500` under a test that an error is present (`if (error)` after
    /// `const { data, error } = await db..`), even inside a branch that tests a request field
    /// (`if (params.position === "")` selecting a variant of the route): the `500` answers
    /// that error; for `if (!user)` after a lookup without a message that
    /// says "not found" (the lookup may have failed on the server's side); for messages about
    /// the server ("Missing DATABASE_URL", "Config file not found" outside a test for a missing
    /// value); for a `500` raised through the project's own code (an error class whose status
    /// defaults to `500`, a helper that sends it) in a function no route is proven to serve: such
    /// a function may be guarding the server's own invariants. The words it reads are listed in
    /// `grammars-config/conditions.toml`.
    ///
    /// ## References
    /// - RFC 9110 §15.6.1 (500 Internal Server Error), §15.5.1 (400 Bad Request), §15.5.5
    ///   (404 Not Found), §15.5.21 (422 Unprocessable Content)
    pub struct ServerErrorForClientFault;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "server-error-for-client-fault",
    summary: "`500` for the client's own mistake",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: ServerErrorForClientFault::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut findings = Vec::new();
    for response in ctx.setting(500) {
        // An error the project's code raises with a 500 may guard its own invariants (a helper
        // throwing `InternalError("callback is required")`); it answers a client only where the
        // function raising it is proven to serve a request.
        let via_project = matches!(response.status.spelling, Spelling::ProjectHelper { .. });
        if via_project && ctx.methods_of(response.handler).is_empty() {
            continue;
        }
        let Some((fault, codes)) = client_fault(ctx, response) else {
            continue;
        };
        let fixes = codes
            .iter()
            .filter_map(|code| fixes::use_code(ctx.facts, &response.status, *code))
            .collect();
        let names = codes
            .iter()
            .map(|code| format!("`{}`", status_codes::label(*code)))
            .collect::<Vec<_>>()
            .join(" or ");
        findings.push(Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: response.status.range.clone(),
            message: format!("`500` for {fault}, the client's mistake: use {names}"),
            fixes,
            related: Vec::new(),
        });
    }
    findings
}

/// What the client got wrong, and the codes that say it.
fn client_fault(
    ctx: &RuleContext<'_>,
    response: &hsl_facts::Response,
) -> Option<(String, Vec<u16>)> {
    let words = &Conditions::get().client_fault;
    let conditions = &response.context.branch_conditions;
    // Inside a failure handler (`catch`, `Err` arm, `.map_err(..)` closure) the `500` answers
    // what failed there (a template render, reading the body stream), not a missing field
    // tested around the handler or the failed call itself: only tests inside it count. A test
    // that an error is present (`if (error)` after `const { error } = await db..`) is such a
    // handler too: only the tests after it count.
    let after_error = last_error_test(conditions);
    let answers = |(index, c): &(usize, &Condition)| {
        after_error.is_none_or(|error| *index >= error)
            && response
                .context
                .failure
                .as_ref()
                .is_none_or(|failure| within(&c.range, &failure.range))
    };
    if let Some(field) = conditions
        .iter()
        .enumerate()
        .filter(answers)
        .find_map(|(_, c)| missing_input(c, &words.inputs))
    {
        return Some((format!("a missing `{field}`"), vec![400]));
    }
    if let Some(fault) = unusable_request_value(response, &|(index, c)| answers(&(index, c))) {
        return Some((fault, vec![400]));
    }
    if validator_result(ctx, response).is_some() {
        return Some(("a failed validation".to_string(), vec![422]));
    }
    if let Some(kind) = not_found_error(response) {
        return Some((format!("a lookup that found nothing (`{kind}`)"), vec![404]));
    }
    // A literal message counts only under a test of the request, never in a bare `catch` or
    // under a test of the server's own configuration.
    let about_server = conditions.iter().any(|c| names_server_state(&c.words));
    if conditions.is_empty() || about_server {
        return None;
    }
    let absence = conditions.iter().any(|c| !absent_values(c).is_empty());
    let messages = crate::body_strings(response);
    for phrase in &words.phrases {
        if phrase.needs_absence && !absence {
            continue;
        }
        let needle = phrase.text.to_lowercase();
        if let Some(message) = messages.iter().find(|m| m.to_lowercase().contains(&needle)) {
            return Some((format!("\"{message}\""), phrase.codes.clone()));
        }
    }
    None
}

/// The index of the innermost condition that proves an error present where the response is
/// sent (`if (error)`, `if err != nil`-like tests of a value named `err`, `error`, `e` …).
fn last_error_test(conditions: &[Condition]) -> Option<usize> {
    let names = &Conditions::get().failure.error_names;
    conditions.iter().rposition(|condition| {
        present_values(condition).into_iter().any(|path| {
            segments(path)
                .last()
                .is_some_and(|last| names.iter().any(|name| name == last))
        })
    })
}

/// The not-found error kind a test inside the failure handler singles out
/// (`err.code === "P2025"`, `Err(sqlx::Error::RowNotFound)`): a `500` for it answers a request
/// for something that does not exist.
fn not_found_error(response: &hsl_facts::Response) -> Option<&'static str> {
    let failure = response.context.failure.as_ref()?;
    let kinds = &Conditions::get().client_fault.not_found_errors;
    let named = |names: &[String], strings: &[String]| {
        kinds
            .iter()
            .find(|kind| names.contains(kind) || strings.contains(kind))
            .map(String::as_str)
    };
    if let Some(pattern) = &failure.pattern
        && let Some(kind) = named(&pattern.names, &[])
    {
        return Some(kind);
    }
    response
        .context
        .branch_conditions
        .iter()
        .filter(|condition| condition.holds() && within(&condition.range, &failure.range))
        .find_map(|condition| named(&condition.words.names, &condition.words.strings))
}

/// The request field a condition proves missing: `!req.body.email` → `req.body.email`, or
/// the whole content (`!request.body`).
fn missing_input(condition: &Condition, inputs: &[String]) -> Option<String> {
    absent_values(condition).into_iter().find_map(|path| {
        let segments = segments(path);
        let is_input = inputs.iter().any(|input| {
            let prefix: Vec<&str> = input.split('.').collect();
            let whole_content = prefix.len() > 1 && prefix.last() == Some(&"body");
            (segments.len() > prefix.len() || (whole_content && segments.len() == prefix.len()))
                && segments
                    .iter()
                    .zip(&prefix)
                    .all(|(segment, want)| segment == want)
        });
        is_input.then(|| segments.join("."))
    })
}

/// A value the client sent in the request that the `500`'s handler proves unusable: the `Err`
/// of parsing it (`parse_duration(ttl).map_err(..)` where `ttl` was read by
/// `if let Some(ttl) = headers.get(..)`, or `req.headers().get(..)..parse()` itself), or its
/// absence (`part.content_disposition().ok_or_else(..)`, `headers.get(..).ok_or(..)`, the
/// block of `let Some(v) = headers.get(..) else { .. }`).
/// `answers` says which of the response's conditions the handler may read.
fn unusable_request_value(
    response: &hsl_facts::Response,
    answers: &dyn Fn((usize, &Condition)) -> bool,
) -> Option<String> {
    let conditions: Vec<&Condition> = response
        .context
        .branch_conditions
        .iter()
        .enumerate()
        .filter(|(index, c)| answers((*index, c)))
        .map(|(_, c)| c)
        .collect();
    if let Some(failure) = &response.context.failure
        && let Some(value) = parsed_request_value(failure, &response.context.branch_conditions)
    {
        return Some(format!("a request value that does not parse (`{value}`)"));
    }
    let innermost = conditions.len().checked_sub(1);
    conditions
        .iter()
        .enumerate()
        .find_map(|(index, condition)| missing_request_value(condition, Some(index) == innermost))
}

/// The request value `condition` proves missing where the `500` is sent: a `None` pattern
/// that holds (`headers.get(..).ok_or(..)`) wherever it sits; any other proof of absence
/// (the block of `let Some(v) = headers.get(..) else { .. }`, `if headers.get(..).is_none()`)
/// only when it is the `500`'s `innermost` test, as the code past a guard on an optional
/// header (`if let Some(tag) = headers.get(..) { return .. }`) lacks the header but answers
/// whatever it tests next.
fn missing_request_value(condition: &Condition, innermost: bool) -> Option<String> {
    let pattern_none = matches!(
        &condition.test,
        Test::Matches { pattern, .. } if pattern.kind == PatternKind::None && condition.holds()
    );
    if !pattern_none && !innermost {
        return None;
    }
    absent_values(condition).into_iter().find_map(|path| {
        if reads_request_header(path) {
            return Some("a missing request header".to_string());
        }
        reads_part_accessor(path).map(|accessor| format!("a missing `{accessor}`"))
    })
}

/// The request value whose parse failed in `failure`, an `Err` handler: the handler's
/// failed expression calls a parser on a read of a request header, or on a name an enclosing
/// `if let Some(name) = <a read of a request header>` binds.
fn parsed_request_value(failure: &Failure, conditions: &[Condition]) -> Option<String> {
    if failure.pattern.as_ref()?.kind != PatternKind::Err {
        return None;
    }
    let words = &Conditions::get().client_fault;
    let parses = failure.tried_words.calls.iter().any(|call| {
        words.value_parsers.iter().any(|parser| parser == call)
            || words
                .value_parser_prefixes
                .iter()
                .any(|prefix| call.starts_with(prefix.as_str()))
    });
    if !parses {
        return None;
    }
    let tried = failure.tried.as_ref()?;
    let tried_path = conditions
        .iter()
        .find(|condition| condition.range == *tried)
        .and_then(|condition| match &condition.test {
            Test::Matches { value, .. } => value.path(),
            _ => None,
        })?;
    if reads_request_header(tried_path) {
        return tried_path.names().next().map(str::to_string);
    }
    let header_bindings: Vec<&str> = conditions
        .iter()
        .filter(|condition| condition.holds())
        .filter_map(|condition| match &condition.test {
            Test::Matches { value, pattern }
                if pattern.kind == PatternKind::Some
                    && value.path().is_some_and(reads_request_header) =>
            {
                pattern.binding.as_deref()
            }
            _ => None,
        })
        .collect();
    roots_used(tried_path)
        .into_iter()
        .find(|root| header_bindings.contains(root))
        .map(str::to_string)
}

/// The first names of `path` and of every path among its calls' arguments: `ttl` and
/// `humantime` in `humantime::parse_duration(ttl)`.
fn roots_used(path: &Path) -> Vec<&str> {
    let mut roots: Vec<&str> = path.names().next().into_iter().collect();
    for step in &path.steps {
        if let Step::Call(arguments) = step {
            roots.extend(
                arguments
                    .iter()
                    .filter_map(Operand::path)
                    .filter_map(|argument| argument.names().next()),
            );
        }
    }
    roots
}

/// Whether `path` starts with a read of a request header (`headers.get(..)`,
/// `req.headers().get(..)`), as `request_headers` in `grammars-config/conditions.toml` lists.
fn reads_request_header(path: &Path) -> bool {
    let names: Vec<&str> = path.names().collect();
    Conditions::get()
        .client_fault
        .request_headers
        .iter()
        .any(|read| {
            let leading: Vec<&str> = read.split('.').collect();
            names.len() >= leading.len() && names.iter().zip(&leading).all(|(a, b)| a == b)
        })
}

/// The accessor of a multipart request's part that `path` calls last
/// (`part.content_disposition()`): the client may leave that part out.
fn reads_part_accessor(path: &Path) -> Option<&str> {
    let accessors = &Conditions::get().client_fault.request_part_accessors;
    path.called_names()
        .last()
        .filter(|name| accessors.iter().any(|accessor| accessor == name))
}
