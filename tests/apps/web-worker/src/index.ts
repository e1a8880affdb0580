import { handleNotes } from "./notes";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/login" && request.method === "POST") {
      const form = await request.formData();
      if (!(await verify(form))) return Response.json({ error: "invalid credentials" }, { status: 401 });
      return Response.redirect(new URL("/account", url));
      //              ^^^^^^^^ redirect-changes-method
    }
    if (url.pathname.startsWith("/notes")) return handleNotes(request);
    return new Response("not found", { status: 404 });
  },
};
