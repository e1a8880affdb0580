use std::collections::BTreeSet;

use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
    missing_header,
};
use hsl_facts::{FileFacts, HandlerRef, Method, Response};
use hsl_fixes::{Edit, Fix};

declare_rule! {
    /// A `405 Method Not Allowed` response does not list the allowed methods.
    ///
    /// ## What it does
    /// Flags a `405 Method Not Allowed` set on a response whose construction is fully visible
    /// and that never sets `Allow`.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.5.6: the origin server MUST generate an `Allow` header in a `405` response,
    /// listing the methods the target resource supports. Without it, a client that hit the
    /// wrong method cannot find the right one, and tooling (API explorers, CORS debugging)
    /// has nothing to show.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/items", (req, res) => res.json([]));
    /// app.all("/items", (req, res) => {
    ///   res.status(405).end();
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/items", (req, res) => res.json([]));
    /// app.all("/items", (req, res) => {
    ///   res.status(405).set("Allow", "GET, HEAD").end();
    /// });
    /// ```
    ///
    /// ## Fix safety
    /// When the handler is registered on a literal path and other registrations in the same
    /// file give that path's methods, the fix adds `Allow` listing them (with `HEAD` wherever
    /// `GET` is served). It is a suggestion: routes registered in other files or by a router
    /// mounted elsewhere are not counted.
    ///
    /// ## When it stays silent
    /// When the headers come from a variable or a spread, or the response is bound to a name
    /// and changed where the syntax cannot follow. When the status is set first and the
    /// response is finished later on branches, one of which sets headers (`res.statusCode =
    /// 405;` then `if (next) next(); else { res.setHeader("allow", ..); res.end(); }`): the
    /// headers of a branch may or may not be the ones sent. Headers set on the lines that
    /// always follow the status are read as its own.
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
    /// An `Allow` header added by middleware is not
    /// visible.
    ///
    /// ## References
    /// - RFC 9110 §15.5.6 (405 Method Not Allowed), §10.2.1 (`Allow`)
    pub struct MethodNotAllowedWithoutAllow;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "method-not-allowed-without-allow",
    summary: "`405 Method Not Allowed` without an `Allow` header",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: MethodNotAllowedWithoutAllow::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    missing_header(
        ctx,
        meta,
        &[405],
        "allow",
        |_| {
            "`405 Method Not Allowed` without `Allow`: the client is not told which methods work; list them in `Allow`".to_string()
        },
        |response| allow_fix(ctx.facts, response).into_iter().collect(),
    )
}

/// Adds `Allow` with the methods registered on the handler's path in this file.
fn allow_fix(facts: &FileFacts, response: &Response) -> Option<Fix> {
    let insert = response.header_insert.as_ref()?;
    let methods = route_methods(facts, response.handler?);
    if methods.is_empty() {
        return None;
    }
    let value = methods
        .iter()
        .map(|method| method.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let text = insert
        .template
        .replace("{name}", "Allow")
        .replace("{value}", &value);
    Some(Fix::suggested(
        format!("Add `Allow: {value}`"),
        vec![Edit {
            range: insert.at..insert.at,
            new_text: text,
        }],
    ))
}

/// The methods other registrations serve on the literal path `handler` is registered on.
fn route_methods(facts: &FileFacts, handler: usize) -> BTreeSet<Method> {
    let name = facts.handlers.get(handler).and_then(|h| h.name.clone());
    let serves = |reference: &HandlerRef| match reference {
        HandlerRef::Inline(id) => *id == handler,
        HandlerRef::Named(path) => name.is_some() && path.last() == name.as_ref(),
    };
    let paths: BTreeSet<&str> = facts
        .registrations
        .iter()
        .filter(|registration| registration.is_route() && serves(&registration.handler))
        .filter_map(|registration| registration.path.as_deref())
        .collect();
    // A handler mounted on several paths answers for each: no one list of methods fits.
    if paths.len() != 1 {
        return BTreeSet::new();
    }
    let mut methods: BTreeSet<Method> = facts
        .registrations
        .iter()
        .filter(|registration| {
            registration.is_route()
                && !serves(&registration.handler)
                && registration
                    .path
                    .as_deref()
                    .is_some_and(|path| paths.contains(path))
        })
        .flat_map(|registration| registration.methods.iter().copied())
        .collect();
    if methods.contains(&Method::Get) {
        methods.insert(Method::Head);
    }
    methods
}
