use crate::conditions::{compared_secret, same_name};
use crate::forbidden_as_unauthorized::answers_known_user;
use crate::vocabulary::{has_run, names_server_state, says_server_config};
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, body_strings,
    declare_rule,
};
use hsl_facts::{Response, SiteRole, Words};
use hsl_tables::{AuthScheme, Conditions};

declare_rule! {
    /// A `401 Unauthorized` from code that uses HTTP authentication does not say how to
    /// authenticate.
    ///
    /// ## What it does
    /// Flags a `401 Unauthorized` set on a response whose construction is fully visible and
    /// that never sets `WWW-Authenticate`, in a handler that takes its credential through HTTP
    /// authentication: it reads the `Authorization` header, names a scheme (`Bearer`,
    /// `Basic`), or uses an extractor, guard or library that implements one
    /// (`TypedHeader<Authorization<Bearer>>`, `BearerAuth`, `passport-http-bearer`). A class
    /// method works under the options its class's constructor hands the base class: a Passport
    /// strategy's `super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() })` shows
    /// the scheme its `validate` answers for. A function of the project the handler calls by
    /// name counts with what it reads: `auth(req)` defined in another module, whose body takes
    /// the `Authorization` header apart, puts the handler under HTTP authentication although
    /// the handler never names the header. The other way round too: a `401` built in a
    /// helper of the file (a named function no route answers with, such as a lookup that fails
    /// with `401` when the token's user is gone) works under what the functions of the file
    /// that call it read, when one of them takes the `Authorization` header apart. So does a
    /// `401` helper of a module of helpers or error factories (`unauthorized()`,
    /// `AuthenticationError()` returning `createError(401, ..)`) that a function of another
    /// module calls, when that function takes the `Authorization` header apart and its import
    /// of the helper leads to this module: the helper refuses the credential its caller reads.
    /// The message names the scheme it saw, so the challenge to add is concrete.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.5.2: a server generating a `401` MUST send a `WWW-Authenticate` header with
    /// at least one challenge (`Bearer`, `Basic realm="api"`). It is what tells a client which
    /// scheme to retry with; generic HTTP clients and proxies rely on it, and some treat a
    /// challenge-less `401` as a protocol error. RFC 6750 §3 adds the `error` parameters a
    /// `Bearer` challenge carries (`error="invalid_token"`).
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/me", (req, res) => {
    ///   if (!req.headers.authorization?.startsWith("Bearer ")) {
    ///     return res.status(401).json({ error: "token required" });
    ///   }
    ///   res.json(req.user);
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/me", (req, res) => {
    ///   if (!req.headers.authorization?.startsWith("Bearer ")) {
    ///     return res.status(401).set("WWW-Authenticate", 'Bearer realm="api"').json({ error: "token required" });
    ///   }
    ///   res.json(req.user);
    /// });
    /// ```
    ///
    /// ## When it stays silent
    /// When nothing in the handler, the `401`'s conditions or the file's imports shows HTTP
    /// authentication: a cookie session, a login or magic-link form (the credential is in the
    /// body), an OAuth callback, a custom token header such as `x-api-key`; a challenge would
    /// have no scheme to name, and in a browser it opens the native login prompt. When the
    /// `401`'s branch compares the credential with one expected value or tests a secret or a
    /// signature (`authHeader !== \`Bearer ${CRON_SECRET}\``, a webhook's HMAC): that secret is
    /// shared with one known caller, not negotiated. When the `401` reports the server's own
    /// configuration (its branch reads the environment or the configuration, or its message
    /// says "not configured" or names an env var). When the `401` answers a signed-in user
    /// who lacks a permission: `forbidden-as-unauthorized` reports that site, since the fix
    /// is `403`, not a challenge. When the headers come from a variable or a spread, or the
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
    /// A challenge
    /// added by an auth middleware or an exception filter is not visible; nor is a helper the
    /// handler reaches through an object or a method (`authService.check(req)`), or one whose
    /// import cannot be traced while another function of the same name also reads the header.
    /// An `Authorization` header the handler sends to another service counts as evidence too.
    /// A helper lends nothing to its callers' `401`s. It borrows from callers in its own file,
    /// and from functions of other modules only when they read the `Authorization` header
    /// themselves and their import of it is traced to its module (or its name is defined once
    /// in the project): a helper reached only through route handlers or guards that hand the
    /// header check to yet another function, or only by code that reads a cookie session, is
    /// judged by its own words, and so is one whose Rust caller answers no status of its own
    /// (the file keeps no words for it).
    ///
    /// ## References
    /// - RFC 9110 §15.5.2 (401 Unauthorized), §11.6.1 (`WWW-Authenticate`); RFC 6750 §3
    ///   (the `Bearer` challenge); RFC 7617 (`Basic`)
    pub struct UnauthorizedWithoutChallenge;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "unauthorized-without-challenge",
    summary: "`401 Unauthorized` under HTTP authentication without a `WWW-Authenticate` challenge",
    default_severity: Severity::Hint,
    fix: FixAvailability::None,
    frameworks: EVERY_FRAMEWORK,
    docs: UnauthorizedWithoutChallenge::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.facts
        .responses
        .iter()
        .filter(|response| {
            response.role == SiteRole::Sets
                && response.status.code == Some(401)
                && response.lacks_header("www-authenticate")
        })
        .filter(|response| !answers_known_user(response) && !shared_or_server(response))
        .filter_map(|response| {
            let evidence = http_authentication(ctx, response)?;
            Some(Finding {
                rule: meta.id,
                severity: meta.default_severity,
                range: response.status.range.clone(),
                message: message(&evidence),
                fixes: Vec::new(),
                related: Vec::new(),
            })
        })
        .collect()
}

