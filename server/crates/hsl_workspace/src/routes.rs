//! Every route the project registers, with its whole path: the path a registration, attribute
//! or decorator names, under the prefixes of the mounts that reach it (`app.use('/api', api)`
//! in another file, axum `.nest("/cart", cart_routes())`, Rocket `.mount("/api", routes![h])`),
//! and Next.js paths from the file's place under `app/` or `pages/api/`.
//!
//! A route is only as whole as the facts: a mount whose prefix is not a literal is not a mount
//! here, so its routes keep the path they name themselves.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use hsl_facts::{
    ByteRange, DeclaredResponses, FileFacts, Handler, HandlerId, HandlerRef, Method,
    MethodEvidence, MethodSource, RegistrationKind, RouteRegistration,
};

use crate::{IndexedFile, Verdict, WorkspaceIndex};

/// Handler name → (file index, handler id) of every definition of that name.
type Definitions<'a> = HashMap<&'a str, Vec<(usize, HandlerId)>>;

/// The mounts of the index, gathered once per [`WorkspaceIndex::routes`], and the prefixes
/// already worked out: many registrations share a router, and working out a router's prefixes
/// asks every mount of the project whether it reaches that router, so without the memo a
/// project's routes cost its registrations times its mounts (a keystroke in the editor
/// recomputes them).
struct Mounts<'a> {
    /// Mounts of routers (`app.use('/api', api)`, `.nest(..)`), with their file's index.
    routers: Vec<(usize, &'a RouteRegistration)>,
    /// Mounts that name a handler function (Rocket `mount("/api", routes![h])`).
    handlers: Vec<(usize, &'a RouteRegistration)>,
    /// Prefixes by (file index, router scope, depth).
    prefixes: RefCell<PrefixMemo<'a>>,
    /// Whether a file builds the application (Rocket `rocket::build()`, `#[launch]`): then every
    /// mount is in sight, and a route that needs one and has none is not served.
    app_root: bool,
}

impl<'a> Mounts<'a> {
    fn of(files: &[IndexedFile<'a>]) -> Mounts<'a> {
        let mut routers = Vec::new();
        let mut handlers = Vec::new();
        let mut app_root = false;
        for (idx, file) in files.iter().enumerate() {
            let facts: &'a FileFacts = file.facts;
            for registration in &facts.registrations {
                match registration.kind {
                    RegistrationKind::Router => routers.push((idx, registration)),
                    RegistrationKind::Handler => handlers.push((idx, registration)),
                    RegistrationKind::AppRoot => app_root = true,
                    RegistrationKind::Route => {}
                }
            }
        }
        Mounts {
            routers,
            handlers,
            prefixes: RefCell::new(HashMap::new()),
            app_root,
        }
    }
}

/// A router's prefixes by (file index, router scope, depth).
type PrefixMemo<'a> = HashMap<(usize, Option<&'a str>, usize), Rc<[String]>>;

/// Mounts nested deeper than this are not followed (a cycle of mounts ends here too).
const MAX_MOUNT_DEPTH: usize = 8;

/// One route: a method on a whole path, where it is registered, and the handler that serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route<'a> {
    pub method: Method,
    /// The whole path as the code spells it, prefixes joined (`/api/products/:id`); callers
    /// turn it into a template.
    pub path: String,
    /// The file that registers the route, and the registration, attribute or exported name.
    pub file: &'a Path,
    pub range: ByteRange,
    /// The file defining the handler and its id there, when the index finds the definition.
    pub handler: Option<(&'a Path, HandlerId)>,
    /// The responses the code declares for the route where it registers it (an in-code
    /// contract: Fastify `schema.response`, NestJS `@ApiResponse`), when it does.
    pub declared: Option<&'a DeclaredResponses>,
    /// The file `declared` is written in: the registration's (Fastify's options, NestJS's
    /// decorators) or the handler's own when only the handler declares (a utoipa attribute on
    /// a function another file registers), so a location in it names the right file.
    pub declared_in: Option<&'a Path>,
    /// Whether the route is a branch of a handler that routes by hand (`(&Method::POST,
    /// "/x") =>`, `if (req.url === "/x" && ..)`): such a handler may serve other paths through
    /// branches no literal names (`_ =>`, a guard, `startsWith`), so its routes do not prove
    /// which paths the project serves.
    pub by_hand: bool,
}

impl<'a> WorkspaceIndex<'a> {
    /// Every route of the indexed files, in file order, then in the order they are written.
    pub fn routes(&self) -> Vec<Route<'a>> {
        let mut routes = Vec::new();
        let mut named: Definitions<'a> = HashMap::new();
        for (file_idx, file) in self.files.iter().enumerate() {
            let facts: &'a FileFacts = file.facts;
            for (id, handler) in facts.handlers.iter().enumerate() {
                if let Some(name) = handler.name.as_deref() {
                    named.entry(name).or_default().push((file_idx, id));
                }
            }
        }
        let mounts = Mounts::of(&self.files);
        for (file_idx, file) in self.files.iter().enumerate() {
            for registration in &file.facts.registrations {
                self.registered_routes(&mounts, file_idx, registration, &named, &mut routes);
            }
            self.attributed_routes(&mounts, file_idx, &mut routes);
        }
        routes.sort_by(|a, b| (a.file, a.range.start).cmp(&(b.file, b.range.start)));
        routes.dedup();
        routes
    }

    /// The routes one registration makes, under each prefix that reaches its router.
    fn registered_routes(
        &self,
        mounts: &Mounts<'a>,
        file_idx: usize,
        registration: &'a RouteRegistration,
        named: &Definitions<'a>,
        routes: &mut Vec<Route<'a>>,
    ) {
        let Some(file) = self.files.get(file_idx) else {
            return;
        };
        if !registration.is_route() {
            return;
        }
        // The handler by its file's index: a path would be looked up among all files again.
        let defined = match &registration.handler {
            HandlerRef::Inline(id) => Some((file_idx, *id)),
            HandlerRef::Named(segments) => self.definition(file, segments, named),
        };
        // A typed registration (`.typed_get(show)`) names no path: the handler's typed path is it.
        let Some(path) = registration
            .path
            .as_deref()
            .or_else(|| self.typed_path_of(defined))
        else {
            return;
        };
        let handler = defined.and_then(|(idx, id)| Some((self.files.get(idx)?.path, id)));
        let scope = registration.scope.as_deref();
        // What the registration declares, else what the handler declares beside itself
        // (utoipa's `#[utoipa::path(..)]` on a function axum registers).
        let (declared, declared_in) = match registration.declared.as_ref() {
            Some(declared) => (Some(declared), Some(file.path)),
            None => {
                let declared = self.declared_by_handler(defined);
                (declared, declared.and(handler.map(|(path, _)| path)))
            }
        };
        // The registration an attribute makes for the types its function returns is served
        // where that function is (Rocket `routes![h]`, poem-openapi's service of `Api`).
        let prefixes = match self.attribute_prefixes(mounts, file, &registration.range) {
            Some(prefixes) => prefixes.into(),
            None => self.prefixes(mounts, file_idx, scope, 0),
        };
        for prefix in prefixes.iter() {
            for method in &registration.methods {
                routes.push(Route {
                    method: *method,
                    path: join(prefix, path),
                    file: file.path,
                    range: registration.range.clone(),
                    handler,
                    declared,
                    declared_in,
                    by_hand: false,
                });
            }
        }
    }

    /// The prefixes of the function whose route attribute is at `range` in `file`, when one is:
    /// the mounts that name it, or the impl block it is an endpoint of.
    fn attribute_prefixes(
        &self,
        mounts: &Mounts<'a>,
        file: &IndexedFile<'a>,
        range: &ByteRange,
    ) -> Option<Vec<String>> {
        file.facts.handlers.iter().find_map(|handler| {
            let evidence = handler.methods.iter().find(|evidence| {
                evidence.source == MethodSource::Attribute && evidence.range == *range
            })?;
            Some(self.attribute_route_prefixes(mounts, file, handler, evidence))
        })
    }

    /// The prefixes a route a handler declares itself is served under: those of the mounts
    /// that name it (its function, or the impl block whose endpoints are mounted together),
    /// else its own path alone. A route that only a mount serves (Rocket) and that no mount
    /// names is not served at all when the project's application is built in sight, since
    /// then every mount is; otherwise its mount may sit in a file the index did not read.
    fn attribute_route_prefixes(
        &self,
        mounts: &Mounts<'a>,
        file: &IndexedFile<'a>,
        handler: &Handler,
        evidence: &MethodEvidence,
    ) -> Vec<String> {
        let name = evidence.mounted_as.as_deref().or(handler.name.as_deref());
        let prefixes = self.mounted_prefixes(mounts, file, name);
        if !prefixes.is_empty() || (evidence.needs_mount && mounts.app_root) {
            return prefixes;
        }
        vec![String::new()]
    }

    /// The typed path a handler of an indexed file serves (axum-extra `#[typed_path(..)]` on the
    /// struct it takes first), if any.
    fn typed_path_of(&self, handler: Option<(usize, HandlerId)>) -> Option<&'a str> {
        let (file_idx, id) = handler?;
        let facts: &'a FileFacts = self.files.get(file_idx)?.facts;
        facts.handlers.get(id)?.typed_path.as_deref()
    }

    /// The responses a handler of an indexed file declares beside itself, if any.
    fn declared_by_handler(
        &self,
        handler: Option<(usize, HandlerId)>,
    ) -> Option<&'a DeclaredResponses> {
        let (file_idx, id) = handler?;
        let facts: &'a FileFacts = self.files.get(file_idx)?.facts;
        facts.handlers.get(id)?.declared.as_ref()
    }

    /// The routes handlers declare themselves: an attribute or decorator with its path, a
    /// branch testing the request's method and path (`(&Method::POST, "/login") =>`), and a
    /// Next.js handler exported under a method's name in a route file.
    fn attributed_routes(&self, mounts: &Mounts<'a>, file_idx: usize, routes: &mut Vec<Route<'a>>) {
        let Some(file) = self.files.get(file_idx) else {
            return;
        };
        let next_path = next_route_path(file.path);
        for (id, handler) in file.facts.handlers.iter().enumerate() {
            for evidence in &handler.methods {
                let (path, prefixes) = match (evidence.source, &evidence.path, &next_path) {
                    (MethodSource::Attribute | MethodSource::Branch, Some(path), _) => (
                        path.clone(),
                        self.attribute_route_prefixes(mounts, file, handler, evidence),
                    ),
                    (MethodSource::ExportedName, _, Some(path)) => (
                        path.clone(),
                        self.handler_prefixes(mounts, file, handler.name.as_deref()),
                    ),
                    // A branch on the method alone, in a function mounted under a prefix
                    // (`if (url.pathname.startsWith("/notes")) return handleNotes(request)`).
                    (MethodSource::Branch, None, _) => (
                        String::new(),
                        self.enclosing_prefixes(mounts, file, &handler.range),
                    ),
                    _ => continue,
                };
                for prefix in prefixes {
                    routes.push(Route {
                        method: evidence.method,
                        path: join(&prefix, &path),
                        file: file.path,
                        range: evidence.range.clone(),
                        handler: Some((file.path, id)),
                        declared: handler.declared.as_ref(),
                        declared_in: handler.declared.as_ref().map(|_| file.path),
                        by_hand: evidence.source == MethodSource::Branch,
                    });
                }
            }
        }
    }

    /// The handler a name written in `from` names: the first definition of that name the
    /// index resolves it to, by its file's index and its id there.
    fn definition(
        &self,
        from: &IndexedFile<'a>,
        segments: &[String],
        named: &Definitions<'a>,
    ) -> Option<(usize, HandlerId)> {
        let name = segments.last()?;
        named
            .get(name.as_str())?
            .iter()
            .find_map(|&(file_idx, id)| {
                let target = self.files.get(file_idx)?;
                self.refers_to(from, segments, target)
                    .then_some((file_idx, id))
            })
    }

    /// The prefixes under which the router `scope` of file `file_idx` is served: one per chain
    /// of mounts that reaches it, `""` when none does.
    fn prefixes(
        &self,
        mounts: &Mounts<'a>,
        file_idx: usize,
        scope: Option<&'a str>,
        depth: usize,
    ) -> Rc<[String]> {
        let key = (file_idx, scope, depth);
        if let Some(known) = mounts.prefixes.borrow().get(&key) {
            return Rc::clone(known);
        }
        let mut prefixes = Vec::new();
        if depth < MAX_MOUNT_DEPTH {
            for &(mount_idx, mount) in &mounts.routers {
                if !self.mount_reaches(mount_idx, mount, file_idx, scope) {
                    continue;
                }
                let Some(prefix) = mount.path.as_deref() else {
                    continue;
                };
                let outers = self.prefixes(mounts, mount_idx, mount.scope.as_deref(), depth + 1);
                for outer in outers.iter() {
                    prefixes.push(join(outer, prefix));
                }
            }
        }
        if prefixes.is_empty() {
            prefixes.push(String::new());
        }
        let prefixes: Rc<[String]> = prefixes.into();
        mounts
            .prefixes
            .borrow_mut()
            .insert(key, Rc::clone(&prefixes));
        prefixes
    }

    /// The prefixes of a handler that declares its own path: the mounts that name it (Rocket
    /// `mount("/api", routes![list])`), each under its own router's prefixes; `""` when none.
    fn handler_prefixes(
        &self,
        mounts: &Mounts<'a>,
        file: &IndexedFile<'a>,
        name: Option<&str>,
    ) -> Vec<String> {
        let mut prefixes = self.mounted_prefixes(mounts, file, name);
        if prefixes.is_empty() {
            prefixes.push(String::new());
        }
        prefixes
    }

    /// The prefixes under which the named function around `branch` is mounted; none when no
    /// named function of the file holds it or no mount names that function.
    fn enclosing_prefixes(
        &self,
        mounts: &Mounts<'a>,
        file: &IndexedFile<'a>,
        branch: &ByteRange,
    ) -> Vec<String> {
        let enclosing = file
            .facts
            .handlers
            .iter()
            .filter(|handler| {
                handler.name.is_some()
                    && handler.range.start <= branch.start
                    && branch.end <= handler.range.end
                    && handler.range != *branch
            })
            .min_by_key(|handler| handler.range.len());
        enclosing.map_or_else(Vec::new, |handler| {
            self.mounted_prefixes(mounts, file, handler.name.as_deref())
        })
    }

    /// The prefixes of the mounts that name the function `name` of `file`, each under its own
    /// router's prefixes.
    fn mounted_prefixes(
        &self,
        mounts: &Mounts<'a>,
        file: &IndexedFile<'a>,
        name: Option<&str>,
    ) -> Vec<String> {
        let mut prefixes = Vec::new();
        for &(mount_idx, mount) in &mounts.handlers {
            let (Some(name), Some(from), HandlerRef::Named(segments)) =
                (name, self.files.get(mount_idx), &mount.handler)
            else {
                continue;
            };
            if segments.last().map(String::as_str) != Some(name)
                || !self.refers_to(from, segments, file)
            {
                continue;
            }
            let Some(prefix) = mount.path.as_deref() else {
                continue;
            };
            let outers = self.prefixes(mounts, mount_idx, mount.scope.as_deref(), 1);
            for outer in outers.iter() {
                prefixes.push(join(outer, prefix));
            }
        }
        prefixes
    }

    /// Whether `mount`, written in file `mount_idx`, mounts the router `scope` of file
    /// `file_idx`: a router of the same file by its name, or in another file the module or
    /// function the mount names (every router of an imported module, when the name is the
    /// module's and not one of its routers').
    fn mount_reaches(
        &self,
        mount_idx: usize,
        mount: &RouteRegistration,
        file_idx: usize,
        scope: Option<&str>,
    ) -> bool {
        let (Some(from), Some(file), HandlerRef::Named(segments)) = (
            self.files.get(mount_idx),
            self.files.get(file_idx),
            &mount.handler,
        ) else {
            return false;
        };
        let Some(last) = segments.last().map(String::as_str) else {
            return false;
        };
        if mount_idx == file_idx {
            return segments.len() == 1 && Some(last) == scope;
        }
        let resolve = crate::resolver_of(from.language.family());
        if !matches!(resolve(from, segments, file), Verdict::Yes) {
            return false;
        }
        let names_a_router = file
            .facts
            .registrations
            .iter()
            .any(|registration| registration.scope.as_deref() == Some(last));
        !names_a_router || Some(last) == scope
    }
}

