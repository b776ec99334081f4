/**
 * Closing and reopening questions: as a duplicate (with its original), off-topic or needing details; by moderators at
 * once, by trusted members' votes; and what a viewer may do about it. Reading a closure is in closure.server.ts, the
 * votes-needed setting in close-settings.server.ts, merging a duplicate's answers in duplicate-merge.server.ts.
 */
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  CLOSE_REASONS,
  type CloseReason,
  type CloseVoteKind,
  closeVotes,
  posts,
  questionClosures,
  users,
} from "#db/schema";
import { questionPath } from "~/lib/qa";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { getCloseVotesNeeded } from "./close-settings.server";
import type { CloseViewer } from "./close.types";
import {
  CLOSE_REASON_LABELS,
  type Closure,
  getClosure,
  questionOrThrow,
  questionRefOnSite,
  resolveOriginal,
} from "./closure.server";
import { sendNotice } from "./holds.server";
import { recordModeration } from "./moderation.server";
import { type Actor, can } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { withTrustLevel } from "./trust-levels.server";
export type { CloseViewer } from "./close.types";

/** The refusal for a "duplicate of" link to another website (another site's /q/98 is not our question 98). */
const ELSEWHERE_LINK_MESSAGE =
  "That link is to another website. Paste a link to a question on this site, or its number.";

function duplicateRefProblem(ref: "elsewhere" | null, siteUrl: string | undefined): string {
  if (ref === null) return "Paste the link (or number) of the question this one duplicates.";
  // Without the site's address (a caller that doesn't pass it) no full link can be checked: ask for the number.
  return siteUrl ? ELSEWHERE_LINK_MESSAGE : "Paste the question's number, or the part of its link from /q/ on.";
}

const closeSchema = (siteUrl: string | undefined) =>
  z
    .object({
      reason: z.enum(CLOSE_REASONS, { message: "Choose why the question should be closed." }),
      duplicateOf: z.string().max(500).default(""),
      details: z.string().trim().max(500, "Keep it under 500 characters.").default(""),
    })
    .superRefine((input, ctx) => {
      const ref = input.reason === "duplicate" ? questionRefOnSite(input.duplicateOf, siteUrl) : 0;
      if (ref === null || ref === "elsewhere")
        ctx.addIssue({ code: "custom", path: ["duplicateOf"], message: duplicateRefProblem(ref, siteUrl) });
      if (input.reason === "needs_details" && input.details.length < 5)
        ctx.addIssue({ code: "custom", path: ["details"], message: "Say what is missing, so the asker can add it." });
    });
/** `siteUrl`: the site's own address (APP_URL), so a full link to a question here is understood; left out, only numbers and paths are. */
export type CloseInput = { reason: string; duplicateOf?: string; details?: string; siteUrl?: string };

type ValidClose = { reason: CloseReason; duplicateOfId: number | null; details: string };

async function validateClose(db: Db, questionId: number, input: CloseInput): Promise<ValidClose> {
  const fields = validate(closeSchema(input.siteUrl), input);
  if (fields.reason !== "duplicate") return { reason: fields.reason, duplicateOfId: null, details: fields.details };
  // The schema refused anything but a question on this site: a number here.
  const named = questionRefOnSite(fields.duplicateOf, input.siteUrl);
  const ref = typeof named === "number" ? named : 0;
  const notFound = { duplicateOf: "There is no question at that link." };
  const [target] = await db
    .select({ id: posts.id, kind: posts.kind, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, ref))
    .limit(1);
  if (target?.kind !== "question" || target.deletedAt) throw new PostingError(notFound.duplicateOf, notFound);
  // Pointing at a closed duplicate points at its original instead, so chains stay short.
  const original = (await resolveOriginal(db, target.id))?.id ?? target.id;
  if (original === questionId) {
    // The summary says where to look; the field says what is wrong (the same sentence twice read as an echo).
    const duplicateOf =
      target.id === questionId
        ? "A question can't be a duplicate of itself: link the question it repeats."
        : "That question was closed as a duplicate of this one, so it can't be its original: link the question both repeat.";
    throw new PostingError("Please fix the highlighted field; nothing you typed was lost.", { duplicateOf });
  }
  return { reason: "duplicate", duplicateOfId: original, details: fields.details };
}

