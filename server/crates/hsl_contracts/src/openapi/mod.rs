//! OpenAPI documents read into a [`Contract`]: OpenAPI 3.0 and 3.1 (3.2 reads as 3.1) and
//! Swagger 2.0, in YAML or JSON.
//!
//! What is read: `paths` → one [`Operation`] per method field (`get`, `put`, `post`, `delete`,
//! `options`, `head`, `patch`, `trace`), each with its response keys; a path item's `$ref` and a
//! response's `$ref` within the document; `servers` at the document, path and operation levels
//! (`basePath` in Swagger 2.0) as base paths. Not read: schemas, parameters, bodies, callbacks,
//! webhooks, references to other documents (reported where they hide operations).
//!
//! Reading never stops at a bad part: an operation that cannot be read is skipped with a
//! [`Problem`] and the others still load. Only text that is not YAML (or JSON) at all, or a
//! document that is not OpenAPI, gives no contract: a half-read document would make every
//! status its lost part declares look undeclared.

mod servers;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hsl_facts::Method;

use crate::model::{
    Contract, DeclaredStatus, Format, Operation, Place, Position, Problem, Source, StatusKey,
};
use crate::path::PathTemplate;
use crate::refs::{Followed, Resolver};
use crate::tree::{self, NodeId, Tree};

/// A read contract source: the contract, when there is one, and every problem met on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub contract: Option<Contract>,
    pub problems: Vec<Problem>,
}

/// A document with thousands of bad parts lists this many, then says how many more there are.
const MAX_PROBLEMS: usize = 100;

/// Reading may look at this many entries per node of the document (plus a constant): a
/// document read once needs a handful; only aliases and merge keys that repeat large parts
/// of a document again and again reach it.
const WORK_PER_NODE: u64 = 64;
const WORK_BASE: u64 = 100_000;

/// The path item fields that are operations, in the order OpenAPI lists them.
const METHOD_FIELDS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

/// Reads an OpenAPI document's text; `file` is where it came from, for the contract's source
/// and the problems' positions (and `.json` names the syntax in messages).
pub fn read_document(file: &Path, text: &str) -> Loaded {
    let mut problems = Problems::new(file);
    let contract = read(file, text, &mut problems);
    Loaded {
        contract,
        problems: problems.finish(),
    }
}

fn read(file: &Path, text: &str, problems: &mut Problems) -> Option<Contract> {
    match tree::parse(text) {
        Ok(tree) => read_tree(file, &tree, problems),
        Err(error) => {
            let syntax = syntax_name(file);
            problems.add(error.at, format!("not valid {syntax}: {}", error.message));
            None
        }
    }
}

fn read_tree(file: &Path, tree: &Tree<'_>, problems: &mut Problems) -> Option<Contract> {
    let root = tree.root();
    if !tree.is_mapping(root) {
        let message = match tree.scalar(root) {
            Some(text) if text.trim().is_empty() => "the document is empty",
            _ => "not an OpenAPI document: its top level is not a mapping",
        };
        problems.add(tree.position(root), message.to_string());
        return None;
    }
    let (format, version_at) = version(tree, root, problems)?;
    let mut reader = Reader {
        tree,
        resolver: Resolver::new(tree),
        problems,
        format: format.clone(),
        seen: HashMap::new(),
        work_limit: WORK_BASE.saturating_add(
            WORK_PER_NODE.saturating_mul(u64::try_from(tree.len()).unwrap_or(u64::MAX)),
        ),
        stopped: false,
    };
    let bases = reader.document_bases(root);
    let operations = reader.paths(root, &bases);
    let source = Source {
        file: file.to_path_buf(),
        place: Place::InDocument(version_at),
        format,
    };
    Some(Contract { source, operations })
}

fn syntax_name(file: &Path) -> &'static str {
    let json = file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if json { "JSON" } else { "YAML" }
}

