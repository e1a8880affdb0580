//! The rule catalogue: one file per rule, each a pure function from facts to findings.
//!
//! Rules know no tree-sitter node kind and no LSP type, and do no IO. Each rule's doc comment is
//! its user documentation: `http-status-ls explain <id>` prints it and the docs URL shows it.

mod body_on_bodiless_status;
mod conditions;
mod created_without_location;
mod declared_status_unsent;
mod deprecated_status_code;
mod error_body_on_success;
mod forbidden_as_unauthorized;
mod invalid_status_code;
mod method_not_allowed_without_allow;
mod numeric_status_literal;
mod redirect_changes_method;
mod redirect_without_location;
mod retry_after_missing;
mod server_error_for_client_fault;
mod success_in_error_handler;
mod unauthenticated_as_forbidden;
mod unauthorized_without_challenge;
mod undeclared_status;
mod validation_error_as_bad_request;
mod vocabulary;

use hsl_facts::{ByteRange, FileFacts, Location, ResolvedMethod};
use hsl_fixes::Fix;

pub use body_on_bodiless_status::BodyOnBodilessStatus;
pub use invalid_status_code::InvalidStatusCode;
pub use redirect_changes_method::RedirectChangesMethod;

/// Declares a rule struct whose doc comment is also available as `DOCS` at run time, so the
/// comment a developer reads in the source is the page a user reads in `explain`.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident;) => {
        $(#[doc = $doc])*
        pub struct $name;
        impl $name {
            /// The rule's documentation, from its doc comment.
            pub const DOCS: &'static str = concat!($($doc, "\n"),*);
        }
    };
}
pub(crate) use declare_rule;

/// How loudly a finding is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// Whether a rule's findings come with fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// What the registry knows of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case; names the flagged pattern, never the fix.
    pub id: &'static str,
    /// One line, for tables and SARIF `shortDescription`.
    pub summary: &'static str,
    pub default_severity: Severity,
    pub fix: FixAvailability,
    /// Frameworks with positive and negative fixtures (a test checks them).
    pub frameworks: Frameworks,
    /// The doc comment, from [`declare_rule!`].
    pub docs: &'static str,
    /// `"next"` until a release stamps it.
    pub since: &'static str,
    /// Whether the rule runs when configuration does not mention it (`numeric-status-literal`
    /// is opt-in).
    pub default_enabled: bool,
    /// Codes for which the rule consults the handler's method; the CLI's cross-file index only
    /// looks for registrations of handlers that send one of these.
    pub method_codes: &'static [u16],
}

impl RuleMeta {
    /// Where the rule's documentation lives online (the `codeDescription.href`, SARIF `helpUri`).
    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE}{}.md", self.id)
    }

    /// The documentation as plain markdown (one leading space of each doc line removed).
    pub fn docs_markdown(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The frameworks a rule claims, by table id: every framework of its own (a table with
/// `fixtures = "every-rule"`, the default) but `except`, and the libraries in `also`. Derived
/// from the tables, so a new framework table is claimed by every rule, whose fixture test then
/// asks for its fixtures.
#[derive(Debug)]
pub struct Frameworks {
    /// Frameworks whose code cannot show the problem.
    pub except: &'static [&'static str],
    /// Libraries (`fixtures = "some-rules"`) whose code can.
    pub also: &'static [&'static str],
}

impl Frameworks {
    /// The table ids, in the tables' order, then `also`.
    pub fn ids(&self) -> Vec<&'static str> {
        hsl_tables::Tables::get()
            .frameworks
            .iter()
            .filter(|table| table.fixtures == hsl_tables::Fixtures::EveryRule)
            .map(|table| table.id.as_str())
            .filter(|id| !self.except.contains(id))
            .chain(self.also.iter().copied())
            .collect()
    }
}

/// Every framework of its own, for rules that apply to all of them (a test checks that each
/// table in `grammars-config/frameworks/` is claimed by some rule).
pub(crate) const EVERY_FRAMEWORK: Frameworks = Frameworks {
    except: &[],
    also: &[],
};

/// Base of the rule documentation pages.
pub const DOCS_BASE: &str =
    "https://github.com/http-status-ls/http-status-ls/blob/main/docs/rules/";

/// A secondary location with a note ("`POST` handler: registered here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// One reported problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub range: ByteRange,
    pub message: String,
    pub fixes: Vec<Fix>,
    pub related: Vec<Related>,
}

