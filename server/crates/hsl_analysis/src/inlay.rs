//! Inlay hints: the IANA name after a bare number in a status position (`422⟨Unprocessable
//! Content⟩`), and the status a call or decorator sends without writing one, where it hides
//! (`res.redirect⟨302 Found⟩(url)`, NestJS `@Post⟨201 Created⟩()`, `NextResponse.redirect⟨307
//! Temporary Redirect⟩(url)`). Byte offsets only.

use hsl_facts::{ByteRange, SiteRole, Spelling};
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
        .filter(|r| range.start <= r.status.range.end && r.status.range.end <= range.end)
        .filter_map(|r| {
            let code = r.status.code?;
            let entry = status_codes::lookup(code).filter(|e| e.is_registered())?;
            let label = match &r.status.spelling {
                Spelling::Number => entry.name.clone(),
                // The code is written nowhere: show it with its name.
                Spelling::ImplicitDefault { .. } if r.role == SiteRole::Sets => {
                    format!("{code} {}", entry.name)
                }
                // A redirect builder whose constructor's name does not say its code (actix
                // `Redirect::to(url)` is 307).
                Spelling::Helper { family, .. }
                    if r.role == SiteRole::Sets
                        && hsl_tables::Tables::get().helper_family(family).is_some() =>
                {
                    format!("{code} {}", entry.name)
                }
                _ => return None,
            };
            Some(InlayHint {
                offset: r.status.range.end,
                label,
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

    fn labels(path: &str, language: Language, text: &str) -> Vec<String> {
        let file = from_text(PathBuf::from(path), language, text.to_string());
        inlay_hints(&file, 0..text.len())
            .into_iter()
            .map(|hint| hint.label)
            .collect()
    }

    #[test]
    fn implicit_statuses_are_shown_where_they_hide() {
        assert_eq!(
            labels(
                "a.js",
                Language::JavaScript,
                "const express = require('express');\nconst app = express();\napp.post('/a', (req, res) => res.redirect('/b'));\n",
            ),
            vec!["302 Found"]
        );
        assert_eq!(
            labels(
                "route.ts",
                Language::TypeScript,
                "import { NextResponse } from 'next/server';\nexport async function GET() {\n  return NextResponse.redirect(new URL('/b'));\n}\n",
            ),
            vec!["307 Temporary Redirect"]
        );
        assert_eq!(
            labels(
                "c.ts",
                Language::TypeScript,
                "import { Controller, Post } from '@nestjs/common';\n@Controller('items')\nexport class Items {\n  @Post()\n  create() {\n    return {};\n  }\n}\n",
            ),
            vec!["201 Created"]
        );
        assert_eq!(
            labels(
                "main.rs",
                Language::Rust,
                "use actix_web::{post, web::Redirect};\n#[post(\"/a\")]\nasync fn a() -> Redirect {\n    Redirect::to(\"/b\")\n}\n",
            ),
            vec!["307 Temporary Redirect"]
        );
    }

    #[test]
    fn explicit_codes_get_no_second_hint() {
        assert_eq!(
            labels(
                "a.js",
                Language::JavaScript,
                "const express = require('express');\nconst app = express();\napp.post('/a', (req, res) => res.redirect(303, '/b'));\n",
            ),
            vec!["See Other"]
        );
    }
}
