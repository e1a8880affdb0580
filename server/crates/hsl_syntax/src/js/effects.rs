//! What a framework call does to a response (sets a status, a header, a body, ends it), read
//! through its table entry.

use tree_sitter::Node;

use super::nodes::{chain_root, member_path};
use super::{ChainCall, Effect, Extractor, InsertionSite};
use crate::node_util::{integer_value, text};
use hsl_facts::{Body, ByteRange, HeaderFact, Replacement, Spelling};
use hsl_tables::{FixedBody, KeepsStatus, RedirectHelper, ResponseCall};

/// Drops a helper's default status when the same response already set one that the helper
/// keeps (Fastify's `reply.code(303).redirect(url)`; Koa's `ctx.status = 301; ctx.redirect(url)`
/// keeps a redirect code). An earlier status whose value is unknown makes the default unknown.
pub(super) fn keep_earlier_statuses(effects: Vec<Effect<'_>>) -> Vec<Effect<'_>> {
    const REDIRECTS: &[u16] = &[300, 301, 302, 303, 305, 307, 308];
    let mut out: Vec<Effect<'_>> = Vec::with_capacity(effects.len());
    let mut earlier: Option<Option<u16>> = None;
    for mut effect in effects {
        if let Effect::Status { code, keeps, .. } = &mut effect {
            match (*keeps, earlier) {
                (Some(KeepsStatus::Any), Some(_)) => continue,
                (Some(KeepsStatus::Redirect), Some(Some(set))) if REDIRECTS.contains(&set) => {
                    continue;
                }
                (Some(KeepsStatus::Redirect), Some(None)) => *code = None,
                _ => {}
            }
            earlier = Some(*code);
        }
        out.push(effect);
    }
    out
}

impl<'t> Extractor<'_, 't> {
    /// What one call of a chain does to the response, as its table entry says: appended to
    /// `effects`. `finish` is the call that ends the response without a body, for the fix that
    /// drops one.
    pub(super) fn effects_of_call(
        &self,
        entry: &'static ResponseCall,
        finish: Option<&str>,
        link: &ChainCall<'t>,
        effects: &mut Vec<Effect<'t>>,
    ) {
        let site = self.insertion_site(entry, link);
        let first_status = effects.len();
        self.named_header_effects(entry, link, effects);
        match &entry.redirect {
            Some(redirect) => self.redirect_effects(redirect, link, &site, effects),
            None => {
                if let Some(index) = entry.status_arg
                    && let Some(arg) = link.args.get(index)
                {
                    effects.push(self.status_effect(*arg));
                }
                if let Some(index) = entry.init_arg
                    && let Some(arg) = link.args.get(index)
                {
                    self.init_effects(*arg, effects);
                }
            }
        }
        // Statuses this call sets explicitly learn where a header goes.
        if let Some(spec) = &entry.header_insert {
            for effect in &mut effects[first_status..] {
                if let Effect::Status {
                    spelling,
                    header_insert,
                    ..
                } = effect
                    && !matches!(spelling, Spelling::ImplicitDefault { .. })
                {
                    *header_insert = self.insertion(spec, &site);
                }
            }
        }
        if let Some(code) = entry.implicit_status {
            effects.push(self.implicit_effect(entry, code, link, &site));
        }
        self.body_effects(entry, finish, link, effects);
        if entry.ends {
            effects.push(Effect::Ends);
        }
    }

    /// The call as the table's insertion forms see it.
    fn insertion_site<'a>(
        &'a self,
        entry: &ResponseCall,
        link: &'a ChainCall<'t>,
    ) -> InsertionSite<'a, 't> {
        InsertionSite {
            call: link.call,
            method: Some(link.method_node),
            args: &link.args,
            receiver: chain_root(link.call)
                .filter(|root| matches!(root.kind(), "identifier" | "this"))
                .map(|root| text(root, self.source)),
            init_arg: entry.init_arg,
            headers_arg: entry.headers_arg,
        }
    }

    /// The headers a call names: the one it always sets, a name argument, a headers argument,
    /// and the headers of options objects.
    fn named_header_effects(
        &self,
        entry: &ResponseCall,
        link: &ChainCall<'t>,
        effects: &mut Vec<Effect<'t>>,
    ) {
        if let Some(name) = &entry.sets_header {
            effects.push(Effect::Header(HeaderFact {
                name: name.clone(),
                range: link.method_node.byte_range(),
            }));
        }
        if let Some(index) = entry.header_name_arg
            && let Some(arg) = link.args.get(index)
        {
            self.header_effects(*arg, effects);
        }
        if let Some(index) = entry.headers_arg
            && link.args.len() > index
            && let Some(last) = link.args.last()
            && !matches!(last.kind(), "string" | "template_string")
        {
            self.header_effects(*last, effects);
        }
        if let Some(index) = entry.options_arg {
            for arg in link.args.iter().skip(index) {
                self.options_effects(*arg, effects);
            }
        }
    }

    /// A redirect helper's status: the one written (a number, a constant, an init object), or
    /// its default.
    fn redirect_effects(
        &self,
        redirect: &'static RedirectHelper,
        link: &ChainCall<'t>,
        site: &InsertionSite<'_, 't>,
        effects: &mut Vec<Effect<'t>>,
    ) {
        match self.written_redirect_status(redirect, link) {
            Some(arg) if arg.kind() == "object" => self.init_effects(arg, effects),
            Some(arg) => effects.push(self.status_effect(arg)),
            None => {
                let code = match &redirect.under_directive {
                    Some(under) if self.under_directive(link.call, &under.directive) => {
                        under.status
                    }
                    _ => redirect.default,
                };
                effects.push(Effect::Status {
                    code: Some(code),
                    spelling: Spelling::ImplicitDefault {
                        helper: link.method.clone(),
                        insert: redirect
                            .insert
                            .as_ref()
                            .and_then(|forms| self.insertion(forms, site)),
                    },
                    node: link.method_node,
                    range: link.method_node.byte_range(),
                    keeps: redirect.keeps_status,
                    header_insert: None,
                });
            }
        }
    }

    /// The argument of a redirect helper that holds its status: where the table puts it; else
    /// a number elsewhere (Express 4's deprecated `(url, status)`); else whichever argument is
    /// not a literal URL, whose code is then unknown. `None` with too few arguments.
    fn written_redirect_status(
        &self,
        redirect: &RedirectHelper,
        link: &ChainCall<'t>,
    ) -> Option<Node<'t>> {
        let index = redirect.written_status_arg(link.args.len())?;
        let at = link.args.get(index).copied();
        let numeric = link.args.iter().copied().find(|arg| arg.kind() == "number");
        let not_url = link
            .args
            .iter()
            .copied()
            .find(|arg| !matches!(arg.kind(), "string" | "template_string"));
        at.filter(|arg| {
            matches!(arg.kind(), "number" | "object") || self.constant_status(*arg).is_some()
        })
        .or(numeric)
        .or(not_url)
        .or(at)
    }

    /// The status a call sends when none was set (`res.json` → 200, `new NotFoundException()`
    /// → 404).
    fn implicit_effect(
        &self,
        entry: &ResponseCall,
        code: u16,
        link: &ChainCall<'t>,
        site: &InsertionSite<'_, 't>,
    ) -> Effect<'t> {
        // A member of a family of fixed-status calls is spelled as a helper: a fix switches it
        // to its sibling (`UnauthorizedException` → `ForbiddenException`).
        let spelling = match &entry.family {
            Some(family) => Spelling::Helper {
                family: family.clone(),
                name: self.qualified_helper_name(link),
                name_range: link.method_node.byte_range(),
            },
            None => Spelling::ImplicitDefault {
                helper: link.method.clone(),
                insert: entry
                    .implicit_insert
                    .as_ref()
                    .and_then(|forms| self.insertion(forms, site)),
            },
        };
        Effect::Implicit {
            code,
            spelling,
            node: link.method_node,
            range: link.method_node.byte_range(),
        }
    }

    /// A helper's name as written: reached through a module (`createError.Unauthorized`) it is
    /// qualified, so that a fix switching it needs no import of the sibling.
    fn qualified_helper_name(&self, link: &ChainCall<'t>) -> String {
        self.parents
            .parent(link.method_node)
            .filter(|parent| {
                parent.kind() == "member_expression"
                    && parent
                        .child_by_field_name("property")
                        .is_some_and(|p| p.id() == link.method_node.id())
            })
            .map_or_else(
                || link.method.clone(),
                |member| text(member, self.source).to_string(),
            )
    }

    /// The body a call sends, and how to send the same response without it.
    fn body_effects(
        &self,
        entry: &ResponseCall,
        finish: Option<&str>,
        link: &ChainCall<'t>,
        effects: &mut Vec<Effect<'t>>,
    ) {
        let without_body = finish.map(|text| Replacement {
            range: link.method_node.start_byte()..link.call.end_byte(),
            text: text.to_string(),
        });
        match entry.body {
            Some(FixedBody::None) => effects.push(Effect::Body(Body::None, None)),
            Some(FixedBody::Opaque) => effects.push(Effect::Body(
                Body::Opaque {
                    range: link.call.byte_range(),
                    words: super::conditions::words(link.call, self.source),
                },
                without_body.clone(),
            )),
            None => {}
        }
        if let Some(index) = entry.body_arg {
            effects.push(Effect::Body(
                self.body_of(link.args.get(index).copied()),
                without_body,
            ));
        }
    }

    /// The status an argument sets: a constant of a family, a number, or a value the syntax
    /// cannot read (its code unknown).
    pub(super) fn status_effect(&self, arg: Node<'t>) -> Effect<'t> {
        if let Some((code, spelling, range)) = self.constant_status(arg) {
            return Effect::Status {
                code,
                spelling,
                node: arg,
                range,
                keeps: None,
                header_insert: None,
            };
        }
        let code = integer_value(arg, self.source).and_then(|n| u16::try_from(n).ok());
        let spelling = Spelling::Number;
        Effect::Status {
            code: if arg.kind() == "number" { code } else { None },
            spelling,
            node: arg,
            range: arg.byte_range(),
            keeps: None,
            header_insert: None,
        }
    }

    /// `HttpStatus.SEE_OTHER`, `StatusCodes.MOVED_TEMPORARILY`: a member of a constant family
    /// of a table (a name the family does not hold is left unknown).
    pub(super) fn constant_status(
        &self,
        arg: Node<'t>,
    ) -> Option<(Option<u16>, Spelling, ByteRange)> {
        if arg.kind() != "member_expression" {
            return None;
        }
        let object = arg.child_by_field_name("object")?;
        let property = arg.child_by_field_name("property")?;
        let type_name = member_path(object, self.source)?.last()?.clone();
        let family = self
            .tables
            .iter()
            .flat_map(|t| &t.constant_families)
            .find(|family| family.type_name == type_name)?;
        let name = text(property, self.source).to_string();
        let code = family.names.get(&name).copied();
        code?;
        Some((
            code,
            Spelling::Constant {
                family: family.id.clone(),
                name,
                name_range: property.byte_range(),
            },
            arg.byte_range(),
        ))
    }
}
