//! The vocabularies of the context rules (`grammars-config/conditions.toml`), typed and checked
//! when they are loaded, so a rule reads data rather than code and a mistake in the data is
//! caught by a test instead of silently matching nothing.

use std::sync::OnceLock;

use hsl_facts::Family;
use serde::Deserialize;

/// The keyword lists of the context rules, embedded so rules read data rather than code.
pub const CONDITIONS_TOML: &str = include_str!("../../../../grammars-config/conditions.toml");

/// Words and calls the context rules look for around a response
/// (`grammars-config/conditions.toml`); rules match them on whole identifiers, on runs of
/// dotted names, or on the parts of identifiers ([`PartRun`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    pub paths: PathWords,
    pub identity: IdentityWords,
    pub permission: PermissionWords,
    pub http_auth: HttpAuthWords,
    pub server_state: ServerStateWords,
    pub retry: RetryWords,
    pub validation: ValidationWords,
    pub client_fault: ClientFaultWords,
    pub failure: FailureWords,
    pub creation: CreationWords,
    pub browser: BrowserWords,
}

/// What only code running in a browser reads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrowserWords {
    /// Globals that exist only in a browser (`window`, `navigator`): a function that reads a
    /// member of one, with no `typeof` test for it, runs in a page, and a `Response` it builds
    /// answers the page's own code, never a request over HTTP.
    pub globals: Vec<String>,
}

/// How a tested value's name is read from its path.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathWords {
    /// Calls named by their argument (`req.get("Authorization")` names `Authorization`).
    pub getters: Vec<String>,
    /// Calls that convert a value without renaming it (`.and_then(..)`, `.to_str()`).
    pub adapters: Vec<String>,
    /// Format checks whose failure makes the receiver invalid (`startsWith`).
    pub validity_calls: Vec<String>,
    /// Functions that convert their one argument without renaming it (`String(post.userId)`).
    pub converters: Vec<String>,
    /// Methods that compare their receiver with their argument (`post.user.equals(id)`).
    pub equality_calls: Vec<String>,
}

/// What names a credential or session, and what verifies one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityWords {
    /// Last segments of a tested path that name a credential (`token`, `authorization`).
    pub credentials: Vec<String>,
    /// Last parts of a name that make it a credential whatever comes before
    /// (`adminToken`, `owner_key`): such a name is never a role.
    pub credential_parts: Vec<PartRun>,
    /// Last segments that name the principal only under one of `holders` (`req.user`).
    pub principals: Vec<String>,
    pub holders: Vec<String>,
    /// Calls whose failure means an invalid credential (`verify`, `decode`).
    pub verifiers: Vec<String>,
    /// First parts of a project's own verifier (`verifyBootstrapToken`): a call that starts
    /// with one of these and names a credential verifies it.
    pub verifier_parts: Vec<PartRun>,
    /// Calls that check a password (`bcrypt.compare`, `verify_password`): a failed check is an
    /// invalid credential. Dotted entries match a run of names.
    pub password_checks: Vec<String>,
    /// Error names of an invalid or expired credential (`TokenExpiredError`).
    pub errors: Vec<String>,
    /// Base classes of an authentication library's strategies (`PassportStrategy`): every
    /// function of a class that extends one checks the request's credential and nothing else.
    pub authentication_bases: Vec<String>,
    /// Parts of a name that make it an anti-forgery token (`csrfToken`): a form's proof of
    /// origin, refused with `403` from a signed-in user, never the credential that signs in.
    pub anti_forgery_parts: Vec<PartRun>,
    /// Names a decoded credential is kept under (`payload`, `claims`) and the claims that
    /// say what kind of credential it is (`type`, `iss`, `aud`): a test of
    /// `payload.type` checks the credential itself, so its failure is an invalid credential,
    /// whatever the list it is compared with is called (`allowedTypes`).
    pub claim_holders: Vec<String>,
    pub credential_claims: Vec<String>,
}

/// Identifiers of a permission, role or ownership test.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionWords {
    /// Whole identifiers (`role`, `isAdmin`, `can`).
    pub words: Vec<String>,
    /// Parts of identifiers that name a role or a grant in the project's own words:
    /// `isUserAnOrgAdmin` has `admin`, `canViewWebsite` starts with `can`.
    pub parts: Vec<PartRun>,
    /// Parts that mark a permission only as the first part of a name (`canEdit`, `can_delete`):
    /// elsewhere they are ordinary words.
    pub leading_parts: Vec<PartRun>,
}