/**
 * The asker hears that their question was closed or reopened, with the reason and what they can do (in their
 * notifications and on /me/moderation), unless they did it themselves or their account is gone.
 */
async function tellAsker(
  tx: Db,
  questionId: number,
  by: string | null,
  kind: "question_closed" | "question_reopened",
  message: (title: string) => Promise<string> | string,
) {
  const [question] = await tx
    .select({ authorId: posts.authorId, title: posts.title })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.id, questionId), isNull(users.deletedAt)))
    .limit(1);
  if (!question?.authorId || question.authorId === by) return;
  const title = question.title ?? "your question";
  await sendNotice(tx, {
    userId: question.authorId,
    kind,
    message: await message(title),
    url: questionPath(questionId, question.title),
  });
}

/** What the asker reads when their question is closed: why, the moderators' or voters' note, and the way back. */
async function closedNotice(tx: Db, title: string, close: ValidClose): Promise<string> {
  const note = close.details ? ` The note says: “${close.details}”.` : "";
  if (close.reason === "duplicate" && close.duplicateOfId !== null) {
    const [original] = await tx
      .select({ title: posts.title })
      .from(posts)
      .where(eq(posts.id, close.duplicateOfId))
      .limit(1);
    return `Your question “${title}” was closed as a duplicate of “${original?.title ?? "another question"}”, whose answers may already help.${note} If yours is different, edit it to say how, and it can be reopened.`;
  }
  if (close.reason === "needs_details")
    return `Your question “${title}” was closed until it has more details.${note} Edit it to add them, and it can be reopened.`;
  return `Your question “${title}” was closed as ${CLOSE_REASON_LABELS[close.reason]}.${note} If you think that is a mistake, edit it to explain, and it can be reopened.`;
}

/**
 * Close and reopen votes are counted inside one transaction per vote: the question's row is locked first, so votes
 * arriving together are counted one after the other (without it, two last votes could each miss the other and leave the
 * question open with enough votes to close it).
 */
async function lockQuestionRow(tx: Db, questionId: number): Promise<void> {
  await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, questionId)).for("update");
}

async function applyClose(tx: Db, questionId: number, close: ValidClose, by: string | null, voters: number) {
  const inserted = await tx
    .insert(questionClosures)
    .values({ questionId, ...close, closedBy: by, closedAt: new Date() })
    .onConflictDoNothing()
    .returning({ questionId: questionClosures.questionId });
  await tx.delete(closeVotes).where(eq(closeVotes.questionId, questionId));
  if (inserted.length > 0)
    await tellAsker(tx, questionId, by, "question_closed", (title) => closedNotice(tx, title, close));
  // The search index drops closed duplicates (and their answers), so searches lead to the original.
  await enqueueSearchUpdate(tx, [questionId]);
  await recordModeration(tx, {
    actorId: by,
    action: "question.close",
    targetType: "question",
    targetId: String(questionId),
    reason: close.details,
    details: { closeReason: close.reason, duplicateOf: close.duplicateOfId, ...(by ? {} : { votes: voters }) },
  });
}

async function applyReopen(tx: Db, questionId: number, by: string | null, voters: number) {
  const removed = await tx
    .delete(questionClosures)
    .where(eq(questionClosures.questionId, questionId))
    .returning({ id: questionClosures.questionId });
  if (removed.length === 0) return;
  await tx.delete(closeVotes).where(eq(closeVotes.questionId, questionId));
  await tellAsker(
    tx,
    questionId,
    by,
    "question_reopened",
    (title) => `Your question “${title}” was reopened: it takes answers again. Thank you for improving it.`,
  );
  await enqueueSearchUpdate(tx, [questionId]);
  await recordModeration(tx, {
    actorId: by,
    action: "question.reopen",
    targetType: "question",
    targetId: String(questionId),
    details: by ? {} : { votes: voters },
  });
}

