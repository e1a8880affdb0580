use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::SiteRole;
use hsl_status_codes::{self as status_codes, Registration};

declare_rule! {
    /// A status code that IANA lists as deprecated, reserved and unused, or obsolete.
    ///
    /// ## What it does
    /// Flags a response that sends `305 Use Proxy` (deprecated), `306 (Unused)` or
    /// `418 (Unused)` (reserved so the numbers are never reassigned), or `510 Not Extended`
    /// (obsoleted), however the code is spelled: a number, `StatusCode::IM_A_TEAPOT`,
    /// `HttpStatus.I_AM_A_TEAPOT`, NestJS's `ImATeapotException`.
    ///
    /// ## Why is this bad?
    /// None of these codes means anything to a client today. RFC 9110 §15.4.6 deprecates `305`
    /// for security reasons, and user agents ignore it; §15.4.7 and §15.5.19 reserve `306` and
    /// `418` without semantics, so clients treat them as the class's generic `300` or `400`;
    /// `510` belongs to the HTTP Extension Framework (RFC 2774), which the IETF moved to
    /// Historic. A client, proxy or monitoring tool sees only "some redirect" or "some error";
    /// the code that names the situation (`307`, `400`, `429` …) says more.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/coffee", (req, res) => {
    ///   res.status(418).send("I'm a teapot");
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/coffee", (req, res) => {
    ///   res.status(400).send("This server brews tea only");
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn proxy() -> impl IntoResponse {
    ///     (StatusCode::USE_PROXY, [(header::LOCATION, "http://proxy.internal:3128")])
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn proxy() -> impl IntoResponse {
    ///     (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, "https://api.example.com/v2")])
    /// }
    /// ```
    ///
    /// ## When it stays silent
    /// When the code is only named, not sent (a test comparing a status with `418`, a `match`
    /// arm), and when it is computed at run time. Codes the registry does not list at all
    /// (`509`, `299`, `1000`) belong to `invalid-status-code`, which checks numbers only; this
    /// rule owns every code the registry lists but retires (`305`, `306`, `418`, `510`), so the
    /// two never report the same site.
    ///
    /// ## References
    /// - RFC 9110 §15.4.6 (305), §15.4.7 (306), §15.5.19 (418)
    /// - RFC 2774 §7 (510) and its move to Historic
    /// - IANA HTTP Status Code Registry
    pub struct DeprecatedStatusCode;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "deprecated-status-code",
    summary: "status code IANA marks unused or obsolete",
    default_severity: Severity::Hint,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: DeprecatedStatusCode::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

/// What the message says for a retired code: why it is retired, how clients read it, and what
/// to send instead. Codes retired later fall back to a message built from the registry.
const ADVICE: &[(u16, &str, &str)] = &[
    (
        305,
        "is deprecated (RFC 9110 §15.4.6): clients ignore it",
        "configure proxies on the client, and redirect with `307 Temporary Redirect`",
    ),
    (
        306,
        "is reserved and unused (RFC 9110 §15.4.7): clients treat it as `300 Multiple Choices`",
        "redirect with `307 Temporary Redirect` or `308 Permanent Redirect`",
    ),
    (
        418,
        "is reserved and unused (RFC 9110 §15.5.19): clients treat it as `400 Bad Request`",
        "send the 4xx that names the problem (`400`, `403`, `429`)",
    ),
    (
        510,
        "is obsolete (RFC 2774 is Historic): clients treat it as `500 Internal Server Error`",
        "send `400 Bad Request` saying what the request lacks",
    ),
];

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.facts
        .responses
        .iter()
        .filter(|response| response.role == SiteRole::Sets)
        .filter_map(|response| {
            let code = response.status.code?;
            let message = message(code)?;
            Some(Finding {
                rule: meta.id,
                severity: meta.default_severity,
                range: response.status.range.clone(),
                message,
                fixes: Vec::new(),
                related: Vec::new(),
            })
        })
        .collect()
}

/// The one-line message for a retired code; `None` for a code in use or not in the registry.
fn message(code: u16) -> Option<String> {
    let entry = status_codes::lookup(code).filter(|entry| entry.is_retired())?;
    let label = status_codes::label(code);
    if let Some((_, why, instead)) = ADVICE.iter().find(|(known, _, _)| *known == code) {
        return Some(format!("`{label}` {why}; {instead}"));
    }
    let state = match entry.registration {
        Registration::Deprecated => "deprecated",
        Registration::ReservedUnused => "reserved and unused",
        _ => "obsolete",
    };
    Some(format!(
        "`{label}` is {state} in the IANA registry: clients treat it as `{}`",
        status_codes::label(code / 100 * 100)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_retired_code_has_advice_and_none_is_unregistered() {
        for entry in status_codes::registry() {
            if entry.is_retired() {
                assert!(
                    entry.is_registered(),
                    "{} would also be invalid",
                    entry.code
                );
                assert!(
                    ADVICE.iter().any(|(code, _, _)| *code == entry.code),
                    "no advice for {}",
                    entry.code
                );
            }
        }
        assert!(message(200).is_none());
        assert!(message(509).is_none());
        assert_eq!(
            message(305).as_deref(),
            Some(
                "`305 Use Proxy` is deprecated (RFC 9110 §15.4.6): clients ignore it; configure proxies on the client, and redirect with `307 Temporary Redirect`"
            )
        );
    }
}
