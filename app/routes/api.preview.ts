/** The editor's Preview tab: Markdown rendered by the one renderer, so what people preview is exactly what will be stored. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getCurrentUser } from "~/auth/session.server";
import { HEADING_LEVEL, renderMarkdown, settlePictures } from "~/lib/markdown.server";
import { picturesShownIn } from "~/models/post-images.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";

const MAX_CHARS = 30_000;
// Generous for JSON escaping of 30,000 characters; anything larger is refused before it is read.
const MAX_BODY_BYTES = 256 * 1024;
const previewSchema = z.object({ markdown: z.string(), headingLevel: z.unknown().optional() });

function reply(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

export function loader() {
  return reply({ error: "Send the Markdown with POST." }, 405, { Allow: "POST" });
}

/** The level the text's top heading gets where it will be shown (2 to 4; anything else: a question's, 2). */
function headingLevelOf(value: unknown): number {
  const level = Number(value);
  return Number.isInteger(level) && level >= 2 && level <= 4 ? level : HEADING_LEVEL.question;
}

/**
 * JSON `{ markdown, headingLevel? }` from the editor, or form fields `markdown` and `headingLevel`; null when there is
 * no text.
 */
async function readMarkdown(request: Request): Promise<{ markdown: string; headingLevel: number } | null> {
  try {
    if ((request.headers.get("content-type") ?? "").includes("application/json")) {
      const parsed = previewSchema.safeParse(await request.json());
      return parsed.success
        ? { markdown: parsed.data.markdown, headingLevel: headingLevelOf(parsed.data.headingLevel) }
        : null;
    }
    const form = await request.formData();
    const value = form.get("markdown");
    return typeof value === "string"
      ? { markdown: value, headingLevel: headingLevelOf(form.get("headingLevel")) }
      : null;
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
  const sent = await readMarkdown(request);
  if (sent === null) return reply({ error: "Send the text to preview as { markdown }." }, 400);
  const { markdown, headingLevel } = sent;
  if (markdown.length > MAX_CHARS)
    return reply({ error: `${tooLong} (This text has ${markdown.length.toLocaleString("en")}.)` }, 413);
  // As it would be stored: a picture a moderator took down shows the note (picturesShownIn: no query without one).
  const pictures = await picturesShownIn(context.services.db, [markdown], { isLocking: false });
  return reply({ html: settlePictures(renderMarkdown(markdown, headingLevel), pictures) });
}
