//! Which `include`/`exclude` globs are accepted: gitignore syntax, read strictly.

use ignore::gitignore::GitignoreBuilder;

/// Checks one glob line; the error says why it cannot be used. Stricter than git, which reads
/// an unclosed `[` as a literal character and a blank or `#` line as nothing: in a config those
/// are mistakes that would make `include` match no file (and `check` pass having checked none)
/// or make an `exclude` exclude nothing.
pub fn check(glob: &str) -> Result<(), String> {
    if glob.trim().is_empty() {
        return Err("an empty glob matches nothing".to_string());
    }
    if glob.starts_with('#') {
        return Err(
            "a glob starting with `#` is a comment in gitignore syntax and matches nothing; write `\\#` to match a leading `#`"
                .to_string(),
        );
    }
    let mut alone = GitignoreBuilder::new("");
    alone.allow_unclosed_class(false);
    alone.add_line(None, glob).map_err(|err| err.to_string())?;
    alone.build().map(|_| ()).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn unclosed_classes_blank_lines_and_comments_are_refused() {
        for bad in [
            "[",
            "src/[a",
            "",
            "  ",
            "#generated",
            "src/{a",
            "[z-a]",
            "a\\",
        ] {
            assert!(check(bad).is_err(), "{bad:?} should be refused");
        }
        for good in [
            "src/",
            "*.test.ts",
            "!keep.ts",
            "[ab].js",
            "\\#x",
            "**/gen/**",
        ] {
            assert_eq!(check(good), Ok(()), "{good:?}");
        }
    }
}
