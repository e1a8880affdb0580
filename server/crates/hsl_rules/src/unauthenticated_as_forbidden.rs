use crate::forbidden_as_unauthorized::tests_permission;
use crate::{
    EVERY_FRAMEWORK, Finding, FixAvailability, RuleContext, RuleMeta, Severity, declare_rule,
};
use hsl_facts::{Body, ByteRange, Condition, Context, Response};
use hsl_tables::Conditions;

declare_rule! {
    /// A `403` answers a request whose credential is missing or invalid.
    ///
    /// ## What it does
    /// Flags a `403 Forbidden` set in a branch that tests for a missing or invalid credential
    /// or session: `if (!token)`, `if (!req.user)`, `if (!req.headers.authorization)`,
    /// `if (!session)`, `if auth_header.is_none()`, `let Some(token) = … else`, a `catch`
    /// around `jwt.verify(..)`, the `Err(_)` arm of a token decode.
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
    /// after an early return for a missing one); when the same tests also check a permission
    /// (`if (!token || !isAdmin(token))`, or an ownership comparison such as
    /// `if (!session?.user || params.userId !== session.user.id)`: `403` is right for the
    /// signed-in half); when the tested value is not a credential by name (`if (!user)` after
    /// a database lookup, `if (!req.user.isAdmin)`); when the status is only compared, not set. The names it knows are listed in
    /// `grammars-config/conditions.toml`; a credential kept under another name is not seen.
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
            let reason = unauthenticated_reason(ctx.text, &response.context)?;
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

/// Why the context proves the request is unauthenticated, for the message.
fn unauthenticated_reason(text: &str, context: &Context) -> Option<&'static str> {
    let permission = &Conditions::get().permission.words;
    if context.branch_conditions.iter().any(|condition| {
        !condition.negated
            && (tests_permission(condition, permission) || compares_owner(&condition.text))
    }) {
        return None;
    }
    if let Some(reason) = context.branch_conditions.iter().find_map(credential_test) {
        return Some(reason);
    }
    if let Some(failure) = &context.failure {
        let words = &Conditions::get().identity;
        let tried = failure
            .tried
            .as_ref()
            .and_then(|range| text.get(range.clone()))
            .unwrap_or("");
        if calls_any(tried, &words.verifiers) {
            return Some("a credential that failed verification");
        }
        let inside = failure.range.clone();
        let names_error = context.branch_conditions.iter().any(|condition| {
            within(&condition.range, &inside)
                && !condition.negated
                && has_word(&condition.text, &words.errors)
        });
        if names_error {
            return Some("an invalid or expired credential");
        }
    }
    None
}

/// Whether a test compares the signed-in principal with something else: a part of
/// `params.userId !== session.user.id` or `req.user.id != post.author`. That is an ownership
/// check, so `403` is right for the signed-in half.
fn compares_owner(text: &str) -> bool {
    let words = &Conditions::get().identity;
    let names_principal = |side: &str| {
        let segments = path_segments(side.trim());
        segments.windows(2).any(|pair| {
            words.holders.iter().any(|h| same_name(h, &pair[0]))
                && words.principals.iter().any(|p| same_name(p, &pair[1]))
        })
    };
    let nullish = |side: &str| matches!(side.trim(), "null" | "undefined" | "None");
    split_top_level(text, "||")
        .into_iter()
        .flat_map(|part| split_top_level(part, "&&"))
        .any(|part| {
            let part = strip_parens(part);
            ["!==", "!="].iter().any(|op| {
                part.split_once(op).is_some_and(|(left, right)| {
                    is_path(left)
                        && is_path(right)
                        && !nullish(left)
                        && !nullish(right)
                        && names_principal(left) != names_principal(right)
                })
            })
        })
}

/// Calls that convert a value without changing what it names (`headers.get(X).and_then(..)`).
const ADAPTERS: &[&str] = &[
    "and_then",
    "map",
    "ok",
    "to_str",
    "cloned",
    "as_deref",
    "as_ref",
    "filter",
    "flatten",
    "to_string",
    "trim",
    "unwrap_or_default",
    "toString",
];

/// Whether the condition holds only when a credential or session is missing or malformed.
pub(crate) fn tests_missing_credential(condition: &Condition) -> bool {
    credential_test(condition).is_some()
}

