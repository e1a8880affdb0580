use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, Related, RuleContext, RuleMeta, Severity,
    declare_rule,
};
use hsl_facts::SiteRole;
use hsl_fixes::{self as fixes, Fix};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A `301` or `302` redirect answers a request whose method is not safe (`POST`, `PUT`, `PATCH`, `DELETE`).
    ///
    /// ## What it does
    /// Flags a `301 Moved Permanently` or `302 Found`, written out or sent as a helper's default
    /// (Express `res.redirect(url)`), in a handler that the code registers for `POST`, `PUT`,
    /// `PATCH` or `DELETE`.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.4.2 and §15.4.3 note that user agents may change the request method from
    /// `POST` to `GET` when they follow a `301` or `302`, and many do. Whether the follow-up
    /// request repeats the method and body therefore depends on the client. Say which one you
    /// mean: `303 See Other` tells every client to fetch the target with `GET`
    /// (post/redirect/get); `307 Temporary Redirect` and `308 Permanent Redirect` tell it to
    /// repeat the method and body.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.post("/login", (req, res) => {
    ///   res.redirect("/home");
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.post("/login", (req, res) => {
    ///   res.redirect(303, "/home");
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn login() -> impl IntoResponse {
    ///     (StatusCode::FOUND, [(header::LOCATION, "/home")])
    /// }
    /// fn app() -> Router { Router::new().route("/login", post(login)) }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn login() -> impl IntoResponse {
    ///     Redirect::to("/home")
    /// }
    /// fn app() -> Router { Router::new().route("/login", post(login)) }
    /// ```
    ///
    /// ## Fix safety
    /// `303 See Other` is offered as a safe fix: it states what browsers already do after a
    /// `POST`, in the site's own spelling (a number stays a number, `StatusCode::FOUND` becomes
    /// `StatusCode::SEE_OTHER`, `res.redirect(url)` becomes `res.redirect(303, url)`).
    /// `307`/`308`, which make clients repeat the method, change behaviour and are only suggested.
    ///
    /// ## When it stays silent
    /// When the handler's method is not proven by a route registration, attribute or exported
    /// name (a handler registered with `app.all`, or never registered in the files we can see);
    /// when the status is only compared or asserted, not set; for `GET`, `HEAD` and `OPTIONS`
    /// handlers; for `303`, `307` and `308`.
    ///
    /// ## References
    /// - RFC 9110 §15.4.2 (301), §15.4.3 (302), §15.4.4 (303), §15.4.8 (307), §15.4.9 (308)
    pub struct RedirectChangesMethod;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "redirect-changes-method",
    summary: "`301`/`302` redirect from a `POST`, `PUT`, `PATCH` or `DELETE` handler",
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    frameworks: EVERY_FRAMEWORK,
    docs: RedirectChangesMethod::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[301, 302],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    let mut findings = Vec::new();
    for response in &ctx.facts.responses {
        if response.role != SiteRole::Sets {
            continue;
        }
        let Some(code @ (301 | 302)) = response.status.code else {
            continue;
        };
        let Some(unsafe_method) = ctx
            .methods_of(response.handler)
            .iter()
            .find(|resolved| !resolved.method.is_safe())
        else {
            continue;
        };
        let method = unsafe_method.method.as_str();
        let keep = if code == 301 { 308 } else { 307 };
        let what = match &response.status.spelling {
            hsl_facts::Spelling::ImplicitDefault { helper, .. } => {
                format!("`{helper}` defaults to `{code}`")
            }
            _ => format!("`{code}` redirect"),
        };
        let message = format!(
            "{what} in a `{method}` handler: clients may replay it as `GET`; use `303 See Other`, or `{keep}` to keep the method"
        );
        let mut fixes = Vec::new();
        if let Some(edit) = fixes::respell(&response.status, 303) {
            fixes.push(Fix::safe(
                format!("Use `{}`", status_codes::label(303)),
                vec![edit],
            ));
        }
        if let Some(edit) = fixes::respell(&response.status, keep) {
            fixes.push(Fix::suggested(
                format!("Use `{}` to keep the method", status_codes::label(keep)),
                vec![edit],
            ));
        }
        findings.push(Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: response.status.range.clone(),
            message,
            fixes,
            related: vec![Related {
                location: unsafe_method.location.clone(),
                message: format!("`{method}` handler: its method is declared here"),
            }],
        });
    }
    findings
}
