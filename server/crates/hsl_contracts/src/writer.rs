//! An OpenAPI 3.1 skeleton written from what the code does: `paths`, each route's method and
//! its responses per status, for `http-status-ls routes --format openapi` to start a contract
//! from.
//!
//! The skeleton is small on purpose: `openapi`, `info`, and per path its path parameters and
//! per method its responses with a description. Routes with the same template (parameter names
//! ignored) share one path item, spelled with the first route's names. A method OpenAPI has no
//! field for (`CONNECT`) is left out, and so is `responses` when a route sends no known status
//! (OpenAPI 3.1 allows that; an empty `responses` it does not). A wildcard becomes a plain
//! parameter, since OpenAPI cannot say "the rest of the path". Every string is written quoted,
//! so the YAML reads the same in any YAML 1.1 or 1.2 parser.

use std::collections::HashMap;
use std::fmt::Write as _;

use hsl_facts::Method;

use crate::model::StatusKey;
use crate::path::{Part, PathTemplate};

/// The `openapi` version a skeleton declares: the first 3.1 release, which every 3.1 tool reads.
pub const SKELETON_OPENAPI_VERSION: &str = "3.1.0";

/// The `info` object OpenAPI requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkeletonInfo {
    pub title: String,
    pub version: String,
}

/// One route as the code registers it, with what it sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkeletonRoute {
    pub method: Method,
    /// The full path, prefixes and mount points joined.
    pub path: PathTemplate,
    pub responses: Vec<SkeletonResponse>,
}

/// A status the route sends and the description OpenAPI requires for it (the caller's words,
/// typically the status's name, `Not Found`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkeletonResponse {
    pub status: StatusKey,
    pub description: String,
}

/// The skeleton as YAML.
pub fn openapi_yaml(info: &SkeletonInfo, routes: &[SkeletonRoute]) -> String {
    let mut out = String::new();
    if let Out::Map(entries) = document(info, routes) {
        write_yaml_entries(&entries, 0, &mut out);
    }
    out
}

/// The skeleton as JSON, for tools that want JSON.
pub fn openapi_json(info: &SkeletonInfo, routes: &[SkeletonRoute]) -> String {
    let mut out = String::new();
    write_json(&document(info, routes), 0, &mut out);
    out.push('\n');
    out
}

/// The document as ordered data, printed by either writer.
enum Out {
    Text(String),
    Bool(bool),
    Map(Vec<(String, Out)>),
    List(Vec<Out>),
}

fn text(value: &str) -> Out {
    Out::Text(value.to_string())
}

/// The path item fields of the methods OpenAPI knows, in its order.
const METHOD_FIELDS: [(Method, &str); 8] = [
    (Method::Get, "get"),
    (Method::Put, "put"),
    (Method::Post, "post"),
    (Method::Delete, "delete"),
    (Method::Options, "options"),
    (Method::Head, "head"),
    (Method::Patch, "patch"),
    (Method::Trace, "trace"),
];

fn document(info: &SkeletonInfo, routes: &[SkeletonRoute]) -> Out {
    let info = Out::Map(vec![
        ("title".to_string(), text(&info.title)),
        ("version".to_string(), text(&info.version)),
    ]);
    let paths = group_by_path(routes).into_iter().map(path_item).collect();
    Out::Map(vec![
        ("openapi".to_string(), text(SKELETON_OPENAPI_VERSION)),
        ("info".to_string(), info),
        ("paths".to_string(), Out::Map(paths)),
    ])
}

/// Routes of one path template: the first route's spelling, and per method the statuses
/// sent, each once, first description kept.
struct PathGroup<'r> {
    path: &'r PathTemplate,
    methods: Vec<(Method, Vec<&'r SkeletonResponse>)>,
}

fn group_by_path(routes: &[SkeletonRoute]) -> Vec<PathGroup<'_>> {
    let mut groups: Vec<PathGroup<'_>> = Vec::new();
    let mut by_template: HashMap<&PathTemplate, usize> = HashMap::new();
    for route in routes {
        if !METHOD_FIELDS
            .iter()
            .any(|(method, _)| *method == route.method)
        {
            continue;
        }
        let group_idx = *by_template.entry(&route.path).or_insert_with(|| {
            groups.push(PathGroup {
                path: &route.path,
                methods: Vec::new(),
            });
            groups.len() - 1
        });
        let Some(group) = groups.get_mut(group_idx) else {
            continue;
        };
        let position = group
            .methods
            .iter()
            .position(|(method, _)| *method == route.method);
        let method_idx = position.unwrap_or_else(|| {
            group.methods.push((route.method, Vec::new()));
            group.methods.len() - 1
        });
        let Some((_, responses)) = group.methods.get_mut(method_idx) else {
            continue;
        };
        for response in &route.responses {
            if !responses.iter().any(|have| have.status == response.status) {
                responses.push(response);
            }
        }
    }
    groups
}

fn path_item(group: PathGroup<'_>) -> (String, Out) {
    let (key, names) = spelled_path(group.path);
    let mut fields = Vec::new();
    if !names.is_empty() {
        fields.push((
            "parameters".to_string(),
            Out::List(names.iter().map(|n| parameter(n)).collect()),
        ));
    }
    for (method, field) in METHOD_FIELDS {
        let Some((_, responses)) = group.methods.iter().find(|(m, _)| *m == method) else {
            continue;
        };
        fields.push((field.to_string(), operation(responses)));
    }
    (key, Out::Map(fields))
}

