//! `http-status-ls explain RULE`: a rule's documentation, from its doc comment.

use std::process::ExitCode;

use crate::rules::{self, FixAvailability, RULES};

/// Prints a rule's docs, or the list of rules without an argument.
pub fn run(rule: Option<&str>) -> ExitCode {
    let Some(id) = rule else {
        for (meta, _) in RULES {
            println!(
                "{:<28} {:<8} {}",
                meta.id,
                meta.default_severity.as_str(),
                meta.summary
            );
        }
        return ExitCode::SUCCESS;
    };
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
    println!("# {} ({})\n", meta.id, meta.default_severity.as_str());
    println!("{fix}\n");
    println!("{}", meta.docs_markdown().trim_end());
    println!("\nDocs: {}", meta.docs_url());
    ExitCode::SUCCESS
}
