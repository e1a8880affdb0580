//! Fixes as text edits, spelled in the idiom of the site they change.
//!
//! A fix keeps the spelling family of the code it edits: a number stays a number,
//! `StatusCode::FOUND` becomes `StatusCode::SEE_OTHER`, a helper with an implicit default gets
//! the explicit code in that helper's argument order. The spellings come from the tables.

use hsl_facts::{ByteRange, Family, FileFacts, Spelling, StatusSite};
use hsl_status_codes as status_codes;
use hsl_tables::Tables;

/// One replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: ByteRange,
    pub new_text: String,
}

/// Whether a fix may be applied without a human looking (ruff's safe/unsafe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Touches only the flagged site, keeps its idiom, does exactly what the message says.
    Safe,
    /// Picks between codes by context, removes code, or edits beyond the site.
    Suggested,
}

impl Applicability {
    /// The name the JSON output and docs use.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Suggested => "suggested",
        }
    }
}

/// A titled set of edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Imperative, names the result: "Use `303 See Other`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix `--fix` and fix-all may apply.
    pub fn safe(title: String, edits: Vec<Edit>) -> Fix {
        Fix {
            title,
            applicability: Applicability::Safe,
            edits,
        }
    }

    /// A fix offered for a human to choose.
    pub fn suggested(title: String, edits: Vec<Edit>) -> Fix {
        Fix {
            title,
            applicability: Applicability::Suggested,
            edits,
        }
    }
}

/// The edit that makes a site say `code` instead, in the site's own spelling; `None` when the
/// site's family has no spelling for that code.
pub fn respell(site: &StatusSite, code: u16) -> Option<Edit> {
    match &site.spelling {
        Spelling::Number => Some(Edit {
            range: site.range.clone(),
            new_text: code.to_string(),
        }),
        Spelling::Constant {
            family, name_range, ..
        } => {
            let name = constant_name(family, code)?;
            Some(Edit {
                range: name_range.clone(),
                new_text: name,
            })
        }
        Spelling::Helper {
            family, name_range, ..
        } => {
            let name = Tables::get().family_member(family, code)?;
            Some(Edit {
                range: name_range.clone(),
                new_text: name.to_string(),
            })
        }
        Spelling::ImplicitDefault { insert, .. } => {
            let insert = insert.as_ref()?;
            Some(Edit {
                range: insert.at..insert.at,
                new_text: insert.template.replace("{code}", &code.to_string()),
            })
        }
        // The code is written in the helper, which other calls share: no edit at one call.
        Spelling::ProjectHelper { .. } => None,
    }
}

/// [`respell`], plus the import a switched name needs: when the site's new name (NestJS
/// `ForbiddenException` for `UnauthorizedException`) is not imported but the old one is,
/// by a plain named specifier, the new name is added beside it.
pub fn respell_in_file(facts: &FileFacts, site: &StatusSite, code: u16) -> Option<Vec<Edit>> {
    let edit = respell(site, code)?;
    let Spelling::Helper { name, .. } = &site.spelling else {
        return Some(vec![edit]);
    };
    let new_name = edit.new_text.clone();
    let imported = |item: &str| facts.imports.iter().any(|import| import.local == item);
    if !imported(name) || imported(&new_name) {
        return Some(vec![edit]);
    }
    // The old name is imported; the new one must be too, or the fix would not compile.
    let beside = facts
        .imports
        .iter()
        .find(|import| &import.local == name && import.item.as_deref() == Some(name.as_str()))?
        .specifier
        .clone()?;
    Some(vec![
        Edit {
            range: beside.end..beside.end,
            new_text: format!(", {new_name}"),
        },
        edit,
    ])
}

/// The suggested fix "Use `<code>`" in the site's idiom (with the import a switched name
/// needs), shared by the rules whose fix is another status.
pub fn use_code(facts: &FileFacts, site: &StatusSite, code: u16) -> Option<Fix> {
    let edits = respell_in_file(facts, site, code)?;
    Some(Fix::suggested(
        format!("Use `{}`", hsl_status_codes::label(code)),
        edits,
    ))
}

/// How a constant family names a code (`SEE_OTHER` for the http crate's 303).
pub fn constant_name(family: &str, code: u16) -> Option<String> {
    let family = Tables::get().constant_family(family)?;
    if let Some((name, _)) = family.names.iter().find(|(_, value)| **value == code) {
        return Some(name.clone());
    }
    let column = family.registry_column.as_deref()?;
    status_codes::lookup(code)?
        .column(column)
        .map(str::to_string)
}

/// How a constant family writes `code` in full, from its table's spelling
/// (`StatusCodes.CREATED`, `StatusCode::CREATED`, `Status::Created`); `None` when the family
/// has no name for the code.
pub fn spell_in_family(family: &str, code: u16) -> Option<String> {
    let spelling = &Tables::get().constant_family(family)?.spelling;
    let name = constant_name(family, code)?;
    Some(spelling.replace("{name}", &name))
}

