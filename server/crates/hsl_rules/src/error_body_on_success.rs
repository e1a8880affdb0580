use crate::conditions::present_values;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{Body, LiteralValue, ObjectLiteral, Response, SiteRole};
use hsl_fixes as fixes;
use hsl_status_codes as status_codes;

declare_rule! {
    /// A success status is sent with a body that reports an error.
    ///
    /// ## What it does
    /// Flags a `2xx` response, set explicitly or sent by default (`res.json(x)`, `c.json(x)`,
    /// `ctx.body = x`, `Response.json(x)` all answer `200 OK`), whose body is a
    /// literal object that says the request failed: `success: false`, `ok: false`, an
    /// `error`, `errors` or `err` entry with a value, or `status: "error"`, `"fail"` or
    /// `"failed"`. A project helper that sends its parameter as the body
    /// (`function json(data) { return Response.json(data); }`) is read at each call with the
    /// object the call passes (`return json({ ok: false, reason })`).
    ///
    /// ## Why is this bad?
    /// The status code is what HTTP clients, caches, proxies, retries and monitoring read
    /// (RFC 9110 §15). A `200 OK` that carries `{ error: … }` is a success to all of them:
    /// `fetch` sees `response.ok`, error rates stay flat, a cache may keep the failure,
    /// and only code that parses the body notices. A `4xx` says the client must change the
    /// request (§15.5); a `5xx` says the server failed (§15.6).
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.post("/orders", async (req, res) => {
    ///   if (!req.body.items) {
    ///     return res.json({ success: false, message: "items are required" });
    ///   }
    ///   res.status(201).json(await orders.create(req.body));
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.post("/orders", async (req, res) => {
    ///   if (!req.body.items) {
    ///     return res.status(400).json({ success: false, message: "items are required" });
    ///   }
    ///   res.status(201).json(await orders.create(req.body));
    /// });
    /// ```
    ///
    /// ## Fix safety
    /// The fix is a suggestion and never applied by `--fix`: it writes `500 Internal Server
    /// Error` for a response sent from a `catch` block or an `Err(_)` arm and `400 Bad Request`
    /// elsewhere, in the site's own spelling (a default status gets an explicit one:
    /// `res.status(400).json(..)`, `ctx.status = 400;`). Which code is right (`404`, `409`,
    /// `422`, `503` …) depends on the failure, and clients that read the body of a `200` today
    /// change behaviour.
    ///
    /// ## When it stays silent
    /// When the body is not a literal object (a variable, a function's result), when the error
    /// entry is empty (`error: null`, `undefined`, `false`, `""`) or a number (`errors:
    /// errors.length`, `errors: 0`: a batch's tally of failures), when it is a bare variable
    /// that nothing proves set (`{ err, fields }` in a Node-style callback, where `err` is
    /// `null` on success; a `catch (err)` binding or an `if (err)` around the response proves
    /// it), when the body also says
    /// `success: true` or `ok: true` (a partial success that lists its errors), for `204` and
    /// `205` (`body-on-bodiless-status` reports a body there), for a JSON-RPC envelope (an
    /// object with a `jsonrpc` key: JSON-RPC over HTTP answers `200` and carries the error in
    /// the body by protocol), and when the status is only compared, not set.
    ///
    /// ## References
    /// - RFC 9110 §15 (Status Codes), §15.3 (Successful 2xx), §15.5 (Client Error 4xx), §15.6
    ///   (Server Error 5xx)
    /// - RFC 9457 (Problem Details for HTTP APIs)
    /// - JSON-RPC 2.0 §5 (the error object of a response)
    pub struct ErrorBodyOnSuccess;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "error-body-on-success",
    summary: "`2xx` response whose literal body reports an error",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: ErrorBodyOnSuccess::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.facts
        .responses
        .iter()
        .filter(|response| response.role == SiteRole::Sets)
        .filter_map(|response| finding(ctx, response, meta))
        .collect()
}

fn finding(ctx: &RuleContext<'_>, response: &Response, meta: &RuleMeta) -> Option<Finding> {
    let code = response
        .status
        .code
        .filter(|code| (200..300).contains(code) && !matches!(code, 204 | 205))?;
    let Body::Object(object) = &response.body else {
        return None;
    };
    if !response.body.marks_error() || is_json_rpc(object) {
        return None;
    }
    let unproven = unproven_error_names(response, object);
    let marker = object.error_marker(&unproven)?;
    let context = &response.context;
    let replacement = if context.in_catch || context.in_err_arm {
        500
    } else {
        400
    };
    let fixes = fixes::use_code(ctx.facts, &response.status, replacement)
        .into_iter()
        .collect();
    Some(Finding {
        rule: meta.id,
        severity: meta.default_severity,
        range: response.status.range.clone(),
        message: format!(
            "`{}` sent with an error body (`{marker}`): clients and monitoring read this as success; send a 4xx/5xx status",
            status_codes::label(code)
        ),
        fixes,
        related: Vec::new(),
    })
}

/// Whether the object is a JSON-RPC envelope (`{ jsonrpc: "2.0", id, error }`): JSON-RPC over
/// HTTP answers `200` and carries its errors in the body by protocol.
fn is_json_rpc(object: &ObjectLiteral) -> bool {
    object.entries.iter().any(|(key, _)| key == "jsonrpc")
}

/// The error keys of `object` whose value is a bare variable (`{ err, fields }`,
/// `error: error`) that nothing around the response proves set: such a variable is as often
/// `null` on success (a Node-style callback's `err`), so the entry does not show a failure.
/// A variable counts as set when it is the error bound by the enclosing `catch` / `Err(e)`,
/// or a branch condition proves it present (`if (err)`, after `if (!err) return`).
fn unproven_error_names(response: &Response, object: &ObjectLiteral) -> Vec<String> {
    let context = &response.context;
    let proven = |name: &str| {
        context
            .failure
            .as_ref()
            .and_then(|failure| failure.binding.as_deref())
            .is_some_and(|binding| binding == name)
            || context
                .branch_conditions
                .iter()
                .flat_map(present_values)
                .any(|path| path.steps.len() == 1 && path.names().eq([name]))
    };
    object
        .entries
        .iter()
        .filter(|(key, value)| {
            matches!(key.as_str(), "error" | "errors" | "err")
                && matches!(value, LiteralValue::Variable(name) if !proven(name))
        })
        .map(|(key, _)| key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(entries: &[(&str, LiteralValue)]) -> ObjectLiteral {
        ObjectLiteral {
            range: 0..0,
            entries: entries
                .iter()
                .map(|(key, value)| (key.to_string(), value.clone()))
                .collect(),
        }
    }

    #[test]
    fn markers_name_the_entry_and_skip_empty_errors() {
        let found = |entries: &[(&str, LiteralValue)]| object(entries).error_marker(&[]);
        assert_eq!(
            found(&[("success", LiteralValue::Bool(false))]).as_deref(),
            Some("success: false")
        );
        assert_eq!(
            found(&[("error", LiteralValue::Other)]).as_deref(),
            Some("error: …")
        );
        assert_eq!(
            found(&[("status", LiteralValue::String("fail".into()))]).as_deref(),
            Some("status: \"fail\"")
        );
        assert_eq!(found(&[("error", LiteralValue::Null)]), None);
        assert_eq!(
            found(&[("error", LiteralValue::String(String::new()))]),
            None
        );
        assert_eq!(found(&[("err", LiteralValue::Bool(false))]), None);
        assert_eq!(
            found(&[
                ("success", LiteralValue::Bool(true)),
                ("errors", LiteralValue::Other)
            ]),
            None
        );
        assert_eq!(
            found(&[("status", LiteralValue::String("ok".into()))]),
            None
        );
    }
}
