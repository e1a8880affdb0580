//! Questions the context rules ask of the conditions around a response, answered from the
//! structure the syntax layer recorded (`hsl_facts::condition`) and the vocabularies of
//! `grammars-config/conditions.toml`. Nothing here reads source text, so every answer holds
//! for each language whose syntax module fills the structure in.

use hsl_facts::{
    ByteRange, Comparison, Condition, Literal, Operand, Path, PatternKind, Step, Test,
};
use hsl_tables::Conditions;

/// The values a condition proves missing (or not valid) where the response is sent: `!token`,
/// `x == null`, `x.is_none()`, the `else` of `if (token)`, a `None` / `Err(_)` pattern, the
/// `else` of `if let Some(..)`, `!header.startsWith("Bearer ")` (the header is not valid).
/// Either side of an `||` counts, as a test of a missing credential usually reads
/// `!header || !header.startsWith("Bearer ")`.
pub(crate) fn absent_values(condition: &Condition) -> Vec<&Path> {
    let mut found = Vec::new();
    collect_values(
        &condition.test,
        !condition.holds(),
        Want::Absent,
        &mut found,
    );
    found
}

/// The values a condition proves present where the response is sent: `err`, `err != null`,
/// the code after a guard `if (!err) return`, `Some(e)` of `if let Some(e) = err`. Only parts
/// that must all hold count (an `||` proves neither side).
pub(crate) fn present_values(condition: &Condition) -> Vec<&Path> {
    let mut found = Vec::new();
    collect_values(
        &condition.test,
        !condition.holds(),
        Want::Present,
        &mut found,
    );
    found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Absent,
    Present,
}

/// Walks `test`, which fails where the response is when `failing`, collecting the values it
/// proves absent or present there. A failing `&&` proves nothing of its parts, a failing `||`
/// fails in every part; a holding `||` counts for absence only.
fn collect_values<'a>(test: &'a Test, failing: bool, want: Want, found: &mut Vec<&'a Path>) {
    match test {
        Test::Not(inner) => collect_values(inner, !failing, want, found),
        Test::All(parts) if !failing => {
            for part in parts {
                collect_values(part, false, want, found);
            }
        }
        Test::Any(parts) if failing => {
            for part in parts {
                collect_values(part, true, want, found);
            }
        }
        Test::Any(parts) if want == Want::Absent => {
            for part in parts {
                collect_values(part, false, want, found);
            }
        }
        Test::All(parts) | Test::Any(parts) => {
            if let [only] = parts.as_slice() {
                collect_values(only, failing, want, found);
            }
        }
        Test::Opaque => {}
        Test::Present(operand) => {
            let present = !failing;
            if let Some(path) = operand.path() {
                push_value(path, present, want, found);
            }
        }
        Test::Compare { left, op, right } => {
            let Some((path, nullish)) = compared_with_nothing(left, right) else {
                return;
            };
            let equal = match op {
                Comparison::Equal => true,
                Comparison::NotEqual => false,
                _ => return,
            };
            // `x == null` holds when `x` is missing; `x == ""` only proves an absent value.
            let present = equal == failing;
            if present && !nullish {
                return;
            }
            push_value(path, present, want, found);
        }
        Test::Matches { value, pattern } => {
            let Some(path) = value.path() else {
                return;
            };
            let matches_present = match pattern.kind {
                PatternKind::Some | PatternKind::Ok => true,
                PatternKind::None | PatternKind::Err => false,
                PatternKind::Other => return,
            };
            push_value(path, matches_present != failing, want, found);
        }
    }
}

fn push_value<'a>(path: &'a Path, present: bool, want: Want, found: &mut Vec<&'a Path>) {
    match (want, present) {
        (Want::Present, true) => found.push(path),
        (Want::Absent, false) => found.push(path),
        _ => {}
    }
}

/// The path and whether the other side is `null`-like, for a comparison of a path with
/// `null`, `undefined`, `None` or an empty string.
fn compared_with_nothing<'a>(left: &'a Operand, right: &'a Operand) -> Option<(&'a Path, bool)> {
    let nothing = |operand: &Operand| match operand {
        Operand::Literal(Literal::Null) => Some(true),
        Operand::Literal(Literal::String(text)) if text.is_empty() => Some(false),
        _ => None,
    };
    match (left, right) {
        (Operand::Path(path), other) | (other, Operand::Path(path)) => {
            nothing(other).map(|nullish| (path, nullish))
        }
        _ => None,
    }
}

