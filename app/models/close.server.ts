/** Closing and reopening questions: as a duplicate (with its original), off-topic or needing details; by moderators at once, by trusted members' votes. */
import { and, asc, count, eq, gt, inArray, isNull, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  CLOSE_REASONS,
  type CloseReason,
  type CloseVoteKind,
  closeVotes,
  closingSettings,
  posts,
  questionClosures,
  revisions,
} from "#db/schema";
import { questionPath } from "~/lib/qa";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { recordModeration } from "./moderation.server";
import { type Actor, can } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { refreshQuestionFacts } from "./pulse.server";
import { withTrustLevel } from "./trust-levels.server";

export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  duplicate: "a duplicate of another question",
  off_topic: "off-topic for PeerDesk",
  needs_details: "needing more details",
};

export const DEFAULT_CLOSE_VOTES_NEEDED = 3;
const CLOSE_VOTES_SETTING = "close_votes_needed";

/** How many trusted members' votes close (or reopen) a question: a community setting, three unless changed. */
export async function getCloseVotesNeeded(db: Db): Promise<number> {
  const [row] = await db
    .select({ value: closingSettings.value })
    .from(closingSettings)
    .where(eq(closingSettings.key, CLOSE_VOTES_SETTING))
    .limit(1);
  return row?.value ?? DEFAULT_CLOSE_VOTES_NEEDED;
}

/** Admins change the number of votes needed (1–10); logged like every staff action. */
export async function setCloseVotesNeeded(db: Db, { actor, value }: { actor: Actor; value: number }): Promise<void> {
  assertCan(actor, "space.edit", undefined, "Only admins change community settings.");
  if (!Number.isInteger(value) || value < 1 || value > 10)
    throw new PostingError("Choose between 1 and 10 votes.", { value: "Choose between 1 and 10 votes." });
  await db.transaction(async (tx) => {
    await tx
      .insert(closingSettings)
      .values({ key: CLOSE_VOTES_SETTING, value })
      .onConflictDoUpdate({ target: closingSettings.key, set: { value, updatedAt: new Date() } });
    await recordModeration(tx, {
      actorId: actor.id,
      action: "settings.closeVotesNeeded",
      targetType: "setting",
      targetId: CLOSE_VOTES_SETTING,
      details: { value },
    });
  });
}

