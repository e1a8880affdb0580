use crate::conditions::{
    absent_values, credential_problem, mentions_credential, permission_fails, within,
};
use crate::vocabulary::names_server_state;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::Context;
use hsl_tables::Conditions;

declare_rule! {
    /// A `403` answers a request whose credential is missing or invalid.
    ///
    /// ## What it does
    /// Flags a `403 Forbidden` set in a branch that tests for a missing or invalid credential
    /// or session: `if (!token)`, `if (!req.user)`, `if (!req.headers.authorization)`,
    /// `if (!session)`, `if auth_header.is_none()`, `let Some(token) = … else`, a `catch`
    /// around `jwt.verify(..)`, the `if (err)` of a Node-style callback given to it
    /// (`jwt.verify(token, key, (err, user) => ..)`), the `Err(_)` arm of a token decode, a
    /// failed password check
    /// (`if (!(await bcrypt.compare(password, user.hash)))`, `if !verify_password(..)`), a
    /// failed verifier of the project's own whose name says what it checks
    /// (`!verifyBootstrapToken(..)`, `!check_admin_token(..)`). A value whose name ends in a
    /// credential part is a credential whatever comes before (`!storedRefreshToken`,
    /// `renewal_cookie.is_none()`). A lookup given the credential that finds nothing is an
    /// unknown credential: the `Err` arm of `get_session_user(token).map_err(..)`, the `else`
    /// of `let Some(s) = sessions.reader_for(session_id)`. Inside an authentication strategy (a method or token
    /// extractor of a NestJS `class X extends PassportStrategy(Strategy)`) every value found
    /// missing counts (`if (!payload)` in `validate`): such a class checks the credential and
    /// nothing else.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.5.2 reserves `401 Unauthorized` for a request that "lacks valid
    /// authentication credentials": the client can fix it by signing in (and the response
    /// carries a `WWW-Authenticate` challenge saying how). `403 Forbidden` (§15.5.4) says the
    /// server understood who is asking and refuses anyway, so "repeating the request with the
    /// same credentials" or new ones will not help. Answering a missing token with `403` tells
    /// clients and their retry logic not to sign in, and hides expired sessions from the
    /// front end's re-login flow.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.get("/me", (req, res) => {
    ///   if (!req.headers.authorization) {
    ///     return res.status(403).json({ error: "Sign in first" });
    ///   }
    ///   res.json(req.user);
    /// });
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.get("/me", (req, res) => {
    ///   if (!req.headers.authorization) {
    ///     return res.status(401).set("WWW-Authenticate", "Bearer").json({ error: "Sign in first" });
    ///   }
    ///   res.json(req.user);
    /// });
    /// ```
    ///
    /// ```rust,expect_diagnostic
    /// async fn me(headers: HeaderMap) -> Result<Json<User>, StatusCode> {
    ///     let Some(token) = headers.get(AUTHORIZATION) else {
    ///         return Err(StatusCode::FORBIDDEN);
    ///     };
    ///     load_user(token).await
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn me(headers: HeaderMap) -> Result<Json<User>, StatusCode> {
    ///     let Some(token) = headers.get(AUTHORIZATION) else {
    ///         return Err(StatusCode::UNAUTHORIZED);
    ///     };
    ///     load_user(token).await
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// `401 Unauthorized` is offered as a suggested fix, in the site's own spelling, when that
    /// spelling has a `401` (not for NestJS's `ForbiddenException`). It is not applied by `--fix`: clients react to `401` differently (browsers may prompt, front ends
    /// redirect to a sign-in page), and a `401` also needs a `WWW-Authenticate` challenge
    /// (`unauthorized-without-challenge`), which the fix does not write.
    ///
    /// ## When it stays silent
    /// When the `403` is on the branch where the credential is present (`else` of `if (!token)`,
    /// after an early return for a missing one); when a permission test fails on the way to
    /// it too (`if (!token || !isUserAnOrgAdmin(token))`, or an ownership comparison such as
    /// `if (!session?.user || params.userId !== session.user.id)`: `403` is right for the
    /// signed-in half; permission names are read by their word parts, as
    /// `forbidden-as-unauthorized` reads them); when the tested value is not a credential by
    /// name (`if (!user)` after a database lookup, `if (!req.user.isAdmin)`), or names an
    /// anti-forgery token or a secret shared with one sender (`!csrfToken`, `!buildSecret`),
    /// or is a call (`!can_change_password(..)`); when a call given the credential answers
    /// yes or no (`!vault.allows(token)`, a refusal of a known caller as often as not) or its
    /// name asks a permission (`can_publish(token, ..)`); inside a strategy, when the missing value is
    /// the server's own configuration (`!this.config.get(..)`); when a failed
    /// `verify(..)` names no credential (a body or signature hook, `verify(req, res, buf)`:
    /// `jwt.verify(token, key)` and `verifyToken(..)` do); when the status is only compared,
    /// not set. The names it knows are listed in `grammars-config/conditions.toml`; a
    /// credential kept under another name is not seen.
    ///
    /// ## References
    /// - RFC 9110 §15.5.2 (401 Unauthorized), §15.5.4 (403 Forbidden), §11.6.1 (`WWW-Authenticate`)
    pub struct UnauthenticatedAsForbidden;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "unauthenticated-as-forbidden",
    summary: "`403` where the credential is missing or invalid (`401`)",
    default_severity: Severity::Info,
    fix: FixAvailability::Sometimes,
    frameworks: EVERY_FRAMEWORK,
    docs: UnauthenticatedAsForbidden::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.setting(403)
        .filter_map(|response| {
            let in_strategy = response
                .handler
                .and_then(|id| ctx.facts.handlers.get(id))
                .is_some_and(|handler| handler.authenticates);
            let reason = unauthenticated_reason(&response.context, in_strategy)?;
            Some(Finding::use_instead(
                ctx,
                meta,
                response,
                401,
                format!(
                    "`403` for {reason}: the request is not authenticated, use `401 Unauthorized`"
                ),
            ))
        })
        .collect()
}

/// Why the context proves the request is unauthenticated, for the message; `in_strategy`
/// when the response is sent from an authentication strategy (see [`strategy_reason`]).
fn unauthenticated_reason(context: &Context, in_strategy: bool) -> Option<&'static str> {
    if context.branch_conditions.iter().any(permission_fails) {
        return None;
    }
    if let Some(reason) = context
        .branch_conditions
        .iter()
        .find_map(credential_problem)
    {
        return Some(reason);
    }
    if in_strategy && let Some(reason) = strategy_reason(context) {
        return Some(reason);
    }
    let failure = context.failure.as_ref()?;
    let words = &Conditions::get().identity;
    if failure.tried_words.calls_any(&words.verifiers) && mentions_credential(&failure.tried_words)
    {
        return Some("a credential that failed verification");
    }
    let names_error = context.branch_conditions.iter().any(|condition| {
        within(&condition.range, &failure.range)
            && condition.holds()
            && condition.words.has_name(&words.errors)
    });
    names_error.then_some("an invalid or expired credential")
}

/// Why a `403` inside an authentication strategy (`class X extends PassportStrategy(..)`)
/// answers an unauthenticated request: a test on the way finds a value missing (`!payload`,
/// `!user` of the token's subject). Such a class checks the credential and nothing else, so
/// what it misses is the credential or what the credential names; a test of the server's own
/// configuration (`!this.config.get("X")`) is not.
fn strategy_reason(context: &Context) -> Option<&'static str> {
    context
        .branch_conditions
        .iter()
        .any(|condition| {
            !absent_values(condition).is_empty() && !names_server_state(&condition.words)
        })
        .then_some("a credential the authentication strategy found missing or invalid")
}

#[cfg(test)]
mod tests {
    use hsl_facts::{Context, Language, PatternKind, SiteRole, Test};

    /// The context of the response with `code` in `source`.
    fn context(language: Language, source: &str, code: u16) -> Context {
        let (facts, _) = hsl_syntax::analyze(language, source);
        facts
            .responses
            .into_iter()
            .find(|r| r.status.code == Some(code) && r.role == SiteRole::Sets)
            .expect("a response with the code")
            .context
    }

    #[test]
    fn contexts_record_polarity_guards_and_failures() {
        let js = "const app = require('express')();\napp.get('/x', (req, res) => {\n  if (!token) { return res.status(401).end(); } else { res.status(403).end(); }\n});";
        let inside = context(Language::JavaScript, js, 401);
        assert_eq!(inside.branch_conditions.len(), 1);
        assert!(inside.branch_conditions[0].holds());
        assert!(matches!(inside.branch_conditions[0].test, Test::Not(_)));
        assert_eq!(inside.branch_conditions[0].words.names, ["token"]);
        assert!(context(Language::JavaScript, js, 403).branch_conditions[0].negated);

        let guard = "const app = require('express')();\napp.get('/x', (req, res) => {\n  if (!req.user) return res.status(401).end();\n  res.status(204).end();\n});";
        let after = context(Language::JavaScript, guard, 204);
        assert_eq!(after.branch_conditions.len(), 1);
        assert!(after.branch_conditions[0].negated);

        let caught = "const app = require('express')();\napp.get('/x', async (req, res) => {\n  try { jwt.verify(t, k); } catch (err) { res.status(403).end(); }\n});";
        let failure = context(Language::JavaScript, caught, 403)
            .failure
            .expect("catch");
        assert_eq!(failure.binding.as_deref(), Some("err"));
        assert!(
            failure
                .tried_words
                .calls
                .iter()
                .any(|call| call == "verify")
        );

        let rust = "async fn h(headers: HeaderMap) -> StatusCode {\n    let Some(t) = headers.get(AUTHORIZATION) else { return StatusCode::FORBIDDEN; };\n    match decode(t) { Ok(_) => StatusCode::OK, Err(e) if e.expired() => StatusCode::UNAUTHORIZED, Err(_) => StatusCode::NO_CONTENT }\n}";
        let let_else = context(Language::Rust, rust, 403);
        let Test::Matches { pattern, .. } = &let_else.branch_conditions[0].test else {
            panic!("a pattern test: {:?}", let_else.branch_conditions[0].test);
        };
        assert_eq!(pattern.kind, PatternKind::Some);
        assert!(let_else.branch_conditions[0].negated);
        let guarded = context(Language::Rust, rust, 401);
        assert!(guarded.in_err_arm);
        assert_eq!(
            guarded.failure.and_then(|f| f.binding).as_deref(),
            Some("e")
        );
        assert!(
            guarded
                .branch_conditions
                .iter()
                .any(|c| c.words.calls == ["expired"])
        );
        let any_error = context(Language::Rust, rust, 204);
        let pattern = any_error.failure.and_then(|f| f.pattern).expect("Err(_)");
        assert_eq!(pattern.kind, PatternKind::Err);
        assert!(pattern.takes_all);
    }

    /// A condition with text the old text-slicing reader panicked on (a multi-byte character
    /// right after an operator) is read like any other.
    #[test]
    fn non_ascii_in_a_condition_is_read() {
        let js = "const app = require('express')();\napp.get('/x', (req, res) => {\n  if (!req.headers.authorization || req.query.name === \"José\") { return res.status(403).end(); }\n});";
        let context = context(Language::JavaScript, js, 403);
        assert!(crate::conditions::tests_missing_credential(
            &context.branch_conditions[0]
        ));
        assert!(
            context.branch_conditions[0]
                .words
                .strings
                .iter()
                .any(|s| s == "José")
        );
    }
}
