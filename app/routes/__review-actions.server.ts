/**
 * What the review queue's forms ask for (decide, close a question, lift a silence), parsed at the edge and handed to
 * one model function each. Every intent checks its own permission and counts against the moderators' write limit.
 */
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { MODERATED_TARGETS } from "#db/schema";
import { idField } from "~/lib/id-field";
import {
  type Action,
  type Actor,
  formerRoleAllowing,
  noLongerAllowedMessage,
  requirePermission,
} from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";
import { SilenceLiftedMeanwhileError, closeFromReview, liftSilenceFromReview } from "~/models/review-actions.server";
import { REVIEW_DECISIONS, decideReviewItem } from "~/models/review-queue.server";
import { formFields } from "~/lib/forms";

const note = z
  .string()
  .default("")
  .transform((t) => t.replace(/\s+/g, " ").trim().slice(0, 500));

const reviewActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("decide"),
    decision: z.enum(REVIEW_DECISIONS),
    targetType: z.enum(MODERATED_TARGETS),
    targetId: z.string().min(1).max(64),
    note,
  }),
  z.object({
    intent: z.literal("close"),
    targetId: idField(),
    reason: z.string().max(40).default(""),
    duplicateOf: z.string().max(500).default(""),
    details: z.string().max(2000).default(""),
  }),
  z.object({ intent: z.literal("liftSilence"), userId: z.string().min(1).max(64), note }),
]);

export type ReviewActionData = {
  ok: false;
  message: string;
  intent: string;
  /** Which card the answer belongs to (its target id), so only that form shows the error and keeps what was typed. */
  targetId?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  /** When what was refused happened already (a silence lifted meanwhile), for the page to show. */
  at?: string;
};

/**
 * A staff form sent by someone whose role doesn't allow it (demoted in another tab since its page was opened, or never
 * staff): refused (403) in words that say which (noLongerAllowedMessage: "no longer" only with the `formerRole` they
 * had, from formerRoleAllowing), with what they typed (`typed`: label and text of each field worth keeping) on the
 * error page to copy, since the page itself refuses them now. To be thrown from the action, so the page's loader is not
 * run again. The glossary's forms answer the same way.
 */
export function refusedAfterRoleChange(
  actor: NonNullable<Actor>,
  action: Action,
  words: Parameters<typeof noLongerAllowedMessage>[2],
  typed: [label: string, text: string][] = [],
  /** A page still theirs to go back to, offered beside the home page. */
  back?: { path: string; label: string },
) {
  const message = noLongerAllowedMessage(actor, action, words);
  const kept = typed.flatMap(([label, text]) => (text.trim() ? [`${label}:\n${text.trim()}`] : [])).join("\n\n");
  if (!kept) return new Response(message, { status: 403, statusText: "Forbidden" });
  return data(
    { message: `${message} What you typed is below, to copy.`, kept, ...(back ? { back } : {}) },
    { status: 403 },
  );
}

/** The review queue's forms from someone not staff (now): nothing decided, and the note or details they typed kept. */
export async function refusedReviewForm(db: Db, actor: NonNullable<Actor>, form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const action = text("intent") === "settings" ? "trust.settings" : "review.view";
  const formerRole = await formerRoleAllowing(db, actor.id, action);
  return refusedAfterRoleChange(
    actor,
    action,
    action === "trust.settings"
      ? { doing: "change these settings", outcome: "so nothing was saved", formerRole }
      : { doing: "use the review queue", outcome: "so nothing was decided", formerRole },
    [
      ["Your note", text("note")],
      ["Duplicate of", text("duplicateOf")],
      ["Details", text("details")],
    ],
  );
}

function failure(status: number, body: ReviewActionData) {
  return data<ReviewActionData>(body, { status });
}

/**
 * Runs one review-queue form; answers with a redirect on success, or the message and the typed values on failure.
 * `siteUrl` (the site's own address) lets a duplicate's full link to a question here be understood.
 */
export async function runReviewAction(db: Db, actor: NonNullable<Actor>, form: FormData, siteUrl?: string) {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(formFields(form))) if (typeof value === "string") fields[key] = value;
  // Forms from before the close button posted a bare decision: they mean "decide".
  const parsed = reviewActionSchema.safeParse({ intent: "decide", ...fields });
  const { intent: _intent, ...values } = fields;
  const intent = fields.intent ?? "decide";
  if (!parsed.success)
    return failure(400, {
      ok: false,
      intent,
      message: "That request didn't look right. Please reload the page and try again.",
      targetId: fields.targetId,
      values,
    });
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "decide":
        requirePermission(actor, "review.decide");
        await consumeWriteLimit(db, { userId: actor.id, kind: "review" });
        await decideReviewItem(db, {
          actor,
          ref: { type: input.targetType, id: input.targetId },
          decision: input.decision,
          note: input.note,
        });
        return redirect(`/review?decided=${input.decision}`, 303);
      case "close":
        requirePermission(actor, "question.close");
        await consumeWriteLimit(db, { userId: actor.id, kind: "review" });
        await closeFromReview(db, { actor, questionId: input.targetId, ...input, siteUrl });
        return redirect("/review?decided=close", 303);
      case "liftSilence":
        requirePermission(actor, "user.silence");
        await consumeWriteLimit(db, { userId: actor.id, kind: "review" });
        await liftSilenceFromReview(db, { actor, userId: input.userId, note: input.note });
        return redirect("/review?decided=liftSilence#silenced-heading", 303);
    }
  } catch (error) {
    const targetId = "targetId" in input ? String(input.targetId) : input.userId;
    if (error instanceof PostingError)
      return failure(error.status, {
        ok: false,
        intent,
        message: error.message,
        targetId,
        fieldErrors: error.fieldErrors,
        values,
        ...(error instanceof SilenceLiftedMeanwhileError && error.liftedAt ? { at: error.liftedAt.toISOString() } : {}),
      });
    if (error instanceof RateLimitedError)
      return failure(429, { ok: false, intent, message: error.message, targetId, values });
    throw error;
  }
}
