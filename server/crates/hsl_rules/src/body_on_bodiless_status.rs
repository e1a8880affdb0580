use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::SiteRole;
use hsl_fixes::{self as fixes, Edit, Fix};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A `204`, `205` or `304` response is sent with a body.
    ///
    /// ## What it does
    /// Flags a `204 No Content`, `205 Reset Content` or `304 Not Modified` whose response the
    /// code visibly gives content: a JSON object, a string, a rendered page.
    ///
    /// ## Why is this bad?
    /// These statuses are defined to have no content (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
    /// Frameworks silently drop the body (Express, Fastify), throw (the Web `Response`
    /// constructor), or send it anyway, leaving the next response on a kept-alive connection
    /// misframed for clients and proxies. Either the body is dead code or the status is wrong.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.delete("/items/:id", (req, res) => {
    ///   res.status(204).json({ deleted: true });
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.delete("/items/:id", (req, res) => {
    ///   res.status(204).end();
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn remove() -> impl IntoResponse {
    ///     (StatusCode::NO_CONTENT, Json(json!({ "deleted": true })))
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn remove() -> impl IntoResponse {
    ///     StatusCode::NO_CONTENT
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// Both fixes are suggestions: dropping the body (`.end()`, the bare status) removes code,
    /// and switching to `200 OK` keeps the body but changes what clients see.
    ///
    /// ## When it stays silent
    /// When the body is empty (`.end()`, `.send()`, `""`, `()`), when the body call cannot be
    /// tied to the same response, and when the status is only compared, not set.
    ///
    /// ## References
    /// - RFC 9110 §15.3.5 (204), §15.3.6 (205), §15.4.5 (304), §6.4.1 (message body)
    pub struct BodyOnBodilessStatus;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "body-on-bodiless-status",
    summary: "`204`, `205` or `304` response sent with a body",
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    frameworks: EVERY_FRAMEWORK,
    docs: BodyOnBodilessStatus::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut findings = Vec::new();
    for response in &ctx.facts.responses {
        if response.role != SiteRole::Sets || !response.body.has_content() {
            continue;
        }
        let Some(code @ (204 | 205 | 304)) = response.status.code else {
            continue;
        };
        let label = status_codes::label(code);
        let mut fixes = Vec::new();
        if let Some(replacement) = &response.without_body {
            fixes.push(Fix::suggested(
                "Send no body".to_string(),
                vec![Edit {
                    range: replacement.range.clone(),
                    new_text: replacement.text.clone(),
                }],
            ));
        }
        if let Some(edit) = fixes::respell(&response.status, 200) {
            fixes.push(Fix::suggested(
                format!("Use `{}` to keep the body", status_codes::label(200)),
                vec![edit],
            ));
        }
        findings.push(Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: response.status.range.clone(),
            message: format!(
                "`{label}` sent with a body: this status has no content, so the body is dropped or breaks the response"
            ),
            fixes,
            related: Vec::new(),
        });
    }
    findings
}
