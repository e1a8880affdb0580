//! `http-status-ls explain RULE`: a rule's documentation, from its doc comment.

use std::process::ExitCode;

use super::docs::{self, UNUSED_IGNORE_DOCS, UNUSED_IGNORE_LEVEL, default_level, fix_sentence};
use hsl_rules::{self as rules, RULES};

/// Prints a rule's docs, every rule's with `all`, or the list of rules without an argument.
pub fn run(rule: Option<&str>, all: bool) -> ExitCode {
    if all {
        for (index, (meta, _)) in RULES.iter().enumerate() {
            if index > 0 {
                outln!();
            }
            print_docs(meta.id);
        }
        outln!();
        print_docs(rules::UNUSED_IGNORE);
        return ExitCode::SUCCESS;
    }
    let Some(id) = rule else {
        list();
        return ExitCode::SUCCESS;
    };
    if !print_docs(id) {
        eprintln!(
            "error: unknown rule `{id}`{}; known rules:",
            hsl_config::suggestion(id, hsl_config::configurable_ids())
        );
        for id in hsl_config::configurable_ids() {
            eprintln!("  {id}");
        }
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// One line per rule: id, default level, summary.
fn list() {
    let levels: Vec<String> = RULES.iter().map(|(meta, _)| default_level(meta)).collect();
    let id_width = RULES
        .iter()
        .map(|(meta, _)| meta.id.len())
        .max()
        .unwrap_or(0);
    let level_width = levels.iter().map(String::len).max().unwrap_or(0);
    for ((meta, _), level) in RULES.iter().zip(&levels) {
        outln!(
            "{:<id_width$}  {:<level_width$}  {}",
            meta.id,
            level,
            meta.summary
        );
    }
}

/// Prints one id's documentation; false when the id names nothing.
fn print_docs(id: &str) -> bool {
    let Some(url) = docs::docs_url(id) else {
        return false;
    };
    if let Some(meta) = rules::meta(id) {
        outln!("# {} ({})\n", meta.id, default_level(meta));
        outln!("{}\n", fix_sentence(meta.fix));
        outln!("{}", meta.docs_markdown().trim_end());
    } else {
        outln!("# {id} ({UNUSED_IGNORE_LEVEL})\n");
        outln!("{UNUSED_IGNORE_DOCS}");
    }
    outln!("\nDocs: {url}");
    true
}
