//! The rule pages under `docs/rules/`: generated from the rules' doc comments, and the target
//! of every documentation link the binary prints.

use std::collections::BTreeSet;
use std::path::Path;

use super::support::{binary, run_in, scratch};
use super::{apps, json_findings, repo, stdout};

/// `https://github.com/<owner>/<repo>/blob/main/`: the links name files on the default branch.
fn repository_path(url: &str) -> String {
    let rest = url
        .strip_prefix("https://github.com/")
        .unwrap_or_else(|| panic!("{url}: not a GitHub link"));
    let mut parts = rest.splitn(5, '/');
    let (_owner, _repo, blob, branch) = (parts.next(), parts.next(), parts.next(), parts.next());
    assert_eq!((blob, branch), (Some("blob"), Some("main")), "{url}");
    parts.next().unwrap_or_default().to_string()
}

/// Every link must name a page that exists in this repository.
fn assert_page_exists(url: &str) {
    let path = repository_path(url);
    assert!(
        path.starts_with("docs/rules/") && repo().join(&path).is_file(),
        "{url} names {path}, which is not a file in the repository"
    );
}

#[test]
fn rule_pages_match_the_rules() {
    let dir = repo().join(hsl_cli::docs::PAGES_DIR);
    let pages = hsl_cli::docs::pages();
    let expected: BTreeSet<String> = pages.iter().map(|(name, _)| name.clone()).collect();
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    if std::env::var_os("HTTP_STATUS_LS_BLESS").is_some() {
        std::fs::create_dir_all(&dir).expect("docs/rules");
        for stale in present.difference(&expected) {
            std::fs::remove_file(dir.join(stale)).expect("remove a page for no rule");
        }
        for (name, text) in &pages {
            std::fs::write(dir.join(name), text).expect("write a page");
        }
        return;
    }
    let regenerate = "regenerate the pages from the rules' doc comments: HTTP_STATUS_LS_BLESS=1 cargo test --test cli rule_pages";
    let missing: Vec<_> = expected.difference(&present).collect();
    assert!(
        missing.is_empty(),
        "missing pages {missing:?}; {regenerate}"
    );
    let orphans: Vec<_> = present.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "pages for no rule {orphans:?}; {regenerate}"
    );
    for (name, text) in &pages {
        let on_disk = std::fs::read_to_string(dir.join(name)).expect("page");
        assert!(on_disk == *text, "docs/rules/{name} is stale; {regenerate}");
    }
}

#[test]
fn every_documentation_link_names_a_page_in_the_repository() {
    // JSON `docs_url` and SARIF `helpUri` of every finding of the example apps.
    let mut urls = BTreeSet::new();
    for dir in apps() {
        for finding in json_findings(&run_in(&dir, &["check", "--format", "json", "."])) {
            urls.insert(finding["docs_url"].as_str().unwrap_or_default().to_string());
        }
        let sarif = run_in(&dir, &["check", "--format", "sarif", "."]);
        let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
        for rule in log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
        {
            urls.insert(rule["helpUri"].as_str().unwrap_or_default().to_string());
        }
    }
    // An `unused-ignore` finding links to its page too.
    let dir = scratch("docs-unused-ignore");
    std::fs::write(
        dir.join("a.js"),
        "// http-status-ls-ignore: body-on-bodiless-status\nres.status(200).send('ok');\n",
    )
    .expect("write");
    let unused = json_findings(&run_in(&dir, &["check", "--format", "json"]));
    assert_eq!(unused[0]["rule"], "unused-ignore", "{unused:#?}");
    urls.insert(
        unused[0]["docs_url"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
    // `explain`'s footer, for every rule.
    let all = binary().args(["explain", "--all"]).output().expect("runs");
    for line in stdout(&all).lines() {
        if let Some(url) = line.strip_prefix("Docs: ") {
            urls.insert(url.to_string());
        }
    }
    let rules = hsl_rules::RULES.len() + 1;
    assert!(urls.len() >= rules, "{urls:#?}");
    for url in &urls {
        assert_page_exists(url);
    }
}

#[test]
fn explain_all_prints_every_rule() {
    let help = binary().args(["explain", "--help"]).output().expect("runs");
    assert!(stdout(&help).contains("--all"));
    let output = binary().args(["explain", "--all"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{:?}", output);
    let text = stdout(&output);
    for (meta, _) in hsl_rules::RULES {
        assert!(text.contains(&format!("# {} (", meta.id)), "{}", meta.id);
        let docs_url = meta.docs_url();
        assert!(text.contains(&format!("Docs: {docs_url}")), "{}", meta.id);
    }
    assert!(text.contains("# unused-ignore ("));
    let footers = text.lines().filter(|l| l.starts_with("Docs: ")).count();
    assert_eq!(footers, hsl_rules::RULES.len() + 1);
    let both = binary()
        .args(["explain", "--all", "redirect-changes-method"])
        .output()
        .expect("runs");
    assert_eq!(both.status.code(), Some(2), "a rule or --all, not both");
    assert!(Path::new(&repo()).join("docs/rules/README.md").is_file());
}
