//! The IANA status-code registry and our own documentation for each code.
//!
//! Both come from `grammars-config/status-codes/` (the registry CSV and `docs.toml`), embedded at
//! build time, so that hover, `codes`, messages and fixes all speak from one table.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const REGISTRY_CSV: &str = include_str!("../../../../grammars-config/status-codes/registry.csv");
const DOCS_TOML: &str = include_str!("../../../../grammars-config/status-codes/docs.toml");

/// How IANA lists a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registration {
    Assigned,
    /// A provisional registration with an expiry date (104).
    Temporary,
    /// Registered but deprecated (305).
    Deprecated,
    /// Reserved and unused (306, 418).
    ReservedUnused,
    /// Obsoleted (510).
    Obsoleted,
    /// Not in the registry; listed because a library defines it (509).
    NotRegistered,
}

/// The class a code belongs to (RFC 9110 §15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Informational,
    Successful,
    Redirection,
    ClientError,
    ServerError,
}

impl Class {
    /// The class of any code in 100..=599, `None` outside it.
    pub fn of(code: u16) -> Option<Class> {
        match code {
            100..=199 => Some(Class::Informational),
            200..=299 => Some(Class::Successful),
            300..=399 => Some(Class::Redirection),
            400..=499 => Some(Class::ClientError),
            500..=599 => Some(Class::ServerError),
            _ => None,
        }
    }

    /// The class name as RFC 9110 writes it.
    pub fn label(self) -> &'static str {
        match self {
            Class::Informational => "1xx Informational",
            Class::Successful => "2xx Successful",
            Class::Redirection => "3xx Redirection",
            Class::ClientError => "4xx Client Error",
            Class::ServerError => "5xx Server Error",
        }
    }
}

/// One row of the registry with our documentation.
#[derive(Debug)]
pub struct StatusEntry {
    pub code: u16,
    /// IANA's name, without registration remarks ("Content Too Large", "(Unused)").
    pub name: String,
    pub registration: Registration,
    /// IANA's reference, e.g. `[RFC9110, Section 15.4.3]`.
    pub reference: String,
    /// Every registry column by header, for the constant families (`http_crate_const`).
    pub columns: BTreeMap<String, String>,
    pub docs: Option<StatusDocs>,
}

impl StatusEntry {
    /// Whether IANA lists the code at all, in any state (assigned, temporary, deprecated,
    /// reserved, obsoleted); only rows a library adds on its own (`509`) are not. Codes the
    /// registry lists but retires are [`StatusEntry::is_retired`].
    pub fn is_registered(&self) -> bool {
        !matches!(self.registration, Registration::NotRegistered)
    }

    /// Whether IANA lists the code but no longer gives it a use: deprecated (`305`), reserved
    /// and unused (`306`, `418`) or obsoleted (`510`). `deprecated-status-code` reports these.
    pub fn is_retired(&self) -> bool {
        matches!(
            self.registration,
            Registration::Deprecated | Registration::ReservedUnused | Registration::Obsoleted
        )
    }

    /// A registry column's value, `None` when empty.
    pub fn column(&self, name: &str) -> Option<&str> {
        self.columns
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }
}

/// Our prose for a code (`grammars-config/status-codes/docs.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusDocs {
    pub code: u16,
    pub meaning: String,
    pub cacheable: bool,
    pub retried: bool,
    /// The framework or the layers around a handler (validation, authentication,
    /// negotiation, conditional and partial requests, rate limits, time-outs, proxies) answer
    /// it without the handler spelling it, so a contract may rightly declare it for a handler
    /// that never sends it.
    #[serde(default)]
    pub answered_around: bool,
    pub headers: Vec<String>,
    pub misuses: Vec<String>,
    pub instead: String,
    pub rfc: String,
    pub rfc_url: String,
    pub mdn: String,
}

#[derive(Deserialize)]
struct DocsFile {
    code: Vec<StatusDocs>,
}

/// The registry, parsed once.
pub fn registry() -> &'static [StatusEntry] {
    static REGISTRY: OnceLock<Vec<StatusEntry>> = OnceLock::new();
    REGISTRY.get_or_init(|| build(REGISTRY_CSV, DOCS_TOML))
}

/// The entry for a code, when the registry lists it.
pub fn lookup(code: u16) -> Option<&'static StatusEntry> {
    registry().iter().find(|entry| entry.code == code)
}

/// The code whose entry has `value` in `column` (a family's constant name → code).
pub fn by_column(column: &str, value: &str) -> Option<&'static StatusEntry> {
    registry()
        .iter()
        .find(|entry| entry.column(column) == Some(value))
}

/// Whether the framework or the layers around a handler answer `code` on the handler's behalf
/// (`docs.toml`'s `answered_around`): `401` from an authentication guard, `422` from a
/// validation pipe, `304` from a conditional-request layer, the default `200`.
pub fn answered_around(code: u16) -> bool {
    lookup(code)
        .and_then(|entry| entry.docs.as_ref())
        .is_some_and(|docs| docs.answered_around)
}

