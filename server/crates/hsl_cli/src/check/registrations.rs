//! The second phase of a run: files outside the checked ones that may register a checked
//! handler, read for its method only.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use hsl_analysis::walk::{self, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, absolute};
use hsl_tables as tables;
use hsl_tables::FrameworkOverrides;

/// Loads and analyses a file only if it passes every prefilter.
fn load_if(
    path: &Path,
    prefilters: &[&Prefilter],
    overrides: &FrameworkOverrides,
) -> Result<Option<SourceFile>, analysis::Skip> {
    let (language, bytes) = analysis::read_source(path)?;
    if !prefilters.iter().all(|prefilter| prefilter.passes(&bytes)) {
        return Ok(None);
    }
    let text = analysis::decode(&bytes)?;
    Ok(Some(analysis::from_text_with(
        path.to_path_buf(),
        language,
        text,
        overrides,
    )))
}

/// Files of the targets' projects that may register one of the targets' handlers: only those
/// containing a handler's name are parsed. With `every_route` (the project has a contract, and
/// the contract rules need every route's whole path), every file that may register a route or
/// mount a router is.
pub fn registration_files(
    paths: &[PathBuf],
    targets: &[&SourceFile],
    seen: &HashSet<PathBuf>,
    route_candidates: Vec<PathBuf>,
    configs: &Arc<Resolver>,
    every_route: bool,
) -> Vec<SourceFile> {
    // Only handlers that send a status whose rules need the method, and whose method their own
    // file does not prove.
    let names: HashSet<String> = targets
        .iter()
        .flat_map(|file| {
            let facts = &file.facts;
            facts
                .handlers
                .iter()
                .enumerate()
                .filter(move |(id, handler)| {
                    handler.methods.is_empty()
                        && facts.responses.iter().any(|r| {
                            r.handler == Some(*id)
                                && r.role == hsl_facts::SiteRole::Sets
                                && r.status.code.is_some_and(hsl_rules::needs_method)
                        })
                })
        })
        .filter_map(|(_, h)| h.name.clone())
        .collect();
    if names.is_empty() && !every_route {
        return Vec::new();
    }
    // Target files the status prefilter skipped may still register handlers.
    let mut candidates = route_candidates;
    // A project root already inside the checked paths was walked in phase one.
    let walked: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let roots: HashSet<PathBuf> = paths
        .iter()
        .filter_map(|p| walk::project_root(p))
        .filter(|root| !walked.iter().any(|dir| root.starts_with(dir)))
        .collect();
    let (in_roots, _) = walk::files_with(&roots.into_iter().collect::<Vec<_>>(), configs, false);
    candidates.extend(
        in_roots
            .into_iter()
            .map(|p| absolute(&p))
            .filter(|p| !seen.contains(p)),
    );
    let prefilter = Prefilter::new(names);
    let routes = Prefilter::new(tables::route_literals());
    let prefilters: Vec<&Prefilter> = if every_route {
        vec![&routes]
    } else {
        vec![&prefilter, &routes]
    };
    candidates.sort();
    candidates.dedup();
    candidates
        .par_iter()
        .filter_map(|path| {
            let overrides = configs.frameworks_for(path);
            match load_if(path, &prefilters, &overrides) {
                Ok(Some(mut file)) => {
                    file.path = absolute(path);
                    Some(file)
                }
                _ => None,
            }
        })
        .collect()
}
