use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, Related, RuleContext, RuleMeta, Severity,
    declare_rule,
};
use hsl_facts::{Method, ResolvedMethod, SiteRole};
use hsl_fixes::{self as fixes, Fix};
use hsl_status_codes as status_codes;

declare_rule! {
    /// A `301` or `302` redirect answers a request whose method is not safe (`POST`, `PUT`, `PATCH`, `DELETE`).
    ///
    /// ## What it does
    /// Flags a `301 Moved Permanently` or `302 Found`, written out or sent as a helper's default
    /// (Express `res.redirect(url)`), in a handler that the code registers for `POST`, `PUT`,
    /// `PATCH` or `DELETE`. A function handed a handler's response object (`signIn(ctx, user)`)
    /// answers that handler's request: its redirect is reported with the methods of the handlers
    /// that call it, once, at the redirect itself. An error type's conversion (actix
    /// `impl ResponseError for PageError`, a Rocket `Responder`) answers the requests of the
    /// endpoints an attribute routes (`#[post("/x")]`) whose return type names that error, or
    /// the file's `Result` alias for it (`type PageResult<T> = Result<T, PageError>`): what
    /// their `?` lets out is sent by the conversion, where its redirect is reported.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.4.2 and §15.4.3 note that user agents may change the request method from
    /// `POST` to `GET` when they follow a `301` or `302`, and browsers do: the Fetch standard's
    /// redirect steps turn a `POST` into a `GET` and drop its body, while they repeat a `PUT`,
    /// `PATCH` or `DELETE` at the new location, body and all. Other clients differ (some switch
    /// every method but `HEAD` to `GET` after a `302`, others repeat the `POST`), so what the
    /// target receives depends on who asked. Say which one you mean: `303 See Other` tells
    /// every client to fetch the target with `GET` (post/redirect/get; Fetch does so for every
    /// method but `HEAD`); `307 Temporary Redirect` and `308 Permanent Redirect` tell it to
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
    /// In a `POST` handler, `303 See Other` is offered as a safe fix: it states what browsers
    /// already do after a `POST`, in the site's own spelling (a number stays a number,
    /// `StatusCode::FOUND` becomes `StatusCode::SEE_OTHER`, `res.redirect(url)` becomes
    /// `res.redirect(303, url)`). In a `PUT`, `PATCH` or `DELETE` handler it is only
    /// suggested: browsers repeat those methods at the target today, and `303` makes them
    /// fetch it with `GET` instead. `307`/`308`, which make every client repeat the method, are
    /// always only suggested.
    ///
    /// ## When it stays silent
    /// When the handler's method is not proven by a route registration, attribute or exported
    /// name (a handler registered with `app.all`, or never registered in the files we can see);
    /// when the status is only compared or asserted, not set; for `GET`, `HEAD` and `OPTIONS`
    /// handlers; for `303`, `307` and `308`. A function's callers lend it no method when the call
    /// passes a boolean (`setCookies(res, tokens, false)`): it picks the function's branch, and
    /// which branch redirects is not followed. An error conversion learns no method from an
    /// endpoint registered by a call (`.route("/x", web::post().to(h))`), nor from an alias
    /// of the error declared in another file than the conversion.
    ///
    /// ## References
    /// - RFC 9110 §15.4.2 (301), §15.4.3 (302), §15.4.4 (303), §15.4.8 (307), §15.4.9 (308)
    /// - Fetch Living Standard, "HTTP-redirect fetch" (which methods a browser changes to `GET`)
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
        let methods = ctx.methods_of(response.handler);
        // `POST` first: it is the method whose redirect browsers change.
        let Some(unsafe_method) = methods
            .iter()
            .find(|resolved| resolved.method == Method::Post)
            .or_else(|| methods.iter().find(|resolved| !resolved.method.is_safe()))
        else {
            continue;
        };
        // A redirect in an error type's conversion is sent on behalf of the handlers that
        // return the error: the message says so, rather than placing it in a handler.
        let in_conversion = response
            .handler
            .and_then(|id| ctx.facts.handlers.get(id))
            .is_some_and(|handler| handler.error_type.is_some());
        findings.push(finding(response, code, unsafe_method, in_conversion, meta));
    }
    findings
}

/// The finding for a `301`/`302` in a handler of `unsafe_method`, with a message that says
/// what clients really do with it (the Fetch standard's redirect steps): browsers turn only a
/// `POST` into a `GET`; a `PUT`, `PATCH` or `DELETE` is repeated at the new location.
fn finding(
    response: &hsl_facts::Response,
    code: u16,
    unsafe_method: &ResolvedMethod,
    in_conversion: bool,
    meta: &RuleMeta,
) -> Finding {
    let method = unsafe_method.method.as_str();
    let keep = if code == 301 { 308 } else { 307 };
    let what = match &response.status.spelling {
        hsl_facts::Spelling::ImplicitDefault { helper, .. } => {
            format!("`{helper}` defaults to `{code}`")
        }
        _ => format!("`{code}` redirect"),
    };
    let post = unsafe_method.method == Method::Post;
    let place = if in_conversion {
        "in an error conversion reached from"
    } else {
        "in"
    };
    let message = if post {
        format!(
            "{what} {place} a `POST` handler: browsers follow it with `GET` and drop the body, other clients may repeat the `POST`; use `303 See Other`, or `{keep}` to keep the method"
        )
    } else {
        format!(
            "{what} {place} a `{method}` handler: browsers repeat the `{method}` at the new location (they change only `POST` to `GET`), some other clients switch to `GET`; use `303 See Other` to send them to a page with `GET`, or `{keep}` to repeat the `{method}` on purpose"
        )
    };
    let mut fixes = Vec::new();
    if let Some(edit) = fixes::respell(&response.status, 303) {
        let title = format!("Use `{}`", status_codes::label(303));
        // After a `POST`, `303` states what browsers already do; after a `PUT`, `PATCH` or
        // `DELETE` it changes what they do (a `GET` instead of a repeated request).
        fixes.push(if post {
            Fix::safe(title, vec![edit])
        } else {
            Fix::suggested(title, vec![edit])
        });
    }
    if let Some(edit) = fixes::respell(&response.status, keep) {
        fixes.push(Fix::suggested(
            format!("Use `{}` to keep the method", status_codes::label(keep)),
            vec![edit],
        ));
    }
    Finding {
        rule: meta.id,
        severity: meta.default_severity,
        range: response.status.range.clone(),
        message,
        fixes,
        related: vec![Related {
            location: unsafe_method.location.clone(),
            message: format!("`{method}` handler: its method is declared here"),
        }],
    }
}
