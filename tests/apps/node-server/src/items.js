const http = require("node:http");

exports.handleItems = async (req, res) => {
  switch (req.method) {
    case "DELETE":
      await items.remove(req.url.split("/").pop());
      res.writeHead(204, { "Content-Type": "application/json" });
      //            ^^^ body-on-bodiless-status
      res.end(JSON.stringify({ deleted: true }));
      break;
    case "POST":
      await items.create(await readJson(req));
      res.writeHead(303, { Location: "/items" });
      //            ^^^ undeclared-status
      res.end();
      break;
    default:
      res.statusCode = 4050;
      //               ^^^^ invalid-status-code
      res.setHeader("Allow", "DELETE, POST");
      res.end();
  }
};
