//! Imports and framework detection: the names `import` and `require` bind, and the frameworks
//! their module specifiers name.

use tree_sitter::Node;

use super::Extractor;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::Import;

impl<'t> Extractor<'_, 't> {
    /// Records the frameworks whose packages the file imports (`express`, `@nestjs/common`).
    pub(super) fn detect_frameworks(&mut self, sources: &[Node<'t>]) {
        for node in sources {
            let Some(spec) = string_value(*node, self.source) else {
                continue;
            };
            for table in &self.tables {
                let hit = table
                    .detect
                    .imports
                    .iter()
                    .any(|import| spec == *import || spec.starts_with(&format!("{import}/")));
                if hit && !self.facts.frameworks.contains(&table.id) {
                    self.facts.frameworks.push(table.id.clone());
                }
            }
        }
    }

    /// Binds local names to module specifiers: `import * as u from './u'`, `import { a } from`,
    /// `const u = require('./u')`, `const { a } = require('./u')`.
    pub(super) fn collect_imports(&mut self, sources: &[Node<'t>]) {
        for node in sources {
            let Some(module) = string_value(*node, self.source) else {
                continue;
            };
            let Some(statement) = self.parents.parent(node) else {
                continue;
            };
            if statement.kind() == "import_statement" {
                for clause in named_children(statement) {
                    if clause.kind() == "import_clause" {
                        self.collect_import_clause(clause, &module);
                    }
                }
                continue;
            }
            // require('x'): the declarator around the call names the binding.
            let declarator = self
                .parents
                .ancestors(*node)
                .take(4)
                .find(|ancestor| ancestor.kind() == "variable_declarator");
            let Some(declarator) = declarator else {
                continue;
            };
            let Some(name) = declarator.child_by_field_name("name") else {
                continue;
            };
            match name.kind() {
                "identifier" => self.facts.imports.push(Import {
                    local: text(name, self.source).to_string(),
                    module: module.clone(),
                    item: None,
                    specifier: None,
                }),
                "object_pattern" => {
                    for property in named_children(name) {
                        self.push_pattern_import(property, &module);
                    }
                }
                _ => {}
            }
        }
    }

    /// The names one `import` clause binds: a default, a namespace, named imports.
    pub(super) fn collect_import_clause(&mut self, clause: Node<'t>, module: &str) {
        for part in named_children(clause) {
            match part.kind() {
                "identifier" => self.facts.imports.push(Import {
                    local: text(part, self.source).to_string(),
                    module: module.to_string(),
                    item: Some("default".to_string()),
                    specifier: None,
                }),
                "namespace_import" => {
                    if let Some(name) = named_children(part).into_iter().next() {
                        self.facts.imports.push(Import {
                            local: text(name, self.source).to_string(),
                            module: module.to_string(),
                            item: None,
                            specifier: None,
                        });
                    }
                }
                "named_imports" => {
                    for specifier in named_children(part) {
                        let Some(name) = specifier.child_by_field_name("name") else {
                            continue;
                        };
                        let alias = specifier.child_by_field_name("alias").unwrap_or(name);
                        self.facts.imports.push(Import {
                            local: text(alias, self.source).to_string(),
                            module: module.to_string(),
                            item: Some(text(name, self.source).to_string()),
                            // Only an unaliased specifier can take a sibling name beside it.
                            specifier: (alias.id() == name.id()).then(|| specifier.byte_range()),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// A name a destructuring `require` binds: `{ a }` or `{ a: b }`.
    pub(super) fn push_pattern_import(&mut self, property: Node<'t>, module: &str) {
        match property.kind() {
            "shorthand_property_identifier_pattern" => {
                let name = text(property, self.source).to_string();
                self.facts.imports.push(Import {
                    local: name.clone(),
                    module: module.to_string(),
                    item: Some(name),
                    specifier: Some(property.byte_range()),
                });
            }
            "pair_pattern" => {
                let key = property.child_by_field_name("key");
                let value = property.child_by_field_name("value");
                if let (Some(key), Some(value)) = (key, value) {
                    self.facts.imports.push(Import {
                        local: text(value, self.source).to_string(),
                        module: module.to_string(),
                        item: Some(text(key, self.source).to_string()),
                        specifier: None,
                    });
                }
            }
            _ => {}
        }
    }
}
