use crate::vocabulary::has_run;
use crate::{Finding, FixAvailability, Frameworks, RuleContext, RuleMeta, Severity, declare_rule};
use hsl_facts::{Handler, Method, Response, SiteRole, Spelling, Words};
use hsl_tables::{Conditions, PartRun, identifier_parts};

declare_rule! {
    /// A `201 Created` response does not say where the new resource is.
    ///
    /// ## What it does
    /// Flags a `201 Created` set on a response whose construction is fully visible and that
    /// never sets `Location`. A Rust handler may write the status in its return type, as the
    /// argument of a project type whose conversion sends it (`-> Result<Sent<201, Item>, E>`,
    /// with `impl<const CODE: u16, T> IntoResponse for Sent<CODE, T>` building
    /// `StatusCode::from_u16(CODE)`): the finding is on that argument, and the headers are the
    /// ones the conversion sets.
    ///
    /// ## Why is this bad?
    /// RFC 9110 §15.3.2: a `201` response identifies the created resource by its `Location`
    /// header; without one, the resource is taken to be the request's own target URI, which
    /// for `POST /items` is the collection, not the item. Clients that follow `Location`
    /// (generated SDKs, `fetch` wrappers, HATEOAS clients) then have to dig the id out of the
    /// body.
    ///
    /// ## Example
    /// ```ts,expect_diagnostic
    /// app.post("/items", (req, res) => {
    ///   res.status(201).json({ id: 7 });
    /// });
    /// app.get("/items/:id", (req, res) => res.json(find(req.params.id)));
    /// ```
    ///
    /// Use instead:
    /// ```ts
    /// app.post("/items", (req, res) => {
    ///   res.status(201).location("/items/7").json({ id: 7 });
    /// });
    /// app.get("/items/:id", (req, res) => res.json(find(req.params.id)));
    /// ```
    ///
    /// ## When it stays silent
    /// When the project's routes show that the created thing has no URL of its own: the
    /// handler serves routes whose whole paths are known (prefixes and mounts included) and no
    /// route reads back what any of them creates — no `GET`, `PUT`, `PATCH` or `DELETE` on the
    /// route's path plus one parameter, or two for an item named by a compound key
    /// (`POST /items` with `GET /items/{id}` or `DELETE /items/{source}/{symbol}`, or with
    /// `GET /item/{id}`: the last word may change number, or under that word,
    /// `DELETE /items/item/{id}`). Bulk inserts,
    /// link rows, sign-ups and actions are such `POST`s. A route whose one parameter names
    /// another thing than the word before it (`GET /post-tags/{post_id}`, `/user-tags/{userId}`)
    /// lists what belongs to that other thing: it reads back no item of the collection
    /// (`/posts/{postId}`, `/organizations/{orgId}` or `/items/{id}` do). A response type whose variant declares
    /// the `201` (poem-openapi `#[oai(status = 201)]`) is judged by the routes of the endpoints
    /// that return it: a `201` variant of a log-in, a log-out or a "close the session" action
    /// names nothing new. A handler whose routes are not known (a registration the run did
    /// not read) is judged as before, and so is a handler that routes by hand (`node:http`,
    /// hyper or a worker testing method and path in branches): a branch no literal names
    /// (`_ =>`, a guard, `startsWith`) may read anything back.
    /// When the handler is proven to answer no `POST` (a route registration, an attribute or
    /// an exported handler, or the handlers that hand it their context, as Koa 1 middleware
    /// does with `update.call(this, next)`): only a `POST` makes a resource whose URL the
    /// server picks. A `PUT` (or `PATCH`) that creates one creates it at the request's own
    /// target URI (RFC 9110 §9.3.4), which is exactly what a `201` without `Location` names,
    /// and a `201` answered to a `DELETE` or an update created nothing new.
    /// When the headers come from a variable or a spread, or the response is bound to a name
    /// and changed where the syntax cannot follow. A status type returned beside other parts
    /// (`-> (HeaderMap, Sent<201, Item>)`) is not the whole response; a number among a type's
    /// arguments that its conversion does not send as the status (a page size) is no status.
    /// A function of the same file that only reads the response object handed to it
    /// (`audit(c)` using `c.get(..)` and `c.env`) hides nothing: its body is read as the
    /// handler's own.
    /// A Rust function of the same file lent the response (`add_cors(&mut res)`,
    /// `self.stamp(&mut res)`) hides nothing when every use of its parameter is seen: the
    /// headers it sets on any of its paths count as set, and so do those of the functions it
    /// lends the response to in turn.
    /// A project macro that returns its error type with the status it is given
    /// (`bail!("slow down", 429)`) shows its headers when the same file's conversion of that
    /// type (`impl Responder for ApiError`) builds every response on a chain in sight: the
    /// call is judged with those headers; otherwise they stay out of sight.
    /// Headers set by middleware are not visible.
    /// When the `201` is one the framework sends without being asked (NestJS answers every
    /// `POST` handler that has no `@HttpCode` with 201) and the handler's name does not start
    /// with a creation verb (`create`, `add`, `insert`, `register`, `upload`, `new`): such a
    /// `POST` runs an action (`gatherData`, `transferBalance`) and its 201 claims nothing.
    /// When the handler receives a webhook: it names a webhook and checks the delivery's
    /// signature (`stripe.webhooks.constructEvent(body, signature, secret)`); the sender reads
    /// only the status of its delivery, and nothing it could follow was made for it.
    /// When every write of a JavaScript or TypeScript handler (a call whose name starts with a
    /// creation verb or `save`, `persist`, `upsert`, `store`) runs once per entry of the
    /// request's body: a `for … in` / `for … of` loop or a `forEach`/`map` callback over
    /// `req.body`, `this.request.body` or a name bound to it (`for (var tag in tags)
    /// addTag(..)`). Such a bulk add or merge makes several things, and none is the one a
    /// `Location` would name. A write made once beside the loop (`release = create(..)`, then
    /// `addLabel` per label; `bookmark.save()` after filling it in a loop), or a loop over the
    /// server's own list, keeps the handler a creation.
    /// The default severity is `hint`: omitting `Location` is allowed, only less useful.
    ///
    /// ## References
    /// - RFC 9110 §15.3.2 (201 Created), §9.3.4 (PUT), §10.2.2 (`Location`)
    pub struct CreatedWithoutLocation;
}

