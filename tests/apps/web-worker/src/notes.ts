export async function handleNotes(request: Request): Promise<Response> {
  if (request.method === "DELETE") {
    await notes.remove(new URL(request.url).pathname);
    return Response.json({ deleted: true }, { status: 204 });
    //                                                ^^^ body-on-bodiless-status
  }
  if (request.method === "POST") {
    const note = await notes.create(await request.json());
    return Response.redirect(new URL(`/notes/${note.id}`, request.url), 303);
    //                                                                  ^^^ undeclared-status
  }
  return new Response("unsupported", { status: 4005, headers: { Allow: "DELETE, POST" } });
  //                                           ^^^^ invalid-status-code
}