/// The format named by `openapi:` or `swagger:`, and where that field is.
fn version(tree: &Tree<'_>, root: NodeId, problems: &mut Problems) -> Option<(Format, Position)> {
    let (field, (key, value)) = match tree.entry(root, "openapi") {
        Some(entry) => ("openapi", entry),
        None => match tree.entry(root, "swagger") {
            Some(entry) => ("swagger", entry),
            None => {
                let message = "not an OpenAPI document: no `openapi` or `swagger` field";
                problems.add(Position::START, message.to_string());
                return None;
            }
        },
    };
    let text = tree.scalar(value).unwrap_or_default().trim();
    let format = match (field, text) {
        ("openapi", "3.0") => Format::OpenApi30,
        ("openapi", text) if text.starts_with("3.0.") => Format::OpenApi30,
        ("openapi", text) if text.starts_with("3.") => Format::OpenApi31,
        ("swagger", "2.0" | "2") => Format::Swagger2,
        _ => {
            let message = format!(
                "`{field}: {text}` is not a version this reads (Swagger 2.0, OpenAPI 3.0 or 3.1)"
            );
            problems.add(tree.position(value), message);
            return None;
        }
    };
    Some((format, tree.position(key)))
}

/// The problems of one document, at most [`MAX_PROBLEMS`] of them listed.
struct Problems {
    file: PathBuf,
    listed: Vec<Problem>,
    unlisted: usize,
}

impl Problems {
    fn new(file: &Path) -> Problems {
        Problems {
            file: file.to_path_buf(),
            listed: Vec::new(),
            unlisted: 0,
        }
    }

    fn add(&mut self, at: Position, message: String) {
        if self.listed.len() >= MAX_PROBLEMS {
            self.unlisted += 1;
            return;
        }
        let file = self.file.clone();
        self.listed.push(Problem {
            file,
            line: at.line,
            column: at.column,
            message,
        });
    }

    fn finish(mut self) -> Vec<Problem> {
        if self.unlisted > 0 {
            let message = format!(
                "{} more problems in this document, not listed",
                self.unlisted
            );
            self.listed.push(Problem {
                file: self.file,
                line: Position::START.line,
                column: Position::START.column,
                message,
            });
        }
        self.listed
    }
}

/// Reads the paths of one parsed document.
struct Reader<'run, 'tree, 'text> {
    tree: &'tree Tree<'text>,
    resolver: Resolver<'tree, 'text>,
    problems: &'run mut Problems,
    format: Format,
    /// Operations read so far, by method and template, with where and how each was spelled:
    /// `/users/{id}` and `/users/{userId}` are one path, so the second is a duplicate.
    seen: HashMap<(Method, PathTemplate, bool), (Position, String)>,
    /// The work (see [`Tree::work`]) after which reading stops.
    work_limit: u64,
    /// Whether reading stopped for that reason (said once).
    stopped: bool,
}

impl<'tree> Reader<'_, 'tree, '_> {
    fn problem(&mut self, at: Position, message: String) {
        self.problems.add(at, message);
    }

    /// Whether reading must stop before `node` because the document made it do more work
    /// than its size allows; the first time, says so at `node`. What was read before stays:
    /// each operation is read whole or not at all.
    fn out_of_budget(&mut self, node: NodeId) -> bool {
        if self.stopped {
            return true;
        }
        if self.tree.work() <= self.work_limit {
            return false;
        }
        self.stopped = true;
        let message = "this document repeats large parts of itself through aliases or merge keys: reading stopped here, the operations from here on are not read";
        self.problem(self.tree.position(node), message.to_string());
        true
    }

    fn document_bases(&mut self, root: NodeId) -> Vec<PathTemplate> {
        match self.format {
            Format::Swagger2 => servers::swagger_base_path(self.tree, root),
            _ => self.servers_of(root).unwrap_or_default(),
        }
    }

    /// The base paths of a `servers` field of this node, when it has one (never in Swagger 2.0).
    fn servers_of(&mut self, node: NodeId) -> Option<Vec<PathTemplate>> {
        if self.format == Format::Swagger2 {
            return None;
        }
        let tree = self.tree;
        let servers = tree.get(node, "servers")?;
        let bases = servers::base_paths(tree, servers);
        if bases.is_none() {
            let message = "`servers` is not a list: ignored".to_string();
            self.problem(tree.position(servers), message);
        }
        bases
    }

