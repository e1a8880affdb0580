//! A project's contracts, found and read once per run, and the routes they document: each
//! route of the workspace index matched with its operation (same method, same template), so
//! that the contract rules get [`RouteContract`]s for the handlers of the file they check.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use hsl_contracts::{Contracts, Operation, PathTemplate, Place, Problem, StatusKey};
use hsl_facts::{ByteRange, DeclaredKey, HandlerRoute, KeyPlace, Location, RouteContract};
use hsl_workspace::WorkspaceIndex;

/// A contract document's problem, for the front ends that show it (the CLI prints it, the
/// language server makes it a diagnostic on the document).
pub use hsl_contracts::Problem as ContractProblem;

/// The contracts of a run, with the text of each document (for positions) and the problems
/// reading them met.
#[derive(Default)]
pub struct ProjectContracts {
    contracts: Contracts,
    /// Each document's contract on its own, for the routes of a project held to that document.
    by_document: HashMap<PathBuf, Contracts>,
    /// The document the files of each folder of the run are held to (`None`: their project
    /// has none), when the run says (`load_projects`): a run over several projects matches
    /// each route with its own project's document only. A folder not listed meets every
    /// document.
    documents_by_dir: HashMap<PathBuf, Option<PathBuf>>,
    texts: HashMap<PathBuf, String>,
    /// Every problem of every document, with its position; the run goes on without the parts
    /// they concern.
    pub problems: Vec<Problem>,
}

impl ProjectContracts {
    /// Reads the documents at `paths` (a missing or bad one is a problem, never an error).
    pub fn load(paths: &[PathBuf]) -> ProjectContracts {
        let documents = paths
            .iter()
            .map(|path| {
                let text = std::fs::read(path)
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_default();
                (path.clone(), hsl_contracts::load(path), text)
            })
            .collect();
        ProjectContracts::from_loaded(documents)
    }

    /// Finds and reads the contract documents of the projects `files` belong to (see
    /// [`contract_files`]), each project's routes held to its own document.
    pub fn load_projects(files: &[PathBuf], configs: &hsl_config::Resolver) -> ProjectContracts {
        let documents_by_dir = documents_by_dir(files, configs);
        let paths: BTreeSet<PathBuf> = documents_by_dir.values().flatten().cloned().collect();
        let mut contracts = ProjectContracts::load(&paths.into_iter().collect::<Vec<_>>());
        contracts.documents_by_dir = documents_by_dir;
        contracts
    }

    /// Documents already in memory (tests, the editor's open files).
    pub fn from_texts(documents: Vec<(PathBuf, String)>) -> ProjectContracts {
        let loaded = documents
            .into_iter()
            .map(|(path, text)| {
                let loaded = hsl_contracts::read_document(&path, &text);
                (path, loaded, text)
            })
            .collect();
        ProjectContracts::from_loaded(loaded)
    }

    fn from_loaded(documents: Vec<(PathBuf, hsl_contracts::Loaded, String)>) -> ProjectContracts {
        let mut contracts = Vec::new();
        let mut by_document = HashMap::new();
        let mut texts = HashMap::new();
        let mut problems = Vec::new();
        for (path, loaded, text) in documents {
            if let Some(contract) = &loaded.contract {
                by_document.insert(path.clone(), Contracts::new(vec![contract.clone()]));
            }
            contracts.extend(loaded.contract);
            problems.extend(loaded.problems);
            texts.insert(path, text);
        }
        ProjectContracts {
            contracts: Contracts::new(contracts),
            by_document,
            documents_by_dir: HashMap::new(),
            texts,
            problems,
        }
    }

