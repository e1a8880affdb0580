//! `http-status-ls routes`: every route the code registers, with its whole path and every status
//! its handler can send, as a table, JSON or an OpenAPI 3.1 skeleton. Files are walked, filtered
//! and configured as `check` does them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::RoutesArgs;
use super::check::named::{self, display_path};
use hsl_analysis::routes::{RouteStatuses, Skeleton, openapi_skeleton, route_statuses};
use hsl_analysis::walk::{self, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{ConfigFile, Mode, Resolver, absolute};
use hsl_tables as tables;
use hsl_text::LineIndex;
use hsl_workspace::WorkspaceIndex;

/// Output formats of `routes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RoutesFormat {
    /// A table a person reads.
    Text,
    /// An array of routes with their statuses.
    Json,
    /// An OpenAPI 3.1 skeleton (YAML) to start a contract from.
    Openapi,
    /// The same skeleton as JSON.
    OpenapiJson,
}

/// Runs `routes`.
pub fn run(args: RoutesArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if let Err(message) = named::check(path) {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    }
    let mode = if args.isolated {
        Mode::Isolated
    } else if let Some(path) = &args.config {
        Mode::Explicit(Arc::new(ConfigFile::load(&absolute(path))))
    } else {
        Mode::Discover
    };
    let configs = Arc::new(Resolver::new(mode));
    let walked = walk::walk(&paths, &configs, false);
    let files = load(&walked.files, &configs);
    let indexed = files.iter().map(SourceFile::indexed).collect();
    let index = WorkspaceIndex::new(indexed);
    let refs: Vec<&SourceFile> = files.iter().collect();
    let routes = route_statuses(&refs, &index);
    let texts: HashMap<&Path, LineIndex> = files
        .iter()
        .map(|file| (file.path.as_path(), LineIndex::new(&file.text)))
        .collect();
    let rendered = match args.format {
        RoutesFormat::Json => render_json(&routes, &texts),
        RoutesFormat::Text => render_text(&routes, &texts),
        RoutesFormat::Openapi => openapi_skeleton(&title_of(&paths), &routes, Skeleton::Yaml),
        RoutesFormat::OpenapiJson => openapi_skeleton(&title_of(&paths), &routes, Skeleton::Json),
    };
    if rendered.ends_with('\n') {
        out!("{rendered}");
    } else {
        outln!("{rendered}");
    }
    ExitCode::SUCCESS
}

/// Reads and analyses every walked file that may hold a status site or a registration, then
/// the files that call one of the project's helpers found so (as `check` does), so that a
/// handler's statuses include those its helpers send.
fn load(walked: &[(PathBuf, walk::Origin)], configs: &Resolver) -> Vec<SourceFile> {
    let status = Prefilter::new(tables::status_literals());
    let routes = Prefilter::new(tables::route_literals());
    let read = |path: &PathBuf, wanted: &dyn Fn(&[u8]) -> bool| -> Option<SourceFile> {
        let (language, bytes) = analysis::read_source(path).ok()?;
        if !wanted(&bytes) {
            return None;
        }
        let text = analysis::decode_owned(bytes).ok()?;
        let absolute = absolute(path);
        let overrides = configs.frameworks_for(&absolute);
        Some(analysis::from_text_with(
            absolute, language, text, &overrides,
        ))
    };
    let first = |bytes: &[u8]| status.passes(bytes) || routes.passes(bytes);
    let (mut files, rest): (Vec<_>, Vec<_>) = walked
        .par_iter()
        .map(|(path, _)| (path, read(path, &first)))
        .partition(|(_, file)| file.is_some());
    let mut helpers: Vec<String> = files
        .iter()
        .filter_map(|(_, file)| file.as_ref())
        .flat_map(|file| {
            let family = file.language.family();
            file.facts
                .helpers
                .iter()
                .filter(move |helper| crate::check::registrations::called_by_name(helper, family))
        })
        .map(|helper| format!("{}(", helper.name))
        .collect();
    helpers.sort_unstable();
    helpers.dedup();
    if !helpers.is_empty() {
        let calls = Prefilter::new(helpers);
        let callers: Vec<_> = rest
            .par_iter()
            .map(|(path, _)| (*path, read(path, &|bytes| calls.passes(bytes))))
            .collect();
        files.extend(callers);
    }
    let mut files: Vec<SourceFile> = files.into_iter().filter_map(|(_, file)| file).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The skeleton's title: the name of the folder the run looked at.
fn title_of(paths: &[PathBuf]) -> String {
    paths
        .first()
        .map(|path| absolute(path))
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "API".to_string())
}

/// One route as JSON shows it.
#[derive(Serialize)]
struct RouteView {
    method: &'static str,
    path: String,
    file: String,
    line: usize,
    statuses: Vec<StatusView>,
}

/// One status site of a route's handler as JSON shows it.
#[derive(Serialize)]
struct StatusView {
    code: u16,
    file: String,
    line: usize,
}

/// The 1-based line of a byte offset in a file of the run.
fn line_of(texts: &HashMap<&Path, LineIndex>, file: &Path, at: usize) -> usize {
    texts.get(file).map_or(0, |lines| lines.line_of(at) + 1)
}

fn views(routes: &[RouteStatuses], texts: &HashMap<&Path, LineIndex>) -> Vec<RouteView> {
    routes
        .iter()
        .map(|route| RouteView {
            method: route.method.as_str(),
            path: route.path.to_string(),
            file: display_path(&route.file),
            line: line_of(texts, &route.file, route.range.start),
            statuses: route
                .statuses
                .iter()
                .map(|status| StatusView {
                    code: status.code,
                    file: display_path(&status.file),
                    line: line_of(texts, &status.file, status.range.start),
                })
                .collect(),
        })
        .collect()
}

fn render_json(routes: &[RouteStatuses], texts: &HashMap<&Path, LineIndex>) -> String {
    serde_json::to_string_pretty(&views(routes, texts)).unwrap_or_else(|_| "[]".to_string())
}

/// `METHOD  PATH  STATUSES  FILE:LINE`, columns aligned.
fn render_text(routes: &[RouteStatuses], texts: &HashMap<&Path, LineIndex>) -> String {
    let rows: Vec<[String; 4]> = views(routes, texts)
        .into_iter()
        .map(|route| {
            let mut codes: Vec<u16> = route.statuses.iter().map(|s| s.code).collect();
            codes.sort_unstable();
            codes.dedup();
            let codes = codes
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            let codes = if codes.is_empty() {
                "?".to_string()
            } else {
                codes
            };
            [
                route.method.to_string(),
                route.path,
                codes,
                format!("{}:{}", route.file, route.line),
            ]
        })
        .collect();
    let header = ["METHOD", "PATH", "STATUSES", "REGISTERED AT"].map(str::to_string);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (idx, (cell, width)) in row.iter().zip(widths).enumerate() {
            if idx + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = width - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} route{}",
        routes.len(),
        if routes.len() == 1 { "" } else { "s" }
    ));
    out
}
