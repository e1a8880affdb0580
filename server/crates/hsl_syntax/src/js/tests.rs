//! The JavaScript extractor on small sources: helper defaults, headers, insertions, bodies.

use super::file_traits::*;
use super::routes::*;
use super::*;
use hsl_facts::{HandlerRef, HelperStatus, SiteRole};

fn facts(language: Language, source: &str) -> FileFacts {
    let tree = super::super::parse(language, source).expect("tree");
    crate::extract(language, source, &tree).0
}

/// The code a redirect helper sends when the call names none, as the facts record it.
fn default_code(language: Language, source: &str) -> Option<u16> {
    let found = facts(language, source);
    let response = found.responses.iter().find(|r| r.role == SiteRole::Sets)?;
    assert!(
        matches!(response.status.spelling, Spelling::ImplicitDefault { .. }),
        "not a helper default: {source}"
    );
    response.status.code
}

#[test]
fn file_directives() {
    assert!(starts_with_directive(
        "'use server';\nexport async function a() {}",
        "use server"
    ));
    assert!(starts_with_directive(
        "#!/usr/bin/env node\n// header\n/* licence */\n\"use server\"\n",
        "use server"
    ));
    assert!(starts_with_directive(
        "\u{feff}'use server' // actions",
        "use server"
    ));
    assert!(!starts_with_directive("'use client';", "use server"));
    assert!(!starts_with_directive("'use server'.length;", "use server"));
    assert!(!starts_with_directive(
        "import x from 'y';\n'use server';",
        "use server"
    ));
}

#[test]
fn the_quote_that_opens_more_strings() {
    assert_eq!(quote_style("a('x'); b('y'); c(\"z\"); // don't"), '\'');
    assert_eq!(quote_style("a(\"x\"); // it's, don't, won't"), '"');
    assert_eq!(quote_style("'a' \"b\""), '"');
    assert_eq!(quote_style("é'x' é'y' \"z\""), '"');
    assert_eq!(quote_style(""), '"');
}