/// What shows that a handler takes its credential through HTTP authentication (RFC 9110
/// §11): the `Authorization` header, an authentication scheme, a library that implements one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpAuthWords {
    /// Names and strings that read the `Authorization` header (`req.headers.authorization`,
    /// `headers.get(AUTHORIZATION)`, `c.req.header("Authorization")`), compared without
    /// regard to case, `_` or `-`.
    pub header: Vec<String>,
    pub schemes: Vec<AuthScheme>,
    /// Parts of a tested name that mark a secret shared with one known caller (a webhook's
    /// signature, a cron job's secret) rather than a user's credential.
    pub shared_secret: Vec<PartRun>,
}

/// One HTTP authentication scheme and how code shows it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthScheme {
    /// The scheme as a challenge names it (`Bearer`).
    pub scheme: String,
    /// Parts of identifiers and words of strings that name it (`BearerAuth`,
    /// `getBearerToken`, "bearer token required").
    pub names: Vec<PartRun>,
    /// Imported modules that implement it (`passport-http-bearer`); an import whose module
    /// starts with one of these (followed by `/`, `::` or nothing) counts.
    pub libraries: Vec<String>,
}

/// What marks a response about the server's own state (its configuration, its environment).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerStateWords {
    /// Names of the server's own state (`process.env`, `config`): a branch on them is about
    /// the server, whatever its message says. Dotted entries match a run of names.
    pub names: Vec<String>,
    /// Parts of names that are the server's configuration (`serverConfig`, `appSettings`).
    pub parts: Vec<PartRun>,
    /// Words of a message about the server's configuration ("not configured").
    pub phrases: Vec<PartRun>,
}

/// What makes `Retry-After` meaningful, and what makes it meaningless.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryWords {
    /// Parts of names and words of messages that show a condition a client can wait out:
    /// load, a rate limit, maintenance, work still in progress.
    pub temporary: Vec<PartRun>,
    /// Parts that show a test is about a rate or a quota: such a test is never read as an
    /// account's state (`check_limit_admin`).
    pub rate: Vec<PartRun>,
    /// Parts of a handler's name or route that make it a health or readiness probe.
    pub probes: Vec<PartRun>,
    /// Parts that show a `429` is about the account or a cap on held resources, not a rate.
    pub not_rate: Vec<PartRun>,
    /// Parts of a name that make it a connection pool (`DbPool`).
    pub pools: Vec<PartRun>,
    /// Calls that take a connection from a pool: with a pool named beside them, their failure
    /// is the pool running out, which passes.
    pub pool_takes: Vec<String>,
}

/// Validator libraries and the marks of a malformed (not merely invalid) body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationWords {
    pub malformed: Vec<String>,
    pub validators: Vec<Validator>,
    /// Calls that read data the server holds or fetches (a database query, another server's
    /// answer): a value they produce is not the client's input.
    pub server_reads: Vec<String>,
}

/// One validator library: the calls that run it and the names its result is read by.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validator {
    pub library: String,
    /// The language family it is written for, named as the framework tables name it.
    #[serde(deserialize_with = "crate::values::family")]
    pub language: Family,
    pub calls: Vec<String>,
    pub results: Vec<String>,
    /// Names of the result that are true when the input passed (`isEmpty`, `success`): code
    /// after a guard that returns when one holds runs only for input that failed.
    #[serde(default)]
    pub passes: Vec<String>,
    /// Names of the errors it throws (`ZodError`): a failure handler that tests one of them
    /// handles its failure.
    #[serde(default)]
    pub errors: Vec<String>,
    /// Calls of it that throw on invalid input (`validateOrReject`): a failure handler around
    /// one handles its failure.
    #[serde(default)]
    pub throwing: Vec<String>,
    /// Modules one of which the file must import for `calls` to be this library's: a Rust
    /// trait method (`.validate()`) is only the crate's when its trait is in scope.
    #[serde(default)]
    pub imports: Vec<String>,
}

