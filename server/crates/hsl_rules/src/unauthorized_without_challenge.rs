use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
    missing_header,
};

declare_rule! {
    /// A `401 Unauthorized` response does not say how to authenticate.
    ///
    /// ## What it does
    /// Flags a `401 Unauthorized` set on a response whose construction is fully visible and
    /// that never sets `WWW-Authenticate`.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.5.2: a server generating a `401` MUST send a `WWW-Authenticate` header with
    /// at least one challenge (`Bearer`, `Basic realm="api"`). It is what tells a client which
    /// scheme to retry with; generic HTTP clients and proxies rely on it, and some treat a
    /// challenge-less `401` as a protocol error.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/me", (req, res) => {
    ///   res.status(401).json({ error: "login required" });
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/me", (req, res) => {
    ///   res.status(401).set("WWW-Authenticate", 'Bearer realm="api"').json({ error: "login required" });
    /// });
    /// ```
    ///
    /// ## When it stays silent
    /// When the headers come from a variable or a spread, or the response is bound to a name
    /// and changed where the syntax cannot follow. A challenge added by an auth middleware or
    /// an exception filter is not visible. The default severity is `hint`: browsers-only
    /// session APIs often omit the challenge on purpose (to avoid the browser's login prompt).
    ///
    /// ## References
    /// - RFC 9110 §15.5.2 (401 Unauthorized), §11.6.1 (`WWW-Authenticate`)
    pub struct UnauthorizedWithoutChallenge;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "unauthorized-without-challenge",
    summary: "`401 Unauthorized` without a `WWW-Authenticate` challenge",
    default_severity: Severity::Hint,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: UnauthorizedWithoutChallenge::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    missing_header(
        ctx,
        meta,
        &[401],
        "www-authenticate",
        |_| {
            "`401 Unauthorized` without `WWW-Authenticate`: clients are not told how to authenticate; add a challenge such as `Bearer`".to_string()
        },
        |_| Vec::new(),
    )
}