// Each default below was read from the framework's own source; the comment names the file
// and the version (../shared/FRAMEWORKS.md has the line ranges).
#[test]
fn redirect_helper_defaults() {
    // Express: lib/response.js `res.redirect` (expressjs/express@a3714473 = 5.2.1, and v4.22.2).
    let express = "app.post('/a', (req, res) => res.redirect('/x'));";
    assert_eq!(default_code(Language::JavaScript, express), Some(302));
    // Hono: src/context.ts `redirect` (honojs/hono@28a9c128 = 4.13.3), `T = 302`.
    let hono = "import { Hono } from 'hono';\napp.post('/a', (c) => c.redirect('/x'));";
    assert_eq!(default_code(Language::TypeScript, hono), Some(302));
    // Fastify: lib/reply.js `redirect` (fastify/fastify tag v5.12.1, lines 469-475; same
    // default at v4.29.1 and v4.0.0): 302 unless `reply.code()` set one before.
    let fastify = "fastify.post('/a', (request, reply) => reply.redirect('/x'));";
    assert_eq!(default_code(Language::JavaScript, fastify), Some(302));
    let kept = facts(
        Language::JavaScript,
        "fastify.post('/a', (request, reply) => reply.code(303).redirect('/x'));",
    );
    assert_eq!(kept.responses.len(), 1);
    assert_eq!(kept.responses[0].status.code, Some(303));
    // Koa: lib/response.js `redirect` (koajs/koa@e0ba8ef = 3.2.0, lines 302-322; same in
    // v2.16.4): 302 unless `ctx.status` already holds a redirect code.
    let koa =
        "import Router from '@koa/router';\nrouter.post('/a', (ctx) => { ctx.redirect('/x'); });";
    assert_eq!(default_code(Language::JavaScript, koa), Some(302));
    // Web Fetch: `static Response redirect(USVString url, optional unsigned short status =
    // 302)` (whatwg/fetch@586cd2a fetch.bs:9323, steps at 9507).
    let web = "export async function POST(request: Request) { return Response.redirect('/x'); }";
    assert_eq!(default_code(Language::TypeScript, web), Some(302));
    // Next.js: `NextResponse.redirect` defaults to 307 (vercel/next.js@05c44d52
    // packages/next/src/server/web/spec-extension/response.ts, `static redirect`).
    // Next.js: `redirect()` 307 and `permanentRedirect()` 308 in route handlers
    // (nextjs.org redirect / permanentRedirect docs; vercel/next.js@1bd1931b
    // packages/next/src/client/components/redirect-status-code.ts).
    let navigation = "import { redirect, permanentRedirect } from 'next/navigation';\nexport async function POST(request: Request) { redirect('/x'); }";
    assert_eq!(default_code(Language::TypeScript, navigation), Some(307));
    let permanent = "import { permanentRedirect } from 'next/navigation';\nexport async function POST(request: Request) { permanentRedirect('/x'); }";
    assert_eq!(default_code(Language::TypeScript, permanent), Some(308));
    // From a Server Action both answer the form post with 303 (nextjs.org redirect docs:
    // "When used in a server action, it will serve a 303"; RedirectStatusCode.SeeOther in
    // packages/next/src/client/components/redirect-status-code.ts). A Server Action is a
    // function whose body, or whose file, starts with the "use server" directive.
    let action = "'use server';\n// A form action.\nimport { redirect } from 'next/navigation';\nexport async function save(form: FormData) { await db.save(form); redirect('/done'); }";
    assert_eq!(default_code(Language::TypeScript, action), Some(303));
    let inline = "import { redirect } from 'next/navigation';\nexport default function Page() {\n  async function save(form: FormData) {\n    \"use server\";\n    redirect('/done');\n  }\n  return <form action={save} />;\n}";
    assert_eq!(default_code(Language::Tsx, inline), Some(303));
    let not_first = "import { redirect } from 'next/navigation';\nexport async function POST(request: Request) { log('use server'); redirect('/x'); }";
    assert_eq!(default_code(Language::TypeScript, not_first), Some(307));
    let nest_exception = facts(
        Language::TypeScript,
        "import { NotFoundException } from '@nestjs/common';\nfunction f() { throw new NotFoundException('x'); }",
    );
    assert_eq!(nest_exception.responses[0].status.code, Some(404));
    let next = "import { NextResponse } from 'next/server';\nexport async function POST(request: Request) { return NextResponse.redirect('/x'); }";
    assert_eq!(default_code(Language::TypeScript, next), Some(307));
    // NestJS: `@Redirect(url = '', statusCode?)`, and the router falls back to
    // `HttpStatus.FOUND` (nestjs/nest@1a40dc60 packages/common/decorators/http/
    // redirect.decorator.ts; packages/core/router/router-response-controller.ts `redirect`).
    let nest = "import { Post, Redirect } from '@nestjs/common';\nclass A {\n  @Post()\n  @Redirect('/x')\n  go() {}\n}";
    assert_eq!(default_code(Language::TypeScript, nest), Some(302));
    // Next.js Pages API: `res.redirect(url)` sends 307 (vercel/next.js@12fa0675
    // packages/next/src/server/api-utils/index.ts, `redirect`).
    let pages = "import type { NextApiResponse } from 'next';\nexport default function h(req, res: NextApiResponse) { if (req.method === 'POST') res.redirect('/x'); }";
    assert_eq!(default_code(Language::TypeScript, pages), Some(307));
}

/// Each set response's code, header names and whether its headers are complete.
fn headers_of(language: Language, source: &str) -> Vec<(u16, Vec<String>, bool)> {
    facts(language, source)
        .responses
        .iter()
        .filter(|r| r.role == SiteRole::Sets)
        .map(|r| {
            let mut names: Vec<String> = r.headers.iter().map(|h| h.name.clone()).collect();
            names.sort();
            (r.status.code.unwrap_or(0), names, r.headers_complete)
        })
        .collect()
}

