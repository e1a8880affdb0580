//! Reading one file for a run: refused (binary, non-UTF-8, generated), analysed when its bytes
//! may hold a status site, else summarised by the names it calls and mentions, so that the
//! later steps find the files they need without reading every file again.

use std::path::Path;

use hsl_analysis::scan::{Scan, Scanner};
use hsl_analysis::tokens::Names;
use hsl_analysis::walk::Origin;
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, absolute, default_excludes};
use hsl_facts::language::Family;

/// What the first pass made of a file.
pub enum Loaded {
    Analysed(Box<SourceFile>),
    /// Holds no status site: what later steps may need of it.
    Filtered(Summary),
}

/// A file the first pass did not parse: its family, whether it may register a route, and the
/// names it calls (and, if it may register a route, every name it mentions).
pub struct Summary {
    pub family: Family,
    pub routes: bool,
    pub names: Names,
}

/// The first pass's shared, read-only inputs.
pub struct Reader<'a> {
    pub scanner: Scanner,
    pub configs: &'a Resolver,
    pub force_exclude: bool,
}

impl Reader<'_> {
    /// Reads a file once: analyses it when it may hold a status site, else summarises it.
    /// Binary and non-UTF-8 files are refused before the scan looks, so each gets its note.
    pub fn load(&self, path: &Path, origin: Origin) -> Result<Loaded, analysis::Skip> {
        let (language, bytes) = analysis::read_source(path)?;
        let text = analysis::decode_owned(bytes)?;
        let family = language.family();
        if family == Family::JavaScript
            && (origin == Origin::Walked || self.force_exclude)
            && absolute(path)
                .parent()
                .is_some_and(|dir| self.configs.default_excludes_in(dir))
            && let Some(why) = default_excludes::generated_content(text.as_bytes())
        {
            return Err(analysis::Skip::Generated(why));
        }
        let scan = self.scanner.scan(family, text.as_bytes());
        if scan == Scan::Status {
            return Ok(Loaded::Analysed(Box::new(
                self.analyse(path, language, text),
            )));
        }
        let routes = scan == Scan::Routes;
        Ok(Loaded::Filtered(Summary {
            family,
            routes,
            names: Names::of(text.as_bytes(), routes),
        }))
    }

    /// Reads a file the first pass summarised, and analyses it; `None` when it cannot be read
    /// now (it was noted in the first pass).
    pub fn load_again(&self, path: &Path) -> Option<SourceFile> {
        let (language, bytes) = analysis::read_source(path).ok()?;
        let text = analysis::decode_owned(bytes).ok()?;
        Some(self.analyse(path, language, text))
    }

    fn analyse(&self, path: &Path, language: hsl_facts::Language, text: String) -> SourceFile {
        let absolute = absolute(path);
        let overrides = self.configs.frameworks_for(&absolute);
        let mut file = analysis::from_text_with(path.to_path_buf(), language, text, &overrides);
        file.path = absolute;
        file
    }
}
