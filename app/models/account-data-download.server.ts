/** The account data file as an HTTP download: rate limited per requester, never cached, logged when an admin asks. */
import type { AppServices } from "~/server/app.server";
import { accountDataZip } from "./account-data-zip.server";
import { AccountDataError, exportAccountData } from "./account-data.server";
import { recordModeration } from "./moderation.server";
import { RateLimitedError, consumeWriteLimit } from "./rate-limits.server";

export async function accountDataResponse(
  services: Pick<AppServices, "db" | "baseURL">,
  { userId, by, format = "json" }: { userId: string; by: string; format?: "json" | "zip" },
): Promise<Response> {
  const { db, baseURL } = services;
  try {
    await consumeWriteLimit(db, { userId: by, kind: "export" });
  } catch (error) {
    if (error instanceof RateLimitedError)
      return new Response(error.message, {
        status: 429,
        headers: { "Retry-After": String(error.retryAfterSeconds), "Cache-Control": "no-store" },
      });
    throw error;
  }
  let exported: Awaited<ReturnType<typeof exportAccountData>>;
  try {
    exported = await exportAccountData(db, userId, { baseURL });
  } catch (error) {
    if (error instanceof AccountDataError)
      return new Response(error.message, { status: error.status, headers: { "Cache-Control": "no-store" } });
    throw error;
  }
  if (by !== userId)
    await recordModeration(db, { actorId: by, action: "user.export", targetType: "user", targetId: userId });
  const name = (exported.profile.handle ?? "account").replace(/[^a-z0-9-]/gi, "");
  const json = JSON.stringify(exported, null, 2);
  if (format === "zip")
    return new Response(accountDataZip(db, { userId, json }), {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="peerdesk-${name}-data.zip"`,
        "Cache-Control": "private, no-store",
      },
    });
  return new Response(json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="peerdesk-${name}-data.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