fn one(language: Language, source: &str) -> (u16, Vec<String>, bool) {
    let found = headers_of(language, source);
    assert_eq!(found.len(), 1, "{source}: {found:?}");
    found.into_iter().next().expect("one response")
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn chained_and_earlier_headers_belong_to_the_response() {
    let js = Language::JavaScript;
    let chained = "app.all('/x', (req, res) => res.status(405).set('Allow', 'GET').end());";
    assert_eq!(one(js, chained), (405, names(&["allow"]), true));
    let enclosing = "app.all('/x', (req, res) => {\n  res.setHeader('Allow', 'GET');\n  if (x) {\n    return res.status(405).end();\n  }\n  res.end();\n});";
    let found = headers_of(js, enclosing);
    assert_eq!(found[0], (405, names(&["allow"]), true));
    let object = "app.all('/x', (req, res) => { res.set({ Allow: 'GET', 'Retry-After': '5' }); res.status(405).end(); });";
    assert_eq!(
        one(js, object),
        (405, names(&["allow", "retry-after"]), true)
    );
    let write_head = "import http from 'node:http';\nhttp.createServer((req, res) => { res.writeHead(405, 'Nope', { Allow: 'GET' }); res.end(); });";
    assert_eq!(one(js, write_head), (405, names(&["allow"]), true));
    let bare = "app.all('/x', (req, res) => res.status(405).end());";
    assert_eq!(one(js, bare), (405, names(&[]), true));
}

#[test]
fn headers_out_of_sight_make_the_response_incomplete() {
    let js = Language::JavaScript;
    for source in [
        "app.all('/x', (req, res) => res.status(405).set(headers).end());",
        "app.all('/x', (req, res) => res.status(405).set({ ...base }).end());",
        "app.all('/x', (req, res) => res.status(405).set({ [name]: 'GET' }).end());",
        "app.all('/x', (req, res) => res.status(405).set(name, 'GET').end());",
        "app.all('/x', (req, res) => { cors(res); res.status(405).end(); });",
        "app.all('/x', (req, res) => { if (a) { res.set('Allow', 'GET'); } res.status(405).end(); });",
        "app.all('/x', (req, res) => { const r = res.status(405); r.set('Allow', 'GET'); r.end(); });",
    ] {
        let (code, _, complete) = one(js, source);
        assert_eq!(code, 405, "{source}");
        assert!(!complete, "{source}");
    }
    let ts = Language::TypeScript;
    for source in [
        "export async function GET(request: Request) { return new Response(null, init); }",
        "export async function GET(request: Request) { return new Response(null, { status: 405, headers }); }",
        "export async function GET(request: Request) { return new Response(null, { status: 405, headers: base }); }",
        "export async function GET(request: Request) { const r = new Response(null, { status: 405 }); r.headers.set('Allow', 'GET'); return r; }",
        "export async function GET(request: Request) { return withCors(new Response(null, { status: 405 })); }",
        "import { HTTPException } from 'hono';\nfunction f() { throw new HTTPException(401, { res }); }",
        "import Koa from 'koa';\nconst f = async (ctx) => { ctx.res.setHeader('Allow', 'GET'); ctx.status = 405; };",
        "import Fastify from 'fastify';\nconst f = (request, reply) => { reply.raw.setHeader('Allow', 'GET'); reply.code(405).send(); };",
        "import Koa from 'koa';\nconst f = async (ctx) => { await authenticate(ctx); ctx.status = 401; };",
        "import Koa from 'koa';\nconst f = async (ctx) => { ctx.throw(401, 'login', props); };",
    ] {
        let found = headers_of(ts, source);
        assert!(
            found.iter().all(|(_, _, complete)| !complete),
            "{source}: {found:?}"
        );
    }
    // A branch that answered on its own is another response.
    let other = "app.all('/x', (req, res) => { if (a) { res.set('Allow', 'GET'); return res.json({}); } res.status(405).end(); });";
    let found = headers_of(js, other);
    assert!(found.contains(&(405, names(&[]), true)), "{found:?}");
}

#[test]
fn init_objects_and_framework_header_calls() {
    let ts = Language::TypeScript;
    let web = "export async function GET(request: Request) { return new Response(null, { status: 405, headers: new Headers({ Allow: 'GET' }) }); }";
    assert_eq!(one(ts, web), (405, names(&["allow"]), true));
    let pairs = "export async function GET(request: Request) { return new Response(null, { status: 429, headers: [['Retry-After', '5']] }); }";
    assert_eq!(one(ts, pairs), (429, names(&["retry-after"]), true));
    let hono = "import { Hono } from 'hono';\napp.all('/x', (c) => c.json({ e: 1 }, 405, { Allow: 'GET' }));";
    assert_eq!(one(ts, hono), (405, names(&["allow"]), true));
    let koa = "import Router from '@koa/router';\nrouter.all('/x', (ctx) => { ctx.response.set('Allow', 'GET'); ctx.status = 405; });";
    assert_eq!(one(ts, koa), (405, names(&["allow"]), true));
    let koa_throw = "import Router from '@koa/router';\nrouter.get('/x', (ctx) => { ctx.throw(401, 'login', { headers: { 'WWW-Authenticate': 'Bearer' } }); });";
    assert_eq!(
        one(ts, koa_throw),
        (401, names(&["www-authenticate"]), true)
    );
    let nest = "import { Controller, Header, HttpCode, Post, MethodNotAllowedException } from '@nestjs/common';\nclass A {\n  @Post()\n  @Header('Allow', 'GET')\n  go() { throw new MethodNotAllowedException(); }\n}";
    assert_eq!(one(ts, nest), (405, names(&["allow"]), true));
    let mention = facts(
        Language::JavaScript,
        "app.get('/x', (req, res) => { if (res.statusCode === 405) {} res.status(200).json({}); });",
    );
    assert!(
        mention
            .responses
            .iter()
            .filter(|r| r.role == SiteRole::Mentions)
            .all(|r| !r.headers_complete)
    );
}

/// The text a response's header insertion produces for `Allow: GET`.
fn with_header(language: Language, source: &str) -> Option<String> {
    let found = facts(language, source);
    let response = found.responses.iter().find(|r| r.role == SiteRole::Sets)?;
    let insert = response.header_insert.as_ref()?;
    let text = insert
        .template
        .replace("{name}", "Allow")
        .replace("{value}", "GET");
    Some(spliced(source, insert.at, &text))
}

/// `source` with `text` inserted at byte `at`.
fn spliced(source: &str, at: usize, text: &str) -> String {
    let (before, after) = source.split_at_checked(at).expect("a character boundary");
    format!("{before}{text}{after}")
}

#[test]
fn header_insertions_follow_each_idiom() {
    let js = Language::JavaScript;
    let ts = Language::TypeScript;
    assert_eq!(
        with_header(js, "app.all(\"/x\", (req, res) => res.status(405).end());").as_deref(),
        Some("app.all(\"/x\", (req, res) => res.status(405).set(\"Allow\", \"GET\").end());")
    );
    assert_eq!(
        with_header(js, "app.all('/x', (req, res) => res.sendStatus(405));").as_deref(),
        Some("app.all('/x', (req, res) => res.set('Allow', 'GET').sendStatus(405));")
    );
    assert_eq!(
        with_header(js, "import Router from '@koa/router';\nrouter.all('/x', (ctx) => {\n  ctx.status = 405;\n});").as_deref(),
        Some("import Router from '@koa/router';\nrouter.all('/x', (ctx) => {\n  ctx.set('Allow', 'GET');\n  ctx.status = 405;\n});")
    );
    assert_eq!(
        with_header(js, "import http from 'node:http';\nhttp.createServer((req, res) => { res.writeHead(405); res.end(); });").as_deref(),
        Some("import http from 'node:http';\nhttp.createServer((req, res) => { res.writeHead(405, { 'Allow': 'GET' }); res.end(); });")
    );
    assert_eq!(
        with_header(
            ts,
            "export function GET(request: Request) { return new Response(null, { status: 405 }); }"
        )
        .as_deref(),
        Some(
            "export function GET(request: Request) { return new Response(null, { status: 405, headers: { \"Allow\": \"GET\" } }); }"
        )
    );
    assert_eq!(
        with_header(
            ts,
            "import { Hono } from 'hono';\napp.all('/x', (c) => c.body(null, 405));"
        )
        .as_deref(),
        Some(
            "import { Hono } from 'hono';\napp.all('/x', (c) => c.body(null, 405, { 'Allow': 'GET' }));"
        )
    );
}

/// The text an implicit status's insertion produces for `400`.
fn with_status(language: Language, source: &str) -> Option<String> {
    let found = facts(language, source);
    let response = found.responses.iter().find(|r| r.role == SiteRole::Sets)?;
    let Spelling::ImplicitDefault {
        insert: Some(insert),
        ..
    } = &response.status.spelling
    else {
        return None;
    };
    let text = insert.template.replace("{code}", "400");
    Some(spliced(source, insert.at, &text))
}

#[test]
fn implicit_statuses_learn_where_an_explicit_one_goes() {
    let js = Language::JavaScript;
    let ts = Language::TypeScript;
    assert_eq!(
        with_status(js, "app.get('/x', (req, res) => res.json({ ok: false }));").as_deref(),
        Some("app.get('/x', (req, res) => res.status(400).json({ ok: false }));")
    );
    assert_eq!(
        with_status(
            js,
            "fastify.get('/x', (request, reply) => reply.send({ ok: false }));"
        )
        .as_deref(),
        Some("fastify.get('/x', (request, reply) => reply.code(400).send({ ok: false }));")
    );
    assert_eq!(
        with_status(js, "import Router from '@koa/router';\nrouter.get('/x', (ctx) => {\n  ctx.body = { ok: false };\n});").as_deref(),
        Some("import Router from '@koa/router';\nrouter.get('/x', (ctx) => {\n  ctx.status = 400;\n  ctx.body = { ok: false };\n});")
    );
    assert_eq!(
        with_status(
            ts,
            "import { Hono } from 'hono';\napp.get('/x', (c) => c.json({ ok: false }));"
        )
        .as_deref(),
        Some("import { Hono } from 'hono';\napp.get('/x', (c) => c.json({ ok: false }, 400));")
    );
    assert_eq!(
        with_status(ts, "export function GET(request: Request) { return Response.json({ ok: false }, { headers: { a: 'b' } }); }").as_deref(),
        Some("export function GET(request: Request) { return Response.json({ ok: false }, { status: 400, headers: { a: 'b' } }); }")
    );
    assert_eq!(
        with_status(ts, "export function GET(request: Request) { return new Response(JSON.stringify({ ok: false })); }").as_deref(),
        Some("export function GET(request: Request) { return new Response(JSON.stringify({ ok: false }), { status: 400 }); }")
    );
}

#[test]
fn stringified_literal_objects_are_object_bodies() {
    let found = facts(
        Language::JavaScript,
        "import http from 'node:http';\nhttp.createServer((req, res) => res.end(JSON.stringify({ error: 'x' })));",
    );
    let response = found.responses.iter().find(|r| r.role == SiteRole::Sets);
    assert!(
        response.is_some_and(|r| matches!(r.body, Body::Object(_))),
        "{:?}",
        response.map(|r| &r.body)
    );
}

#[test]
fn all_registrations_name_the_path_and_no_method() {
    let source = "app.get('/x', list);\napp.all('/x', (req, res) => res.status(405).end());\napp.route('/y').get(show).all(deny);";
    let found = facts(Language::JavaScript, source);
    let all: Vec<(Option<String>, usize)> = found
        .registrations
        .iter()
        .filter(|r| r.methods.is_empty())
        .map(|r| (r.path.clone(), r.methods.len()))
        .collect();
    assert_eq!(
        all,
        vec![(Some("/x".to_string()), 0), (Some("/y".to_string()), 0)]
    );
}

#[test]
fn a_file_importing_http_and_express_reads_res_as_express() {
    let source = "const http = require('http');\nconst express = require('express');\nconst app = express();\napp.post('/a', (req, res) => res.redirect('/x'));\nhttp.createServer(app).listen(3000);\n";
    let found = facts(Language::JavaScript, source);
    assert_eq!(found.responses.len(), 1);
    assert_eq!(found.responses[0].status.framework, "express");
    assert_eq!(found.responses[0].status.code, Some(302));
}

#[test]
fn declaration_sites_are_whole_words_before_an_assignment() {
    let source = "const api = Router();\napi.post(x);\nconst apiKey = 1;\nif (api == b) {}\nlet api: Router = Router();\nconst f = (api) => api;";
    let sites: Vec<usize> = declaration_sites(source, "api").collect();
    assert_eq!(sites, vec![6, 74]);
}

#[test]
fn a_receiver_created_by_the_framework_is_a_router_whatever_its_name() {
    let source = "import express, { Router } from 'express';\nconst api = Router();\napi.post('/a', (req, res) => res.end());\n";
    assert_eq!(facts(Language::TypeScript, source).registrations.len(), 1);
    let client = "const api = axios.create();\napi.post('/a', (req, res) => res.end());\n";
    assert!(facts(Language::JavaScript, client).registrations.is_empty());
}

#[test]
fn renamed_imports_name_the_imported_item() {
    let source =
        "const { create: createUser } = require('./users');\nrouter.post('/u', createUser);\n";
    let found = facts(Language::JavaScript, source);
    assert_eq!(
        found.registrations[0].handler,
        HandlerRef::Named(vec!["createUser".to_string(), "create".to_string()])
    );
}

#[test]
fn wrapped_and_listed_definitions_keep_their_binding_name() {
    let source = "const list = catchAsync(async (req, res) => res.json([]));\nexports.create = [check('a'), async (req, res) => res.json({})];\n";
    let found = facts(Language::JavaScript, source);
    let mut names: Vec<Option<String>> = found.handlers.iter().map(|h| h.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![Some("create".to_string()), Some("list".to_string())]
    );
}

/// Bare variables in a literal body are told apart from other expressions (whether an
/// `err` holds a failure is the rules' question).
#[test]
fn object_bodies_name_their_variables() {
    use hsl_facts::{Body, LiteralValue};
    let found = facts(
        Language::JavaScript,
        "app.get('/x', (req, res) => res.json({ err, error: e, x: f(a), message: err.message, ok: false }));",
    );
    let Body::Object(object) = &found.responses[0].body else {
        panic!("{:?}", found.responses);
    };
    let value = |key: &str| {
        object
            .entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(value("err"), Some(LiteralValue::Variable("err".into())));
    assert_eq!(value("error"), Some(LiteralValue::Variable("e".into())));
    assert_eq!(value("x"), Some(LiteralValue::Other));
    assert_eq!(value("message"), Some(LiteralValue::Other));
    assert_eq!(value("ok"), Some(LiteralValue::Bool(false)));
}

#[test]
fn mounts_are_registrations_of_the_mounted_router() {
    use hsl_facts::{HandlerRef, RegistrationKind};
    let cases = [
        (
            "import { Hono } from \"hono\";\nimport notes from \"./notes\";\nconst app = new Hono();\napp.route(\"/notes\", notes);\n",
            "/notes",
            vec!["notes"],
        ),
        (
            "const express = require(\"express\");\nconst api = require(\"./api\");\nconst app = express();\napp.use(\"/api\", auth, api.router);\n",
            "/api",
            vec!["api", "router"],
        ),
        (
            "const fastify = require(\"fastify\")();\nfastify.register(require(\"./x\"), { prefix: \"/x\" });\nfastify.register(items, { prefix: \"/v1\" });\n",
            "/v1",
            vec!["items"],
        ),
    ];
    for (source, prefix, target) in cases {
        let found = facts(Language::JavaScript, source);
        let mounts: Vec<_> = found
            .registrations
            .iter()
            .filter(|r| r.kind == RegistrationKind::Router)
            .collect();
        assert_eq!(mounts.len(), 1, "{source}: {:?}", found.registrations);
        assert_eq!(mounts[0].path.as_deref(), Some(prefix));
        let expected: Vec<String> = target.iter().map(|s| s.to_string()).collect();
        assert_eq!(mounts[0].handler, HandlerRef::Named(expected), "{source}");
    }
}

#[test]
fn code_maps_are_tables_of_error_statuses() {
    let owned = |source: &str| -> Vec<(String, Option<String>, HelperStatus)> {
        facts(Language::TypeScript, source)
            .helpers
            .into_iter()
            .map(|helper| (helper.name, helper.owner, helper.status))
            .collect()
    };
    let entry = |name: &str, code: u16| {
        (
            name.to_string(),
            Some("Codes".to_string()),
            HelperStatus::Fixed(code),
        )
    };
    assert_eq!(
        owned("export const Codes = { unauthorized: 401, \"not-found\": 404 } as const;"),
        vec![entry("unauthorized", 401), entry("not-found", 404)]
    );
    assert_eq!(
        owned("const Codes = Object.freeze({ ok: 200, gone: 410 });"),
        vec![entry("ok", 200), entry("gone", 410)]
    );
    // One entry, a value that is no status, no error status, a `let`: not a code map.
    assert!(owned("const Codes = { unauthorized: 401 };").is_empty());
    assert!(owned("const Codes = { unauthorized: 401, size: \"large\" };").is_empty());
    assert!(owned("const Codes = { unauthorized: 401, later: 799 };").is_empty());
    assert!(owned("const Codes = { ok: 200, created: 201 };").is_empty());
    assert!(owned("let Codes = { unauthorized: 401, forbidden: 403 };").is_empty());
}

#[test]
fn error_classes_that_keep_a_code_name_are_keyed_by_it() {
    let status = |source: &str| {
        facts(Language::TypeScript, source)
            .helpers
            .into_iter()
            .map(|helper| helper.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        status(
            "class ApiError extends Error { constructor({ code, message }) { super(message); this.code = code; } }"
        ),
        vec![HelperStatus::Keyed {
            index: 0,
            property: Some("code".to_string())
        }]
    );
    assert_eq!(
        status(
            "class ApiError extends Error { constructor(message, code) { super(message); this.code = code; } }"
        ),
        vec![HelperStatus::Keyed {
            index: 1,
            property: None
        }]
    );
    // A status the class sets is what it sends, whatever code name it also keeps.
    assert_eq!(
        status(
            "class ApiError extends Error { constructor(code, status) { super(code); this.code = code; this.status = status; } }"
        ),
        vec![HelperStatus::Argument {
            index: 1,
            default: None
        }]
    );
    // Not a class that extends another, or a code that comes from elsewhere: nothing.
    assert!(status("class Codes { constructor(code) { this.code = code; } }").is_empty());
    assert!(
        status("class ApiError extends Error { constructor(e) { super(e); this.code = e.code; } }")
            .is_empty()
    );
}
