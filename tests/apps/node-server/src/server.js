const http = require("node:http");
const { handleItems } = require("./items");

const server = http.createServer(async (req, res) => {
  if (req.url === "/login" && req.method === "POST") {
    const ok = await checkCredentials(req);
    res.writeHead(302, { Location: ok ? "/account" : "/login?failed=1" });
    //            ^^^ redirect-changes-method
    return res.end();
  }
  if (req.url === "/login" && req.method === "GET") {
    res.writeHead(200, { "Content-Type": "text/html" });
    return res.end(loginPage());
  }
  if (req.url.startsWith("/items")) return handleItems(req, res);
  res.statusCode = 404;
  res.end("not found");
});

server.listen(3000);
