exports.create = async (ctx) => {
  const order = await orders.create(ctx.request.body);
  ctx.status = 303;
  //           ^^^ undeclared-status
  ctx.redirect(`/orders/${order.id}`);
};

exports.cancel = async (ctx) => {
  await orders.cancel(ctx.params.id);
  ctx.status = 204;
  //           ^^^ body-on-bodiless-status
  ctx.body = { cancelled: true };
};

exports.show = async (ctx) => {
  const order = await orders.find(ctx.params.id);
  if (!order) ctx.throw(4004, "no such order");
  //                    ^^^^ invalid-status-code
  ctx.body = order;
};
