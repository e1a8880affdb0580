exports.show = async (request, reply) => reply.send(await carts.find(request.session.id));

exports.update = async (request, reply) => {
  await carts.update(request.params.id, request.body);
  return reply.code(204).send({ updated: true });
  //                ^^^ body-on-bodiless-status
};

exports.remove = async (request, reply) => {
  await carts.remove(request.params.id);
  return reply.code(2004).send();
  //                ^^^^ invalid-status-code
};