    /// Whether no contract was read: the contract rules have nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty()
    }

    /// The contract documents of the run, read or not, so that a document's problems can be
    /// shown on it (and cleared once it reads well).
    pub fn documents(&self) -> impl Iterator<Item = &Path> {
        self.texts.keys().map(PathBuf::as_path)
    }

    /// The text of a contract document of the run, for showing a position in it.
    pub fn text_of(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    /// What the project's routes say about each file's handlers: the routes whose whole path
    /// the index knows (with whether a route reads back what each creates), and those a
    /// contract documents, grouped by the file of their handler.
    pub fn file_routes(&self, index: &WorkspaceIndex<'_>) -> HashMap<PathBuf, FileRoutes> {
        let routes: Vec<(hsl_workspace::Route<'_>, PathTemplate)> = index
            .routes()
            .into_iter()
            .map(|route| {
                let template = PathTemplate::from_route(&route.path);
                (route, template)
            })
            .collect();
        let item_paths: std::collections::HashSet<&PathTemplate> = routes
            .iter()
            .filter(|(route, template)| {
                reads_back(route.method) && !template.keyed_by_another_thing()
            })
            .map(|(_, template)| template)
            .collect();
        let creating_paths: std::collections::HashSet<&PathTemplate> = routes
            .iter()
            .filter(|(route, _)| route.method == hsl_facts::Method::Post)
            .map(|(_, template)| template)
            .collect();
        let mut by_file: HashMap<PathBuf, FileRoutes> = HashMap::new();
        for (route, template) in &routes {
            let Some((file, handler)) = route.handler else {
                continue;
            };
            let entry = by_file.entry(file.to_path_buf()).or_default();
            let known = HandlerRoute {
                handler,
                method: route.method,
                path: template.to_string(),
                // A handler that routes by hand may read back on paths no literal names
                // (`_ =>`, a guard, `startsWith`): only registered routes prove it does not.
                item_route: route.by_hand
                    || reads_back_item(template, &item_paths, &creating_paths),
            };
            if !entry.routes.contains(&known) {
                entry.routes.push(known);
            }
            let in_code = in_code_contract(route, template, (file, handler));
            let documents = self.documents_for(file);
            if let Some(contract) =
                in_code.or_else(|| self.contract_of(documents?, route, template, handler))
                && !entry.contracts.contains(&contract)
            {
                entry.contracts.push(contract);
            }
        }
        by_file
    }

    /// The documents a handler's file is held to: its project's own, else (a file the run did
    /// not place) every document; `None` when its project has none.
    fn documents_for(&self, file: &Path) -> Option<&Contracts> {
        let Some(document) = file.parent().and_then(|dir| self.documents_by_dir.get(dir)) else {
            return Some(&self.contracts);
        };
        self.by_document.get(document.as_ref()?)
    }

    /// The contract of one route, when an operation of `documents` documents it.
    fn contract_of(
        &self,
        documents: &Contracts,
        route: &hsl_workspace::Route<'_>,
        path: &PathTemplate,
        handler: hsl_facts::HandlerId,
    ) -> Option<RouteContract> {
        let operation = hsl_contracts::operation_for(documents, route.method, path)?;
        Some(RouteContract {
            method: route.method,
            path: path.to_string(),
            handler,
            declared: declared_keys(operation),
            declared_at: self.location_of(operation),
            source: self.source_of(operation),
            key_places: self.key_places(operation),
            registered_at: registered_at(route),
            additions: Vec::new(),
        })
    }

    /// Where each declared key of an operation is written in its document, each key once.
    fn key_places(&self, operation: &Operation) -> Vec<KeyPlace> {
        let file = self.file_of(operation);
        let text = file.as_deref().and_then(|file| self.texts.get(file));
        let name = self.source_of(operation);
        let mut seen = BTreeSet::new();
        operation
            .responses
            .iter()
            .filter(|declared| seen.insert(declared_key(declared.key)))
            .map(|declared| {
                let (range, label) = match &declared.place {
                    Place::InCode(range) => (range.clone(), name.clone()),
                    Place::InDocument(position) => (
                        text.map_or(0..0, |text| key_at(text, position.line, position.column)),
                        format!("{name}:{}", position.line),
                    ),
                };
                KeyPlace {
                    key: declared_key(declared.key),
                    location: Location {
                        path: file.clone(),
                        range,
                    },
                    label,
                }
            })
            .collect()
    }

    /// Where an operation is declared, as a location in its document.
    fn location_of(&self, operation: &Operation) -> Location {
        let file = self.file_of(operation);
        let range = match &operation.place {
            Place::InCode(range) => range.clone(),
            Place::InDocument(position) => file
                .as_deref()
                .and_then(|file| self.texts.get(file))
                .map_or(0..0, |text| key_at(text, position.line, position.column)),
        };
        Location { path: file, range }
    }

    /// The document that declares an operation.
    fn file_of(&self, operation: &Operation) -> Option<PathBuf> {
        std::iter::once(&self.contracts)
            .chain(self.by_document.values())
            .flat_map(Contracts::contracts)
            .find(|contract| {
                contract
                    .operations
                    .iter()
                    .any(|o| std::ptr::eq(o, operation))
            })
            .map(|contract| contract.source.file.clone())
    }

    /// The contract's name for messages: its file's name.
    fn source_of(&self, operation: &Operation) -> String {
        self.file_of(operation)
            .and_then(|file| file.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "the contract".to_string())
    }
}

/// The contract the code declares where it registers a route (NestJS `@ApiResponse`
/// decorators, Fastify `schema.response`), which comes before any document: such a project's
/// document is generated from it.
fn in_code_contract(
    route: &hsl_workspace::Route<'_>,
    path: &PathTemplate,
    (file, handler): (&Path, hsl_facts::HandlerId),
) -> Option<RouteContract> {
    let declared = route.declared?;
    // Written in the handler's own file (decorators, attributes, an inline handler's
    // registration): related information points into the file itself.
    let declared_in = route.declared_in.unwrap_or(route.file);
    let written_in = (declared_in != file).then(|| declared_in.to_path_buf());
    let key_places = declared
        .keys
        .iter()
        .zip(&declared.key_ranges)
        .map(|(key, range)| KeyPlace {
            key: *key,
            location: Location {
                path: written_in.clone(),
                range: range.clone(),
            },
            label: declared.source.clone(),
        })
        .collect();
    Some(RouteContract {
        method: route.method,
        path: path.to_string(),
        handler,
        declared: declared.keys.clone(),
        declared_at: Location {
            path: written_in.clone(),
            range: declared.range.clone(),
        },
        source: declared.source.clone(),
        key_places,
        additions: if written_in.is_none() {
            declared.additions.clone()
        } else {
            Vec::new()
        },
        registered_at: registered_at(route),
    })
}

/// Where a route is registered, as a location seen from its handler's file (`None`: that
/// file itself).
fn registered_at(route: &hsl_workspace::Route<'_>) -> Location {
    let handler_file = route.handler.map(|(file, _)| file);
    Location {
        path: (handler_file != Some(route.file)).then(|| route.file.to_path_buf()),
        range: route.range.clone(),
    }
}

/// The contract documents of the projects `files` belong to: for each project root (the
/// nearest folder with a `package.json` or `Cargo.toml`), the document the nearest config's
/// `openapi` names, else the first of `openapi.yaml`, `openapi.yml`, `openapi.json`,
/// `swagger.yaml`, `swagger.json` there. Each once, in path order.
pub fn contract_files(files: &[PathBuf], configs: &hsl_config::Resolver) -> Vec<PathBuf> {
    let found: BTreeSet<PathBuf> = documents_by_dir(files, configs)
        .into_values()
        .flatten()
        .collect();
    found.into_iter().collect()
}

/// For each folder holding some of `files`, the contract document of its project (see
/// [`contract_files`]), or `None`.
fn documents_by_dir(
    files: &[PathBuf],
    configs: &hsl_config::Resolver,
) -> HashMap<PathBuf, Option<PathBuf>> {
    let dirs: BTreeSet<&Path> = files.iter().filter_map(|file| file.parent()).collect();
    let mut folders = FolderNames::default();
    let mut found = HashMap::new();
    for dir in dirs {
        let configured = configs
            .for_dir(dir)
            .and_then(|config| config.settings.openapi.clone());
        let document = match project_root(dir, &mut folders) {
            None => configured,
            Some(root) => {
                let names: Vec<&str> = folders.of(&root).iter().map(String::as_str).collect();
                hsl_contracts::discover(&root, configured.as_deref(), &names)
            }
        };
        found.insert(dir.to_path_buf(), document);
    }
    found
}

/// The nearest folder at or above `dir` that is a project root.
fn project_root(dir: &Path, folders: &mut FolderNames) -> Option<PathBuf> {
    dir.ancestors()
        .find(|candidate| {
            let names: Vec<&str> = folders.of(candidate).iter().map(String::as_str).collect();
            hsl_contracts::is_project_root(&names)
        })
        .map(Path::to_path_buf)
}

/// The [`file_names`] of each folder, looked at once per call of [`contract_files`]: the
/// folders of a tree share their ancestors, and each look costs a `stat` per name (a
/// 7,600-file tree made 100,000 of them when every folder looked at every ancestor again).
#[derive(Default)]
struct FolderNames(HashMap<PathBuf, Vec<String>>);

impl FolderNames {
    fn of(&mut self, dir: &Path) -> &[String] {
        self.0
            .entry(dir.to_path_buf())
            .or_insert_with(|| file_names(dir))
    }
}

/// The names of the files directly in a folder that a project root is recognised by, or that
/// a contract is conventionally called.
fn file_names(dir: &Path) -> Vec<String> {
    hsl_contracts::PROJECT_MARKERS
        .iter()
        .chain(hsl_contracts::CONVENTIONAL_NAMES.iter())
        .filter(|name| dir.join(name).is_file())
        .map(|name| name.to_string())
        .collect()
}

/// What the project's routes say about one file's handlers (see
/// [`ProjectContracts::file_routes`]).
#[derive(Clone, Debug, Default)]
pub struct FileRoutes {
    pub contracts: Vec<RouteContract>,
    pub routes: Vec<HandlerRoute>,
}

/// Whether a route of this method reads back (or changes) a resource at its own URI.
fn reads_back(method: hsl_facts::Method) -> bool {
    use hsl_facts::Method;
    matches!(
        method,
        Method::Get | Method::Put | Method::Patch | Method::Delete
    )
}

/// The declared keys of an operation, each once, in the contract's order.
fn declared_keys(operation: &Operation) -> Vec<DeclaredKey> {
    let mut seen = BTreeSet::new();
    operation
        .responses
        .iter()
        .map(|declared| declared_key(declared.key))
        .filter(|key| seen.insert(*key))
        .collect()
}

/// A document's response key as the facts spell it.
fn declared_key(key: StatusKey) -> DeclaredKey {
    match key {
        StatusKey::Code(code) => DeclaredKey::Code(code),
        StatusKey::Range(class) => DeclaredKey::Class(class),
        StatusKey::Default => DeclaredKey::Default,
    }
}

/// The byte range of the key written at a 1-based line and character column: up to its `:`
/// or the end of the line.
fn key_at(text: &str, line: u32, column: u32) -> ByteRange {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1) as usize) else {
        return 0..0;
    };
    let line_start: usize = text
        .split('\n')
        .take(line.saturating_sub(1) as usize)
        .map(|l| l.len() + 1)
        .sum();
    let skip = column.saturating_sub(1) as usize;
    let start_in_line: usize = line_text.chars().take(skip).map(char::len_utf8).sum();
    let rest = line_text.get(start_in_line..).unwrap_or("");
    let key_len = rest.find(':').unwrap_or(rest.trim_end().len());
    let start = line_start + start_in_line;
    start..start + key_len
}

