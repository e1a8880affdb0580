use super::*;

/// The embedded text of a table, by file name.
fn table(file: &str) -> &'static str {
    EMBEDDED
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("{file} is not embedded"))
}

/// Loads `file` with its first `from` replaced by `to`, and returns the load error.
fn error_with(file: &str, from: &str, to: &str) -> String {
    let text = table(file);
    assert!(text.contains(from), "{file} has no `{from}`");
    match load(file, &text.replacen(from, to, 1)) {
        Ok(_) => panic!("{file} with `{to}` loaded"),
        Err(err) => err,
    }
}

#[test]
fn every_embedded_table_loads() {
    assert!(
        EMBEDDED.len() >= 18,
        "only {} tables embedded",
        EMBEDDED.len()
    );
    for (file, text) in EMBEDDED {
        if let Err(err) = load(file, text) {
            panic!("{err}");
        }
    }
    assert_eq!(Tables::get().frameworks.len(), EMBEDDED.len());
}

#[test]
fn priorities_order_each_language_without_ties() {
    for family in Family::ALL {
        let mut seen = std::collections::BTreeMap::new();
        for framework in Tables::get().for_language(family) {
            if let Some(other) = seen.insert(framework.priority, &framework.id) {
                panic!(
                    "{} and {other} both have priority {}",
                    framework.id, framework.priority
                );
            }
        }
    }
}

/// One misspelled value of each typed key family fails the load with the file and the key.
#[test]
fn a_value_outside_its_vocabulary_names_the_table_and_key() {
    let cases = [
        (
            "express.toml",
            "language = \"js\"",
            "language = \"jss\"",
            "language",
        ),
        (
            "express.toml",
            "body = \"none\"",
            "body = \"nothing\"",
            "body",
        ),
        (
            "fastify.toml",
            "keeps_status = \"any\"",
            "keeps_status = \"all\"",
            "keeps_status",
        ),
        (
            "actix-web.toml",
            "responder_tuple_status = \"last\"",
            "responder_tuple_status = \"second\"",
            "responder_tuple_status",
        ),
        (
            "express.toml",
            "post = \"POST\"",
            "post = \"PSOT\"",
            "methods",
        ),
        (
            "axum.toml",
            "post = \"POST\"",
            "post = \"PSOT\"",
            "router_fns",
        ),
        (
            "nestjs.toml",
            "Post = \"POST\"",
            "Post = \"PSOT\"",
            "decorators",
        ),
        (
            "express.toml",
            "header_insert = \"after-call:",
            "header_insert = \"afer-call:",
            "header_insert",
        ),
        (
            "web.toml",
            "header_insert = \"init-headers\"",
            "header_insert = \"init-arg:x\"",
            "header_insert",
        ),
        (
            "express.toml",
            "implicit_insert = \"before-method:",
            "implicit_insert = \"headers-arg\" #",
            "implicit_insert",
        ),
        (
            "express.toml",
            "insert = \"before-first-arg\"",
            "insert = \"before-first-argument\"",
            "insert",
        ),
        (
            "koa.toml",
            "header_insert = \"before-statement:",
            "header_insert = \"after-call:",
            "header_insert",
        ),
        (
            "express.toml",
            "{q}{name}{q}, {q}{value}{q})\"",
            "{q}{name}{q}, {q}{valeu}{q})\"",
            "header_insert",
        ),
        (
            "http.toml",
            "header_insert = '.header(\"{name}\"",
            "header_insert = '.header(\"{nam}\"",
            "header_insert",
        ),
        (
            "fastify.toml",
            "accepted_statuses = [100, 599]",
            "accepted_statuses = [599, 100]",
            "accepted_statuses",
        ),
        (
            "http-errors.toml",
            "fixtures = \"some-rules\"",
            "fixtures = \"some\"",
            "fixtures",
        ),
    ];
    for (file, from, to, key) in cases {
        let err = error_with(file, from, to);
        assert!(
            err.starts_with(&format!("{file}: ")) && err.contains(key),
            "`{to}` in {file}: the error names neither the file nor `{key}`:\n{err}"
        );
    }
}

#[test]
fn checks_beyond_the_types_name_the_table_and_key() {
    let err = error_with(
        "nestjs.toml",
        "spelling = \"HttpStatus.{name}\"",
        "spelling = \"HttpStatus.NAME\"",
    );
    assert!(
        err.starts_with("nestjs.toml: ") && err.contains("spelling"),
        "{err}"
    );
    let err = error_with("express.toml", "min_args_for_status = 2, ", "");
    assert!(
        err.starts_with("express.toml: ") && err.contains("min_args_for_status"),
        "{err}"
    );
}

#[test]
fn tables_are_ordered_by_language_then_priority() {
    let order: Vec<(usize, u16)> = Tables::get()
        .frameworks
        .iter()
        .map(|framework| {
            let family = Family::ALL.iter().position(|f| *f == framework.language);
            (family.unwrap_or(usize::MAX), framework.priority)
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
}
