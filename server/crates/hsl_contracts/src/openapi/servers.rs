//! Base paths from `servers[].url` (OpenAPI 3) and `basePath` (Swagger 2.0).
//!
//! OpenAPI paths are relative to a server URL: with `servers: [{url: https://api.example.com/v1}]`
//! the operation `/users` is served at `/v1/users`. Whether the code's router sees `/v1` depends on
//! the deployment (the app mounts its router under `/v1`, or a proxy strips it), so an operation
//! keeps the base paths of its servers and matching accepts the route path with or without one.
//! The host, scheme and port are not part of the match; a server variable (`{version}`) takes its
//! `default`.

use crate::path::PathTemplate;
use crate::tree::{NodeId, Tree};

/// An operation keeps this many distinct base paths at most (real documents list a handful
/// of servers; a list of thousands would make every operation carry it).
const MAX_BASE_PATHS: usize = 16;

/// The distinct non-root base paths of a `servers` list, the first [`MAX_BASE_PATHS`] of them;
/// an empty list when every server is at the root. `None` when the node is not a list (the
/// caller reports it).
pub(super) fn base_paths(tree: &Tree<'_>, servers: NodeId) -> Option<Vec<PathTemplate>> {
    let items = tree.items(servers)?;
    let mut bases: Vec<PathTemplate> = Vec::new();
    for &server in items {
        let Some(url) = tree.get(server, "url").and_then(|url| tree.scalar(url)) else {
            continue;
        };
        let url = substitute_variables(tree, server, url);
        let base = PathTemplate::from_openapi(path_of_url(&url));
        if !base.is_root() && !bases.contains(&base) {
            bases.push(base);
        }
        if bases.len() == MAX_BASE_PATHS {
            break;
        }
    }
    Some(bases)
}

/// Swagger 2.0's `basePath`, when it is more than `/`.
pub(super) fn swagger_base_path(tree: &Tree<'_>, root: NodeId) -> Vec<PathTemplate> {
    let base = tree
        .get(root, "basePath")
        .and_then(|base| tree.scalar(base));
    let base = base.map(PathTemplate::from_openapi).unwrap_or_default();
    match base.is_root() {
        true => Vec::new(),
        false => vec![base],
    }
}

/// The URL with each `{name}` replaced by `variables.name.default`; a variable without a
/// default stays a template parameter.
fn substitute_variables(tree: &Tree<'_>, server: NodeId, url: &str) -> String {
    let variables = tree.get(server, "variables");
    let default = |name: &str| {
        let variable = tree.get(variables?, name)?;
        tree.get(variable, "default")
            .and_then(|default| tree.scalar(default))
    };
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some((before, opened)) = rest.split_once('{') {
        let Some((name, after)) = opened.split_once('}') else {
            break;
        };
        out.push_str(before);
        match default(name) {
            Some(value) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The path of a URL: what follows `scheme://authority` or `//authority`, or the whole of a
/// relative URL; query and fragment dropped.
fn path_of_url(url: &str) -> &str {
    let after_scheme = match url.split_once("://") {
        Some((_, rest)) => Some(rest),
        None => url.strip_prefix("//"),
    };
    let path = match after_scheme {
        Some(rest) => rest
            .find('/')
            .and_then(|slash| rest.split_at_checked(slash))
            .map_or("", |(_, path)| path),
        None => url,
    };
    path.split(['?', '#']).next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::parse;

    fn bases(yaml: &str) -> Vec<String> {
        let tree = parse(yaml).unwrap();
        let servers = tree.get(tree.root(), "servers").unwrap();
        let bases = base_paths(&tree, servers).unwrap();
        bases.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_path_of_each_server_url_is_a_base_path() {
        let yaml = "servers:\n- url: https://api.example.com:8443/v1/\n- url: /internal\n- url: https://example.com\n- url: //cdn.example.com/v1?x=1\n";
        assert_eq!(bases(yaml), ["/v1", "/internal"]);
    }

    #[test]
    fn server_variables_take_their_default() {
        let yaml = "servers:\n- url: 'https://{region}.example.com/{version}/{missing}'\n  variables:\n    region: {default: eu}\n    version: {default: v2}\n";
        assert_eq!(bases(yaml), ["/v2/{missing}"]);
    }

    #[test]
    fn a_server_at_the_root_adds_no_base_path() {
        assert!(bases("servers:\n- url: /\n- url: https://example.com/\n").is_empty());
    }

    #[test]
    fn non_ascii_urls_are_cut_at_character_boundaries() {
        assert_eq!(
            bases("servers:\n- url: https://exämple.com/ä/{é}\n"),
            ["/ä/{é}"]
        );
    }

    #[test]
    fn swagger_base_path_counts_unless_it_is_the_root() {
        let tree = parse("swagger: '2.0'\nbasePath: /api\n").unwrap();
        let bases = swagger_base_path(&tree, tree.root());
        assert_eq!(bases.len(), 1);
        let tree = parse("swagger: '2.0'\nbasePath: /\n").unwrap();
        assert!(swagger_base_path(&tree, tree.root()).is_empty());
    }
}