/// A route path under a prefix, with one `/` between them (`/api` + `/:id`, `/` + `/login`).
fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    match (prefix.is_empty(), path.is_empty() || path == "/") {
        (true, true) => "/".to_string(),
        (true, false) if path.starts_with('/') => path.to_string(),
        (true, false) => format!("/{path}"),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}/{}", path.trim_start_matches('/')),
    }
}

/// The path a Next.js route file serves, from its folders: `app/api/items/[id]/route.ts` is
/// `/api/items/{id}` (route groups `(shop)` and private folders `_x` left out, a catch-all
/// `[...slug]` a wildcard) and `pages/api/items/[id].ts` is `/api/items/{id}`. `None` for any
/// other file.
pub(crate) fn next_route_path(path: &Path) -> Option<String> {
    let parts: Vec<String> = path
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let (file_name, folders) = parts.split_last()?;
    let stem = file_name.split('.').next().unwrap_or("");
    if let Some(app) = folders.iter().rposition(|part| part == "app")
        && stem == "route"
    {
        let below = folders.get(app + 1..)?;
        return Some(template_of(below.iter().map(String::as_str)));
    }
    let pages = folders.iter().rposition(|part| part == "pages")?;
    let below = folders.get(pages + 1..)?;
    if below.first().map(String::as_str) != Some("api") {
        return None;
    }
    let last = (stem != "index").then_some(stem);
    Some(template_of(below.iter().map(String::as_str).chain(last)))
}

