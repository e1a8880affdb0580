//! Every route the project registers, with its whole path: the path a registration, attribute
//! or decorator names, under the prefixes of the mounts that reach it (`app.use('/api', api)`
//! in another file, axum `.nest("/cart", cart_routes())`, Rocket `.mount("/api", routes![h])`),
//! and Next.js paths from the file's place under `app/` or `pages/api/`.
//!
//! A route is only as whole as the facts: a mount whose prefix is not a literal is not a mount
//! here, so its routes keep the path they name themselves.

use std::collections::HashMap;
use std::path::Path;

use hsl_facts::{
    ByteRange, DeclaredResponses, FileFacts, HandlerId, HandlerRef, Method, MethodSource,
    RegistrationKind, RouteRegistration,
};

use crate::{IndexedFile, Verdict, WorkspaceIndex};

/// Handler name → (file index, handler id) of every definition of that name.
type Definitions<'a> = HashMap<&'a str, Vec<(usize, HandlerId)>>;

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
        for (file_idx, file) in self.files.iter().enumerate() {
            for registration in &file.facts.registrations {
                self.registered_routes(file_idx, registration, &named, &mut routes);
            }
            self.attributed_routes(file_idx, &mut routes);
        }
        routes.sort_by(|a, b| (a.file, a.range.start).cmp(&(b.file, b.range.start)));
        routes.dedup();
        routes
    }

    /// The routes one registration makes, under each prefix that reaches its router.
    fn registered_routes(
        &self,
        file_idx: usize,
        registration: &'a RouteRegistration,
        named: &Definitions<'a>,
        routes: &mut Vec<Route<'a>>,
    ) {
        let (Some(file), Some(path)) = (self.files.get(file_idx), registration.path.as_deref())
        else {
            return;
        };
        if !registration.is_route() {
            return;
        }
        let handler = match &registration.handler {
            HandlerRef::Inline(id) => Some((file.path, *id)),
            HandlerRef::Named(segments) => self.definition(file, segments, named),
        };
        let scope = registration.scope.as_deref();
        // What the registration declares, else what the handler declares beside itself
        // (utoipa's `#[utoipa::path(..)]` on a function axum registers).
        let (declared, declared_in) = match registration.declared.as_ref() {
            Some(declared) => (Some(declared), Some(file.path)),
            None => {
                let declared = self.declared_by_handler(handler);
                (declared, declared.and(handler.map(|(path, _)| path)))
            }
        };
        for prefix in self.prefixes(file_idx, scope, 0) {
            for method in &registration.methods {
                routes.push(Route {
                    method: *method,
                    path: join(&prefix, path),
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

    /// The responses a handler of an indexed file declares beside itself, if any.
    fn declared_by_handler(
        &self,
        handler: Option<(&'a Path, HandlerId)>,
    ) -> Option<&'a DeclaredResponses> {
        let (path, id) = handler?;
        let file = self.files.iter().find(|file| file.path == path)?;
        file.facts.handlers.get(id)?.declared.as_ref()
    }

    /// The routes handlers declare themselves: an attribute or decorator with its path, a
    /// branch testing the request's method and path (`(&Method::POST, "/login") =>`), and a
    /// Next.js handler exported under a method's name in a route file.
    fn attributed_routes(&self, file_idx: usize, routes: &mut Vec<Route<'a>>) {
        let Some(file) = self.files.get(file_idx) else {
            return;
        };
        let next_path = next_route_path(file.path);
        for (id, handler) in file.facts.handlers.iter().enumerate() {
            for evidence in &handler.methods {
                let (path, prefixes) = match (evidence.source, &evidence.path, &next_path) {
                    (MethodSource::Attribute | MethodSource::Branch, Some(path), _) => (
                        path.clone(),
                        self.handler_prefixes(file, handler.name.as_deref()),
                    ),
                    (MethodSource::ExportedName, _, Some(path)) => (
                        path.clone(),
                        self.handler_prefixes(file, handler.name.as_deref()),
                    ),
                    // A branch on the method alone, in a function mounted under a prefix
                    // (`if (url.pathname.startsWith("/notes")) return handleNotes(request)`).
                    (MethodSource::Branch, None, _) => {
                        (String::new(), self.enclosing_prefixes(file, &handler.range))
                    }
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
    /// index resolves it to.
    fn definition(
        &self,
        from: &IndexedFile<'a>,
        segments: &[String],
        named: &Definitions<'a>,
    ) -> Option<(&'a Path, HandlerId)> {
        let name = segments.last()?;
        named
            .get(name.as_str())?
            .iter()
            .find_map(|&(file_idx, id)| {
                let target = self.files.get(file_idx)?;
                self.refers_to(from, segments, target)
                    .then_some((target.path, id))
            })
    }

    /// The prefixes under which the router `scope` of file `file_idx` is served: one per chain
    /// of mounts that reaches it, `""` when none does.
    fn prefixes(&self, file_idx: usize, scope: Option<&str>, depth: usize) -> Vec<String> {
        let mut prefixes = Vec::new();
        if depth < MAX_MOUNT_DEPTH {
            for (mount_idx, mount) in self.mounts(RegistrationKind::Router) {
                if !self.mount_reaches(mount_idx, mount, file_idx, scope) {
                    continue;
                }
                let Some(prefix) = mount.path.as_deref() else {
                    continue;
                };
                for outer in self.prefixes(mount_idx, mount.scope.as_deref(), depth + 1) {
                    prefixes.push(join(&outer, prefix));
                }
            }
        }
        if prefixes.is_empty() {
            prefixes.push(String::new());
        }
        prefixes
    }

    /// The prefixes of a handler that declares its own path: the mounts that name it (Rocket
    /// `mount("/api", routes![list])`), each under its own router's prefixes; `""` when none.
    fn handler_prefixes(&self, file: &IndexedFile<'a>, name: Option<&str>) -> Vec<String> {
        let mut prefixes = self.mounted_prefixes(file, name);
        if prefixes.is_empty() {
            prefixes.push(String::new());
        }
        prefixes
    }

    /// The prefixes under which the named function around `branch` is mounted; none when no
    /// named function of the file holds it or no mount names that function.
    fn enclosing_prefixes(&self, file: &IndexedFile<'a>, branch: &ByteRange) -> Vec<String> {
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
            self.mounted_prefixes(file, handler.name.as_deref())
        })
    }

    /// The prefixes of the mounts that name the function `name` of `file`, each under its own
    /// router's prefixes.
    fn mounted_prefixes(&self, file: &IndexedFile<'a>, name: Option<&str>) -> Vec<String> {
        let mut prefixes = Vec::new();
        for (mount_idx, mount) in self.mounts(RegistrationKind::Handler) {
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
            for outer in self.prefixes(mount_idx, mount.scope.as_deref(), 1) {
                prefixes.push(join(&outer, prefix));
            }
        }
        prefixes
    }

    /// Every mount of `kind` in the index, with the index of its file.
    fn mounts(
        &self,
        kind: RegistrationKind,
    ) -> impl Iterator<Item = (usize, &'a RouteRegistration)> + '_ {
        self.files.iter().enumerate().flat_map(move |(idx, file)| {
            let facts: &'a FileFacts = file.facts;
            facts
                .registrations
                .iter()
                .filter(move |registration| registration.kind == kind)
                .map(move |registration| (idx, registration))
        })
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
