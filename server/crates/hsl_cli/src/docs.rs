//! The rule documentation pages under `docs/rules/`: one page per rule id, generated from the
//! rule's doc comment (`RuleMeta::docs`), the same text `explain` prints. Every `docs_url`,
//! SARIF `helpUri` and `codeDescription.href` points at one of these pages, and a test in
//! `tests/cli.rs` fails when a page is missing, stale, or names no rule
//! (`HTTP_STATUS_LS_BLESS=1 cargo test --test cli` rewrites them).

use hsl_rules::{self as rules, DOCS_BASE, FixAvailability, RULES, RuleMeta};

/// Where the pages live, relative to the repository root; [`DOCS_BASE`] names the same folder
/// on the default branch.
pub const PAGES_DIR: &str = "docs/rules";

/// What `unused-ignore` reports, for `explain` and its page (it has no doc comment: it is not a
/// rule in `RULES` but findings about ignore comments).
pub const UNUSED_IGNORE_DOCS: &str = "An `// http-status-ls-ignore: rule-id` (or `-ignore-file:`) comment that silences nothing, or that names no rule. Stale ignores hide nothing but mislead readers, and a misspelt id silences nothing at all. The safe fix deletes the id (or the whole comment); a misspelt id gets the nearest rule id as a suggestion. An ignore is judged only when its rule ran with everything it needs known. Silence it with `// http-status-ls-ignore: unused-ignore`, or set `unused-ignore = \"off\"` in `[rules]`.";

/// How `unused-ignore` is levelled by default.
pub const UNUSED_IGNORE_LEVEL: &str = "hint; warning for an id that names no rule";

const GENERATED: &str = "<!-- Generated from the rule's doc comment by `HTTP_STATUS_LS_BLESS=1 cargo test --test cli`: edit the doc comment in server/crates/hsl_rules/src/, not this page. -->";

/// The documentation URL of a rule id, `unused-ignore` included; `None` for an unknown id.
pub fn docs_url(id: &str) -> Option<String> {
    match rules::meta(id) {
        Some(meta) => Some(meta.docs_url()),
        None => (id == rules::UNUSED_IGNORE).then(|| format!("{DOCS_BASE}{id}.md")),
    }
}

/// The level a rule reports at unless configured: its severity, or `off` for opt-in rules.
pub fn default_level(meta: &RuleMeta) -> String {
    if meta.default_enabled {
        meta.default_severity.as_str().to_string()
    } else {
        format!("off; {} when enabled", meta.default_severity.as_str())
    }
}

/// What the fix column says.
pub fn fix_sentence(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::Always => "Fix is always available.",
        FixAvailability::Sometimes => "Fix is sometimes available.",
        FixAvailability::None => "No fix is available.",
    }
}

/// Every page: `(file name, text)`, the index `README.md` first.
pub fn pages() -> Vec<(String, String)> {
    let mut pages = vec![("README.md".to_string(), index_page())];
    for (meta, _) in RULES {
        pages.push((format!("{}.md", meta.id), rule_page(meta)));
    }
    pages.push((format!("{}.md", rules::UNUSED_IGNORE), unused_ignore_page()));
    pages
}

/// A rule's page: its id, default level, fix availability and version, then its doc comment
/// with the test markers taken out of the code fences (`ts,expect_diagnostic` becomes `ts`, so
/// that the examples are highlighted).
pub fn rule_page(meta: &RuleMeta) -> String {
    let mut page = format!("{GENERATED}\n\n# `{}`\n\n", meta.id);
    page.push_str(&format!(
        "Default: **{}**. {} Since: {}.\n\n",
        default_level(meta),
        fix_sentence(meta.fix),
        meta.since
    ));
    for line in meta.docs_markdown().trim_end().lines() {
        page.push_str(line.strip_suffix(",expect_diagnostic").unwrap_or(line));
        page.push('\n');
    }
    page
}

fn unused_ignore_page() -> String {
    format!(
        "{GENERATED}\n\n# `{}`\n\nDefault: **{UNUSED_IGNORE_LEVEL}**. {}\n\n{UNUSED_IGNORE_DOCS}\n",
        rules::UNUSED_IGNORE,
        fix_sentence(FixAvailability::Always)
    )
}

fn index_page() -> String {
    let mut page = format!(
        "{GENERATED}\n\n# Rules\n\n`http-status-ls explain <rule>` prints the same pages.\n\n| Rule | Default | What it flags |\n|---|---|---|\n"
    );
    for (meta, _) in RULES {
        page.push_str(&format!(
            "| [`{id}`]({id}.md) | {} | {} |\n",
            default_level(meta),
            meta.summary,
            id = meta.id
        ));
    }
    page.push_str(&format!(
        "| [`{id}`]({id}.md) | {UNUSED_IGNORE_LEVEL} | an ignore comment that silences nothing or names no rule |\n",
        id = rules::UNUSED_IGNORE
    ));
    page
}