    fn paths(&mut self, root: NodeId, bases: &[PathTemplate]) -> Vec<Operation> {
        let tree = self.tree;
        let Some((key, paths)) = tree.entry(root, "paths") else {
            return Vec::new();
        };
        let Some(entries) = tree.entries(paths) else {
            self.problem(tree.position(key), "`paths` is not a mapping".to_string());
            return Vec::new();
        };
        let mut operations = Vec::new();
        for &(key, item) in entries.iter() {
            if self.out_of_budget(key) {
                break;
            }
            let Some(text) = tree.scalar(key) else {
                self.problem(
                    tree.position(key),
                    "a path is not a string: skipped".to_string(),
                );
                continue;
            };
            if text.starts_with("x-") {
                continue;
            }
            if !text.starts_with('/') {
                let message = format!("path `{text}` does not start with `/`: skipped");
                self.problem(tree.position(key), message);
                continue;
            }
            self.path_item(text, key, item, bases, &mut operations);
        }
        operations
    }

    /// The operations of one path item: its own fields first, then those of the path item its
    /// `$ref` names (OpenAPI leaves the mix undefined; the fields written here win).
    fn path_item(
        &mut self,
        text: &str,
        key: NodeId,
        item: NodeId,
        bases: &[PathTemplate],
        out: &mut Vec<Operation>,
    ) {
        let tree = self.tree;
        let Some(layers) = self.path_item_layers(text, key, item) else {
            return;
        };
        let bases = self.level_bases(&layers, bases);
        let path = Spelled {
            template: PathTemplate::from_openapi(text),
            text,
            trailing_slash: text.len() > 1 && text.ends_with('/'),
        };
        let mut taken: Vec<Method> = Vec::new();
        for layer in layers {
            let Some(entries) = tree.entries(layer) else {
                continue;
            };
            for &(field, operation) in entries.iter() {
                let Some(method) = self.method_field(field) else {
                    continue;
                };
                if taken.contains(&method) {
                    continue;
                }
                if self.out_of_budget(field) {
                    return;
                }
                taken.push(method);
                let found = self.operation(&path, method, field, operation, &bases);
                out.extend(found);
            }
        }
    }

    /// The path item and, when it has a `$ref`, the path item that names; `None` when the item
    /// is not a mapping.
    fn path_item_layers(&mut self, text: &str, key: NodeId, item: NodeId) -> Option<Vec<NodeId>> {
        let tree = self.tree;
        if !tree.is_mapping(item) {
            let message = format!("path `{text}` is not a mapping: skipped");
            self.problem(tree.position(key), message);
            return None;
        }
        let mut layers = vec![item];
        let Some(reference) = tree.get(item, "$ref") else {
            return Some(layers);
        };
        match self.resolver.follow(item) {
            Followed::Node(target) if tree.is_mapping(target) => layers.push(target),
            Followed::Node(_) => {
                let message = format!("the `$ref` of path `{text}` does not name a path item");
                self.problem(tree.position(reference), message);
            }
            Followed::External { at, reference } => {
                let message = format!(
                    "path `{text}` refers to `{reference}` in another document, which is not read: operations it holds are unknown"
                );
                self.problem(at, message);
            }
            Followed::Broken { at, message } => self.problem(at, message),
        }
        Some(layers)
    }

    /// A path item's or an operation's own `servers` replace the ones above it.
    fn level_bases(&mut self, layers: &[NodeId], inherited: &[PathTemplate]) -> Vec<PathTemplate> {
        for &layer in layers {
            if let Some(bases) = self.servers_of(layer) {
                return bases;
            }
        }
        inherited.to_vec()
    }

    /// The method a path item field names, if it is one; `GET:` is reported, since OpenAPI
    /// fields are case-sensitive and a tool would ignore it.
    fn method_field(&mut self, field: NodeId) -> Option<Method> {
        let tree = self.tree;
        let name = tree.scalar(field)?;
        if let Some((_, method)) = METHOD_FIELDS.iter().find(|(spelled, _)| *spelled == name) {
            return Some(*method);
        }
        let lower = name.to_ascii_lowercase();
        if METHOD_FIELDS.iter().any(|(spelled, _)| *spelled == lower) {
            let message = format!(
                "`{name}` is not a path item field: OpenAPI spells methods in lower case (`{lower}`); skipped"
            );
            self.problem(tree.position(field), message);
        }
        None
    }

