/**
 * The server half of a Q&A session page's action: the form each intent accepts (ask, vote, answer, skip, and the
 * asker's edit and withdraw) and the dispatch to the queue's model. A fetcher gets data back; a plain form post is
 * redirected to the question it touched (a withdrawn one to the note saying so).
 * A refusal is data either way (intent and question say which form it belongs to): without JavaScript the page shows
 * it at that form, with what was typed. The host's "End the session now" and "Cancel this session" post here too: one
 * sent from a page older than the session's end or cancel is refused (409) saying what happened, by whom and when.
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
import { getOfficeHours } from "~/models/office-hours-lists.server";
import { cancelOfficeHours, endOfficeHoursNow, getOfficeHoursForEdit } from "~/models/office-hours.server";
import type { Actor } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { getProfileById } from "~/models/users.server";
import { utcTimeText } from "~/components/LocalTime";
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
  // The host's (or a moderator's) stop, confirmed on the page ("yes"); neither can be undone.
  z.object({ intent: z.literal("end"), confirm: z.string().default("") }),
  z.object({ intent: z.literal("cancel"), confirm: z.string().default("") }),
]);

/**
 * A stop refused because the session had stopped already, as the page says it: `before` and `after` around the time it
 * stopped (`at`, shown in the reader's time zone); the result's `message` says the same with the time in UTC.
 */
export type StoppedAlready = { before: string; at: string; after: string };

/** What the session page's action answers with: a refused stop also says when the session stopped. */
export type SessionPageActionResult = SessionActionResult & { stopped?: StoppedAlready };

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
    return data<SessionPageActionResult>(
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
    else if (input.intent === "end" || input.intent === "cancel") {
      // An unconfirmed post (a hand-made request) is asked first, on the edit page, as that page's own stop forms are.
      if (input.confirm !== "yes")
        return redirect(`/sessions/${officeHoursId}/edit?${input.intent}=confirm#${input.intent}-session`, 303);
      const stopped = await stopOfficeHours(db, { officeHoursId, actor, stop: input.intent });
      if (stopped)
        return data<SessionPageActionResult>(
          {
            intent,
            questionId,
            ok: false,
            message: `${stopped.before}${utcTimeText(new Date(stopped.at))}${stopped.after}`,
            stopped,
          },
          { status: 409 },
        );
    } else
      await answerInOfficeHours(db, {
        officeHoursId,
        questionId: input.questionId,
        actor,
        answer: input.intent === "answer" ? input.answer : undefined,
        skip: input.intent === "skip",
      });
  } catch (error) {
    const values = { body: String(formData.get("body") ?? ""), answer: String(formData.get("answer") ?? "") };
    return writeFailureResponse<SessionPageActionResult>(error, (failure) => ({
      intent,
      questionId,
      ok: false,
      message: failure.message,
      fieldErrors: failure.fieldErrors,
      values,
    }));
  }
  return isFetch
    ? data<SessionPageActionResult>({ intent, questionId, ok: true })
    : redirect(sessionActionTarget(officeHoursId, intent, questionId), 303);
}

/**
 * Ends or cancels the session. One that had stopped already (the page was older: cancelled in another tab or by a
 * moderator, ended early or at its time) is not stopped again and nobody is told again (the model does nothing twice);
 * it is said back instead. Null when this request stopped it.
 */
async function stopOfficeHours(
  db: Db,
  { officeHoursId, actor, stop }: { officeHoursId: number; actor: Actor; stop: "end" | "cancel" },
): Promise<StoppedAlready | null> {
  // The moment this request stops it at: a session stopped at any other moment had stopped already.
  const now = new Date();
  const stopped = { officeHoursId, actor, stop, now };
  try {
    if (stop === "cancel") await cancelOfficeHours(db, { officeHoursId, actor, now });
    else await endOfficeHoursNow(db, { officeHoursId, actor, now });
  } catch (error) {
    // Cancelling an ended session, or ending a cancelled one, is refused: said with who and when, like the rest.
    const already = error instanceof PostingError && error.status === 409 ? await stoppedBefore(db, stopped) : null;
    if (!already) throw error;
    return already;
  }
  return stoppedBefore(db, stopped);
}

/** How the session had stopped before `now` (cancelled, by whom, or ended), as a refused `stop` says it; else null. */
async function stoppedBefore(
  db: Db,
  { officeHoursId, actor, stop, now }: { officeHoursId: number; actor: Actor; stop: "end" | "cancel"; now: Date },
): Promise<StoppedAlready | null> {
  const session = await getOfficeHours(db, officeHoursId);
  if (!session) return null;
  const { cancelledAt, endsAt } = session;
  if (cancelledAt) {
    if (cancelledAt.getTime() === now.getTime()) return null;
    return {
      before: `This session was already cancelled${await whoCancelled(db, session, actor)} at `,
      at: cancelledAt.toISOString(),
      after: stop === "cancel" ? ", so there was nothing left to cancel." : ", so it can't be ended.",
    };
  }
  if (endsAt.getTime() >= now.getTime()) return null;
  return {
    before: "This session already ended at ",
    at: endsAt.toISOString(),
    after: stop === "end" ? ", so there was nothing left to end." : ", so it can't be cancelled now.",
  };
}

/**
 * " by …" for who cancelled the session, from the reader's side: themselves, its host, or a moderator (the only others
 * who can); nothing when that is not known (a cancel records who made it as the session's last change, at that moment).
 */
async function whoCancelled(
  db: Db,
  session: { id: number; hostId: string; hostName: string; cancelledAt: Date | null },
  actor: Actor,
): Promise<string> {
  const change = await getOfficeHoursForEdit(db, session.id, "UTC");
  const by = change?.updatedBy;
  if (!by || change.updatedAt !== session.cancelledAt?.toISOString()) return "";
  if (by === actor?.id) return " by you (in another tab or window)";
  if (by === session.hostId) return ` by ${session.hostName} (its host)`;
  const moderator = await getProfileById(db, by);
  return moderator ? ` by ${moderator.name} (a moderator)` : "";
}
