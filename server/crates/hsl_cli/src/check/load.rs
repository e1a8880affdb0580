//! Reading one file for a run: refused (binary, non-UTF-8, generated), analysed when its bytes
//! may hold a status site, else summarised by the names it calls and mentions, so that the
//! later steps find the files they need without reading every file again.
//!
//! An analysed file is kept whole only while the run's budget lasts; past it, only what the
//! index reads of it is kept and the file is read and analysed again when it is reported, so
//! what a run holds stays about the same however many files it checks.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use hsl_analysis::scan::{Scan, Scanner};
use hsl_analysis::tokens::Names;
use hsl_analysis::walk::{Origin, Prefilter};
use hsl_analysis::{self as analysis, SourceFile};
use hsl_config::{Resolver, absolute, default_excludes};
use hsl_facts::language::Family;

/// Bytes of text whose files' whole analyses a run keeps from the first pass to the report
/// (their facts take about twice their text). Within it a run parses each file once; past it
/// the rest are read and analysed again when they are reported, instead of the run's memory
/// growing with them. On the five-checkout corpus of issue 15 (4.7 MiB of analysed text),
/// interleaved runs gave: 1 MiB, peak RSS 31 MiB and 2.5 s CPU (no less than before the
/// scanner: the re-analyses eat what it saves); 3 MiB, 40 MiB and 2.1 s; everything kept
/// (8 MiB), 50 MiB and 1.75 s. CPU comes first here: a tree of this size is parsed once.
pub const KEPT_TEXT_BUDGET: usize = 8 << 20;

/// What the first pass made of a file.
pub enum Loaded {
    /// Boxed: the first pass holds one `Loaded` per file of the tree at once.
    Analysed(Box<Analysis>),
    /// Holds no status site: what later steps may need of it.
    Filtered(Summary),
}

/// An analysed file: what the index reads of it, and the whole analysis while the budget lasts.
pub struct Analysis {
    /// [`SourceFile::index_part`].
    pub index: SourceFile,
    /// The whole analysis; `None` once the budget is spent (the report reads the file again).
    pub full: Option<Box<SourceFile>>,
    /// Its handlers that send a status whose rules need the method, and whose method the file
    /// does not prove: the names a registration elsewhere may give one.
    pub unregistered: Vec<String>,
    /// The path the file was read by (the walk's): reading it again by the same path gives the
    /// same facts (a helper's location keeps the path it was read by).
    pub read_as: PathBuf,
}

/// A file the first pass did not parse: its family, whether it may register a route, and the
/// names it calls (and, if it may register a route, every name it mentions).
pub struct Summary {
    pub family: Family,
    pub routes: bool,
    pub names: Names,
    /// Whether it names the `Authorization` header (`tables::credential_literals`): it may
    /// define a credential check that handlers in other files call by name.
    pub credentials: bool,
}

/// The first pass's shared inputs.
pub struct Reader<'a> {
    pub scanner: Scanner,
    /// [`Summary::credentials`]'s literals.
    pub credentials: Prefilter,
    pub configs: &'a Resolver,
    pub force_exclude: bool,
    /// Text bytes whose whole analyses may still be kept.
    pub budget: AtomicUsize,
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
            let analysis = self.kept(path, self.analyse(path, language, text));
            return Ok(Loaded::Analysed(Box::new(analysis)));
        }
        let routes = scan == Scan::Routes;
        Ok(Loaded::Filtered(Summary {
            family,
            routes,
            names: Names::of(text.as_bytes(), routes),
            credentials: self.credentials.passes(text.as_bytes()),
        }))
    }

    /// Reads a file the first pass summarised, and analyses it; `None` when it cannot be read
    /// now (it was noted in the first pass).
    pub fn load_again(&self, path: &Path) -> Option<Analysis> {
        read_whole(self.configs, path).map(|file| self.kept(path, file))
    }

    /// The analysis of `file`, kept whole if the budget allows.
    fn kept(&self, path: &Path, file: SourceFile) -> Analysis {
        let size = file.text.len();
        let fits = self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(size)
            })
            .is_ok();
        Analysis {
            index: file.index_part(),
            unregistered: unregistered_handlers(&file),
            full: fits.then(|| Box::new(file)),
            read_as: path.to_path_buf(),
        }
    }

    fn analyse(&self, path: &Path, language: hsl_facts::Language, text: String) -> SourceFile {
        analyse(self.configs, path, language, text)
    }
}

/// Reads and analyses a file whole: what the report does for a file the budget did not keep.
/// `None` when it cannot be read now.
pub fn read_whole(configs: &Resolver, path: &Path) -> Option<SourceFile> {
    let (language, bytes) = analysis::read_source(path).ok()?;
    let text = analysis::decode_owned(bytes).ok()?;
    Some(analyse(configs, path, language, text))
}

/// Analyses a file's text with its config's framework overrides; the file is named by its
/// absolute path.
fn analyse(
    configs: &Resolver,
    path: &Path,
    language: hsl_facts::Language,
    text: String,
) -> SourceFile {
    let absolute = absolute(path);
    let overrides = configs.frameworks_for(&absolute);
    let mut file = analysis::from_text_with(path.to_path_buf(), language, text, &overrides);
    file.path = absolute;
    file
}

/// The names of the handlers of `file` that send a status whose rules need the method, and
/// whose method their own file does not prove.
fn unregistered_handlers(file: &SourceFile) -> Vec<String> {
    let facts = &file.facts;
    let needs_method = |id: usize| {
        facts.responses.iter().any(|response| {
            response.handler == Some(id)
                && response.role == hsl_facts::SiteRole::Sets
                && response.status.code.is_some_and(hsl_rules::needs_method)
        })
    };
    facts
        .handlers
        .iter()
        .enumerate()
        .filter(|(id, handler)| handler.methods.is_empty() && needs_method(*id))
        .filter_map(|(_, handler)| handler.name.clone())
        .collect()
}
