//! Fact shifting (`hsl_facts::shift`), the step that lets the language server reuse a
//! statement's facts after an edit before it: for any fixture and any padding put before it,
//! the facts of the padded text are the facts of the text moved by the padding's length, and
//! moving facts there and back leaves them as they were.

// A test stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hsl_facts::shift::Shift;
use hsl_facts::{FileFacts, Language};
use proptest::prelude::*;

/// Every fixture and example app with its language, read once.
fn sources() -> &'static [(Language, String)] {
    static SOURCES: OnceLock<Vec<(Language, String)>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests");
        let mut found: Vec<PathBuf> = Vec::new();
        let mut stack = vec![root.join("fixtures"), root.join("apps")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() && path.file_name().is_some_and(|n| n != "node_modules") {
                    stack.push(path);
                } else if Language::of_path(&path).is_some() {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
            .into_iter()
            .filter_map(|path| {
                Some((
                    Language::of_path(&path)?,
                    std::fs::read_to_string(&path).ok()?,
                ))
            })
            .collect()
    })
}

/// Everything of the facts that holds an offset, moved by `delta`.
fn shifted(mut facts: FileFacts, delta: isize) -> FileFacts {
    facts.handlers.shift(delta);
    facts.registrations.shift(delta);
    facts.imports.shift(delta);
    facts.responses.shift(delta);
    facts.helper_calls.shift(delta);
    facts.helpers.shift(delta);
    facts.credential_checks.shift(delta);
    facts
}

/// Text that changes no statement: blank lines, spaces and comments.
fn padding() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("\n".to_string()),
            Just("  ".to_string()),
            Just("// a comment, with é\n".to_string()),
            Just("/* a block\n comment */".to_string()),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn facts_of_padded_text_are_the_facts_shifted(pick in any::<prop::sample::Index>(), pad in padding()) {
        let (language, text) = pick.get(sources());
        let (facts, _) = hsl_syntax::analyze(*language, text);
        let (padded, _) = hsl_syntax::analyze(*language, &format!("{pad}{text}"));
        let delta = isize::try_from(pad.len()).unwrap_or(isize::MAX);
        prop_assert_eq!(format!("{padded:?}"), format!("{:?}", shifted(facts, delta)));
    }

    #[test]
    fn shifting_there_and_back_changes_nothing(pick in any::<prop::sample::Index>(), by in 0usize..100_000) {
        let (language, text) = pick.get(sources());
        let (facts, _) = hsl_syntax::analyze(*language, text);
        let delta = isize::try_from(by).unwrap_or(isize::MAX);
        let before = format!("{facts:?}");
        let mut responses = facts.responses.clone();
        let whole = 0..text.len();
        let moved = whole.start + by..whole.end + by;
        prop_assert!(responses.lies_within(&whole));
        responses.shift(delta);
        prop_assert!(responses.lies_within(&moved));
        prop_assert!(by == 0 || responses.is_empty() || !responses.lies_within(&(0..whole.start + by - 1)));
        let back = shifted(shifted(facts, delta), -delta);
        prop_assert_eq!(format!("{back:?}"), before);
    }
}