/// What the condition proves wrong with the credential where it holds, for messages: it is
/// missing (`!token`), or it failed verification (`Err(_)` of `decode(..)`).
fn credential_test(condition: &Condition) -> Option<&'static str> {
    let words = &Conditions::get().identity;
    absent_subjects(condition).iter().find_map(|subject| {
        if calls_any(subject, &words.verifiers) {
            return Some("a credential that failed verification");
        }
        let mut segments = path_segments(subject);
        while segments
            .last()
            .is_some_and(|last| ADAPTERS.contains(&last.as_str()))
        {
            segments.pop();
        }
        let last = segments.last()?;
        if words.credentials.iter().any(|w| same_name(w, last)) {
            return Some("a missing credential");
        }
        let parent = segments
            .len()
            .checked_sub(2)
            .and_then(|i| segments.get(i))?;
        (words.holders.iter().any(|h| same_name(h, parent))
            && words.principals.iter().any(|w| same_name(w, last)))
        .then_some("a missing session")
    })
}

/// Names compared the way code spells them in different cases: `authHeader`, `auth_header`,
/// `AUTH-HEADER` are one name.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    fold(a) == fold(b)
}

/// The values a condition proves missing (or not valid) where it holds: `!token` → `token`,
/// `x == null`, `x.is_none()`, an `else` of `if (token)`, a `None` / `Err(_)` pattern, an `else`
/// of `if let Some(..)`, `!header.startsWith("Bearer ")` → `header`.
pub(crate) fn absent_subjects(condition: &Condition) -> Vec<String> {
    if let Some(pattern) = &condition.pattern {
        let fails = if condition.negated {
            pattern.starts_with("Some") || pattern.starts_with("Ok")
        } else {
            pattern.starts_with("None") || pattern.starts_with("Err")
        };
        return if fails {
            vec![condition.text.trim().to_string()]
        } else {
            Vec::new()
        };
    }
    let text = condition.text.trim();
    if condition.negated {
        // The `else` of a test of presence: `if (token)`, `if token.is_some()`.
        return presence_subject(text).into_iter().collect();
    }
    split_top_level(text, "||")
        .into_iter()
        .flat_map(|part| split_top_level(part, "&&"))
        .filter_map(absence_subject)
        .collect()
}

/// The values a condition proves present where it holds: `err` → `err`, `err != null`, the
/// code after a guard `if (!err) return`, `Some(e)` of `if let Some(e) = err`.
pub(crate) fn present_subjects(condition: &Condition) -> Vec<String> {
    if let Some(pattern) = &condition.pattern {
        let holds = if condition.negated {
            pattern.starts_with("None") || pattern.starts_with("Err")
        } else {
            pattern.starts_with("Some") || pattern.starts_with("Ok")
        };
        return if holds {
            vec![condition.text.trim().to_string()]
        } else {
            Vec::new()
        };
    }
    let text = condition.text.trim();
    if condition.negated {
        // After `if (!err) return`, or in the `else` of `if (err == null)`.
        return absence_subject(text).into_iter().collect();
    }
    split_top_level(text, "&&")
        .into_iter()
        .filter_map(presence_subject)
        .collect()
}

/// `x` for a test that holds when `x` is missing: `!x`, `x == null`, `x.is_none()`.
fn absence_subject(text: &str) -> Option<String> {
    let text = strip_parens(text.trim());
    if let Some(rest) = text.strip_prefix('!')
        && !rest.starts_with('=')
    {
        let rest = strip_parens(rest.trim());
        let rest = strip_validity_call(rest);
        return is_path(rest).then(|| rest.to_string());
    }
    for suffix in [".is_none()", ".is_err()", ".is_empty()"] {
        if let Some(rest) = text.strip_suffix(suffix) {
            return is_path(rest).then(|| rest.to_string());
        }
    }
    for op in ["===", "=="] {
        if let Some((left, right)) = text.split_once(op) {
            let (left, right) = (left.trim(), right.trim());
            let nullish = |s: &str| matches!(s, "null" | "undefined" | "None" | "\"\"" | "''");
            if nullish(right) && is_path(left) {
                return Some(left.to_string());
            }
            if nullish(left) && is_path(right) {
                return Some(right.to_string());
            }
        }
    }
    None
}

