//! Questions about who is asking: is a credential missing or invalid where the response is
//! sent, does a test fail on a permission, a role or an ownership, is a credential compared
//! with one expected value (a secret shared with a known caller).

use hsl_facts::{Comparison, Condition, Operand, Path, PatternKind, Step, Test, Words};
use hsl_tables::{Conditions, identifier_parts};

use super::{absent_values, same_name, segments};
use crate::vocabulary::{has_run, is_permission_name};

/// What a condition proves wrong with the credential where the response is sent, for
/// messages: it is missing (`!token`, `!req.user`), it failed verification (`Err(_)` of
/// `decode(token, ..)`, `!verify(token)`), or a password check failed
/// (`!(await bcrypt.compare(password, hash))`). A verifier proves a credential only when a
/// credential is among its names (`jwt.verify`, `verifyToken`, `decode(&token, ..)`): a bare
/// `verify(req, res, body)` hook checks something else.
pub(crate) fn credential_problem(condition: &Condition) -> Option<&'static str> {
    let words = &Conditions::get().identity;
    if tests_credential_kind(condition) {
        return Some("a credential of another kind");
    }
    absent_values(condition).into_iter().find_map(|path| {
        if is_password_check(path) {
            return Some("a password that failed its check");
        }
        if path.called_names().any(|name| {
            (words.verifiers.iter().any(|v| v == name) && path_mentions_credential(path))
                || names_own_verifier(name)
                || (starts_with_verifier_verb(name) && given_credential(path))
        }) {
            return Some("a credential that failed verification");
        }
        let segments = segments(path);
        let last = segments.last()?;
        let read_not_called = matches!(path.steps.last(), Some(Step::Name(_)));
        if words.credentials.iter().any(|w| same_name(w, last))
            || (read_not_called && ends_in_credential(last))
        {
            return Some("a missing credential");
        }
        let session = segments
            .len()
            .checked_sub(2)
            .and_then(|i| segments.get(i))
            .is_some_and(|parent| {
                words.holders.iter().any(|h| same_name(h, parent))
                    && words.principals.iter().any(|w| same_name(w, last))
            });
        if session {
            return Some("a missing session");
        }
        looks_up_credential(condition, path).then_some("a credential that was not recognised")
    })
}

/// Whether the condition matches the failure (`Err(..)`, `None`) of a lookup by a credential
/// the call is given, which asks no permission: the `Err` arm of
/// `get_session_user(token).map_err(..)`, the `else` of `let Some(s) = sessions.get(&sid)`.
/// Where it finds nothing the credential is unknown. A yes-or-no answer
/// (`!vault.allows(token)`) may be a refusal and does not count.
fn looks_up_credential(condition: &Condition, path: &Path) -> bool {
    let Test::Matches { value, pattern } = &condition.test else {
        return false;
    };
    value.path().is_some_and(|matched| matched == path)
        && pattern.kind != PatternKind::Other
        && matches!(path.steps.last(), Some(Step::Call(_)))
        && given_credential(path)
        && !names_permission(path)
}

/// Whether the condition refuses the kind of credential that was decoded where the response
/// is sent: a claim of `[identity].credential_claims` read under one of `claim_holders`
/// (`payload.type`, `claims.iss`) failed its test (`!allowed.includes(payload.type)` holds,
/// or the code after a guard `if (payload.type === "session")`). Such a test refuses the
/// credential, not the person holding it.
fn tests_credential_kind(condition: &Condition) -> bool {
    let refused = match &condition.test {
        Test::Not(_)
        | Test::Compare {
            op: Comparison::NotEqual,
            ..
        } => condition.holds(),
        Test::Present(_)
        | Test::Compare {
            op: Comparison::Equal,
            ..
        } => !condition.holds(),
        _ => false,
    };
    let words = &Conditions::get().identity;
    refused
        && words.claim_holders.iter().any(|holder| {
            words.credential_claims.iter().any(|claim| {
                condition
                    .words
                    .has_sequence(&[holder.as_str(), claim.as_str()])
            })
        })
}

