const sessions = require("../handlers/sessions");
const cart = require("../handlers/cart");

const page = { type: "string" };
const empty = { type: "null" };
const error = { type: "object", properties: { error: { type: "string" } } };
const updated = { type: "object", properties: { updated: { type: "boolean" } } };

module.exports = async function routes(fastify) {
  // In-code contracts: each route's `schema.response` lists what it answers. `POST /login`
  // promises `400` for wrong credentials where the handler sends `401` (the finding is in
  // src/handlers/sessions.js); `GET /cart` has no contract, so it is never reported.
  fastify.get("/login", { schema: { response: { 200: page, 302: empty } } }, sessions.form);
  fastify.post("/login", { schema: { response: { "3xx": empty, 400: error } } }, sessions.login);
  fastify.post("/logout", { schema: { response: { 303: empty } } }, sessions.logout);

  fastify.route({
    method: "DELETE",
    url: "/cart/:id",
    schema: { response: { 204: empty } },
    handler: cart.remove,
  });
  fastify.put(
    "/cart/:id",
    { schema: { body: { type: "object" }, response: { "2xx": updated } } },
    cart.update,
  );
  fastify.get("/cart", cart.show);
};