/// A short label for messages: `302 Found`; unknown codes are just the number.
pub fn label(code: u16) -> String {
    match lookup(code) {
        Some(entry) if entry.is_registered() => format!("{code} {}", entry.name),
        _ => code.to_string(),
    }
}

fn build(csv: &str, docs_toml: &str) -> Vec<StatusEntry> {
    let mut docs: BTreeMap<u16, StatusDocs> = match toml::from_str::<DocsFile>(docs_toml) {
        Ok(file) => file.code.into_iter().map(|doc| (doc.code, doc)).collect(),
        Err(err) => {
            eprintln!("http-status-ls: bad embedded status docs: {err}");
            BTreeMap::new()
        }
    };
    let mut rows = csv.lines().map(split_csv_line);
    let Some(header) = rows.next() else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    for row in rows {
        let columns: BTreeMap<String, String> = header.iter().cloned().zip(row).collect();
        let Some(code) = columns
            .get("code")
            .and_then(|code| code.parse::<u16>().ok())
        else {
            continue;
        };
        let raw_name = columns
            .get("reason_phrase_iana")
            .cloned()
            .unwrap_or_default();
        let status = columns.get("status").map(String::as_str).unwrap_or("");
        let registration = match status {
            "temporary" => Registration::Temporary,
            "deprecated" => Registration::Deprecated,
            "reserved-unused" => Registration::ReservedUnused,
            "obsoleted" => Registration::Obsoleted,
            "not-registered" => Registration::NotRegistered,
            _ => Registration::Assigned,
        };
        let name = clean_name(&raw_name, &columns);
        entries.push(StatusEntry {
            code,
            name,
            registration,
            reference: columns.get("reference_iana").cloned().unwrap_or_default(),
            docs: docs.remove(&code),
            columns,
        });
    }
    entries.sort_by_key(|entry| entry.code);
    entries
}

/// IANA writes remarks into names ("… (TEMPORARY - registered …)", "Not Extended (OBSOLETED)");
/// messages want the name alone. An unregistered code borrows a library's phrase, marked so.
fn clean_name(raw: &str, columns: &BTreeMap<String, String>) -> String {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        let borrowed = columns
            .get("node20_phrase")
            .or_else(|| columns.get("python311_phrase"))
            .map(String::as_str)
            .unwrap_or("Unregistered");
        return format!("{borrowed} (unregistered)");
    }
    for marker in [" (TEMPORARY", " (OBSOLETED"] {
        if let Some((name, _)) = trimmed.split_once(marker) {
            return name.to_string();
        }
    }
    trimmed.to_string()
}

/// Splits one CSV line with RFC 4180 quoting (`"a, b"`, `""` for a quote).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) => in_quotes = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (other, _) => field.push(other),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_not_library_phrases() {
        assert_eq!(
            lookup(413).map(|e| e.name.as_str()),
            Some("Content Too Large")
        );
        assert_eq!(
            lookup(422).map(|e| e.name.as_str()),
            Some("Unprocessable Content")
        );
        assert_eq!(
            lookup(104).map(|e| e.name.as_str()),
            Some("Upload Resumption Supported")
        );
        assert_eq!(lookup(510).map(|e| e.name.as_str()), Some("Not Extended"));
    }

    #[test]
    fn every_registry_row_is_loaded_with_docs() {
        let rows = REGISTRY_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .count();
        assert_eq!(registry().len(), rows);
        for entry in registry() {
            assert!(entry.docs.is_some(), "no docs for {}", entry.code);
        }
    }

    #[test]
    fn quoted_csv_fields_keep_commas() {
        let fields = split_csv_line(r#"100,"a, ""b""",c"#);
        assert_eq!(fields, vec!["100", r#"a, "b""#, "c"]);
    }

    #[test]
    fn unregistered_code_is_marked() {
        let entry = lookup(509).expect("509 row");
        assert!(!entry.is_registered());
        assert!(entry.name.contains("unregistered"));
    }

    #[test]
    fn constant_column_maps_back_to_code() {
        assert_eq!(
            by_column("http_crate_const", "SEE_OTHER").map(|e| e.code),
            Some(303)
        );
        assert_eq!(
            by_column("http_crate_const", "PAYLOAD_TOO_LARGE").map(|e| e.code),
            Some(413)
        );
    }

    #[test]
    fn answered_around_marks_the_statuses_layers_send_for_a_handler() {
        for code in [200, 206, 304, 401, 403, 422, 429, 503] {
            assert!(answered_around(code), "{code}");
        }
        for code in [201, 204, 302, 404, 409, 410, 999] {
            assert!(!answered_around(code), "{code}");
        }
    }

    #[test]
    fn docs_cache_and_retry_flags_follow_rfc_lists() {
        let cacheable = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501];
        let retried = [408, 425, 429, 500, 502, 503, 504];
        for entry in registry() {
            let docs = entry.docs.as_ref().expect("docs");
            assert_eq!(
                docs.cacheable,
                cacheable.contains(&entry.code),
                "{}",
                entry.code
            );
            assert_eq!(
                docs.retried,
                retried.contains(&entry.code),
                "{}",
                entry.code
            );
        }
    }
}