/// Whether a route reads back one item of what a `POST` on `template` creates: a route on
/// `template` plus one parameter, or plus two for an item named by a compound key
/// (`POST /benchmarks` and `DELETE /benchmarks/{dataSource}/{symbol}`), or on the same under
/// its last word's other number (`POST /roles` and `GET /role/{id}`), unless the project creates on that other path too
/// (`POST /chapter` beside `POST /chapters`: one-at-a-time and bulk creation, whose item
/// route belongs to the one-at-a-time path), or on `template`, that word and one parameter
/// (`POST /tokens` and `DELETE /tokens/token/{id}`).
fn reads_back_item(
    template: &PathTemplate,
    item_paths: &std::collections::HashSet<&PathTemplate>,
    creating_paths: &std::collections::HashSet<&PathTemplate>,
) -> bool {
    item_paths.contains(&template.item())
        || item_paths.contains(&template.item().item())
        || template
            .item_under_other_number()
            .is_some_and(|nested| item_paths.contains(&nested))
        || template.other_number().is_some_and(|other| {
            !creating_paths.contains(&other) && item_paths.contains(&other.item())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_by_line_and_character_column() {
        let text = "paths:\n  /items:\n    post:\n      responses: {}\n";
        let range = key_at(text, 3, 5);
        assert_eq!(text.get(range), Some("post"));
        let text = "é: 1\n  \"/ü\": x\n";
        let range = key_at(text, 2, 3);
        assert_eq!(text.get(range), Some("\"/ü\""));
    }
}