/// `/`-joined segments in OpenAPI's spelling: `[id]` → `{id}`, `[...slug]` / `[[...slug]]` →
/// `{*slug}`; route groups and private folders dropped.
fn template_of<'s>(folders: impl Iterator<Item = &'s str>) -> String {
    let mut out = String::new();
    for folder in folders {
        if (folder.starts_with('(') && folder.ends_with(')')) || folder.starts_with('_') {
            continue;
        }
        let inner = folder.trim_start_matches('[').trim_end_matches(']');
        out.push('/');
        if inner.len() == folder.len() {
            out.push_str(folder);
        } else if let Some(rest) = inner.strip_prefix("...") {
            out.push_str(&format!("{{*{rest}}}"));
        } else {
            out.push_str(&format!("{{{inner}}}"));
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_join_with_one_slash() {
        assert_eq!(join("", "/items"), "/items");
        assert_eq!(join("/api", "/:id"), "/api/:id");
        assert_eq!(join("/api/", "/"), "/api");
        assert_eq!(join("/", "/login"), "/login");
        assert_eq!(join("", ""), "/");
        assert_eq!(join("/orders", "cancel"), "/orders/cancel");
    }

    #[test]
    fn next_paths_come_from_folders() {
        let path = |p: &str| next_route_path(Path::new(p));
        assert_eq!(
            path("web/app/api/items/[id]/route.ts").as_deref(),
            Some("/api/items/{id}")
        );
        assert_eq!(path("app/(shop)/cart/route.js").as_deref(), Some("/cart"));
        assert_eq!(
            path("app/docs/[...slug]/route.ts").as_deref(),
            Some("/docs/{*slug}")
        );
        assert_eq!(
            path("src/pages/api/users/[id].ts").as_deref(),
            Some("/api/users/{id}")
        );
        assert_eq!(path("pages/api/index.ts").as_deref(), Some("/api"));
        assert_eq!(path("src/pages/about.tsx"), None);
        assert_eq!(path("app/items/page.tsx"), None);
    }
}