export type CloseOutcome = { isClosed: boolean; votes: number; needed: number };

/**
 * Closes a question: a moderator's closing is immediate; a trusted member's is a vote, and the question closes when
 * enough votes agree (the reason most voted for, the original most named).
 */
export async function closeQuestion(
  db: Db,
  input: CloseInput & { actor: Actor; questionId: number },
): Promise<CloseOutcome> {
  const { questionId } = input;
  const actor = await withTrustLevel(db, input.actor);
  const isModerator = can(actor, "question.close");
  if (!isModerator) assertCan(actor, "question.voteClose");
  if (!actor) throw new PostingError("Please sign in first.", {}, 401);
  await questionOrThrow(db, questionId);
  const close = await validateClose(db, questionId, input);
  const needed = await getCloseVotesNeeded(db);
  return db.transaction(async (tx) => {
    await lockQuestionRow(tx, questionId);
    const [already] = await tx
      .select({ id: questionClosures.questionId })
      .from(questionClosures)
      .where(eq(questionClosures.questionId, questionId));
    if (already) throw new PostingError("This question is already closed.", {}, 409);
    if (isModerator) {
      await applyClose(tx, questionId, close, actor.id, 0);
      return { isClosed: true, votes: 0, needed };
    }
    await tx
      .insert(closeVotes)
      .values({ questionId, userId: actor.id, kind: "close", ...close })
      .onConflictDoUpdate({
        target: [closeVotes.questionId, closeVotes.userId, closeVotes.kind],
        set: { reason: close.reason, duplicateOfId: close.duplicateOfId, details: close.details },
      });
    const votes = await tx
      .select({ reason: closeVotes.reason, duplicateOfId: closeVotes.duplicateOfId, details: closeVotes.details })
      .from(closeVotes)
      .where(and(eq(closeVotes.questionId, questionId), eq(closeVotes.kind, "close")))
      .orderBy(asc(closeVotes.createdAt));
    if (votes.length < needed) return { isClosed: false, votes: votes.length, needed };
    await applyClose(tx, questionId, agreedClose(votes), null, votes.length);
    return { isClosed: true, votes: votes.length, needed };
  });
}

/** The reason (and original, and details) most votes named; ties go to the earliest vote. */
function agreedClose(votes: { reason: CloseReason | null; duplicateOfId: number | null; details: string }[]) {
  const tally = new Map<string, { vote: ValidClose; n: number }>();
  for (const vote of votes) {
    const key = `${vote.reason}:${vote.duplicateOfId ?? ""}`;
    const entry = tally.get(key);
    if (entry) entry.n++;
    else
      tally.set(key, {
        vote: { reason: vote.reason ?? "off_topic", duplicateOfId: vote.duplicateOfId, details: vote.details },
        n: 1,
      });
  }
  let best: { vote: ValidClose; n: number } | undefined;
  for (const entry of tally.values()) if (!best || entry.n > best.n) best = entry;
  return best?.vote ?? { reason: "off_topic" as const, duplicateOfId: null, details: "" };
}

/**
 * Reopens a closed question: moderators at once; trusted members vote once it has been edited since it was closed
 * (the edit is what the vote judges), and enough votes reopen it.
 */