/// The OpenAPI path key and its parameter names: unnamed parameters become `param1`, `param2`,
/// …, a repeated name gets a number, so that every name is declared once.
fn spelled_path(path: &PathTemplate) -> (String, Vec<String>) {
    let mut key = String::new();
    let mut names: Vec<String> = Vec::new();
    for segment in path.segments() {
        key.push('/');
        for part in &segment.parts {
            let name = match part {
                Part::Literal(literal) => {
                    key.push_str(literal);
                    continue;
                }
                Part::Parameter(name) | Part::Wildcard(name) => name,
            };
            let name = unique_name(name, &names);
            let _ = write!(key, "{{{name}}}");
            names.push(name);
        }
    }
    if key.is_empty() {
        key.push('/');
    }
    (key, names)
}

fn unique_name(name: &str, taken: &[String]) -> String {
    let base = if name.is_empty() { "param" } else { name };
    if !name.is_empty() && !taken.iter().any(|have| have == base) {
        return base.to_string();
    }
    (1..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_default()
}

fn parameter(name: &str) -> Out {
    Out::Map(vec![
        ("name".to_string(), text(name)),
        ("in".to_string(), text("path")),
        ("required".to_string(), Out::Bool(true)),
        (
            "schema".to_string(),
            Out::Map(vec![("type".to_string(), text("string"))]),
        ),
    ])
}

fn operation(responses: &[&SkeletonResponse]) -> Out {
    let mut sorted = responses.to_vec();
    sorted.sort_by_key(|response| response.status);
    if sorted.is_empty() {
        return Out::Map(Vec::new());
    }
    let responses = sorted.iter().map(|response| {
        let description = Out::Map(vec![(
            "description".to_string(),
            text(&response.description),
        )]);
        (response.status.to_string(), description)
    });
    Out::Map(vec![(
        "responses".to_string(),
        Out::Map(responses.collect()),
    )])
}

fn write_yaml_entries(entries: &[(String, Out)], indent: usize, out: &mut String) {
    for (key, value) in entries {
        push_indent(indent, out);
        push_yaml_key(key, out);
        out.push(':');
        write_yaml_value(value, indent, out);
    }
}

/// A value after its key's colon: scalars and empty collections on the same line, others on
/// the lines below, indented.
fn write_yaml_value(value: &Out, indent: usize, out: &mut String) {
    match value {
        Out::Text(text) => {
            out.push(' ');
            push_quoted(text, out);
            out.push('\n');
        }
        Out::Bool(flag) => {
            let _ = writeln!(out, " {flag}");
        }
        Out::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Out::List(items) if items.is_empty() => out.push_str(" []\n"),
        Out::Map(entries) => {
            out.push('\n');
            write_yaml_entries(entries, indent + 2, out);
        }
        Out::List(items) => {
            out.push('\n');
            for item in items {
                write_yaml_item(item, indent + 2, out);
            }
        }
    }
}

/// A list item: `- ` then the item, a mapping's later entries aligned with its first.
fn write_yaml_item(item: &Out, indent: usize, out: &mut String) {
    let mut rendered = String::new();
    match item {
        Out::Map(entries) if !entries.is_empty() => {
            write_yaml_entries(entries, indent + 2, &mut rendered)
        }
        other => {
            let mut line = String::new();
            write_yaml_value(other, indent, &mut line);
            rendered = format!("{}{}", " ".repeat(indent + 2), line.trim_start());
        }
    }
    let body = rendered.get(indent + 2..).unwrap_or_default();
    push_indent(indent, out);
    out.push_str("- ");
    out.push_str(body);
}

fn push_indent(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Field names plain (`openapi`, `get`), every other key quoted (`"/users/{id}"`, `"404"`).
fn push_yaml_key(key: &str, out: &mut String) {
    let mut chars = key.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && !matches!(key, "true" | "false" | "null" | "yes" | "no" | "on" | "off");
    match plain {
        true => out.push_str(key),
        false => push_quoted(key, out),
    }
}

/// A double-quoted string, escaped the way both JSON and YAML read it.
fn push_quoted(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(value: &Out, indent: usize, out: &mut String) {
    match value {
        Out::Text(text) => push_quoted(text, out),
        Out::Bool(flag) => {
            let _ = write!(out, "{flag}");
        }
        Out::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Out::List(items) if items.is_empty() => out.push_str("[]"),
        Out::Map(entries) => {
            out.push_str("{\n");
            for (idx, (key, value)) in entries.iter().enumerate() {
                push_indent(indent + 2, out);
                push_quoted(key, out);
                out.push_str(": ");
                write_json(value, indent + 2, out);
                out.push_str(if idx + 1 < entries.len() { ",\n" } else { "\n" });
            }
            push_indent(indent, out);
            out.push('}');
        }
        Out::List(items) => {
            out.push_str("[\n");
            for (idx, item) in items.iter().enumerate() {
                push_indent(indent + 2, out);
                write_json(item, indent + 2, out);
                out.push_str(if idx + 1 < items.len() { ",\n" } else { "\n" });
            }
            push_indent(indent, out);
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests;