impl Finding {
    /// A finding on a response's status at the rule's default severity, with the one fix
    /// "use this other code" when the site's idiom can write it.
    pub fn use_instead(
        ctx: &RuleContext<'_>,
        meta: &RuleMeta,
        response: &hsl_facts::Response,
        code: u16,
        message: String,
    ) -> Finding {
        Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: response.status.range.clone(),
            message,
            fixes: hsl_fixes::use_code(ctx.facts, &response.status, code)
                .into_iter()
                .collect(),
            related: Vec::new(),
        }
    }
}

/// What a rule sees: the file's facts and each handler's methods, resolved across files.
pub struct RuleContext<'a> {
    pub facts: &'a FileFacts,
    /// The file's text, for reading the source of a range the facts point at (a condition, a
    /// body expression); rules never parse it.
    pub text: &'a str,
    /// Indexed like `facts.handlers`.
    pub handler_methods: &'a [Vec<ResolvedMethod>],
    /// The routes this file's handlers serve that a contract documents, with what it declares
    /// (empty when the project has no contract).
    pub contracts: &'a [hsl_facts::RouteContract],
    /// The routes this file's handlers serve whose whole path the workspace knows (empty when
    /// the caller did not compute them).
    pub routes: &'a [hsl_facts::HandlerRoute],
}

impl RuleContext<'_> {
    /// The responses that set `code` (not the ones that only mention it).
    pub fn setting(&self, code: u16) -> impl Iterator<Item = &hsl_facts::Response> {
        self.facts.responses.iter().filter(move |response| {
            response.role == hsl_facts::SiteRole::Sets && response.status.code == Some(code)
        })
    }

    /// The methods of a handler, empty when unknown.
    pub fn methods_of(&self, handler: Option<usize>) -> &[ResolvedMethod] {
        handler
            .and_then(|id| self.handler_methods.get(id))
            .map_or(&[], Vec::as_slice)
    }
}

