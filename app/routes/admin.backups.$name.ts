/** An admin downloads one of the embedded database's backups (/admin/backups); each download is in the moderation log. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserWith } from "~/auth/session.server";
import { backupPath } from "~/models/backups.server";
import { recordModeration } from "~/models/moderation.server";

const notFound = () =>
  new Response("There is no such backup.", { status: 404, headers: { "Cache-Control": "no-store" } });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const admin = await requireUserWith(request, context, "site.backup");
  const { backups, db } = context.services;
  const name = String(params.name ?? "");
  const file = backups ? backupPath(backups.dir, name) : null;
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return notFound();
  await recordModeration(db, {
    actorId: admin.id,
    action: "site.backupDownload",
    targetType: "backup",
    targetId: name,
  });
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/gzip",
      "Content-Length": String(info.size),
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
