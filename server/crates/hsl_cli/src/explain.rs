//! `http-status-ls explain RULE`: a rule's documentation, from its doc comment.

use std::process::ExitCode;

use hsl_rules::{self as rules, FixAvailability, RULES, RuleMeta};

/// The level a rule reports at unless configured: its severity, or `off` for opt-in rules.
fn default_level(meta: &RuleMeta) -> String {
    if meta.default_enabled {
        meta.default_severity.as_str().to_string()
    } else {
        format!("off; {} when enabled", meta.default_severity.as_str())
    }
}

/// Prints a rule's docs, or the list of rules without an argument.
pub fn run(rule: Option<&str>) -> ExitCode {
    let Some(id) = rule else {
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
        return ExitCode::SUCCESS;
    };
    if id == rules::UNUSED_IGNORE {
        outln!("# {id} (hint; warning for an id that names no rule)\n");
        outln!(
            "An `// http-status-ls-ignore: rule-id` (or `-ignore-file:`) comment that silences nothing, or that names no rule. Stale ignores hide nothing but mislead readers, and a misspelt id silences nothing at all. The safe fix deletes the id (or the whole comment); a misspelt id gets the nearest rule id as a suggestion. An ignore is judged only when its rule ran with everything it needs known. Silence it with `// http-status-ls-ignore: unused-ignore`, or set `unused-ignore = \"off\"` in `[rules]`."
        );
        return ExitCode::SUCCESS;
    }
    let Some(meta) = rules::meta(id) else {
        eprintln!("error: unknown rule `{id}`; known rules:");
        for (meta, _) in RULES {
            eprintln!("  {}", meta.id);
        }
        return ExitCode::from(2);
    };
    let fix = match meta.fix {
        FixAvailability::Always => "Fix is always available.",
        FixAvailability::Sometimes => "Fix is sometimes available.",
        FixAvailability::None => "No fix is available.",
    };
    outln!("# {} ({})\n", meta.id, default_level(meta));
    outln!("{fix}\n");
    outln!("{}", meta.docs_markdown().trim_end());
    outln!("\nDocs: {}", meta.docs_url());
    ExitCode::SUCCESS
}
