const Koa = require("koa");
const router = require("./router");

const app = new Koa();
app.use(async (ctx, next) => {
  await next();
  ctx.set("X-Response-Time", `${Date.now() - ctx.state.start}ms`);
});
app.use(router.routes()).use(router.allowedMethods());
app.listen(3000);