/** "123", "/q/123/slug" or a full link to a question: the id in it, or null. */
export function parseQuestionRef(raw: string): number | null {
  const text = raw.trim();
  const match = /^(\d{1,9})$/.exec(text) ?? /\/q\/(\d{1,9})(?:[/?#]|$)/.exec(text);
  const id = match?.[1] ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const closeSchema = z
  .object({
    reason: z.enum(CLOSE_REASONS, { message: "Choose why the question should be closed." }),
    duplicateOf: z.string().max(500).default(""),
    details: z.string().trim().max(500, "Keep it under 500 characters.").default(""),
  })
  .superRefine((input, ctx) => {
    if (input.reason === "duplicate" && parseQuestionRef(input.duplicateOf) === null)
      ctx.addIssue({
        code: "custom",
        path: ["duplicateOf"],
        message: "Paste the link (or number) of the question this one duplicates.",
      });
    if (input.reason === "needs_details" && input.details.length < 5)
      ctx.addIssue({ code: "custom", path: ["details"], message: "Say what is missing, so the asker can add it." });
  });
export type CloseInput = { reason: string; duplicateOf?: string; details?: string };

export type Closure = {
  reason: CloseReason;
  details: string;
  closedAt: Date;
  byVote: boolean;
  /** The original a duplicate points to (followed through chains of duplicates); null when gone. */
  original: { id: number; title: string } | null;
  /** The asker (or a trusted member) edited it after it was closed: it may be reopened by vote. */
  isEditedSinceClose: boolean;
};

async function questionOrThrow(db: Db, questionId: number) {
  const [question] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      deletedAt: posts.deletedAt,
      authorId: posts.authorId,
    })
    .from(posts)
    .where(eq(posts.id, questionId))
    .limit(1);
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  return { ...question, title: question.title ?? "(untitled)" };
}

/** The question a duplicate leads to: its original, or the original's original (a few hops), never itself. */
export async function resolveOriginal(db: Db, questionId: number): Promise<{ id: number; title: string } | null> {
  const seen = new Set([questionId]);
  let current = questionId;
  let found: { id: number; title: string } | null = null;
  for (let hop = 0; hop < 5; hop++) {
    const [row] = await db
      .select({ next: questionClosures.duplicateOfId, title: posts.title, deletedAt: posts.deletedAt })
      .from(questionClosures)
      .innerJoin(posts, eq(posts.id, questionClosures.duplicateOfId))
      .where(and(eq(questionClosures.questionId, current), eq(questionClosures.reason, "duplicate")))
      .limit(1);
    if (!row || row.next === null || row.deletedAt || seen.has(row.next)) break;
    seen.add(row.next);
    current = row.next;
    found = { id: row.next, title: row.title ?? "(untitled)" };
  }
  return found;
}

/** Whether (and why) a question is closed; null when it is open. */
export async function getClosure(db: Db, questionId: number): Promise<Closure | null> {
  const [row] = await db.select().from(questionClosures).where(eq(questionClosures.questionId, questionId)).limit(1);
  if (!row) return null;
  const [edited] = await db
    .select({ n: count() })
    .from(revisions)
    .where(and(eq(revisions.postId, questionId), gt(revisions.createdAt, row.closedAt)));
  return {
    reason: row.reason,
    details: row.details,
    closedAt: row.closedAt,
    byVote: row.closedBy === null,
    original: row.reason === "duplicate" ? await resolveOriginal(db, questionId) : null,
    isEditedSinceClose: (edited?.n ?? 0) > 0,
  };
}

/** Of these question ids, the ones closed as duplicates (search and suggestions lead to their originals instead). */
export async function closedDuplicateIds(db: Db, questionIds: number[]): Promise<Set<number>> {
  if (questionIds.length === 0) return new Set();
  const rows = await db
    .select({ id: questionClosures.questionId })
    .from(questionClosures)
    .where(and(inArray(questionClosures.questionId, questionIds), eq(questionClosures.reason, "duplicate")));
  return new Set(rows.map((row) => row.id));
}

/** Answering a closed question is refused with the reason, in plain words. */
export async function assertOpenForAnswers(db: Db, questionId: number): Promise<void> {
  const [row] = await db
    .select({ reason: questionClosures.reason })
    .from(questionClosures)
    .where(eq(questionClosures.questionId, questionId))
    .limit(1);
  if (!row) return;
  throw new PostingError(
    row.reason === "duplicate"
      ? "This question was closed as a duplicate, so it takes no new answers. Please answer the original question instead."
      : `This question was closed as ${CLOSE_REASON_LABELS[row.reason]}, so it takes no new answers until it is reopened.`,
    {},
    409,
  );
}

type ValidClose = { reason: CloseReason; duplicateOfId: number | null; details: string };

async function validateClose(db: Db, questionId: number, input: CloseInput): Promise<ValidClose> {
  const fields = validate(closeSchema, input);
  if (fields.reason !== "duplicate") return { reason: fields.reason, duplicateOfId: null, details: fields.details };
  const ref = parseQuestionRef(fields.duplicateOf) ?? 0;
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
    const message = "A question can't be a duplicate of itself.";
    throw new PostingError(message, { duplicateOf: message });
  }
  return { reason: "duplicate", duplicateOfId: original, details: fields.details };
}

