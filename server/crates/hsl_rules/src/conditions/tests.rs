//! Unit tests of the condition questions.

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
fn an_ownership_comparison_fails_on_permission() {
    let owner = Test::Compare {
        left: path(&["req", "user", "id"]),
        op: Comparison::NotEqual,
        right: path(&["post", "authorId"]),
    };
    assert!(permission_fails(&condition(owner.clone(), false)));
    // The `else` of `if (req.user.id !== post.authorId)` is the owner.
    assert!(!permission_fails(&condition(owner, true)));
    let both_principal = Test::Compare {
        left: path(&["req", "user", "id"]),
        op: Comparison::NotEqual,
        right: path(&["session", "user", "id"]),
    };
    assert!(!permission_fails(&condition(both_principal, false)));
    // `post.user.toString() !== req.user.id`, `String(post.userId) !== req.user.id`.
    let mut converted = Path::of_names(&["String"]);
    converted
        .steps
        .push(Step::Call(vec![path(&["post", "userId"])]));
    let through_string = Test::Compare {
        left: Operand::Path(converted),
        op: Comparison::NotEqual,
        right: path(&["req", "user", "id"]),
    };
    assert!(permission_fails(&condition(through_string, false)));
    // `!post.user.equals(req.user._id)`.
    let mut equals = Path::of_names(&["post", "user", "equals"]);
    equals
        .steps
        .push(Step::Call(vec![path(&["req", "user", "_id"])]));
    let not_equal = not(Test::Present(Operand::Path(equals)));
    assert!(permission_fails(&condition(not_equal, false)));
    // `existing.userId !== userId`, the signed-in user's id bound to a local first.
    let bound = Test::Compare {
        left: path(&["existing", "userId"]),
        op: Comparison::NotEqual,
        right: path(&["userId"]),
    };
    assert!(permission_fails(&condition(bound, false)));
    // Not another field's name, nor a whole `user` object.
    let other_field = Test::Compare {
        left: path(&["existing", "teamId"]),
        op: Comparison::NotEqual,
        right: path(&["userId"]),
    };
    assert!(!permission_fails(&condition(other_field, false)));
    let whole_user = Test::Compare {
        left: path(&["existing", "user"]),
        op: Comparison::NotEqual,
        right: path(&["user"]),
    };
    assert!(!permission_fails(&condition(whole_user, false)));
}

#[test]
fn a_failing_role_test_is_a_permission_failure() {
    let mut admin = Path::of_names(&["ctx", "github", "isUserAnOrgAdmin"]);
    admin.steps.push(Step::Call(vec![Operand::Other]));
    let call = not(Test::Present(Operand::Path(admin)));
    assert!(permission_fails(&condition(call, false)));
    assert!(!permission_fails(&condition(
        not(Test::Present(path(&["isGitHubAdmin"]))),
        true
    )));
    assert!(permission_fails(&condition(
        Test::Present(path(&["is_allowed"])),
        true
    )));
    let role = Test::Compare {
        left: path(&["user", "role"]),
        op: Comparison::NotEqual,
        right: Operand::Literal(Literal::String("admin".into())),
    };
    assert!(permission_fails(&condition(role, false)));
    // A credential named after a role is a credential.
    assert!(!permission_fails(&condition(
        not(Test::Present(path(&["adminToken"]))),
        false
    )));
}

#[test]
fn a_credential_compared_with_one_value_is_a_shared_secret() {
    let secret = Test::Compare {
        left: path(&["authHeader"]),
        op: Comparison::NotEqual,
        right: Operand::Other,
    };
    assert!(compared_secret(&condition(secret.clone(), false)));
    assert!(!compared_secret(&condition(secret, true)));
    let missing = Test::Compare {
        left: path(&["token"]),
        op: Comparison::Equal,
        right: Operand::Literal(Literal::Null),
    };
    assert!(!compared_secret(&condition(missing, false)));
}

#[test]
fn verifiers_count_only_with_a_credential() {
    let mut jwt = Path::of_names(&["jwt", "verify"]);
    jwt.steps.push(Step::Call(vec![path(&["token"])]));
    assert_eq!(
        credential_problem(&condition(not(Test::Present(Operand::Path(jwt))), false)),
        Some("a credential that failed verification")
    );
    let mut hook = Path::of_names(&["verify"]);
    hook.steps
        .push(Step::Call(vec![path(&["req"]), path(&["body"])]));
    assert_eq!(
        credential_problem(&condition(not(Test::Present(Operand::Path(hook))), false)),
        None
    );
    let mut bcrypt = Path::of_names(&["bcrypt", "compare"]);
    bcrypt
        .steps
        .push(Step::Call(vec![path(&["password"]), path(&["hash"])]));
    assert_eq!(
        credential_problem(&condition(not(Test::Present(Operand::Path(bcrypt))), false)),
        Some("a password that failed its check")
    );
}

#[test]
fn a_projects_own_verifier_is_read_by_its_parts() {
    let mut own = Path::of_names(&["verifyBootstrapToken"]);
    own.steps
        .push(Step::Call(vec![path(&["env", "TOKEN"]), Operand::Other]));
    assert_eq!(
        credential_problem(&condition(not(Test::Present(Operand::Path(own))), false)),
        Some("a credential that failed verification")
    );
    let mut other = Path::of_names(&["verifyChecksum"]);
    other.steps.push(Step::Call(vec![path(&["file"])]));
    assert_eq!(
        credential_problem(&condition(not(Test::Present(Operand::Path(other))), false)),
        None
    );
}