/// The edit that writes a bare-number site as the constant of `family` for `code`, with
/// `prefix` (how the file itself writes the family before a name: `StatusCodes.`,
/// `HttpStatus.`) in front of the name. `None` when the site is not a number, the family has
/// no name for the code, or its constants cannot stand where the number stands: only the
/// JavaScript families qualify, whose constants are numbers; a Rust number sits inside
/// `StatusCode::from_u16(..)`, `Status::new(..)` or an attribute, where a constant does not
/// type-check.
pub fn number_to_constant(
    site: &StatusSite,
    family: &str,
    prefix: &str,
    code: u16,
) -> Option<Edit> {
    if site.spelling != Spelling::Number {
        return None;
    }
    let js_family = Tables::get()
        .for_language(Family::JavaScript)
        .any(|framework| {
            framework
                .constant_families
                .iter()
                .any(|candidate| candidate.id == family)
        });
    if !js_family || !is_js_framework(&site.framework) {
        return None;
    }
    let name = constant_name(family, code)?;
    Some(Edit {
        range: site.range.clone(),
        new_text: format!("{prefix}{name}"),
    })
}

/// Whether a framework table (a `StatusSite::framework`) is for JavaScript and TypeScript.
pub fn is_js_framework(id: &str) -> bool {
    Tables::get()
        .for_language(Family::JavaScript)
        .any(|framework| framework.id == id)
}

/// Applies non-overlapping edits to a text; overlapping or out-of-range edits are skipped so
/// that a bad fix cannot corrupt the file. Returns the text and how many edits were applied.
pub fn apply(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut applied = 0;
    for edit in sorted {
        // `get` refuses a range that is out of the text or splits a character.
        let (Some(before), Some(_)) = (
            text.get(cursor..edit.range.start),
            text.get(edit.range.clone()),
        ) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&edit.new_text);
        cursor = edit.range.end;
        applied += 1;
    }
    out.push_str(text.get(cursor..).unwrap_or_default());
    (out, applied)
}

#[cfg(test)]
mod tests {
    /// A constant family's `registry_column` names a column of `registry.csv`: the tables
    /// crate cannot see the registry, and a misspelled column would leave every name unknown.
    #[test]
    fn registry_columns_of_constant_families_exist() {
        let Some(entry) = status_codes::registry().first() else {
            panic!("an empty registry");
        };
        for framework in &Tables::get().frameworks {
            for family in &framework.constant_families {
                if let Some(column) = &family.registry_column {
                    assert!(
                        entry.columns.contains_key(column),
                        "{}.toml: constant_families `{}`: registry_column `{column}` is not a \
                         column of registry.csv",
                        framework.id,
                        family.id
                    );
                }
            }
        }
    }

    /// Switching NestJS exception classes also imports the new class beside the old one.
    #[test]
    fn switched_exception_class_is_imported() {
        use hsl_facts::{Language, SiteRole};
        let source = "import { Controller, UnauthorizedException } from '@nestjs/common';\n@Controller('p')\nexport class P {\n  @Get()\n  find(@Req() req) {\n    throw new UnauthorizedException();\n  }\n}\n";
        let (facts, _) = hsl_syntax::analyze(Language::TypeScript, source);
        let site = &facts
            .responses
            .iter()
            .find(|r| r.role == SiteRole::Sets && r.status.code == Some(401))
            .expect("the 401")
            .status;
        let fix = use_code(&facts, site, 403).expect("a fix");
        let (fixed, applied) = apply(source, &fix.edits);
        assert_eq!(applied, 2);
        assert!(fixed.starts_with(
            "import { Controller, UnauthorizedException, ForbiddenException } from '@nestjs/common';"
        ));
        assert!(fixed.contains("throw new ForbiddenException();"));
        // Already imported: only the name changes.
        let both = source.replace(
            "UnauthorizedException }",
            "UnauthorizedException, ForbiddenException }",
        );
        let (facts, _) = hsl_syntax::analyze(Language::TypeScript, &both);
        let site = &facts
            .responses
            .iter()
            .find(|r| r.status.code == Some(401))
            .expect("the 401")
            .status;
        assert_eq!(use_code(&facts, site, 403).expect("a fix").edits.len(), 1);
    }

    use super::*;

    #[test]
    fn apply_skips_overlaps() {
        let edits = vec![
            Edit {
                range: 0..3,
                new_text: "303".into(),
            },
            Edit {
                range: 1..2,
                new_text: "x".into(),
            },
        ];
        assert_eq!(apply("302;", &edits), ("303;".to_string(), 1));
    }

    #[test]
    fn http_constant_names_come_from_the_registry() {
        assert_eq!(
            constant_name("http-status-code", 303).as_deref(),
            Some("SEE_OTHER")
        );
        assert_eq!(constant_name("http-status-code", 306), None);
    }

    #[test]
    fn numbers_become_constants_only_in_js_families() {
        assert_eq!(
            spell_in_family("npm-status-codes", 201).as_deref(),
            Some("StatusCodes.CREATED")
        );
        assert_eq!(
            spell_in_family("http-status-code", 201).as_deref(),
            Some("StatusCode::CREATED")
        );
        let site = |framework: &str| StatusSite {
            code: Some(201),
            spelling: Spelling::Number,
            range: 4..7,
            framework: framework.to_string(),
        };
        let edit = number_to_constant(&site("express"), "npm-status-codes", "StatusCodes.", 201);
        assert_eq!(
            edit.map(|edit| edit.new_text).as_deref(),
            Some("StatusCodes.CREATED")
        );
        assert!(
            number_to_constant(&site("axum"), "http-status-code", "StatusCode::", 201).is_none()
        );
        assert!(
            number_to_constant(&site("express"), "npm-status-codes", "StatusCodes.", 2000)
                .is_none()
        );
    }
}
