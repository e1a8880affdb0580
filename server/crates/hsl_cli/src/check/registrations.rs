//! The files a run reads beyond the first pass: those that call a project helper the analysed
//! files define, and those that may register an analysed handler (for its method). Both are
//! found among the first pass's summaries, so only they are read again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::load::{Analysis, Reader, Summary};
use hsl_analysis::scan::{Scan, Scanner};
use hsl_analysis::tokens::name_hash;
use hsl_analysis::walk::{self, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, absolute};
use hsl_facts::HelperStatus;
use hsl_facts::language::Family;
use hsl_tables::FrameworkOverrides;

/// The hashes of the helpers `files` define, for the callers of `family`.
pub fn helper_names(files: &[&SourceFile], family: Family) -> Vec<u32> {
    let helpers = || {
        files
            .iter()
            .filter(|file| file.language.family() == family)
            .flat_map(|file| &file.facts.helpers)
    };
    // A keyed error class sends a status only through a code map; with none among the files
    // read, its callers (every `throw new AppError(..)`) would be read for nothing.
    let any_code_map = helpers().any(|helper| !called_by_name(helper, family));
    let mut names: Vec<u32> = helpers()
        .filter(|helper| called_by_name(helper, family))
        .filter(|helper| any_code_map || !matches!(helper.status, HelperStatus::Keyed { .. }))
        .map(|helper| name_hash(&helper.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether callers name the helper on its own: not an entry of a JavaScript code map
/// (`ErrorCodes.unauthorized`), which only a keyed error class looks up, never a call.
pub fn called_by_name(helper: &hsl_facts::ResponseHelper, family: Family) -> bool {
    helper.owner.is_none() || family != Family::JavaScript
}

/// Reads again and analyses the summarised files that `wanted` selects.
pub fn read_again<'p>(
    reader: &Reader<'_>,
    summaries: &[(&'p PathBuf, Summary)],
    wanted: impl Fn(&Summary) -> bool + Sync,
) -> Vec<(&'p PathBuf, Analysis)> {
    summaries
        .par_iter()
        .filter(|(_, summary)| wanted(summary))
        .filter_map(|(path, _)| Some((*path, reader.load_again(path)?)))
        .collect()
}

/// The files of the checked paths' projects outside those paths that may register one of
/// `names` (a run on `src/handlers` still learns the methods `src/routes.ts` gives): only files
/// holding a route literal and one of the names are parsed, and only what the index reads of
/// them is kept. With `every_route` (the project has a contract, and the contract rules need
/// every route's whole path), every file that may register a route or mount a router is.
pub fn outside_registrations(
    paths: &[PathBuf],
    names: &HashSet<String>,
    named: &HashSet<PathBuf>,
    configs: &Arc<Resolver>,
    every_route: bool,
) -> Vec<SourceFile> {
    if names.is_empty() && !every_route {
        return Vec::new();
    }
    // A project root already inside the checked paths was walked in the first pass.
    let walked: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| walk::project_root(p))
        .filter(|root| !walked.iter().any(|dir| root.starts_with(dir)))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if roots.is_empty() {
        return Vec::new();
    }
    let (in_roots, _) = walk::files_with(&roots, configs, false);
    let mut candidates: Vec<PathBuf> = in_roots
        .into_iter()
        .map(|p| absolute(&p))
        .filter(|p| !named.contains(p) && !walked.iter().any(|dir| p.starts_with(dir)))
        .collect();
    candidates.sort();
    candidates.dedup();
    let prefilter = (!every_route).then(|| Prefilter::new(names.iter().cloned()));
    let scanner = Scanner::new();
    candidates
        .par_iter()
        .filter_map(|path| {
            let overrides = configs.frameworks_for(path);
            load_registering(path, prefilter.as_ref(), &scanner, &overrides)
        })
        .collect()
}

/// Loads and analyses a file only if it may register a route and holds one of the names (any
/// name when `names` is `None`).
fn load_registering(
    path: &Path,
    names: Option<&Prefilter>,
    scanner: &Scanner,
    overrides: &FrameworkOverrides,
) -> Option<SourceFile> {
    let (language, bytes) = analysis::read_source(path).ok()?;
    let has_name = names.is_none_or(|names| names.passes(&bytes));
    if !has_name || scanner.scan(language.family(), &bytes) == Scan::Nothing {
        return None;
    }
    let text = analysis::decode(&bytes).ok()?;
    let file = analysis::from_text_with(path.to_path_buf(), language, text, overrides);
    Some(file.index_part())
}
