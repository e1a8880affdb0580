//! Questions the context rules ask of the conditions around a response, answered from the
//! structure the syntax layer recorded (`hsl_facts::condition`) and the vocabularies of
//! `grammars-config/conditions.toml`. Nothing here reads source text, so every answer holds
//! for each language whose syntax module fills the structure in.

use hsl_facts::{
    ByteRange, Comparison, Condition, Literal, Operand, Path, PatternKind, Step, Test,
};
use hsl_tables::Conditions;

mod identity;

pub(crate) use identity::{
    compared_secret, credential_problem, mentions_credential, permission_fails,
    tests_missing_credential,
};

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
    if let Some(inner) = converted(path) {
        return segments(inner);
    }
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

/// The value a conversion wraps: `post.userId` in `String(post.userId)`.
pub(crate) fn converted(path: &Path) -> Option<&Path> {
    let converters = &Conditions::get().paths.converters;
    match path.steps.as_slice() {
        [Step::Name(name), Step::Call(args)] if converters.contains(name) => {
            match args.as_slice() {
                [Operand::Path(inner)] => Some(inner),
                _ => None,
            }
        }
        _ => None,
    }
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

/// Whether `inner` lies within `outer`.
pub(crate) fn within(inner: &ByteRange, outer: &ByteRange) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests;