/// The names a path reads, the way code names a request's parts: getter calls name their
/// argument (`req.get("Authorization")` → `req`, `Authorization`), indexes their key
/// (`req.headers["x-token"]` → `req`, `headers`, `x-token`), format checks and conversions at
/// the end are dropped (`header.startsWith(..)` → `header`; `headers.get(X).and_then(..)` →
/// `headers`, `X`).
pub(crate) fn segments(path: &Path) -> Vec<String> {
    let words = &Conditions::get().paths;
    let mut out: Vec<String> = Vec::new();
    let mut steps = path.steps.iter().peekable();
    while let Some(step) = steps.next() {
        match step {
            Step::Name(name) => {
                let called = matches!(steps.peek(), Some(Step::Call(_)));
                if called && words.getters.contains(name) {
                    if let Some(Step::Call(args)) = steps.next()
                        && let Some(key) = args.first().and_then(operand_name)
                    {
                        out.push(key);
                    }
                    continue;
                }
                out.push(name.clone());
            }
            Step::Index(key) => out.extend(operand_name(key)),
            Step::Call(_) => {}
        }
    }
    let trailing =
        |name: &String| words.adapters.contains(name) || words.validity_calls.contains(name);
    while out.len() > 1 && out.last().is_some_and(trailing) {
        out.pop();
    }
    out
}

