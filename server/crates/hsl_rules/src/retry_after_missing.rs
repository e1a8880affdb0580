use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
    missing_header,
};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A `429` or `503` response does not say when to come back.
    ///
    /// ## What it does
    /// Flags a `429 Too Many Requests` or `503 Service Unavailable` set on a response whose
    /// construction is fully visible and that never sets `Retry-After`.
    ///
    /// ## Why is this bad?
    /// Both statuses mean "not now". `Retry-After` (RFC 9110 §10.2.3; RFC 6585 §4 for `429`)
    /// tells clients how long to wait; without it, well-behaved clients guess, and retry loops
    /// in SDKs hammer the service exactly when it is overloaded.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/search", (req, res) => {
    ///   res.status(429).json({ error: "slow down" });
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/search", (req, res) => {
    ///   res.status(429).set("Retry-After", "30").json({ error: "slow down" });
    /// });
    /// ```
    ///
    /// ## When it stays silent
    /// When the headers come from a variable or a spread, or the response is bound to a name
    /// and changed where the syntax cannot follow. A `Retry-After` added by rate-limiting
    /// middleware is not visible.
    ///
    /// ## References
    /// - RFC 9110 §10.2.3 (`Retry-After`), §15.6.4 (503); RFC 6585 §4 (429)
    pub struct RetryAfterMissing;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "retry-after-missing",
    summary: "`429` or `503` without a `Retry-After` header",
    default_severity: Severity::Info,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: RetryAfterMissing::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    missing_header(
        ctx,
        meta,
        &[429, 503],
        "retry-after",
        |code| {
            format!(
                "`{}` without `Retry-After`: clients cannot tell when to try again; set `Retry-After` in seconds",
                status_codes::label(code)
            )
        },
        |_| Vec::new(),
    )
}
