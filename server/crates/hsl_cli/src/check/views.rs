//! The session's findings as the reporters see them: 1-based lines and character columns,
//! paths as shown.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::named::shown_path;
use super::session::{Session, Target};
use crate::output::{EditView, FileView, FindingView, FixView, RelatedView};
use hsl_rules::{Finding, Related};
use hsl_text::LineIndex;

/// A file's text with its line index, for turning byte offsets into positions.
struct Positions<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Positions<'a> {
        Positions {
            text,
            index: LineIndex::new(text),
        }
    }

    /// 1-based line and character column.
    fn at(&self, offset: usize) -> (usize, usize) {
        let at = self.index.line_col_chars(self.text, offset);
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

    fn text_of(&self, path: &Path) -> Option<&str> {
        self.targets
            .iter()
            .map(|t| &t.file)
            .chain(self.extras.iter())
            .find(|file| file.path == path)
            .map(|file| file.text.as_str())
    }

    /// The files with findings, by path as shown.
    pub fn views(&self) -> Vec<FileView> {
        let mut views: Vec<FileView> = self
            .targets
            .iter()
            .filter(|target| !target.findings.is_empty())
            .map(|target| self.file_view(target))
            .collect();
        views.sort_by(|a, b| a.display.cmp(&b.display).then_with(|| a.name.cmp(&b.name)));
        views
    }

    fn file_view(&self, target: &Target) -> FileView {
        let own = Positions::new(&target.file.text);
        let mut others: HashMap<PathBuf, Positions<'_>> = HashMap::new();
        let findings = target
            .findings
            .iter()
            .map(|finding| {
                let related = finding
                    .related
                    .iter()
                    .filter_map(|related| self.related_view(target, &own, &mut others, related))
                    .collect();
                finding_view(finding, &own, related)
            })
            .collect();
        FileView {
            display: target.name.to_string_lossy().into_owned(),
            name: target.name.clone(),
            findings,
        }
    }

    /// A related location, in the same file or another one the run read.
    fn related_view<'s>(
        &'s self,
        target: &Target,
        own: &Positions<'_>,
        others: &mut HashMap<PathBuf, Positions<'s>>,
        related: &Related,
    ) -> Option<RelatedView> {
        let range = &related.location.range;
        let (name, start, end) = match &related.location.path {
            None => (target.name.clone(), own.at(range.start), own.at(range.end)),
            Some(path) => {
                let text = self.text_of(path)?;
                let other = others
                    .entry(path.clone())
                    .or_insert_with(|| Positions::new(text));
                let name = self
                    .targets
                    .iter()
                    .find(|target| target.file.path == *path)
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
        line_text: own.index.line_text(own.text, start.0 - 1).to_string(),
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