/// What marks the client's own mistake.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientFaultWords {
    /// Path prefixes of request input (`req.body`, `payload`).
    pub inputs: Vec<String>,
    /// Error kinds of a lookup that found nothing (`P2025`, `RowNotFound`): a failure
    /// handler that tests one answers a request for something that does not exist.
    pub not_found_errors: Vec<String>,
    /// Reads of a value the client sent in the request's headers, as the leading names of a
    /// path (`headers.get`, `req.headers.get`): a `500` for that value missing or not parsing
    /// answers the client's mistake. A path whose root is another value (`upstream.headers()`)
    /// is not the request's.
    #[serde(default)]
    pub request_headers: Vec<String>,
    /// Accessors of a part of a multipart request that the client may leave out
    /// (`field.content_disposition()`).
    #[serde(default)]
    pub request_part_accessors: Vec<String>,
    /// Calls that parse a value (`parse`, `from_str`): their `Err` for a request value is a
    /// malformed request.
    #[serde(default)]
    pub value_parsers: Vec<String>,
    /// Name prefixes of calls that parse a value (`parse_` for `parse_duration`).
    #[serde(default)]
    pub value_parser_prefixes: Vec<String>,
    pub phrases: Vec<FaultPhrase>,
}

/// A literal message of a client's mistake and the codes that say it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPhrase {
    pub text: String,
    pub codes: Vec<u16>,
    /// Counts only when a branch tests that a value is missing (`if (!user)`).
    #[serde(default)]
    pub needs_absence: bool,
}

/// What marks a test on the kind of a caught error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureWords {
    pub kind_words: Vec<String>,
    /// Names a failed operation's error is usually bound to (`err`, `error`): a test that one
    /// is present (`if (error)`) handles a failure like a `catch` does.
    pub error_names: Vec<String>,
}

/// What makes a handler a creation when nothing else says so.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreationWords {
    /// First parts of a handler's name that make it create something (`createAccount`,
    /// `add_member`): a `201` the framework sends by default (NestJS's answer to every `POST`)
    /// claims a creation only from such a handler.
    pub verbs: Vec<PartRun>,
    /// What a handler that receives a webhook works with: one run of `webhook` and one of
    /// `webhook_proof` among its names and strings (`stripe.webhooks.constructEvent` with the
    /// `stripe-signature` header). Its `201` acknowledges a delivery to the sender.
    pub webhook: Vec<PartRun>,
    pub webhook_proof: Vec<PartRun>,
    /// First parts of a call's name that write one record besides the creation verbs
    /// (`post.save()`): with `verbs`, what tells a handler that writes once from one that
    /// writes an entry per item of the request.
    pub writes: Vec<PartRun>,
    /// Dotted names that read the request's body (`req.body`, `this.request.body`): a loop
    /// over one of them walks what the client sent.
    pub request_bodies: Vec<String>,
    /// Array methods whose callback runs once per entry of the array they are called on
    /// (`items.map(item => db.insert(item))`).
    pub per_entry_methods: Vec<String>,
}

impl Conditions {
    /// The embedded lists, parsed and checked once; a failure (caught by a test) is reported
    /// and leaves the lists empty, which makes the context rules silent rather than wrong.
    pub fn get() -> &'static Conditions {
        static CONDITIONS: OnceLock<Conditions> = OnceLock::new();
        CONDITIONS.get_or_init(|| match Conditions::load(CONDITIONS_TOML) {
            Ok(conditions) => conditions,
            Err(err) => {
                eprintln!("http-status-ls: bad embedded conditions.toml: {err}");
                Conditions::default()
            }
        })
    }

    /// Parses `text` and checks what the types cannot say: codes of the right class, scheme
    /// names that a challenge can carry, no empty entries.
    pub fn load(text: &str) -> Result<Conditions, String> {
        let conditions: Conditions = toml::from_str(text).map_err(|err| err.to_string())?;
        let problems = conditions.problems();
        if problems.is_empty() {
            Ok(conditions)
        } else {
            Err(problems.join("; "))
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for phrase in &self.client_fault.phrases {
            if phrase.text.trim().is_empty() {
                problems.push("client_fault.phrases: an empty text".to_string());
            }
            if phrase.codes.is_empty() || phrase.codes.iter().any(|c| !(400..500).contains(c)) {
                problems.push(format!(
                    "client_fault.phrases `{}`: codes must be 4xx",
                    phrase.text
                ));
            }
        }
        for scheme in &self.http_auth.schemes {
            let token = !scheme.scheme.is_empty()
                && scheme
                    .scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !token {
                problems.push(format!(
                    "http_auth.schemes: `{}` is not an auth-scheme token",
                    scheme.scheme
                ));
            }
        }
        for validator in &self.validation.validators {
            if validator.calls.is_empty() {
                problems.push(format!(
                    "validation.validators `{}`: no calls",
                    validator.library
                ));
            }
        }
        let named_lists: [(&str, &[String]); 5] = [
            ("http_auth.header", &self.http_auth.header),
            ("identity.credentials", &self.identity.credentials),
            ("identity.verifiers", &self.identity.verifiers),
            ("server_state.names", &self.server_state.names),
            ("failure.error_names", &self.failure.error_names),
        ];
        for (name, list) in named_lists {
            if list.is_empty() || list.iter().any(|entry| entry.trim().is_empty()) {
                problems.push(format!("{name}: empty list or entry"));
            }
        }
        problems
    }
}