pub(crate) static META: RuleMeta = RuleMeta {
    id: "created-without-location",
    summary: "`201 Created` without a `Location` header",
    default_severity: Severity::Hint,
    fix: FixAvailability::None,
    // Deno's `STATUS_CODE.Created` names the status for any Deno server.
    frameworks: Frameworks {
        except: &[],
        also: &["deno-std-http"],
    },
    docs: CreatedWithoutLocation::DOCS,
    since: "next",
    default_enabled: true,
    method_codes: &[201],
};

pub(crate) fn check(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Vec<Finding> {
    ctx.facts
        .responses
        .iter()
        .filter(|response| response.role == SiteRole::Sets && response.status.code == Some(201))
        .filter(|response| response.lacks_header("location"))
        .filter(|response| !answers_no_post(ctx, response.handler))
        .filter(|response| !default_without_creation(ctx, response))
        .filter(|response| !creates_nothing_addressable(ctx, response.handler))
        .filter(|response| !receives_webhook(ctx, response.handler))
        .filter(|response| !writes_per_entry_of_request(ctx, response.handler))
        .map(|response| Finding {
            rule: meta.id,
            severity: meta.default_severity,
            range: response.status.range.clone(),
            message: "`201 Created` without a `Location` header: clients cannot tell where the new resource lives; set `Location` to its URL".to_string(),
            fixes: Vec::new(),
            related: Vec::new(),
        })
        .collect()
}

/// Whether the project's routes prove the handler creates nothing with a URL of its own: its
/// routes' whole paths are known and none has a route reading back what it creates.
fn creates_nothing_addressable(ctx: &RuleContext<'_>, handler: Option<usize>) -> bool {
    let mut routes = ctx
        .routes
        .iter()
        .filter(|route| Some(route.handler) == handler)
        .peekable();
    routes.peek().is_some() && !routes.any(|route| route.item_route)
}

/// Whether the handler receives a webhook: its names and strings name a webhook and the
/// delivery's signature it checks (`[creation]` `webhook` and `webhook_proof` in
/// `grammars-config/conditions.toml`). The sender reads only the status of its delivery.
fn receives_webhook(ctx: &RuleContext<'_>, handler: Option<usize>) -> bool {
    let Some(handler) = handler.and_then(|id| ctx.facts.handlers.get(id)) else {
        return false;
    };
    let creation = &Conditions::get().creation;
    let mentions = |runs: &[PartRun]| {
        let words = &handler.words;
        words
            .names
            .iter()
            .chain(&words.strings)
            .any(|word| has_run(word, runs))
    };
    mentions(&creation.webhook) && mentions(&creation.webhook_proof)
}

/// Whether every write of the handler runs once per entry of the request's body (`for (var
/// tag in tags) yield addModuleTag(..)` with `tags = this.request.body`): a bulk add or merge
/// makes several things, none of them the one a `Location` would name. A write made once
/// (`post.save()` after a loop that adds tags to it) keeps the handler a creation.
fn writes_per_entry_of_request(ctx: &RuleContext<'_>, handler: Option<usize>) -> bool {
    let Some(handler) = handler.and_then(|id| ctx.facts.handlers.get(id)) else {
        return false;
    };
    let creation = &Conditions::get().creation;
    let writes = |name: &str| {
        let parts = identifier_parts(name);
        creation
            .verbs
            .iter()
            .chain(&creation.writes)
            .any(|verb| verb.starts(&parts))
    };
    let mut writing = handler
        .body_calls
        .iter()
        .filter(|call| writes(&call.name))
        .peekable();
    writing.peek().is_some()
        && writing.all(|call| {
            call.per_entry_of
                .as_ref()
                .is_some_and(|collection| from_request_body(handler, collection))
        })
}

/// Whether a collection is the request's body or a part of it (`req.body.items`), directly or
/// through a name the handler bound to it (`var tags = this.request.body`).
fn from_request_body(handler: &Handler, collection: &Words) -> bool {
    let bodies = &Conditions::get().creation.request_bodies;
    let names_body = |words: &Words| {
        bodies.iter().any(|body| {
            let path: Vec<&str> = body.split('.').collect();
            words.has_sequence(&path)
        })
    };
    names_body(collection)
        || collection.names.iter().any(|name| {
            handler
                .bindings
                .iter()
                .any(|binding| &binding.name == name && names_body(&binding.value))
        })
}

/// Whether the handler's methods are proven and none is `POST`: the resource a `PUT` or
/// `PATCH` creates is its own target URI (RFC 9110 §9.3.4), so `Location` would repeat it, and
/// the other methods create nothing.
fn answers_no_post(ctx: &RuleContext<'_>, handler: Option<usize>) -> bool {
    let methods = ctx.methods_of(handler);
    !methods.is_empty()
        && methods
            .iter()
            .all(|resolved| resolved.method != Method::Post)
}

/// Whether the `201` is the framework's default (no code written) in a handler whose name
/// claims no creation.
fn default_without_creation(ctx: &RuleContext<'_>, response: &Response) -> bool {
    if !matches!(response.status.spelling, Spelling::ImplicitDefault { .. }) {
        return false;
    }
    let name = response
        .handler
        .and_then(|id| ctx.facts.handlers.get(id))
        .and_then(|handler| handler.name.as_deref());
    let creates = name.is_some_and(|name| {
        let parts = identifier_parts(name);
        Conditions::get()
            .creation
            .verbs
            .iter()
            .any(|verb| verb.starts(&parts))
    });
    !creates
}