/// What shows HTTP authentication around a `401`: the schemes named, or only the header.
struct Evidence {
    schemes: Vec<&'static str>,
}

fn message(evidence: &Evidence) -> String {
    match evidence.schemes.as_slice() {
        [] => "`401 Unauthorized` without `WWW-Authenticate`: the handler reads the `Authorization` header but clients are not told how to authenticate; add a challenge naming the scheme it expects (`Bearer`, `Basic`)".to_string(),
        [scheme] => format!(
            "`401 Unauthorized` without `WWW-Authenticate`: the handler takes `{scheme}` credentials but clients are not told so; add `WWW-Authenticate: {scheme}`"
        ),
        schemes => {
            let names = schemes
                .iter()
                .map(|scheme| format!("`{scheme}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            format!(
                "`401 Unauthorized` without `WWW-Authenticate`: the handler takes {names} credentials but clients are not told so; add a challenge for each"
            )
        }
    }
}

/// Whether the `401` answers a secret shared with one known caller, or reports the server's
/// own configuration: a challenge helps neither.
fn shared_or_server(response: &Response) -> bool {
    let shared = &Conditions::get().http_auth.shared_secret;
    let conditions = &response.context.branch_conditions;
    conditions.iter().any(compared_secret)
        || conditions
            .iter()
            .filter(|condition| condition.holds())
            .any(|condition| {
                condition
                    .words
                    .names
                    .iter()
                    .any(|name| has_run(name, shared))
                    || names_server_state(&condition.words)
            })
        || says_server_config(&body_strings(response))
}

/// The HTTP authentication the handler, the `401`'s conditions and body, or the file's
/// imports show; `None` when nothing does. A library import counts for a handler that names
/// what it imported (`BearerAuth`), or for one that shows nothing else (a Passport strategy's
/// `validate`, whose scheme is set up around it).
fn http_authentication(ctx: &RuleContext<'_>, response: &Response) -> Option<Evidence> {
    let http_auth = &Conditions::get().http_auth;
    let mut words: Vec<&Words> = response
        .context
        .branch_conditions
        .iter()
        .map(|condition| &condition.words)
        .collect();
    if let Some(handler) = response.handler.and_then(|id| ctx.facts.handlers.get(id)) {
        words.push(&handler.words);
        words.extend(callers_words(ctx, handler));
    }
    if let hsl_facts::Body::Opaque { words: body, .. } = &response.body {
        words.push(body);
    }
    let reads_header = words.iter().any(|words| {
        words
            .names
            .iter()
            .chain(&words.strings)
            .any(|text| http_auth.header.iter().any(|h| same_name(h, text)))
    });
    let mut schemes: Vec<&'static str> = http_auth
        .schemes
        .iter()
        .filter(|scheme| words.iter().any(|words| names_scheme(words, scheme)))
        .map(|scheme| scheme.scheme.as_str())
        .collect();
    if schemes.is_empty() {
        let names_local = |local: &str| {
            words
                .iter()
                .any(|words| words.names.iter().any(|n| n == local))
        };
        schemes = http_auth
            .schemes
            .iter()
            .filter(|scheme| {
                imports_of(ctx, scheme).any(|local| !reads_header || names_local(local))
            })
            .map(|scheme| scheme.scheme.as_str())
            .collect();
    }
    (reads_header || !schemes.is_empty()).then_some(Evidence { schemes })
}

/// The words of the functions of the file that call `helper` by name (its handlers and the
/// functions that read a credential), when it is a helper: a named function with no method of
/// its own and no response type. A `401` it builds answers the requests its callers take, so
/// the credential they read is the one it refuses.
fn callers_words<'a>(
    ctx: &'a RuleContext<'_>,
    helper: &'a hsl_facts::Handler,
) -> impl Iterator<Item = &'a Words> {
    let name = helper
        .name
        .as_deref()
        .filter(|_| helper.methods.is_empty() && !helper.response_type);
    let calls_helper =
        move |words: &Words| name.is_some_and(|name| words.calls.iter().any(|call| call == name));
    let handlers = ctx
        .facts
        .handlers
        .iter()
        .filter(move |caller| caller.range != helper.range)
        .map(|caller| &caller.words);
    let checks = ctx
        .facts
        .credential_checks
        .iter()
        .filter(move |check| check.range != helper.range)
        .map(|check| &check.words);
    handlers
        .chain(checks)
        .filter(move |words| calls_helper(words))
}

/// Whether `words` name `scheme`: an identifier or a message word run of its names
/// (`BearerAuth`, "invalid bearer token"), the scheme itself as a type (`Authorization<Basic>`),
/// or a string that starts with it the way the header value does (`"Basic "`, `` `Bearer ${t}` ``).
fn names_scheme(words: &Words, scheme: &AuthScheme) -> bool {
    let name = scheme.scheme.as_str();
    words
        .names
        .iter()
        .any(|text| text == name || has_run(text, &scheme.names))
        || words.strings.iter().any(|text| {
            text.split_whitespace()
                .next()
                .is_some_and(|first| first.eq_ignore_ascii_case(name))
                || has_run(text, &scheme.names)
        })
}

/// The local names of the file's imports of a library that implements `scheme`
/// (`passport-http-bearer`, `actix_web_httpauth::extractors::bearer`).
fn imports_of<'a>(
    ctx: &'a RuleContext<'_>,
    scheme: &'a AuthScheme,
) -> impl Iterator<Item = &'a str> {
    ctx.facts
        .imports
        .iter()
        .filter(|import| {
            scheme.libraries.iter().any(|library| {
                import.module == *library
                    || import
                        .module
                        .strip_prefix(library.as_str())
                        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with("::"))
            })
        })
        .map(|import| import.local.as_str())
}