/// The literal strings a response's body shows: the string values of a literal object, or the
/// strings of an expression body (`"not found"`, `Json(json!({ "error": "x" }))`).
pub(crate) fn body_strings(response: &hsl_facts::Response) -> Vec<String> {
    match &response.body {
        hsl_facts::Body::Object(object) => object
            .entries
            .iter()
            .filter_map(|(_, value)| match value {
                hsl_facts::LiteralValue::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        hsl_facts::Body::Opaque { words, .. } => words.strings.clone(),
        hsl_facts::Body::Unknown | hsl_facts::Body::None | hsl_facts::Body::Empty => Vec::new(),
    }
}

/// The language family of the code a response is written in, from the table that recognised
/// its status site; `None` when no table claims it.
pub(crate) fn language_family(response: &hsl_facts::Response) -> Option<hsl_facts::Family> {
    hsl_tables::Tables::get()
        .framework(&response.status.framework)
        .map(|table| table.language)
}

/// A rule's check function.
pub type Check = fn(&RuleContext<'_>, &RuleMeta) -> Vec<Finding>;

/// Findings for responses that set one of `codes` and are proven to lack `header`: the shared
/// core of the rules about a header a status requires. `message` gets the code; `fixes` gets
/// the response (most of these rules have none).
pub(crate) fn missing_header(
    ctx: &RuleContext<'_>,
    meta: &RuleMeta,
    codes: &[u16],
    header: &str,
    message: impl Fn(u16) -> String,
    fixes: impl Fn(&hsl_facts::Response) -> Vec<Fix>,
) -> Vec<Finding> {
    ctx.facts
        .responses
        .iter()
        .filter(|response| response.role == hsl_facts::SiteRole::Sets)
        .filter_map(|response| {
            let code = response.status.code.filter(|code| codes.contains(code))?;
            response.lacks_header(header).then(|| Finding {
                rule: meta.id,
                severity: meta.default_severity,
                range: response.status.range.clone(),
                message: message(code),
                fixes: fixes(response),
                related: Vec::new(),
            })
        })
        .collect()
}

/// Every rule, once.
pub static RULES: &[(&RuleMeta, Check)] = &[
    (
        &redirect_changes_method::META,
        redirect_changes_method::check,
    ),
    (&error_body_on_success::META, error_body_on_success::check),
    (
        &body_on_bodiless_status::META,
        body_on_bodiless_status::check,
    ),
    (
        &redirect_without_location::META,
        redirect_without_location::check,
    ),
    (
        &created_without_location::META,
        created_without_location::check,
    ),
    (
        &method_not_allowed_without_allow::META,
        method_not_allowed_without_allow::check,
    ),
    (
        &unauthorized_without_challenge::META,
        unauthorized_without_challenge::check,
    ),
    (&retry_after_missing::META, retry_after_missing::check),
    (
        &forbidden_as_unauthorized::META,
        forbidden_as_unauthorized::check,
    ),
    (
        &unauthenticated_as_forbidden::META,
        unauthenticated_as_forbidden::check,
    ),
    (
        &validation_error_as_bad_request::META,
        validation_error_as_bad_request::check,
    ),
    (
        &server_error_for_client_fault::META,
        server_error_for_client_fault::check,
    ),
    (
        &success_in_error_handler::META,
        success_in_error_handler::check,
    ),
    (&invalid_status_code::META, invalid_status_code::check),
    (&deprecated_status_code::META, deprecated_status_code::check),
    (&numeric_status_literal::META, numeric_status_literal::check),
    (&undeclared_status::META, undeclared_status::check),
    (&declared_status_unsent::META, declared_status_unsent::check),
];

/// The id of findings about ignore comments themselves (a stale or misspelt ignore). It is
/// not a rule in [`RULES`] (the analysis layer reports it after suppression), but
/// configuration levels it like one.
pub const UNUSED_IGNORE: &str = "unused-ignore";

/// Whether configuration may name `id`: a rule, or [`UNUSED_IGNORE`].
pub fn is_configurable(id: &str) -> bool {
    id == UNUSED_IGNORE || meta(id).is_some()
}

/// A rule's metadata by id.
pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|(meta, _)| *meta)
        .find(|meta| meta.id == id)
}

/// Whether any rule needs to know the method of a handler sending `code`.
pub fn needs_method(code: u16) -> bool {
    RULES
        .iter()
        .any(|(meta, _)| meta.method_codes.contains(&code))
}

/// Runs the rules `enabled` selects (configuration decides), in catalogue order.
pub fn run_selected(ctx: &RuleContext<'_>, enabled: impl Fn(&RuleMeta) -> bool) -> Vec<Finding> {
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter(|(meta, _)| enabled(meta))
        .flat_map(|(meta, check)| check(ctx, meta))
        .collect();
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
    });
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for (meta, _) in RULES {
            assert!(seen.insert(meta.id), "duplicate {}", meta.id);
            assert!(
                meta.id
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                meta.id
            );
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in std::fs::read_dir(dir).expect("rules dir").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if matches!(name.as_str(), "lib.rs" | "vocabulary.rs") || !name.ends_with(".rs") {
                continue;
            }
            let id = name.trim_end_matches(".rs").replace('_', "-");
            assert!(meta(&id).is_some(), "{name} is not in RULES");
        }
    }

    /// A framework table no rule claims would have no fixtures; tables with `fixtures =
    /// "other-tables"` (the `http` crate's types, Next.js's Pages Router) are covered through
    /// the frameworks that use them.
    #[test]
    fn every_framework_table_is_claimed_by_a_rule() {
        for framework in &hsl_tables::Tables::get().frameworks {
            if framework.fixtures == hsl_tables::Fixtures::OtherTables {
                continue;
            }
            assert!(
                RULES
                    .iter()
                    .any(|(meta, _)| meta.frameworks.ids().contains(&framework.id.as_str())),
                "no rule lists framework `{}`",
                framework.id
            );
        }
    }

    /// A rule's exceptions are frameworks every rule claims, and its additions libraries that
    /// only some do: anything else is a misspelled id or a table whose `fixtures` changed.
    #[test]
    fn claimed_exceptions_and_additions_name_tables_of_their_kind() {
        let tables = hsl_tables::Tables::get();
        let fixtures = |id: &str| tables.framework(id).map(|table| table.fixtures);
        for (meta, _) in RULES {
            for id in meta.frameworks.except {
                assert_eq!(
                    fixtures(id),
                    Some(hsl_tables::Fixtures::EveryRule),
                    "{}: except `{id}`",
                    meta.id
                );
            }
            for id in meta.frameworks.also {
                assert_eq!(
                    fixtures(id),
                    Some(hsl_tables::Fixtures::SomeRules),
                    "{}: also `{id}`",
                    meta.id
                );
            }
        }
    }

    #[test]
    fn docs_have_every_section() {
        for (meta, _) in RULES {
            let docs = meta.docs_markdown();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
                "## When it stays silent",
                "## References",
            ] {
                assert!(docs.contains(section), "{} lacks {section}", meta.id);
            }
            if meta.fix != FixAvailability::None {
                assert!(
                    docs.contains("## Fix safety"),
                    "{} lacks ## Fix safety",
                    meta.id
                );
            }
            assert!(!meta.summary.ends_with('.'), "{}", meta.id);
        }
    }
}
