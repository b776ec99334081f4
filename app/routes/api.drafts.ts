/**
 * Server-side drafts for the editor's autosave: POST JSON `{ draftKey, content }` saves (or, with nothing typed in it or
 * with the text just posted from that form, removes: `discarded: true`), DELETE (or `intent: "discard"`) removes. A
 * draft of an answer or a how-to edit is kept only while that post is there for the person to write to (404 or 403
 * otherwise).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { asActor, getCurrentUser } from "~/auth/session.server";
import {
  DRAFT_KEY_PATTERN,
  DRAFT_MAX_BYTES,
  DraftError,
  assertCanDraftFor,
  discardDraft,
  saveDraft,
} from "~/models/drafts.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";

const draftKeyField = z
  .string({ required_error: "Say which draft this is." })
  .regex(DRAFT_KEY_PATTERN, "Unknown draft.");
const NOT_FIELDS = "A draft is a set of text fields.";
const saveSchema = z.object({
  intent: z.literal("save").optional(),
  draftKey: z.string({ required_error: "Say which draft this is." }).max(100, "Unknown draft."),
  content: z
    .record(z.string().max(100), z.string(), {
      required_error: "Nothing to save.",
      invalid_type_error: NOT_FIELDS,
    })
    .refine((fields) => Object.keys(fields).length <= 60, "This draft has too many fields."),
});
const discardSchema = z.object({ intent: z.literal("discard"), draftKey: draftKeyField });

function reply(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

export function loader() {
  return reply({ error: "Drafts are saved with POST and removed with DELETE." }, 405, { Allow: "POST, DELETE" });
}

/**
 * The request as sent: JSON body, or form fields; DELETE may name the draft in the query string instead. Undefined when
 * it can't be read at all (JSON itself never reads as undefined).
 */
async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) return await request.json();
    if (type.includes("form")) return Object.fromEntries((await request.formData()).entries());
  } catch {
    return undefined;
  }
  return {};
}

export async function action({ request, context }: ActionFunctionArgs) {
  const method = request.method;
  if (method !== "POST" && method !== "DELETE")
    return reply({ error: "Drafts are saved with POST and removed with DELETE." }, 405, { Allow: "POST, DELETE" });
  const user = await getCurrentUser(request, context);
  if (!user) return reply({ error: "Sign in to keep drafts." }, 401);
  if (user.banned) return reply({ error: "Your account can't post right now." }, 403);
  const { db } = context.services;
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "draft" });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return reply({ error: error.message, retryAfter: error.retryAfterSeconds }, 429, {
        "Retry-After": String(error.retryAfterSeconds),
      });
    }
    throw error;
  }
  if (Number(request.headers.get("content-length") ?? 0) > DRAFT_MAX_BYTES * 2)
    return reply({ error: "This draft is too large to save." }, 413);

  const body = await readBody(request);
  if (body === undefined) return reply({ error: "Send the draft as JSON." }, 400);
  // Valid JSON that is a list, a number, a string or null: not the fields of a form.
  if (body === null || typeof body !== "object" || Array.isArray(body)) return reply({ error: NOT_FIELDS }, 400);
  const queryKey = new URL(request.url).searchParams.get("draftKey");
  const isDiscard = method === "DELETE" || ("intent" in body && body.intent === "discard");
  if (isDiscard) {
    const parsed = discardSchema.safeParse({ draftKey: queryKey ?? undefined, ...body, intent: "discard" });
    if (!parsed.success) return reply({ error: parsed.error.issues[0]?.message ?? "Unknown draft." }, 400);
    await discardDraft(db, { userId: user.id, draftKey: parsed.data.draftKey });
    return reply({ ok: true, discarded: true });
  }
  const parsed = saveSchema.safeParse(body);
  if (!parsed.success) return reply({ error: parsed.error.issues[0]?.message ?? "This draft could not be read." }, 400);
  try {
    // The answer or how-to the draft is for must still be there, and writable by this person.
    await assertCanDraftFor(db, { actor: asActor(user), draftKey: parsed.data.draftKey });
    const { isKept } = await saveDraft(db, {
      userId: user.id,
      draftKey: parsed.data.draftKey,
      content: parsed.data.content,
    });
    // Everything typed was cleared again, or is in the post just made from it (an autosave that was on its way when
    // Post was pressed): there is no draft any more (any earlier one was removed), and the editor shows no error.
    if (!isKept) return reply({ ok: true, discarded: true });
  } catch (error) {
    if (error instanceof DraftError) return reply({ error: error.message }, error.status);
    throw error;
  }
  return reply({ ok: true, savedAt: new Date().toISOString() });
}
