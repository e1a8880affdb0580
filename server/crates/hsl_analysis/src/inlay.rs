//! Inlay hints: the IANA name after a bare number in a status position (`422⟨Unprocessable
//! Content⟩`). Byte offsets only.

use hsl_facts::{ByteRange, Spelling};
use hsl_status_codes as status_codes;

use super::SourceFile;

/// A label shown at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    /// The code, for a tooltip.
    pub code: u16,
}

/// Hints for the number sites that end inside `range`, in source order.
pub fn inlay_hints(file: &SourceFile, range: ByteRange) -> Vec<InlayHint> {
    let mut hints: Vec<InlayHint> = file
        .facts
        .responses
        .iter()
        .filter(|r| r.status.spelling == Spelling::Number)
        .filter(|r| range.start <= r.status.range.end && r.status.range.end <= range.end)
        .filter_map(|r| {
            let code = r.status.code?;
            let entry = status_codes::lookup(code).filter(|e| e.is_registered())?;
            Some(InlayHint {
                offset: r.status.range.end,
                label: entry.name.clone(),
                code,
            })
        })
        .collect();
    hints.sort_by_key(|hint| hint.offset);
    hints.dedup_by_key(|hint| hint.offset);
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_text;
    use hsl_facts::Language;
    use std::path::PathBuf;

    #[test]
    fn hint_after_number() {
        let text = "app.get('/a', (req, res) => { res.status(422).json({}); });";
        let file = from_text(
            PathBuf::from("a.js"),
            Language::JavaScript,
            text.to_string(),
        );
        let hints = inlay_hints(&file, 0..text.len());
        let end = text.find("422").expect("422") + 3;
        assert_eq!(
            hints,
            vec![InlayHint {
                offset: end,
                label: "Unprocessable Content".into(),
                code: 422
            }]
        );
    }
}