/// Whether the condition holds only when a credential or session is missing or invalid.
pub(crate) fn tests_missing_credential(condition: &Condition) -> bool {
    credential_problem(condition).is_some()
}

/// Whether `name` names a credential: a word of the credential list (`token`, `jwt`,
/// `authorization`) or a name with a credential part (`verifyIdToken`, `sessionId`).
fn names_credential(name: &str) -> bool {
    let identity = &Conditions::get().identity;
    if identity
        .credentials
        .iter()
        .any(|word| same_name(word, name))
    {
        return true;
    }
    let parts = identifier_parts(name);
    identity
        .credential_parts
        .iter()
        .any(|run| run.found_in(&parts))
        || parts.iter().any(|part| {
            identity
                .credentials
                .iter()
                .any(|word| same_name(word, part))
        })
}

/// Whether `name` ends in a credential part (`storedRefreshToken`, `RTCookie`,
/// `session_cookie`): what it holds is a credential whatever comes before, unless that is a
/// secret shared with one caller (`webhookSecret`) or an anti-forgery token (`csrfToken`).
/// Only for a value read, not a call: `can_change_password(..)` asks a permission.
fn ends_in_credential(name: &str) -> bool {
    let words = &Conditions::get();
    let parts = identifier_parts(name);
    words
        .identity
        .credential_parts
        .iter()
        .any(|run| run.ends(&parts))
        && !has_run(name, &words.http_auth.shared_secret)
        && !has_run(name, &words.identity.anti_forgery_parts)
}

/// Whether `name` is a project's own verifier of a credential: it starts with a verifier's
/// verb and names a credential (`verifyBootstrapToken`, `validate_api_key`).
fn names_own_verifier(name: &str) -> bool {
    starts_with_verifier_verb(name) && names_credential(name)
}

/// Whether `name` starts with a verifier's verb and names what it verifies after it
/// (`decode_admin`, `verifyUser`). Given a credential (`decode_admin(access_token)`), such a
/// call verifies that credential, whatever the rest of its name says: its failure is an
/// invalid credential, not a missing role.
fn starts_with_verifier_verb(name: &str) -> bool {
    let identity = &Conditions::get().identity;
    let parts = identifier_parts(name);
    identity.verifier_parts.iter().any(|run| run.starts(&parts)) && parts.len() > 1
}

/// Whether a call is given a credential by name, and verifies no secret shared with one
/// caller: `decode_admin(access_token)`, `verify_staff(&session_token)`; not
/// `verifySignature(body, req.header("stripe-signature"))`.
fn given_credential(path: &Path) -> bool {
    let shared = &Conditions::get().http_auth.shared_secret;
    if path.names().any(|name| has_run(name, shared)) {
        return false;
    }
    path.steps.iter().any(|step| match step {
        Step::Call(args) => args.iter().any(|arg| {
            arg.path().is_some_and(|inner| {
                segments(inner)
                    .last()
                    .is_some_and(|last| names_credential(last) && !has_run(last, shared))
            })
        }),
        Step::Name(_) | Step::Index(_) => false,
    })
}

/// Whether `words` (what a `try` block runs) name a credential.
pub(crate) fn mentions_credential(words: &Words) -> bool {
    words.names.iter().any(|name| names_credential(name))
}

/// Whether a path or one of its arguments names a credential: `jwt.verify(token, key)`.
fn path_mentions_credential(path: &Path) -> bool {
    path.steps.iter().any(|step| match step {
        Step::Name(name) => names_credential(name),
        Step::Call(args) => args.iter().any(|arg| {
            arg.path()
                .is_some_and(|inner| inner.names().any(names_credential))
        }),
        Step::Index(_) => false,
    })
}