/// `x` for a test that holds when `x` is present: `x`, `x.is_some()`, `x != null`.
fn presence_subject(text: &str) -> Option<String> {
    let text = strip_parens(text.trim());
    if is_path(text) {
        return Some(text.to_string());
    }
    for suffix in [".is_some()", ".is_ok()"] {
        if let Some(rest) = text.strip_suffix(suffix) {
            return is_path(rest).then(|| rest.to_string());
        }
    }
    for op in ["!==", "!="] {
        if let Some((left, right)) = text.split_once(op) {
            let (left, right) = (left.trim(), right.trim());
            if matches!(right, "null" | "undefined" | "None") && is_path(left) {
                return Some(left.to_string());
            }
        }
    }
    None
}

/// `header.startsWith("Bearer ")` → `header`: a failed format check makes it invalid.
fn strip_validity_call(text: &str) -> &str {
    for call in [".startsWith(", "?.startsWith(", ".starts_with("] {
        if let Some(at) = text.find(call)
            && text.ends_with(')')
        {
            return text[..at].trim_end_matches('?');
        }
    }
    text
}

/// Removes one layer of enclosing parentheses, when they enclose the whole text.
fn strip_parens(text: &str) -> &str {
    let mut text = text.trim();
    while text.starts_with('(') && text.ends_with(')') && balanced(&text[1..text.len() - 1]) {
        text = text[1..text.len() - 1].trim();
    }
    text
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Splits on `op` outside parentheses, brackets and braces.
fn split_top_level<'a>(text: &'a str, op: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && text[i..].starts_with(op) {
            parts.push(&text[start..i]);
            i += op.len();
            start = i;
            continue;
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// A member path, possibly with getter calls: `req.headers.authorization`,
/// `req.headers["authorization"]`, `c.req.header("Authorization")`, `headers.get(AUTHORIZATION)`,
/// `req.isAuthenticated()`.
fn is_path(text: &str) -> bool {
    let text = text.trim();
    if !text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
    {
        return false;
    }
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ if depth > 0 => {}
            c if c.is_alphanumeric() || matches!(c, '_' | '$' | '.' | ':' | '?') => {}
            _ => return false,
        }
    }
    depth == 0
}

/// Calls that read a named part of the request: `req.get("Authorization")`,
/// `cookies.get_private("session")`; the name is the segment.
const GETTERS: &[&str] = &[
    "",
    "get",
    "get_one",
    "get_private",
    "header",
    "headers",
    "cookie",
    "cookies",
    "getHeader",
];

