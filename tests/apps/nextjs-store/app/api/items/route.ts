import { NextResponse } from "next/server";
import { db } from "@/lib/db";

export async function GET(request: Request) {
  const item = await db.items.find(new URL(request.url).searchParams.get("id"));
  if (!item) return NextResponse.json({ error: "no such item" }, { status: 4004 });
  //                                                                       ^^^^ invalid-status-code
  return NextResponse.json(item);
}

export async function DELETE(request: Request) {
  await db.items.delete(new URL(request.url).searchParams.get("id"));
  return NextResponse.json({ deleted: true }, { status: 204 });
  //                                                    ^^^ body-on-bodiless-status
}