async function applyClose(tx: Db, questionId: number, close: ValidClose, by: string | null, voters: number) {
  await tx
    .insert(questionClosures)
    .values({ questionId, ...close, closedBy: by, closedAt: new Date() })
    .onConflictDoNothing();
  await tx.delete(closeVotes).where(eq(closeVotes.questionId, questionId));
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
  if (!isModerator)
    assertCan(actor, "question.voteClose", undefined, "Voting to close opens up once you reach trust level 2.");
  if (!actor) throw new PostingError("Please sign in first.", {}, 401);
  await questionOrThrow(db, questionId);
  const close = await validateClose(db, questionId, input);
  const needed = await getCloseVotesNeeded(db);
  return db.transaction(async (tx) => {
    const [already] = await tx
      .select({ id: questionClosures.questionId })
      .from(questionClosures)
      .where(eq(questionClosures.questionId, questionId))
      .for("update");
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
  if (!isModerator)
    assertCan(actor, "question.voteReopen", undefined, "Voting to reopen opens up once you reach trust level 2.");
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

/**
 * Moderators move a closed duplicate's answers to its original (their comments, votes and revisions go with them);
 * an accepted answer stays accepted only on the duplicate's side, so the original's asker still chooses.
 */
export async function mergeDuplicateAnswers(
  db: Db,
  { actor, questionId }: { actor: Actor; questionId: number },
): Promise<{ originalId: number; moved: number }> {
  assertCan(actor, "question.mergeDuplicate", undefined, "Only moderators merge answers.");
  await questionOrThrow(db, questionId);
  const closure = await getClosure(db, questionId);
  if (closure?.reason !== "duplicate" || !closure.original)
    throw new PostingError(
      "Only a question closed as a duplicate can have its answers merged into the original.",
      {},
      409,
    );
  const originalId = closure.original.id;
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(posts)
      .set({ parentId: originalId, lastActivityAt: new Date() })
      .where(and(eq(posts.parentId, questionId), eq(posts.kind, "answer")))
      .returning({ id: posts.id });
    await tx.update(posts).set({ acceptedAnswerId: null, acceptedAt: null }).where(eq(posts.id, questionId));
    for (const id of [questionId, originalId])
      await tx.execute(
        sql`update posts set answer_count = (select count(*) from posts a where a.parent_id = ${id} and a.kind = 'answer' and a.deleted_at is null) where id = ${id}`,
      );
    const [latest] = await tx
      .select({ at: max(posts.createdAt) })
      .from(posts)
      .where(and(eq(posts.parentId, originalId), isNull(posts.deletedAt)));
    if (latest?.at) await tx.update(posts).set({ lastActivityAt: latest.at }).where(eq(posts.id, originalId));
    await enqueueSearchUpdate(tx, [questionId, originalId, ...moved.map((answer) => answer.id)]);
    await refreshQuestionFacts(tx, [questionId, originalId]);
    await recordModeration(tx, {
      actorId: actor.id,
      action: "question.mergeAnswers",
      targetType: "question",
      targetId: String(questionId),
      details: { into: originalId, answers: moved.length },
    });
    return { originalId, moved: moved.length };
  });
}

export type CloseViewer = {
  canClose: boolean;
  canVoteClose: boolean;
  canReopen: boolean;
  canVoteReopen: boolean;
  canMerge: boolean;
  closeVotes: number;
  reopenVotes: number;
  needed: number;
  myVote: CloseVoteKind | null;
};

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
  const isModerator = can(actor, "question.close");
  const isTrusted = can(actor, "question.voteClose");
  return {
    canClose: !closure && isModerator,
    canVoteClose: !closure && !isModerator && isTrusted,
    canReopen: closure !== null && can(actor, "question.reopen"),
    canVoteReopen: closure !== null && !isModerator && closure.isEditedSinceClose && can(actor, "question.voteReopen"),
    canMerge: closure?.reason === "duplicate" && closure.original !== null && can(actor, "question.mergeDuplicate"),
    closeVotes: tallies.find((t) => t.kind === "close")?.n ?? 0,
    reopenVotes: tallies.find((t) => t.kind === "reopen")?.n ?? 0,
    needed,
    myVote: mine?.kind ?? null,
  };
}

/**
 * For a question's page: its closure, where a closed duplicate's visitors go (the original, unless the address asks
 * to stay with ?stay=1), and, on an original reached from a duplicate (?duplicate=id), that duplicate — only when it
 * really is closed as a duplicate of this question, so the note can't be forged from the address.
 */
export async function closedDuplicateOf(db: Db, questionId: number, url: URL) {
  const closure = await getClosure(db, questionId);
  const original = closure?.reason === "duplicate" ? closure.original : null;
  if (original && url.searchParams.get("stay") !== "1")
    return {
      closure,
      cameFrom: null,
      redirectTo: `${questionPath(original.id, original.title)}?duplicate=${questionId}`,
    };
  const fromId = parseQuestionRef(url.searchParams.get("duplicate") ?? "");
  let cameFrom: { id: number; title: string } | null = null;
  if (fromId !== null && fromId !== questionId && (await resolveOriginal(db, fromId))?.id === questionId) {
    const [row] = await db.select({ title: posts.title }).from(posts).where(eq(posts.id, fromId)).limit(1);
    cameFrom = { id: fromId, title: row?.title ?? "(untitled)" };
  }
  return { closure, cameFrom, redirectTo: null };
}
