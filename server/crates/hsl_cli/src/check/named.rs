//! The paths named on the command line, and how paths are shown.

use std::path::{Path, PathBuf};

use hsl_config::working_dir;

/// Whether a path named on the command line can be checked: it exists, is a regular file or a
/// directory, and can be read. Anything else stops the run (exit 2): a path the user named
/// and that cannot be checked is never passed over with a mere note.
pub fn check(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            format!("{shown}: no such file or directory")
        } else {
            format!("{shown}: cannot be read: {err}")
        }
    })?;
    if metadata.is_dir() {
        std::fs::read_dir(path).map_err(|err| format!("{shown}: cannot be read: {err}"))?;
        return Ok(());
    }
    if metadata.is_file() {
        std::fs::File::open(path).map_err(|err| format!("{shown}: cannot be read: {err}"))?;
        return Ok(());
    }
    Err(format!(
        "{shown}: not a regular file or directory (a pipe, socket or device is never read)"
    ))
}

/// A path as reports name it, byte for byte: relative to the working directory when below it,
/// without a leading `./`.
pub fn shown_path(path: &Path) -> PathBuf {
    let shown = if path.is_absolute() {
        // Config lookups join the working directory as given (not canonicalised).
        let given = std::env::current_dir().unwrap_or_default();
        path.strip_prefix(working_dir())
            .or_else(|_| path.strip_prefix(&given))
            .unwrap_or(path)
    } else {
        path
    };
    match shown.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => shown.to_path_buf(),
    }
}

/// [`shown_path`] as text; a name that is not UTF-8 shows U+FFFD for each bad byte.
pub fn display_path(path: &Path) -> String {
    shown_path(path).to_string_lossy().into_owned()
}
