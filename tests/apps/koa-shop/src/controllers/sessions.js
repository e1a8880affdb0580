exports.form = async (ctx) => {
  if (ctx.session.user) return ctx.redirect("/account");
  ctx.body = renderLogin();
};

exports.login = async (ctx) => {
  const user = await users.authenticate(ctx.request.body);
  if (!user) ctx.throw(401, "invalid credentials");
  ctx.session.user = user.id;
  ctx.redirect("/account");
  //  ^^^^^^^^ redirect-changes-method
};