/// Whether the path calls a password check (`bcrypt.compare(..)`, `verify_password(..)`).
fn is_password_check(path: &Path) -> bool {
    let names: Vec<&str> = path.names().collect();
    Conditions::get()
        .identity
        .password_checks
        .iter()
        .any(|entry| {
            let run: Vec<&str> = entry.split('.').collect();
            if run.len() > 1 {
                names
                    .windows(run.len())
                    .any(|window| window == run.as_slice())
            } else {
                path.called_names().any(|called| called == entry)
            }
        })
}

/// Whether a test on the way to the response fails on a permission, a role or an ownership
/// where the response is sent: `!isUserAnOrgAdmin(..)`, the `else` of `if (user.isAdmin)`,
/// `user.role !== "admin"`, `post.user.toString() !== req.user.id`,
/// `!post.user.equals(req.user._id)`, a negated role variable (`if !is_allowed`).
pub(crate) fn permission_fails(condition: &Condition) -> bool {
    let mut leaves = Vec::new();
    deciding_leaves(&condition.test, !condition.holds(), &mut leaves);
    leaves.into_iter().any(|(leaf, failing)| match leaf {
        Test::Present(Operand::Path(path)) => {
            if let Some((receiver, argument)) = equality_call(path) {
                return failing && (is_owner_pair(&receiver, argument) || names_permission(path));
            }
            failing && names_permission(path)
        }
        Test::Compare { left, op, right } => {
            differs(*op, failing)
                && match (left, right) {
                    (Operand::Path(a), Operand::Path(b)) => {
                        is_owner_pair(a, b) || names_permission(a) || names_permission(b)
                    }
                    (Operand::Path(path), other) | (other, Operand::Path(path)) => {
                        !other.is_null() && names_permission(path)
                    }
                    _ => false,
                }
        }
        // An arm of a `match` on a role (`match user.role { Role::Admin => .., _ => 401 }`);
        // not an arm of some other value that happens to name one (`Error::RoleNotFound`).
        // Or the `else` of `let Some(membership) = Membership::find(user, org) else { .. }`:
        // a lookup named for a grant, a membership or a role found none for the user (not a
        // cookie or header that merely has such a name: `cookies().get("admin")`).
        Test::Matches { value, pattern } => {
            let path = value.path();
            if failing && matches!(pattern.kind, PatternKind::Some | PatternKind::Ok) {
                return path.is_some_and(|path| {
                    path.names().any(is_permission_name) && !converts_stored_value(path)
                });
            }
            // A lookup that found its grant (`Some(membership)`, `Ok(role)` holding, as past
            // `let Some(m) = Membership::find(..) else { .. }`) proves the permission, not its
            // absence; an arm that picks a value (`Ok(false)`, `Role::Guest`) may be the refusal.
            let found =
                matches!(pattern.kind, PatternKind::Some | PatternKind::Ok) && pattern.takes_all;
            !failing && !found && path.is_some_and(names_permission)
        }
        Test::Opaque => !failing && condition.words.names.iter().any(|n| is_permission_name(n)),
        _ => false,
    })
}

/// Whether a path converts a value the code already holds (`MembershipType::from_i32(row.atype)`,
/// `Role::try_from(n)`, `text.parse()`): its failure is bad data, not a grant that is missing.
fn converts_stored_value(path: &Path) -> bool {
    path.called_names().last().is_some_and(|name| {
        name.starts_with("from") || name.starts_with("try_from") || name == "parse"
    })
}

/// Whether the credential is compared with one expected value, and differs from it where the
/// response is sent: `authHeader !== \`Bearer ${CRON_SECRET}\``,
/// `c.req.header("authorization") != env().SECRET`. One value for every caller is a secret
/// shared with a known machine (a cron job, a webhook sender), not a user's credential.
pub(crate) fn compared_secret(condition: &Condition) -> bool {
    let mut leaves = Vec::new();
    deciding_leaves(&condition.test, !condition.holds(), &mut leaves);
    leaves.into_iter().any(|(leaf, failing)| {
        let Test::Compare { left, op, right } = leaf else {
            return false;
        };
        let credential = |operand: &Operand| {
            operand.path().is_some_and(|path| {
                segments(path)
                    .last()
                    .is_some_and(|last| names_credential(last))
            })
        };
        differs(*op, failing)
            && !left.is_null()
            && !right.is_null()
            && (credential(left) || credential(right))
    })
}