/// The name an argument or key gives: a string's contents, or a constant's last name
/// (`header::AUTHORIZATION`).
fn operand_name(operand: &Operand) -> Option<String> {
    match operand {
        Operand::Literal(Literal::String(text)) => Some(text.clone()),
        Operand::Path(path) => match path.steps.as_slice() {
            [.., Step::Name(name)] => Some(name.clone()),
            _ => None,
        },
        Operand::Literal(_) | Operand::Other => None,
    }
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

/// What a condition proves wrong with the credential where the response is sent, for
/// messages: it is missing (`!token`, `!req.user`), or it failed verification (`Err(_)` of
/// `decode(..)`, `!verify(token)`).
pub(crate) fn credential_problem(condition: &Condition) -> Option<&'static str> {
    let words = &Conditions::get().identity;
    absent_values(condition).into_iter().find_map(|path| {
        if path
            .called_names()
            .any(|name| words.verifiers.iter().any(|v| v == name))
        {
            return Some("a credential that failed verification");
        }
        let segments = segments(path);
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

/// Whether the condition holds only when a credential or session is missing or invalid.
pub(crate) fn tests_missing_credential(condition: &Condition) -> bool {
    credential_problem(condition).is_some()
}

/// Whether the condition tests a permission, a role or ownership, by the names it reads.
pub(crate) fn tests_permission(condition: &Condition, words: &[String]) -> bool {
    condition.words.has_name(words)
}

/// Whether a test compares the signed-in principal with something else that is not `null`:
/// a part of `params.userId !== session.user.id` or `req.user.id != post.author`. That is an
/// ownership check, so a `403` is right for the signed-in half.
pub(crate) fn compares_owner(condition: &Condition) -> bool {
    let words = &Conditions::get().identity;
    let names_principal = |path: &Path| {
        segments(path).windows(2).any(|pair| {
            words.holders.iter().any(|h| same_name(h, &pair[0]))
                && words.principals.iter().any(|p| same_name(p, &pair[1]))
        })
    };
    top_level_parts(&condition.test).into_iter().any(|part| {
        let Test::Compare {
            left: Operand::Path(left),
            op: Comparison::NotEqual,
            right: Operand::Path(right),
        } = part
        else {
            return false;
        };
        names_principal(left) != names_principal(right)
    })
}

/// The parts of a test joined by `&&` and `||` at its top level.
fn top_level_parts(test: &Test) -> Vec<&Test> {
    match test {
        Test::All(parts) | Test::Any(parts) => parts.iter().flat_map(top_level_parts).collect(),
        other => vec![other],
    }
}

/// Whether a condition reads the server's own state (its environment, its configuration):
/// entries with a `.` or `::` are matched as a run of names (`process.env`), the others as one.
pub(crate) fn reads_server_state(condition: &Condition, state: &[String]) -> bool {
    state.iter().any(|entry| {
        let run: Vec<&str> = entry
            .split(['.', ':'])
            .filter(|part| !part.is_empty())
            .collect();
        if run.len() > 1 {
            condition.words.has_sequence(&run)
        } else {
            condition.words.has_name(std::slice::from_ref(entry))
        }
    })
}

/// Whether `inner` lies within `outer`.
pub(crate) fn within(inner: &ByteRange, outer: &ByteRange) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_facts::{Pattern, Words};

    fn path(names: &[&str]) -> Operand {
        Operand::Path(Path::of_names(names))
    }

    fn condition(test: Test, negated: bool) -> Condition {
        Condition {
            range: 0..0,
            test,
            negated,
            words: Words::default(),
        }
    }

    fn not(test: Test) -> Test {
        Test::Not(Box::new(test))
    }

    fn getter(holder: &[&str], getter: &str, key: &str) -> Path {
        let mut path = Path::of_names(holder);
        path.steps.push(Step::Name(getter.to_string()));
        path.steps
            .push(Step::Call(vec![Operand::Literal(Literal::String(
                key.into(),
            ))]));
        path
    }

    #[test]
    fn a_negated_credential_is_missing() {
        let missing = condition(not(Test::Present(path(&["token"]))), false);
        assert_eq!(credential_problem(&missing), Some("a missing credential"));
        let header = condition(
            not(Test::Present(Operand::Path(getter(
                &["c", "req"],
                "header",
                "Authorization",
            )))),
            false,
        );
        assert_eq!(credential_problem(&header), Some("a missing credential"));
        let session = condition(not(Test::Present(path(&["req", "user"]))), false);
        assert_eq!(credential_problem(&session), Some("a missing session"));
        // The else of `if (!token)` has the token.
        assert!(!tests_missing_credential(&condition(
            not(Test::Present(path(&["token"]))),
            true
        )));
        // The else of `if (token)` lacks it.
        assert!(tests_missing_credential(&condition(
            Test::Present(path(&["token"])),
            true
        )));
    }

    #[test]
    fn looked_up_records_and_roles_are_not_credentials() {
        for names in [&["user"][..], &["req", "user", "isAdmin"], &["post"]] {
            let test = condition(not(Test::Present(path(names))), false);
            assert!(!tests_missing_credential(&test), "{names:?}");
        }
    }

    #[test]
    fn null_comparisons_and_patterns_prove_absence() {
        let equal_null = Test::Compare {
            left: path(&["token"]),
            op: Comparison::Equal,
            right: Operand::Literal(Literal::Null),
        };
        assert_eq!(
            absent_values(&condition(equal_null.clone(), false)).len(),
            1
        );
        assert_eq!(present_values(&condition(equal_null, true)).len(), 1);
        let none = Test::Matches {
            value: path(&["auth_header"]),
            pattern: Pattern::implied(PatternKind::None),
        };
        assert!(tests_missing_credential(&condition(none, false)));
        let some = Test::Matches {
            value: path(&["token"]),
            pattern: Pattern::implied(PatternKind::Some),
        };
        assert!(tests_missing_credential(&condition(some, true)));
    }

    #[test]
    fn either_side_of_an_or_counts_for_absence_only() {
        let mut starts = Path::of_names(&["authHeader", "startsWith"]);
        starts
            .steps
            .push(Step::Call(vec![Operand::Literal(Literal::String(
                "Bearer ".into(),
            ))]));
        let test = Test::Any(vec![
            not(Test::Present(path(&["other"]))),
            not(Test::Present(Operand::Path(starts))),
        ]);
        let holds = condition(test.clone(), false);
        assert!(tests_missing_credential(&holds));
        let either = condition(
            Test::Any(vec![
                Test::Present(path(&["a"])),
                Test::Present(path(&["b"])),
            ]),
            false,
        );
        assert!(present_values(&either).is_empty());
    }

    #[test]
    fn getters_and_adapters_are_read_through() {
        let mut path = getter(&["headers"], "get", "Authorization");
        path.steps.push(Step::Name("and_then".into()));
        path.steps.push(Step::Call(Vec::new()));
        assert_eq!(segments(&path), ["headers", "Authorization"]);
        let index = Path {
            steps: vec![
                Step::Name("req".into()),
                Step::Name("headers".into()),
                Step::Index(Box::new(Operand::Literal(Literal::String(
                    "authorization".into(),
                )))),
            ],
        };
        assert_eq!(segments(&index), ["req", "headers", "authorization"]);
    }

    #[test]
    fn an_ownership_comparison_is_recognised() {
        let owner = Test::Compare {
            left: path(&["req", "user", "id"]),
            op: Comparison::NotEqual,
            right: path(&["post", "authorId"]),
        };
        assert!(compares_owner(&condition(owner, false)));
        let both_principal = Test::Compare {
            left: path(&["req", "user", "id"]),
            op: Comparison::NotEqual,
            right: path(&["session", "user", "id"]),
        };
        assert!(!compares_owner(&condition(both_principal, false)));
    }

    #[test]
    fn server_state_matches_runs_of_names() {
        let words = Words {
            names: vec!["process".into(), "env".into(), "JWT_SECRET".into()],
            ..Words::default()
        };
        let test = Condition {
            words,
            ..condition(Test::Opaque, false)
        };
        assert!(reads_server_state(&test, &["process.env".to_string()]));
        assert!(!reads_server_state(&test, &["config".to_string()]));
    }
}