export async function reopenQuestion(db: Db, input: { actor: Actor; questionId: number }) {
  const { questionId } = input;
  const actor = await withTrustLevel(db, input.actor);
  const isModerator = can(actor, "question.reopen");
  if (!isModerator) assertCan(actor, "question.voteReopen");
  if (!actor) throw new PostingError("Please sign in first.", {}, 401);
  await questionOrThrow(db, questionId);
  const closure = await getClosure(db, questionId);
  if (!closure) throw new PostingError("This question is open already.", {}, 409);
  if (!isModerator && !closure.isEditedSinceClose)
    throw new PostingError(
      "A closed question can be voted open once it has been edited to fix what it was closed for.",
      {},
      409,
    );
  const needed = await getCloseVotesNeeded(db);
  return db.transaction(async (tx): Promise<CloseOutcome> => {
    await lockQuestionRow(tx, questionId);
    // Someone else's vote or a moderator may have reopened it while this request was on its way.
    if (!(await getClosure(tx, questionId))) throw new PostingError("This question is open already.", {}, 409);
    if (isModerator) {
      await applyReopen(tx, questionId, actor.id, 0);
      return { isClosed: false, votes: 0, needed };
    }
    await tx.insert(closeVotes).values({ questionId, userId: actor.id, kind: "reopen" }).onConflictDoNothing();
    const [tally] = await tx
      .select({ n: count() })
      .from(closeVotes)
      .where(and(eq(closeVotes.questionId, questionId), eq(closeVotes.kind, "reopen")));
    const votes = tally?.n ?? 0;
    if (votes < needed) return { isClosed: true, votes, needed };
    await applyReopen(tx, questionId, null, votes);
    return { isClosed: false, votes, needed };
  });
}

/** Takes back a close or reopen vote of one's own. */
export async function withdrawCloseVote(
  db: Db,
  { actor, questionId, kind }: { actor: Actor; questionId: number; kind: CloseVoteKind },
) {
  if (!actor) throw new PostingError("Please sign in first.", {}, 401);
  await db
    .delete(closeVotes)
    .where(and(eq(closeVotes.questionId, questionId), eq(closeVotes.userId, actor.id), eq(closeVotes.kind, kind)));
}

/** What this viewer may do about closing this question, and the votes so far (shown only to those who may vote). */
export async function getCloseViewer(db: Db, questionId: number, viewer: Actor): Promise<CloseViewer> {
  const actor = await withTrustLevel(db, viewer);
  const [closure, needed] = await Promise.all([getClosure(db, questionId), getCloseVotesNeeded(db)]);
  const tallies = await db
    .select({ kind: closeVotes.kind, n: count() })
    .from(closeVotes)
    .where(eq(closeVotes.questionId, questionId))
    .groupBy(closeVotes.kind);
  const [mine] = actor
    ? await db
        .select({ kind: closeVotes.kind })
        .from(closeVotes)
        .where(and(eq(closeVotes.questionId, questionId), eq(closeVotes.userId, actor.id)))
        .limit(1)
    : [];
  return closeViewerFrom(actor, closure, {
    needed,
    closeVotes: tallies.find((t) => t.kind === "close")?.n ?? 0,
    reopenVotes: tallies.find((t) => t.kind === "reopen")?.n ?? 0,
    myVote: mine?.kind ?? null,
  });
}

/**
 * The rule behind getCloseViewer from rows already read (the actor with their trust level): also used by the question
 * page's one-query viewer (question-viewer.server.ts).
 */
export function closeViewerFrom(
  actor: Actor,
  closure: Closure | null,
  votes: Pick<CloseViewer, "needed" | "closeVotes" | "reopenVotes" | "myVote">,
): CloseViewer {
  const isModerator = can(actor, "question.close");
  const isTrusted = can(actor, "question.voteClose");
  return {
    canClose: !closure && isModerator,
    canVoteClose: !closure && !isModerator && isTrusted,
    canReopen: closure !== null && can(actor, "question.reopen"),
    canVoteReopen: closure !== null && !isModerator && closure.isEditedSinceClose && can(actor, "question.voteReopen"),
    canMerge: closure?.reason === "duplicate" && closure.original !== null && can(actor, "question.mergeDuplicate"),
    ...votes,
  };
}