/// The segments of a path, reading getter calls and index strings as segments:
/// `req.headers["authorization"]` and `req.get("Authorization")` end in `authorization`.
pub(crate) fn path_segments(text: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' | ':' | '?' => {
                if !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
            }
            '(' | '[' => {
                let close = if c == '(' { ')' } else { ']' };
                let mut inner = String::new();
                let mut depth = 1;
                for d in chars.by_ref() {
                    if d == c {
                        depth += 1;
                    } else if d == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    inner.push(d);
                }
                let inner = inner.trim().trim_start_matches('&');
                let getter = GETTERS.contains(&current.as_str()) || c == '[';
                if !current.is_empty() && (c == '[' || !getter) {
                    segments.push(std::mem::take(&mut current));
                } else {
                    current.clear();
                }
                if getter && !inner.is_empty() {
                    let unquoted = inner.trim_matches(['"', '\'', '`']);
                    let last = unquoted.rsplit("::").next().unwrap_or(unquoted);
                    if last
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    {
                        segments.push(last.to_string());
                    }
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' || c == '-' => current.push(c),
            _ => {
                if !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// The identifiers and words of a text, including the words inside its string literals.
pub(crate) fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|word| !word.is_empty())
}

/// Whether the text has one of `words` as a whole identifier, in any case.
pub(crate) fn has_word(text: &str, words: &[String]) -> bool {
    identifiers(text).any(|id| words.iter().any(|w| w.eq_ignore_ascii_case(id)))
}

/// Whether the text calls one of `names`: the identifier followed by `(` or a turbofish.
pub(crate) fn calls_any(text: &str, names: &[String]) -> bool {
    names.iter().any(|name| calls(text, name))
}

/// Whether the text calls `name` (`schema.validate(x)`, `decode::<Claims>(..)`).
pub(crate) fn calls(text: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find(name) {
        let start = from + at;
        let end = start + name.len();
        from = end;
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
        let rest = text[end..].trim_start();
        if before_ok && (rest.starts_with('(') || rest.starts_with("::<")) {
            return true;
        }
    }
    false
}

/// Whether `inner` lies within `outer`.
pub(crate) fn within(inner: &ByteRange, outer: &ByteRange) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The literal strings a response's body shows: the string values of a literal object, or
/// the body itself when it is a string literal.
pub(crate) fn body_strings(text: &str, response: &Response) -> Vec<String> {
    match &response.body {
        Body::Object(object) => object
            .entries
            .iter()
            .filter_map(|(_, value)| match value {
                hsl_facts::LiteralValue::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        Body::Opaque { range } => {
            let source = text.get(range.clone()).unwrap_or("").trim();
            string_literals(source)
        }
        _ => Vec::new(),
    }
}

/// The contents of the string literals in a short expression (`"x"`, `Json("x")`,
/// `json!({ "error": "x" })`): every quoted run.
pub(crate) fn string_literals(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '"' | '\'' | '`') {
            let mut literal = String::new();
            for d in chars.by_ref() {
                if d == c {
                    break;
                }
                literal.push(d);
            }
            found.push(literal);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_facts::SiteRole;

    fn cond(text: &str, negated: bool) -> Condition {
        Condition {
            text: text.to_string(),
            range: 0..0,
            pattern: None,
            negated,
        }
    }

    #[test]
    fn credential_tests() {
        for text in [
            "!token",
            "!req.user",
            "!req.headers.authorization",
            "!req.headers[\"authorization\"]",
            "!session",
            "auth_header.is_none()",
            "!authHeader || !authHeader.startsWith(\"Bearer \")",
            "!ctx.state.user",
            "token == null",
            "!req.isAuthenticated()",
            "!c.req.header(\"Authorization\")",
        ] {
            assert!(tests_missing_credential(&cond(text, false)), "{text}");
        }
        for text in [
            "!user",
            "!req.user.isAdmin",
            "token",
            "!post",
            "!req.user.roles.includes(\"admin\")",
            "req.user.id !== post.authorId",
        ] {
            assert!(!tests_missing_credential(&cond(text, false)), "{text}");
        }
        assert!(!tests_missing_credential(&cond("!token", true)));
        assert!(tests_missing_credential(&cond("token", true)));
    }

    /// The context of the response with `code` in `source`.
    fn context(language: hsl_facts::Language, source: &str, code: u16) -> Context {
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
        use hsl_facts::Language;
        let js = "const app = require('express')();\napp.get('/x', (req, res) => {\n  if (!token) { return res.status(401).end(); } else { res.status(403).end(); }\n});";
        let inside = context(Language::JavaScript, js, 401);
        assert_eq!(inside.branch_conditions.len(), 1);
        assert!(!inside.branch_conditions[0].negated);
        assert_eq!(inside.branch_conditions[0].text, "!token");
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
        let tried = failure.tried.expect("try block");
        assert!(caught[tried].contains("jwt.verify"));

        let rust = "async fn h(headers: HeaderMap) -> StatusCode {\n    let Some(t) = headers.get(AUTHORIZATION) else { return StatusCode::FORBIDDEN; };\n    match decode(t) { Ok(_) => StatusCode::OK, Err(e) if e.expired() => StatusCode::UNAUTHORIZED, Err(_) => StatusCode::NO_CONTENT }\n}";
        let let_else = context(Language::Rust, rust, 403);
        assert_eq!(
            let_else.branch_conditions[0].pattern.as_deref(),
            Some("Some(t)")
        );
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
                .any(|c| c.text == "e.expired()")
        );
        let any_error = context(Language::Rust, rust, 204);
        assert_eq!(
            any_error.failure.and_then(|f| f.pattern).as_deref(),
            Some("Err(_)")
        );
    }

    #[test]
    fn words_are_whole_identifiers() {
        let words = vec!["role".to_string()];
        assert!(has_word("user.role !== 'x'", &words));
        assert!(!has_word("controller.handle()", &words));
        assert!(calls("jwt.verify(token, key)", "verify"));
        assert!(!calls("jwt.verifyAll(token)", "verify"));
        assert!(calls("decode::<Claims>(&t)", "decode"));
    }
}
