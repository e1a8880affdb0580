//! Whether a file runs in a browser: it reads a member of a global only a browser has
//! (`window.__TAURI__`, `navigator.userAgent`) and never tests such a global with `typeof`
//! (code shared with a server does). A `Response` built there (a fetch wrapper's stand-in for a
//! failed request) goes to the page's own code, not over HTTP.
//!
//! Read from the text, as a file trait (`FileTraits`): every statement's facts depend on it,
//! so a change to it reads every statement again, and a statement read alone or one inner
//! statement at a time sees the same. A mention in a comment or a string counts too, which
//! only ever makes a rule quieter.

use hsl_tables::Conditions;

/// Whether `source` reads a browser global's member and tests none with `typeof`.
pub(super) fn runs_in_browser(source: &str) -> bool {
    // Most files name none of them: one fast search each settles it.
    let globals: Vec<&String> = Conditions::get()
        .browser
        .globals
        .iter()
        .filter(|global| source.contains(global.as_str()))
        .collect();
    let reads_member = globals
        .iter()
        .any(|global| mentions(source, global, |after| after.starts_with('.')));
    reads_member
        && !globals.iter().any(|global| {
            source
                .match_indices(global.as_str())
                .any(|(at, _)| typeof_before(source, at) && word_ends(source, at + global.len()))
        })
}

/// Whether `source` names `word` as a whole identifier followed by what `then` accepts.
fn mentions(source: &str, word: &str, then: impl Fn(&str) -> bool) -> bool {
    source.match_indices(word).any(|(at, _)| {
        let starts = source
            .get(..at)
            .and_then(|before| before.chars().next_back())
            .is_none_or(|c| !is_identifier_char(c) && c != '.');
        starts && source.get(at + word.len()..).is_some_and(&then)
    })
}

/// Whether `typeof` (and spaces or an opening parenthesis) stands right before `at`.
fn typeof_before(source: &str, at: usize) -> bool {
    source
        .get(..at)
        .map(|before| before.trim_end_matches([' ', '(']))
        .is_some_and(|before| {
            before.ends_with("typeof")
                && before
                    .strip_suffix("typeof")
                    .and_then(|rest| rest.chars().next_back())
                    .is_none_or(|c| !is_identifier_char(c))
        })
}

/// Whether the identifier that ends at `at` ends there (no identifier character follows).
fn word_ends(source: &str, at: usize) -> bool {
    source
        .get(at..)
        .and_then(|after| after.chars().next())
        .is_none_or(|c| !is_identifier_char(c))
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::runs_in_browser;

    #[test]
    fn a_file_reading_window_members_runs_in_a_browser() {
        assert!(runs_in_browser(
            "if (window.__BRIDGE__) { go(navigator.userAgent) }"
        ));
    }

    #[test]
    fn a_file_testing_typeof_window_may_run_on_a_server() {
        assert!(!runs_in_browser(
            "const a = typeof window === 'undefined' ? 's' : window.navigator.userAgent;"
        ));
        assert!(!runs_in_browser(
            "if (typeof(navigator) !== 'undefined') navigator.x()"
        ));
    }

    #[test]
    fn other_names_ending_in_a_global_do_not_count() {
        assert!(!runs_in_browser(
            "const mywindow = get(); mywindow.x(); req.document.y;"
        ));
    }
}