/// Whether a comparison with `op` finds its sides different where the response is sent.
fn differs(op: Comparison, failing: bool) -> bool {
    match op {
        Comparison::NotEqual => !failing,
        Comparison::Equal => failing,
        _ => false,
    }
}

/// The tests that decide where the response is sent, each with whether it fails there: the
/// parts of a holding `&&` or a failing `||` all decide; either part of a holding `||` may be
/// the reason; a failing `&&` proves nothing of its parts unless it has one.
fn deciding_leaves<'a>(test: &'a Test, failing: bool, leaves: &mut Vec<(&'a Test, bool)>) {
    match test {
        Test::Not(inner) => deciding_leaves(inner, !failing, leaves),
        Test::All(parts) if !failing => {
            for part in parts {
                deciding_leaves(part, false, leaves);
            }
        }
        Test::Any(parts) => {
            for part in parts {
                deciding_leaves(part, failing, leaves);
            }
        }
        Test::All(parts) => {
            if let [only] = parts.as_slice() {
                deciding_leaves(only, failing, leaves);
            }
        }
        other => leaves.push((other, failing)),
    }
}

/// Whether a path names a role, a grant or a permission by one of its names or string
/// arguments (`user.roles.includes("admin")`).
fn names_permission(path: &Path) -> bool {
    path.steps.iter().any(|step| match step {
        Step::Name(name) => is_permission_name(name),
        Step::Call(args) => args.iter().any(|arg| {
            matches!(arg, Operand::Literal(hsl_facts::Literal::String(text)) if is_permission_name(text))
        }),
        Step::Index(_) => false,
    })
}

/// The receiver and argument of an equality method at the end of a path:
/// `post.user` and `req.user._id` in `post.user.equals(req.user._id)`.
fn equality_call(path: &Path) -> Option<(Path, &Path)> {
    let calls = &Conditions::get().paths.equality_calls;
    match path.steps.as_slice() {
        [receiver @ .., Step::Name(name), Step::Call(args)]
            if calls.contains(name) && !receiver.is_empty() =>
        {
            let [Operand::Path(argument)] = args.as_slice() else {
                return None;
            };
            Some((
                Path {
                    steps: receiver.to_vec(),
                },
                argument,
            ))
        }
        _ => None,
    }
}

/// Whether exactly one of two compared values is the signed-in principal (`req.user.id`,
/// `session.user.id`), the other a record's field: an ownership check.
fn is_owner_pair(a: &Path, b: &Path) -> bool {
    names_principal(a) != names_principal(b) || bound_principal_id(a, b) || bound_principal_id(b, a)
}

/// Whether `bare` is the signed-in principal's id bound to a local and compared with a record's
/// field of the same name: `existing.userId !== userId` after `const userId = auth.user.id`.
/// Only an id's name counts (`userId`, `user_id`), not a whole `user` object.
fn bound_principal_id(bare: &Path, field: &Path) -> bool {
    let principals = &Conditions::get().identity.principals;
    let (bare, field) = (segments(bare), segments(field));
    let [name] = bare.as_slice() else {
        return false;
    };
    let is_id = name.to_ascii_lowercase().ends_with("id");
    is_id
        && principals.iter().any(|p| same_name(p, name))
        && field.len() >= 2
        && field.last().is_some_and(|last| same_name(last, name))
}

/// Whether a path reads the signed-in principal under a request holder (`req.user`,
/// `ctx.state.user`, `String(req.user.id)`).
fn names_principal(path: &Path) -> bool {
    let words = &Conditions::get().identity;
    segments(path).windows(2).any(|pair| {
        words.holders.iter().any(|h| same_name(h, &pair[0]))
            && words.principals.iter().any(|p| same_name(p, &pair[1]))
    })
}
