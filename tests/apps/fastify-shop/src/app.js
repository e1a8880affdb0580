const Fastify = require("fastify");
const routes = require("./routes");

const fastify = Fastify({ logger: true });
fastify.register(routes);
fastify.listen({ port: 3000 });
