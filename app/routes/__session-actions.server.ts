/**
 * The server half of a Q&A session page's action: the form each intent accepts (ask, vote, answer, skip, and the
 * asker's edit and withdraw) and the dispatch to the queue's model. A fetcher gets data back; a plain form post is
 * redirected to the question it touched (a withdrawn one to the note saying so).
 * A refusal is data either way (intent and question say which form it belongs to): without JavaScript the page shows
 * it at that form, with what was typed.
 */
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { idField } from "~/lib/id-field";
import { writeFailureResponse } from "~/lib/write-failure.server";
import {
  answerInOfficeHours,
  askInOfficeHours,
  editOfficeHoursQuestion,
  toggleOfficeHoursVote,
  withdrawOfficeHoursQuestion,
} from "~/models/office-hours-queue.server";
import type { SessionActionResult } from "~/models/office-hours.types";
import type { Actor } from "~/models/permissions.server";
import { formFields } from "~/lib/forms";

const id = idField("That question isn't in this session.");
const sessionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("ask"), body: z.string().default(""), idempotencyKey: z.string().default("") }),
  // The vote the button asks for (an old page sends none: "up"), so a page out of date or a double click can't undo it.
  z.object({ intent: z.literal("vote"), questionId: id, vote: z.enum(["up", "remove"]).default("up") }),
  z.object({ intent: z.literal("answer"), questionId: id, answer: z.string().default("") }),
  z.object({ intent: z.literal("skip"), questionId: id }),
  z.object({ intent: z.literal("edit"), questionId: id, body: z.string().default("") }),
  z.object({ intent: z.literal("withdraw"), questionId: id }),
]);

/** Where a plain form post lands once its write is done. */
export function sessionActionTarget(officeHoursId: number, intent: string, questionId: number | null): string {
  if (intent === "withdraw") return `/sessions/${officeHoursId}?withdrawn=1#withdrawn`;
  return `/sessions/${officeHoursId}${questionId ? `#q-${questionId}` : ""}`;
}

/** Runs one intent for a signed-in actor; a refused write answers with its message and what was typed. */
export async function sessionAction(
  db: Db,
  { officeHoursId, actor, formData }: { officeHoursId: number; actor: Actor; formData: FormData },
) {
  const isFetch = formData.get("js") === "1";
  const parsed = sessionActionSchema.safeParse(formFields(formData));
  const intent = String(formData.get("intent") ?? "");
  if (!parsed.success)
    return data<SessionActionResult>(
      {
        intent,
        questionId: null,
        ok: false,
        message: "That request didn't look right. Please reload the page and try again.",
      },
      { status: 400 },
    );
  const input = parsed.data;
  let questionId = "questionId" in input ? input.questionId : null;
  try {
    if (input.intent === "ask")
      questionId = (
        await askInOfficeHours(db, {
          officeHoursId,
          actor,
          body: input.body,
          // A double submit (no JavaScript) sends the same key twice: one question, and both land on it.
          idempotencyKey: input.idempotencyKey || undefined,
        })
      ).questionId;
    else if (input.intent === "vote")
      await toggleOfficeHoursVote(db, { officeHoursId, questionId: input.questionId, actor, vote: input.vote });
    else if (input.intent === "edit")
      await editOfficeHoursQuestion(db, { officeHoursId, questionId: input.questionId, actor, body: input.body });
    else if (input.intent === "withdraw")
      await withdrawOfficeHoursQuestion(db, { officeHoursId, questionId: input.questionId, actor });
    else
      await answerInOfficeHours(db, {
        officeHoursId,
        questionId: input.questionId,
        actor,
        answer: input.intent === "answer" ? input.answer : undefined,
        skip: input.intent === "skip",
      });
  } catch (error) {
    const values = { body: String(formData.get("body") ?? ""), answer: String(formData.get("answer") ?? "") };
    return writeFailureResponse<SessionActionResult>(error, (failure) => ({
      intent,
      questionId,
      ok: false,
      message: failure.message,
      fieldErrors: failure.fieldErrors,
      values,
    }));
  }
  return isFetch
    ? data<SessionActionResult>({ intent, questionId, ok: true })
    : redirect(sessionActionTarget(officeHoursId, intent, questionId), 303);
}
