const sessions = require("../handlers/sessions");
const cart = require("../handlers/cart");

module.exports = async function routes(fastify) {
  fastify.get("/login", sessions.form);
  fastify.post("/login", sessions.login);
  fastify.post("/logout", sessions.logout);

  fastify.route({ method: "DELETE", url: "/cart/:id", handler: cart.remove });
  fastify.put("/cart/:id", { schema: { body: { type: "object" } } }, cart.update);
  fastify.get("/cart", cart.show);
};
