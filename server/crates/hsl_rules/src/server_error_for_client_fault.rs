use crate::conditions::{absent_values, segments, within};
use crate::vocabulary::names_server_state;
use crate::validation_error_as_bad_request::validator_result;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::Condition;
use hsl_fixes as fixes;
use hsl_status_codes as status_codes;
use hsl_tables::Conditions;

declare_rule! {
    /// A `500` answers the client's own mistake.
    ///
    /// ## What it does
    /// Flags a `500 Internal Server Error` set in a branch that handles something the client
    /// got wrong: a missing request field (`if (!req.body.email)`, `if body.name.is_empty()`),
    /// a failed validation (a validator's result, as `validation-error-as-bad-request` reads
    /// it), or a branch whose literal message says so ("not found" under a test for a missing
    /// value, "is required", "must be", "invalid email").
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
    /// message, `400` and `422` both for "must be" and "invalid" messages. Which one is right
    /// depends on the API's conventions.
    ///
    /// ## When it stays silent
    /// For a `500` in a `catch` or `Err` arm that handles the server's own failure (a database
    /// error, a generic `catch (err)`), even when that handler sits in a branch that tests a
    /// request field (`else` of `if let Some(name) = query.get("name")` rendering a template
    /// whose `.map_err(..)` answers `500`), and for the `Err` of a call that reads the request
    /// (`body.collect().await.map_err(..)`: the read failed, nothing was proven missing); for `if (!user)` after a lookup without a message that
    /// says "not found" (the lookup may have failed on the server's side); for messages about
    /// the server ("Missing DATABASE_URL", "Config file not found" outside a test for a missing
    /// value). The words it reads are listed in `grammars-config/conditions.toml`.
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
    // tested around the handler or the failed call itself: only tests inside it count.
    let answers = |c: &&Condition| {
        response
            .context
            .failure
            .as_ref()
            .is_none_or(|failure| within(&c.range, &failure.range))
    };
    if let Some(field) = conditions
        .iter()
        .filter(answers)
        .find_map(|c| missing_input(c, &words.inputs))
    {
        return Some((format!("a missing `{field}`"), vec![400]));
    }
    if validator_result(ctx, response).is_some() {
        return Some(("a failed validation".to_string(), vec![422]));
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

/// The request field a condition proves missing: `!req.body.email` → `req.body.email`.
fn missing_input(condition: &Condition, inputs: &[String]) -> Option<String> {
    absent_values(condition).into_iter().find_map(|path| {
        let segments = segments(path);
        let is_input = inputs.iter().any(|input| {
            let prefix: Vec<&str> = input.split('.').collect();
            segments.len() > prefix.len()
                && segments
                    .iter()
                    .zip(&prefix)
                    .all(|(segment, want)| segment == want)
        });
        is_input.then(|| segments.join("."))
    })
}
