//! The engine's findings as LSP diagnostics: ranges in the negotiated encoding, the rule's id
//! and documentation link, related information in this file or another, and the `data` a
//! code action reads back.

use std::collections::HashMap;
use std::path::PathBuf;

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use super::convert::{self, Encoding};
use super::document::{Checked, Parsed};
use super::session::{SOURCE, Session};
use hsl_rules::{self as rules, Finding, Related, Severity};

/// The protocol's severity of a finding's level.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Converts one document's findings; other files named by related information are read once
/// per call (from their open document, else the disk).
struct Converter<'a> {
    session: &'a Session,
    encoding: Encoding,
    analysed: &'a Parsed,
    own_uri: Option<Uri>,
    others: HashMap<PathBuf, Option<Rope>>,
    /// Each rule's documentation link, parsed once per publication rather than per finding.
    docs: HashMap<&'static str, Option<Uri>>,
}

/// The diagnostics of a document's findings.
pub fn diagnostics(session: &Session, checked: &Checked) -> Vec<Diagnostic> {
    let analysed = &checked.parsed;
    let mut converter = Converter {
        session,
        encoding: session.encoding(),
        analysed,
        own_uri: Uri::from_file_path(&analysed.file.path),
        others: HashMap::new(),
        docs: HashMap::new(),
    };
    checked
        .findings
        .iter()
        .map(|finding| converter.diagnostic(finding))
        .collect()
}

impl Converter<'_> {
    fn diagnostic(&mut self, finding: &Finding) -> Diagnostic {
        let related: Vec<DiagnosticRelatedInformation> = finding
            .related
            .iter()
            .filter_map(|related| self.related(related))
            .collect();
        let href = self
            .docs
            .entry(finding.rule)
            .or_insert_with(|| {
                rules::meta(finding.rule).and_then(|meta| meta.docs_url().parse::<Uri>().ok())
            })
            .clone();
        Diagnostic {
            range: self.analysed.range(&finding.range, self.encoding),
            // Levels were applied when the rules ran (`Effective::selection`).
            severity: Some(severity(finding.severity)),
            code: Some(NumberOrString::String(finding.rule.to_string())),
            code_description: href.map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_string()),
            message: finding.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            // Read back by code actions, which answer only for the text the diagnostic is of.
            data: Some(json!({
                "version": self.analysed.version,
                "generation": self.analysed.generation,
                "rule": finding.rule,
            })),
        }
    }

    /// A note in this file, or in another one: then its message names that file relative to
    /// the workspace folder, since editors show only the file name beside a note (two
    /// `cart.js` in one app are common).
    fn related(&mut self, related: &Related) -> Option<DiagnosticRelatedInformation> {
        let (uri, range, message) = match &related.location.path {
            None => (
                self.own_uri.clone()?,
                self.analysed.range(&related.location.range, self.encoding),
                related.message.clone(),
            ),
            Some(path) => {
                let session = self.session;
                let rope = self
                    .others
                    .entry(path.clone())
                    .or_insert_with(|| session.rope_of(path))
                    .as_ref()?;
                let range = convert::range(rope, &related.location.range, self.encoding);
                let (line, column) = line_and_character(rope, related.location.range.start);
                let message = format!(
                    "{} at {}:{line}:{column}",
                    related.message,
                    session.display_path(path)
                );
                (Uri::from_file_path(path)?, range, message)
            }
        };
        Some(DiagnosticRelatedInformation {
            location: Location { uri, range },
            message,
        })
    }
}

/// The 1-based line and character (Unicode scalar values, as `check` prints them) of a byte
/// offset.
fn line_and_character(rope: &Rope, offset: usize) -> (usize, usize) {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let character = rope.byte_to_char(offset) - rope.line_to_char(line);
    (line + 1, character + 1)
}
