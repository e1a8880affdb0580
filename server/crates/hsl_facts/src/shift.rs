//! Moving facts by a byte offset: the facts of an unchanged part of a file are reused after an
//! edit before it, at their new place, instead of being extracted again.
//!
//! Every impl destructures its struct completely, so that a field added to the facts cannot be
//! forgotten here (the compiler asks for it).

use super::{
    Argument, Body, ByteRange, Condition, Context, CredentialCheck, Failure, Handler, HandlerRef,
    HeaderFact, HelperBody, HelperCall, Import, Insertion, MethodEvidence, ObjectLiteral,
    Replacement, Response, ResponseHelper, RouteRegistration, Spelling, StatusSite,
};

/// A value holding byte offsets into its file's text.
pub trait Shift {
    /// Calls `visit` with every byte offset the value holds.
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize));

    /// Adds `delta` to every byte offset. Offsets never go below zero: a delta is the distance a
    /// whole statement moved, and the statement's facts lie inside it.
    fn shift(&mut self, delta: isize) {
        self.offsets(&mut |at| *at = moved(*at, delta));
    }

    /// Whether every offset lies within `range` (ends included).
    fn lies_within(&mut self, range: &ByteRange) -> bool {
        let mut inside = true;
        self.offsets(&mut |at| inside &= range.start <= *at && *at <= range.end);
        inside
    }
}

fn moved(at: usize, delta: isize) -> usize {
    at.saturating_add_signed(delta)
}

impl Shift for ByteRange {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        visit(&mut self.start);
        visit(&mut self.end);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        if let Some(inner) = self {
            inner.offsets(visit);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        for item in self {
            item.offsets(visit);
        }
    }
}

impl Shift for Handler {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Handler {
            name: _,
            range,
            name_range,
            methods,
            words: _,
            error_type: _,
            error_aliases: _,
            response_type: _,
            default_export: _,
            declared,
            escapes,
            authenticates: _,
            params: _,
            bindings: _,
            body_calls: _,
            in_browser: _,
            typed_path: _,
        } = self;
        range.offsets(visit);
        name_range.offsets(visit);
        methods.offsets(visit);
        if let Some(declared) = declared {
            declared.offsets(visit);
        }
        for escape in escapes {
            escape.offsets(visit);
        }
    }
}

impl Shift for MethodEvidence {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let MethodEvidence {
            method: _,
            source: _,
            range,
            path: _,
            mounted_as: _,
            needs_mount: _,
        } = self;
        range.offsets(visit);
    }
}

impl Shift for RouteRegistration {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let RouteRegistration {
            methods: _,
            path: _,
            handler,
            range,
            scope: _,
            kind: _,
            declared,
        } = self;
        // Handler ids are indices, not offsets.
        let _: &HandlerRef = handler;
        range.offsets(visit);
        if let Some(declared) = declared {
            declared.offsets(visit);
        }
    }
}

impl Shift for crate::DeclaredResponses {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let crate::DeclaredResponses {
            keys: _,
            key_ranges,
            range,
            source: _,
            additions,
        } = self;
        range.offsets(visit);
        for key in key_ranges {
            key.offsets(visit);
        }
        for addition in additions {
            addition.offsets(visit);
        }
    }
}

impl Shift for Import {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Import {
            local: _,
            module: _,
            item: _,
            specifier,
        } = self;
        specifier.offsets(visit);
    }
}

impl Shift for Response {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Response {
            status,
            headers,
            headers_complete: _,
            header_insert,
            body,
            context,
            handler: _,
            role: _,
            without_body,
        } = self;
        status.offsets(visit);
        headers.offsets(visit);
        header_insert.offsets(visit);
        body.offsets(visit);
        context.offsets(visit);
        without_body.offsets(visit);
    }
}

impl Shift for StatusSite {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let StatusSite {
            code: _,
            spelling,
            range,
            framework: _,
        } = self;
        spelling.offsets(visit);
        range.offsets(visit);
    }
}

impl Shift for Spelling {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        match self {
            Spelling::Number => {}
            Spelling::Constant {
                family: _,
                name: _,
                name_range,
            }
            | Spelling::Helper {
                family: _,
                name: _,
                name_range,
            } => name_range.offsets(visit),
            Spelling::ImplicitDefault { helper: _, insert } => insert.offsets(visit),
            // The definition is in another place of the workspace: not this text's offsets.
            Spelling::ProjectHelper {
                name: _,
                defined: _,
            } => {}
        }
    }
}

impl Shift for HelperCall {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let HelperCall {
            callee: _,
            range,
            name_range,
            args,
            context,
            handler: _,
            form: _,
        } = self;
        range.offsets(visit);
        name_range.offsets(visit);
        args.offsets(visit);
        context.offsets(visit);
    }
}

