/** The editor's Preview tab: Markdown rendered by the one renderer, so what people preview is exactly what will be stored. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getCurrentUser } from "~/auth/session.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";

const MAX_CHARS = 30_000;
// Generous for JSON escaping of 30,000 characters; anything larger is refused before it is read.
const MAX_BODY_BYTES = 256 * 1024;
const previewSchema = z.object({ markdown: z.string() });

function reply(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

export function loader() {
  return reply({ error: "Send the Markdown with POST." }, 405, { Allow: "POST" });
}

/** JSON `{ markdown }` from the editor, or a form field `markdown`; null when neither is there. */
async function readMarkdown(request: Request): Promise<string | null> {
  try {
    if ((request.headers.get("content-type") ?? "").includes("application/json")) {
      const parsed = previewSchema.safeParse(await request.json());
      return parsed.success ? parsed.data.markdown : null;
    }
    const value = (await request.formData()).get("markdown");
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return reply({ error: "Send the Markdown with POST." }, 405, { Allow: "POST" });
  const user = await getCurrentUser(request, context);
  if (!user) return reply({ error: "Sign in to preview your post." }, 401);
  if (user.banned) return reply({ error: "Your account can't post right now." }, 403);
  try {
    await consumeWriteLimit(context.services.db, { userId: user.id, kind: "preview" });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return reply({ error: error.message, retryAfter: error.retryAfterSeconds }, 429, {
        "Retry-After": String(error.retryAfterSeconds),
      });
    }
    throw error;
  }
  const tooLong = `Preview works up to ${MAX_CHARS.toLocaleString("en")} characters. Shorten the text to see it.`;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return reply({ error: tooLong }, 413);
  const markdown = await readMarkdown(request);
  if (markdown === null) return reply({ error: "Send the text to preview as { markdown }." }, 400);
  if (markdown.length > MAX_CHARS)
    return reply({ error: `${tooLong} (This text has ${markdown.length.toLocaleString("en")}.)` }, 413);
  return reply({ html: renderMarkdown(markdown) });
}
