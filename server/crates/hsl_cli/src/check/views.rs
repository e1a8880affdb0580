//! The session's findings as the reporters see them: 1-based lines and character columns,
//! paths as shown.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::named::shown_path;
use super::session::Session;
use crate::output::{EditView, FileView, FindingView, FixView, RelatedView};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_rules::{Finding, Related};
use hsl_text::LineIndex;

/// A file's text with its line index, for turning byte offsets into positions.
struct Positions<'a> {
    text: Cow<'a, str>,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    fn new(text: Cow<'a, str>) -> Positions<'a> {
        let index = LineIndex::new(&text);
        Positions { text, index }
    }

    /// 1-based line and character column.
    fn at(&self, offset: usize) -> (usize, usize) {
        let at = self.index.line_col_chars(&self.text, offset);
        (at.line + 1, at.column + 1)
    }
}

impl Session {
    /// The `file://` URI of the working directory: SARIF's `%SRCROOT%`.
    pub fn root_uri(&self) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        let encoded = crate::output::percent_encoded(&cwd);
        format!("file://{}/", encoded.trim_end_matches('/'))
    }

    /// The text of a file the run read, by its absolute path: from its kept analysis, else
    /// read again as the analysis read it, or a contract document's. `None` for a file the run
    /// did not read.
    fn text_of(&self, path: &Path) -> Option<Cow<'_, str>> {
        let target = self.targets.iter().find(|t| t.index.path == path);
        if let Some(full) = target.and_then(|t| t.full.as_deref()) {
            return Some(Cow::Borrowed(full.text.as_str()));
        }
        if target.is_none() && !self.extras.iter().any(|file| file.path == path) {
            return self.contracts.text_of(path).map(Cow::Borrowed);
        }
        let (_, bytes) = analysis::read_source(path).ok()?;
        analysis::decode_owned(bytes).ok().map(Cow::Owned)
    }

    /// The files with findings, by path as shown.
    pub fn views(&self) -> Vec<FileView> {
        let mut views: Vec<FileView> = self
            .targets
            .iter()
            .filter(|target| !target.findings.is_empty())
            .filter_map(|target| match (&target.view, target.full.as_deref()) {
                (Some(view), _) => Some(view.clone()),
                (None, Some(full)) => Some(self.file_view(&target.name, full, &target.findings)),
                (None, None) => None,
            })
            .collect();
        views.sort_by(|a, b| a.display.cmp(&b.display).then_with(|| a.name.cmp(&b.name)));
        views
    }

    /// The report of one file's findings; `name` is the file's path as shown.
    pub(super) fn file_view(&self, name: &Path, file: &SourceFile, found: &[Finding]) -> FileView {
        let own = Positions::new(Cow::Borrowed(file.text.as_str()));
        let mut others: HashMap<PathBuf, Positions<'_>> = HashMap::new();
        let findings = found
            .iter()
            .map(|finding| {
                let related = finding
                    .related
                    .iter()
                    .filter_map(|related| self.related_view(name, &own, &mut others, related))
                    .collect();
                finding_view(finding, &own, related)
            })
            .collect();
        FileView {
            display: name.to_string_lossy().into_owned(),
            name: name.to_path_buf(),
            findings,
        }
    }

    /// A related location, in the same file or another one the run read.
    fn related_view<'s>(
        &'s self,
        name: &Path,
        own: &Positions<'_>,
        others: &mut HashMap<PathBuf, Positions<'s>>,
        related: &Related,
    ) -> Option<RelatedView> {
        let range = &related.location.range;
        let (name, start, end) = match &related.location.path {
            None => (name.to_path_buf(), own.at(range.start), own.at(range.end)),
            Some(path) => {
                let other = match others.entry(path.clone()) {
                    std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(Positions::new(self.text_of(path)?))
                    }
                };
                let name = self
                    .targets
                    .iter()
                    .find(|target| target.index.path == *path)
                    .map_or_else(|| shown_path(path), |target| target.name.clone());
                (name, other.at(range.start), other.at(range.end))
            }
        };
        Some(RelatedView {
            display: name.to_string_lossy().into_owned(),
            name,
            start,
            end,
            message: related.message.clone(),
        })
    }
}

fn finding_view(finding: &Finding, own: &Positions<'_>, related: Vec<RelatedView>) -> FindingView {
    let start = own.at(finding.range.start);
    FindingView {
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message.clone(),
        start,
        end: own.at(finding.range.end),
        line_text: own.index.line_text(&own.text, start.0 - 1).to_string(),
        related,
        fixes: finding
            .fixes
            .iter()
            .map(|fix| FixView {
                title: fix.title.clone(),
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| EditView {
                        start: own.at(edit.range.start),
                        end: own.at(edit.range.end),
                        new_text: edit.new_text.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
