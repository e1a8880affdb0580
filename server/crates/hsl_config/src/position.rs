//! Positions and suggestions for config problems, computed so that a file with any number of
//! problems is reported in time linear in its size.

/// 1-based line and character column of each byte offset, in the order given. One pass over the
/// text serves every offset, so reporting many problems costs no more than reading the file: the
/// earlier per-problem scan from the start of the text made 40,000 unknown keys take half a
/// minute. An offset inside a character counts as that character's start; one past the end of
/// the text as the position after its last character.
pub fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&index| offsets[index]);
    let mut positions = vec![(1, 1); offsets.len()];
    let mut pending = order.into_iter().peekable();
    let (mut line, mut column) = (1, 1);
    for (start, ch) in text.char_indices() {
        let end = start + ch.len_utf8();
        while let Some(&index) = pending.peek() {
            if offsets[index] >= end {
                break;
            }
            positions[index] = (line, column);
            pending.next();
        }
        if ch == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    for index in pending {
        positions[index] = (line, column);
    }
    positions
}

/// 1-based line and character column of one byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    line_cols(text, &[offset])
        .first()
        .copied()
        .unwrap_or((1, 1))
}

/// ` (did you mean `x`?)` for the nearest choice within a small edit distance, else nothing.
pub fn suggestion<'c>(given: &str, choices: impl Iterator<Item = &'c str>) -> String {
    nearest(given, choices)
        .map(|choice| format!(" (did you mean `{choice}`?)"))
        .unwrap_or_default()
}

/// The choice `given` most likely misspells: one it abbreviates (`warn` for `warning`), else
/// the nearest within a small edit distance.
pub fn nearest<'c>(given: &str, choices: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let choices: Vec<&str> = choices.collect();
    let prefixed = choices.iter().find(|choice| {
        given.chars().count() >= 3 && choice.starts_with(given) && **choice != given
    });
    if let Some(choice) = prefixed {
        return Some(choice);
    }
    let (d, choice) = choices
        .iter()
        .map(|choice| (strsim::levenshtein(given, choice), *choice))
        .min_by_key(|(d, _)| *d)?;
    (d > 0 && d <= (given.chars().count() / 3).max(2)).then_some(choice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("é = 1\nabc", 8), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
        assert_eq!(line_col("é", 1), (1, 1), "inside a character: its start");
    }

    #[test]
    fn many_offsets_in_any_order_match_one_at_a_time() {
        let text = "a = 1\nbé = [\n  \"x\",\n]\n\nzz";
        let offsets: Vec<usize> = (0..=text.len() + 2).rev().collect();
        let all = line_cols(text, &offsets);
        for (offset, position) in offsets.iter().zip(all) {
            let end = (*offset).min(text.len());
            let expected_line = text.as_bytes()[..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            assert_eq!(position.0, expected_line, "offset {offset}");
        }
        assert_eq!(line_cols(text, &[9, 0]), vec![(2, 3), (1, 1)]);
    }

    #[test]
    fn nearest_prefers_abbreviations_then_small_distances() {
        let levels = ["error", "warning", "info", "hint", "off"];
        assert_eq!(nearest("warn", levels.iter().copied()), Some("warning"));
        assert_eq!(nearest("eror", levels.iter().copied()), Some("error"));
        assert_eq!(nearest("banana", levels.iter().copied()), None);
    }
}