/// The parts of an identifier or a phrase, lower-cased: words split at `_`, `-`, `.`, `:`,
/// spaces and other punctuation, and at case changes (`isUserAnOrgAdmin` → is, user, an, org,
/// admin; `HTTPServer` → http, server; `x-api-key` → x, api, key). Digits stay with the
/// letters before them (`oauth2`). The one splitter both vocabularies and names go through.
pub fn identifier_parts(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut current = String::new();
    for (index, &ch) in chars.iter().enumerate() {
        if !ch.is_alphanumeric() {
            push_part(&mut parts, &mut current);
            continue;
        }
        let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let next = chars.get(index + 1).copied();
        let starts_word = ch.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if starts_word {
            push_part(&mut parts, &mut current);
        }
        current.extend(ch.to_lowercase());
    }
    push_part(&mut parts, &mut current);
    parts
}

fn push_part(parts: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        parts.push(std::mem::take(current));
    }
}

/// A run of identifier parts a vocabulary looks for, written as a phrase or in any identifier
/// case (`"rate limit"`, `"rateLimit"` and `"rate_limit"` are the same run). It matches a name
/// or message whose parts contain it in a row.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct PartRun {
    parts: Vec<String>,
}

impl TryFrom<String> for PartRun {
    type Error = String;

    fn try_from(text: String) -> Result<PartRun, String> {
        let parts = identifier_parts(&text);
        if parts.is_empty() {
            return Err(format!("`{text}` has no word in it"));
        }
        Ok(PartRun { parts })
    }
}

impl PartRun {
    /// The run's parts, lower-cased.
    pub fn parts(&self) -> &[String] {
        &self.parts
    }

    /// Whether `parts` (of one name or message) contain this run in a row.
    pub fn found_in(&self, parts: &[String]) -> bool {
        parts
            .windows(self.parts.len())
            .any(|window| window == self.parts)
    }

    /// Whether `parts` begin with this run.
    pub fn starts(&self, parts: &[String]) -> bool {
        parts.starts_with(&self.parts)
    }

    /// Whether `parts` end with this run.
    pub fn ends(&self, parts: &[String]) -> bool {
        parts.ends_with(&self.parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_table_parses_and_checks() {
        if let Err(err) = Conditions::load(CONDITIONS_TOML) {
            panic!("conditions.toml: {err}");
        }
    }

    #[test]
    fn identifiers_split_into_lower_case_parts() {
        let cases: [(&str, &[&str]); 8] = [
            ("isUserAnOrgAdmin", &["is", "user", "an", "org", "admin"]),
            ("is_moderator", &["is", "moderator"]),
            ("HTTPServer", &["http", "server"]),
            ("x-api-key", &["x", "api", "key"]),
            ("SQLITE_BUSY", &["sqlite", "busy"]),
            ("oauth2Token", &["oauth2", "token"]),
            ("Rate limit exceeded.", &["rate", "limit", "exceeded"]),
            ("créeÉvénement", &["crée", "événement"]),
        ];
        for (name, parts) in cases {
            assert_eq!(identifier_parts(name), parts, "{name}");
        }
    }

    #[test]
    fn part_runs_match_in_a_row() {
        let run = PartRun::try_from("rate limit".to_string()).expect("a run");
        assert!(run.found_in(&identifier_parts("chatRateLimit")));
        assert!(!run.found_in(&identifier_parts("limitRate")));
        assert!(PartRun::try_from("  _ ".to_string()).is_err());
    }

    #[test]
    fn a_bad_code_or_scheme_is_refused_at_load() {
        let bad = CONDITIONS_TOML.replacen("codes = [404]", "codes = [200]", 1);
        assert!(Conditions::load(&bad).is_err());
        let bad = CONDITIONS_TOML.replacen("scheme = \"Bearer\"", "scheme = \"Bearer x\"", 1);
        assert!(Conditions::load(&bad).is_err());
    }
}
