exports.form = async (request, reply) => {
  if (request.session.user) return reply.redirect("/account");
  return reply.type("text/html").send(loginPage());
};

exports.login = async (request, reply) => {
  const user = await users.authenticate(request.body);
  if (!user) return reply.code(401).send({ error: "invalid credentials" });
  //                           ^^^ undeclared-status
  request.session.user = user.id;
  return reply.redirect("/account");
  //           ^^^^^^^^ redirect-changes-method
};

exports.logout = async (request, reply) => {
  request.session.destroy();
  return reply.code(303).redirect("/");
};
