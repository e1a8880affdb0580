use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
    missing_header,
};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A redirect status is set without a `Location` header.
    ///
    /// ## What it does
    /// Flags a `301`, `302`, `303`, `307` or `308` set on a response whose construction is
    /// fully visible (a chain, the statements on the same response object, a tuple, an init
    /// object) and that never sets `Location`.
    ///
    /// ## Why is this bad?
    /// A redirect tells the client to go somewhere else, and `Location` says where
    /// (RFC 9110 §15.4, §10.2.2). Without it, browsers show an empty page, HTTP clients stop
    /// with the 3xx as the final answer, and the redirect is a silent dead end. Redirect
    /// helpers (`res.redirect(url)`, `Redirect::to(url)`) set the header themselves; setting a
    /// 3xx status by hand is where it gets lost.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/old", (req, res) => {
    ///   res.status(301).end();
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/old", (req, res) => {
    ///   res.status(301).set("Location", "/new").end();
    /// });
    /// ```
    ///
    /// ## When it stays silent
    /// For `304 Not Modified` and `300 Multiple Choices` (no `Location` required); for redirect
    /// helpers, which set it; when the headers come from a variable or a spread, or the
    /// response is bound to a name and changed where the syntax cannot follow.
    /// A function of the same file that only reads the response object handed to it
    /// (`audit(c)` using `c.get(..)` and `c.env`) hides nothing: its body is read as the
    /// handler's own.
    /// A Rust function of the same file lent the response (`add_cors(&mut res)`,
    /// `self.stamp(&mut res)`) hides nothing when every use of its parameter is seen: the
    /// headers it sets on any of its paths count as set, and so do those of the functions it
    /// lends the response to in turn.
    /// A project macro that returns its error type with the status it is given
    /// (`bail!("slow down", 429)`) shows its headers when the same file's conversion of that
    /// type (`impl Responder for ApiError`) builds every response on a chain in sight: the
    /// call is judged with those headers; otherwise they stay out of sight.
    /// Headers set by
    /// middleware or a framework hook are not visible: a `Location` added there is not seen,
    /// and the rule reports the site (suppress it with `// http-status-ls-ignore:
    /// redirect-without-location`).
    ///
    /// ## References
    /// - RFC 9110 §15.4 (Redirection 3xx), §10.2.2 (`Location`)
    pub struct RedirectWithoutLocation;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "redirect-without-location",
    summary: "redirect status set without a `Location` header",
    default_severity: Severity::Warning,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: RedirectWithoutLocation::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    missing_header(
        ctx,
        meta,
        &[301, 302, 303, 307, 308],
        "location",
        |code| {
            format!(
                "`{}` without a `Location` header: the client has nowhere to go; set `Location` to the target URL",
                status_codes::label(code)
            )
        },
        |_| Vec::new(),
    )
}