    fn operation(
        &mut self,
        path: &Spelled<'_>,
        method: Method,
        field: NodeId,
        node: NodeId,
        bases: &[PathTemplate],
    ) -> Option<Operation> {
        let tree = self.tree;
        let at = tree.position(field);
        let label = format!("`{} {}`", method.as_str(), path.text);
        if !tree.is_mapping(node) {
            self.problem(at, format!("{label} is not a mapping: skipped"));
            return None;
        }
        let seen_key = (method, path.template.clone(), path.trailing_slash);
        if let Some((first, spelled)) = self.seen.get(&seen_key) {
            let message = format!(
                "{label} repeats `{} {spelled}` of line {} (parameter names do not make paths different): skipped",
                method.as_str(),
                first.line
            );
            self.problem(at, message);
            return None;
        }
        self.seen.insert(seen_key, (at, path.text.to_string()));
        let Some((responses_key, responses)) = tree.entry(node, "responses") else {
            if self.format != Format::OpenApi31 {
                self.problem(at, format!("{label} has no `responses`: skipped"));
            }
            return None;
        };
        let responses = self.declared_statuses(&label, responses_key, responses)?;
        let base_paths = self.servers_of(node).unwrap_or_else(|| bases.to_vec());
        let operation_id = tree.get(node, "operationId").and_then(|id| tree.scalar(id));
        tree.charge(1 + base_paths.len() + responses.len());
        Some(Operation {
            method,
            path: path.template.clone(),
            base_paths,
            operation_id: operation_id.map(str::to_string),
            responses,
            place: Place::InDocument(at),
        })
    }

    fn declared_statuses(
        &mut self,
        label: &str,
        key: NodeId,
        responses: NodeId,
    ) -> Option<Vec<DeclaredStatus>> {
        let tree = self.tree;
        let entries = self.responses_entries(label, key, responses)?;
        let mut declared = Vec::with_capacity(entries.len());
        for &(key, response) in entries.iter() {
            let text = tree.scalar(key).unwrap_or_default();
            if text.starts_with("x-") {
                continue;
            }
            let Some(status) = StatusKey::parse(text) else {
                let message = format!(
                    "`{text}` in the responses of {label} is not a status (a code from 100 to 599, `1XX` to `5XX`, or `default`): skipped"
                );
                self.problem(tree.position(key), message);
                continue;
            };
            self.check_response(label, status, response);
            let place = Place::InDocument(tree.position(key));
            declared.push(DeclaredStatus { key: status, place });
        }
        Some(declared)
    }

    /// The entries of a `responses` field (through a `$ref`, which OpenAPI does not allow
    /// there but some documents use).
    fn responses_entries(
        &mut self,
        label: &str,
        key: NodeId,
        responses: NodeId,
    ) -> Option<Cow<'tree, [(NodeId, NodeId)]>> {
        let tree = self.tree;
        let target = match self.resolver.follow(responses) {
            Followed::Node(target) => target,
            Followed::External { at, reference } => {
                let message = format!(
                    "the responses of {label} are in another document (`{reference}`), which is not read: skipped"
                );
                self.problem(at, message);
                return None;
            }
            Followed::Broken { at, message } => {
                self.problem(at, format!("{message}: {label} skipped"));
                return None;
            }
        };
        let entries = tree.entries(target);
        if entries.is_none() {
            let message = format!("the `responses` of {label} are not a mapping: skipped");
            self.problem(tree.position(key), message);
        }
        entries
    }

    /// A declared response whose `$ref` leads nowhere, or that is not a response at all, is
    /// reported; its status stays declared, since the key says what the author meant.
    fn check_response(&mut self, label: &str, status: StatusKey, response: NodeId) {
        let tree = self.tree;
        match self.resolver.follow(response) {
            Followed::Node(target) if tree.is_mapping(target) => {}
            Followed::Node(_) => {
                let message = format!("response `{status}` of {label} is not a mapping");
                self.problem(tree.position(response), message);
            }
            Followed::External { .. } => {}
            Followed::Broken { at, message } => self.problem(at, message),
        }
    }
}

/// A path key as written and as a template.
struct Spelled<'text> {
    template: PathTemplate,
    text: &'text str,
    trailing_slash: bool,
}