impl Shift for ResponseHelper {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let ResponseHelper {
            name: _,
            owner: _,
            defined,
            status: _,
            headers,
            headers_complete: _,
            body,
        } = self;
        // A definition in another file is not this text's.
        if defined.path.is_none() {
            defined.range.offsets(visit);
        }
        headers.offsets(visit);
        match body {
            HelperBody::Content(body) => body.offsets(visit),
            HelperBody::Unknown | HelperBody::None | HelperBody::Argument(_) => {}
        }
    }
}

impl Shift for CredentialCheck {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let CredentialCheck {
            name: _,
            range,
            words: _,
        } = self;
        range.offsets(visit);
    }
}

impl Shift for Argument {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        match self {
            Argument::Status(site) => site.offsets(visit),
            Argument::Object(object) => object.offsets(visit),
            Argument::Response | Argument::Switch | Argument::Text(_) | Argument::Other => {}
        }
    }
}

impl Shift for Insertion {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Insertion { at, template: _ } = self;
        visit(at);
    }
}

impl Shift for Replacement {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Replacement { range, text: _ } = self;
        range.offsets(visit);
    }
}

impl Shift for HeaderFact {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let HeaderFact { name: _, range } = self;
        range.offsets(visit);
    }
}

impl Shift for Body {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        match self {
            Body::Unknown | Body::None | Body::Empty => {}
            Body::Object(object) => object.offsets(visit),
            Body::Opaque { range, words: _ } => range.offsets(visit),
        }
    }
}

impl Shift for ObjectLiteral {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let ObjectLiteral { range, entries: _ } = self;
        range.offsets(visit);
    }
}

impl Shift for Context {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Context {
            in_catch: _,
            in_err_arm: _,
            branch_conditions,
            failure,
            built_under,
        } = self;
        branch_conditions.offsets(visit);
        failure.offsets(visit);
        built_under.offsets(visit);
    }
}

impl Shift for Condition {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Condition {
            range,
            test: _,
            negated: _,
            words: _,
        } = self;
        range.offsets(visit);
    }
}

impl Shift for Failure {
    fn offsets(&mut self, visit: &mut dyn FnMut(&mut usize)) {
        let Failure {
            range,
            binding: _,
            pattern: _,
            tried,
            tried_words: _,
        } = self;
        range.offsets(visit);
        tried.offsets(visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LiteralValue, SiteRole};

    #[test]
    fn every_offset_of_a_response_moves() {
        let mut response = Response {
            status: StatusSite {
                code: Some(302),
                spelling: Spelling::ImplicitDefault {
                    helper: "redirect".into(),
                    insert: Some(Insertion {
                        at: 14,
                        template: "{code}, ".into(),
                    }),
                },
                range: 10..20,
                framework: "express".into(),
            },
            headers: vec![HeaderFact {
                name: "location".into(),
                range: 21..25,
            }],
            headers_complete: true,
            header_insert: Some(Insertion {
                at: 26,
                template: String::new(),
            }),
            body: Body::Object(ObjectLiteral {
                range: 30..40,
                entries: vec![("ok".into(), LiteralValue::Bool(true))],
            }),
            context: Context {
                in_catch: true,
                in_err_arm: false,
                branch_conditions: vec![Condition {
                    range: 2..3,
                    test: crate::Test::Present(crate::Operand::Path(crate::Path::of_names(&["x"]))),
                    negated: false,
                    words: crate::Words::default(),
                }],
                failure: Some(Failure {
                    range: 1..50,
                    binding: None,
                    pattern: None,
                    tried: Some(4..5),
                    tried_words: crate::Words::default(),
                }),
                built_under: vec![vec![Condition {
                    range: 60..61,
                    test: crate::Test::Present(crate::Operand::Path(crate::Path::of_names(&["y"]))),
                    negated: false,
                    words: crate::Words::default(),
                }]],
            },
            handler: Some(0),
            role: SiteRole::Sets,
            without_body: Some(Replacement {
                range: 28..41,
                text: ".end()".into(),
            }),
        };
        response.shift(100);
        assert_eq!(response.status.range, 110..120);
        assert!(matches!(
            &response.status.spelling,
            Spelling::ImplicitDefault {
                insert: Some(Insertion { at: 114, .. }),
                ..
            }
        ));
        assert_eq!(response.headers[0].range, 121..125);
        assert_eq!(response.header_insert.as_ref().map(|i| i.at), Some(126));
        assert_eq!(response.body.range(), Some(130..140));
        assert_eq!(response.context.branch_conditions[0].range, 102..103);
        assert_eq!(response.context.built_under[0][0].range, 160..161);
        let failure = response.context.failure.as_ref().expect("failure");
        assert_eq!(
            (failure.range.clone(), failure.tried.clone()),
            (101..150, Some(104..105))
        );
        assert_eq!(
            response.without_body.as_ref().map(|r| r.range.clone()),
            Some(128..141)
        );
        response.shift(-100);
        assert_eq!(response.status.range, 10..20);
    }
}
