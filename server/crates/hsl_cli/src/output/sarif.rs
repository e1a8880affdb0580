//! `--format sarif`: SARIF 2.1.0 with rule metadata (`helpUri`), fixes and related locations.
//! Columns are Unicode code points (`columnKind: unicodeCodePoints`).

use serde_json::{Value, json};

use super::{FileView, percent_encoded as uri};
use hsl_rules::{self as rules, RULES, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn region(
    (start_line, start_column): (usize, usize),
    (end_line, end_column): (usize, usize),
) -> Value {
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

/// Renders a SARIF 2.1.0 log; `root_uri` is the `%SRCROOT%` base the relative URIs are under.
pub fn render(files: &[FileView], root_uri: &str) -> String {
    let driver_rules: Vec<Value> = RULES
        .iter()
        .map(|(meta, _)| {
            json!({
                "id": meta.id,
                "name": meta.id,
                "shortDescription": { "text": meta.summary },
                "fullDescription": { "text": meta.docs_markdown().lines().next().unwrap_or("").trim() },
                "help": { "text": meta.docs_markdown(), "markdown": meta.docs_markdown() },
                "helpUri": meta.docs_url(),
                "defaultConfiguration": { "level": level(meta.default_severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        for finding in &file.findings {
            let rule_index = RULES.iter().position(|(meta, _)| meta.id == finding.rule);
            let location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&file.name), "uriBaseId": "%SRCROOT%" },
                    "region": region(finding.start, finding.end),
                }
            });
            let related: Vec<Value> = finding
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    json!({
                        "id": id,
                        "message": { "text": related.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&related.name), "uriBaseId": "%SRCROOT%" },
                            "region": region(related.start, related.end),
                        }
                    })
                })
                .collect();
            let fixes: Vec<Value> = finding
                .fixes
                .iter()
                .map(|fix| {
                    json!({
                        "description": { "text": format!("{} ({})", fix.title, fix.applicability) },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": uri(&file.name), "uriBaseId": "%SRCROOT%" },
                            "replacements": fix.edits.iter().map(|edit| json!({
                                "deletedRegion": region(edit.start, edit.end),
                                "insertedContent": { "text": edit.new_text },
                            })).collect::<Vec<_>>(),
                        }],
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": { "text": finding.message },
                "locations": [location],
            });
            if let Some(index) = rule_index {
                result["ruleIndex"] = json!(index);
            }
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            if !fixes.is_empty() {
                result["fixes"] = json!(fixes);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "http-status-ls",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": rules::DOCS_BASE.trim_end_matches("docs/rules/"),
                    "rules": driver_rules,
                }
            },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root_uri } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::uri;
    use std::path::Path;

    #[test]
    fn paths_become_valid_uri_references() {
        assert_eq!(
            uri(Path::new("app/items/[id]/route.ts")),
            "app/items/%5Bid%5D/route.ts"
        );
        assert_eq!(uri(Path::new("a b/é.js")), "a%20b/%C3%A9.js");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9/%41.js");
        assert_eq!(uri(Path::new(name)), "caf%E9/%2541.js");
    }
}
