/**
 * "Ask a mentor": the asker invites up to three people whose expertise matches the question. The invitee is
 * notified; the question shows who was invited, who declined and who answered. Mentors on a break pause
 * invitations; inviting is rate limited. An invitation to a question held for review as it was asked waits, unsent,
 * until a moderator releases the question.
 */
import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { mentorInvitations, posts, questionClosures, spaces, users } from "#db/schema";
import { CLOSE_REASON_LABELS, resolveOriginal } from "./closure.server";
import { isHeldAsPosted } from "./holds.server";
import { notifyUsers } from "./notifications.server";
import type { Actor } from "./permissions.server";
import { PostingError, type SignedInActor, assertCan } from "./post-errors.server";
import { consumeWriteLimit } from "./rate-limits.server";
import type { MentorSuggestion, InvitationView } from "./invitations.types";
export type { MentorSuggestion, InvitationView } from "./invitations.types";

export const MAX_INVITATIONS_PER_QUESTION = 3;

const ALREADY_INVITED = "You've already invited this person.";

/** How long after inviting someone the same invitation sent again is a double tap or a retry: done already, not refused. */
const REPEATED_INVITE_MS = 30_000;

/**
 * Why nobody can be invited to a question, in words for its asker, or null when they can: an invitation asks someone
 * to answer, so a question that takes no answers (closed, or in an archived space) takes no invitations either.
 */
export async function whyNoInvitations(db: Db, questionId: number): Promise<string | null> {
  const [question] = await db
    .select({ closedAs: questionClosures.reason, spaceArchivedAt: spaces.archivedAt })
    .from(posts)
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .leftJoin(questionClosures, eq(questionClosures.questionId, posts.id))
    .where(eq(posts.id, questionId))
    .limit(1);
  if (question?.closedAs === "duplicate") {
    const original = await resolveOriginal(db, questionId);
    return `This question was closed as a duplicate of ${original ? `“${original.title}”` : "another question"}, so it takes no answers and no one can be invited to it.`;
  }
  if (question?.closedAs)
    return `This question was closed as ${CLOSE_REASON_LABELS[question.closedAs]}, so it takes no answers and no one can be invited to it unless it is reopened.`;
  if (question?.spaceArchivedAt)
    return "This question's space is archived, so the question takes no answers and no one can be invited to it.";
  return null;
}

/**
 * People who can be invited to a question: mentors (open to it, or by role) sharing a tag with it, not paused, not yet
 * invited, not the asker, not anyone who answered; nobody while the question takes no invitations (whyNoInvitations).
 */
export async function suggestMentors(db: Db, questionId: number, limit = 6): Promise<MentorSuggestion[]> {
  if (await whyNoInvitations(db, questionId)) return [];
  const rows = await queryRows<{
    id: string;
    name: string;
    handle: string | null;
    matching_tags: string[];
    helped_solve: number;
  }>(
    db,
    sql`
      select u.id, u.name, u.handle,
        array_agg(distinct t.slug order by t.slug) as matching_tags,
        (select count(*)::int from posts a join posts q on q.accepted_answer_id = a.id
          where a.author_id = u.id and a.deleted_at is null and q.deleted_at is null and q.author_id <> u.id) as helped_solve
      from posts q
      join post_tags pt on pt.post_id = q.id
      join tags t on t.id = pt.tag_id
      join user_expertise ue on ue.tag_id = t.id
      join users u on u.id = ue.user_id
      where q.id = ${questionId} and q.kind = 'question' and u.id <> q.author_id
        and not u.banned and not u.invitations_paused and (u.open_to_mentoring or u.role = 'mentor')
        and not exists (select 1 from mentor_invitations i where i.question_id = q.id and i.invitee_id = u.id)
        -- Someone who already answered (the accepted answer's author above all) needs no invitation.
        and not exists (select 1 from posts a where a.parent_id = q.id and a.kind = 'answer' and a.author_id = u.id and a.deleted_at is null)
      group by u.id, u.name, u.handle
      order by count(distinct t.id) desc, helped_solve desc, u.name
      limit ${limit}`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    handle: row.handle,
    matchingTags: row.matching_tags,
    helpedSolve: Number(row.helped_solve),
  }));
}

export async function listInvitations(db: Db, questionId: number): Promise<InvitationView[]> {
  return (
    await queryRows<{
      invitee_id: string;
      name: string;
      handle: string | null;
      is_declined: boolean;
      has_answered: boolean;
    }>(
      db,
      sql`
      select i.invitee_id, u.name, u.handle, i.declined_at is not null as is_declined,
        exists (select 1 from posts a where a.parent_id = i.question_id and a.author_id = i.invitee_id and a.kind = 'answer' and a.deleted_at is null) as has_answered
      from mentor_invitations i join users u on u.id = i.invitee_id
      where i.question_id = ${questionId}
      order by i.id`,
    )
  ).map((row) => ({
    inviteeId: row.invitee_id,
    name: row.name,
    handle: row.handle,
    isDeclined: row.is_declined,
    hasAnswered: row.has_answered,
  }));
}

/**
 * The question to invite to, and whether it is held for review as it was asked (only its asker may know it exists
 * then: "Ask <name>" invites right after asking, and that invitation waits for the moderator's decision).
 */
async function questionOf(db: Db, questionId: number, actor: Actor) {
  const [question] = await db
    .select({ id: posts.id, kind: posts.kind, authorId: posts.authorId, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, questionId))
    .limit(1);
  const notFound = new PostingError("This question doesn't exist or was deleted.", {}, 404);
  if (question?.kind !== "question") throw notFound;
  const isHeld =
    question.deletedAt !== null && question.authorId === actor?.id && (await isHeldAsPosted(db, question.id));
  if (question.deletedAt && !isHeld) throw notFound;
  return { ...question, isHeld };
}

/** Whether a person takes invitations to questions: open to mentoring (or a mentor), not paused, not banned. */
export function isInvitable(person: {
  banned: boolean;
  invitationsPaused: boolean;
  openToMentoring: boolean;
  role: string;
}): boolean {
  return !person.banned && !person.invitationsPaused && (person.openToMentoring || person.role === "mentor");
}

/**
 * Invites one person; they are told in their notifications, or, while the question is held for review as it was
 * asked, when a moderator releases it (sendWaitingInvitations). The same invitation sent again moments later is the
 * same success (nobody is told twice); later, or by someone else, it is refused as already sent. A question that takes
 * no answers takes no invitations (whyNoInvitations).
 */
export async function inviteMentor(
  db: Db,
  input: { actor: Actor; questionId: number; inviteeId: string; now?: Date },
): Promise<void> {
  const question = await questionOf(db, input.questionId, input.actor);
  assertCan(
    input.actor,
    "question.invite",
    { ownerId: question.authorId },
    "Only the person who asked can invite mentors to this question.",
  );
  const actor: SignedInActor = input.actor;
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    // Serialises invitations to one question, so two at once cannot pass the limit together. Closing locks the same row
    // first, so a question closed meanwhile is seen closed here.
    await tx.execute(sql`select 1 from posts where id = ${question.id} for update`);
    const refusal = await whyNoInvitations(tx, question.id);
    if (refusal) throw new PostingError(refusal, {}, 409);
    const [earlier] = await tx
      .select({ inviterId: mentorInvitations.inviterId, createdAt: mentorInvitations.createdAt })
      .from(mentorInvitations)
      .where(and(eq(mentorInvitations.questionId, question.id), eq(mentorInvitations.inviteeId, input.inviteeId)))
      .limit(1);
    if (earlier) {
      // The same person's invitation sent again moments later (a double tap, a retried request) is the one just sent.
      const age = now.getTime() - earlier.createdAt.getTime();
      if (earlier.inviterId === actor.id && age >= 0 && age < REPEATED_INVITE_MS) return;
      throw new PostingError(ALREADY_INVITED, {}, 409);
    }
    const [sent] = await tx
      .select({ n: count() })
      .from(mentorInvitations)
      .where(eq(mentorInvitations.questionId, question.id));
    if ((sent?.n ?? 0) >= MAX_INVITATIONS_PER_QUESTION)
      throw new PostingError(
        `A question can invite at most ${MAX_INVITATIONS_PER_QUESTION} mentors. Give them a little time to answer.`,
        {},
        409,
      );
    const [invitee] = await tx
      .select({
        id: users.id,
        banned: users.banned,
        paused: users.invitationsPaused,
        open: users.openToMentoring,
        role: users.role,
      })
      .from(users)
      .where(eq(users.id, input.inviteeId))
      .limit(1);
    if (
      !invitee ||
      invitee.banned ||
      invitee.id === question.authorId ||
      !(invitee.open || invitee.role === "mentor")
    ) {
      throw new PostingError("That person can't be invited to this question.", {}, 400);
    }
    if (invitee.paused)
      throw new PostingError("That mentor has paused invitations for now. Try someone else.", {}, 409);
    await consumeWriteLimit(tx, { userId: actor.id, kind: "invite", now });
    const inserted = await tx
      .insert(mentorInvitations)
      .values({ questionId: question.id, inviterId: actor.id, inviteeId: invitee.id, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: mentorInvitations.id });
    if (inserted.length === 0) throw new PostingError(ALREADY_INVITED, {}, 409);
    if (!question.isHeld)
      await notifyUsers(tx, { kind: "invitation", actorId: actor.id, postId: question.id }, [invitee.id]);
  });
}

/**
 * Sends the invitations that waited while their question was held for review as it was asked, now that a moderator
 * has released it: as inviteMentor would have, to each person who may still be invited. Anyone who may not any more
 * (banned, invitations paused, no longer open to mentoring, account deleted) is dropped quietly, so the asker can
 * invite someone else in their place. Called once, in the release's transaction.
 */
export async function sendWaitingInvitations(tx: Db, questionId: number): Promise<void> {
  const waiting = await tx
    .select({
      id: mentorInvitations.id,
      inviterId: mentorInvitations.inviterId,
      inviteeId: mentorInvitations.inviteeId,
      banned: users.banned,
      invitationsPaused: users.invitationsPaused,
      openToMentoring: users.openToMentoring,
      role: users.role,
      deletedAt: users.deletedAt,
    })
    .from(mentorInvitations)
    .innerJoin(users, eq(users.id, mentorInvitations.inviteeId))
    .where(and(eq(mentorInvitations.questionId, questionId), isNull(mentorInvitations.declinedAt)));
  const isStillInvitable = (invitation: (typeof waiting)[number]) =>
    invitation.deletedAt === null && isInvitable(invitation);
  const dropped = waiting.filter((invitation) => !isStillInvitable(invitation)).map((invitation) => invitation.id);
  if (dropped.length > 0) await tx.delete(mentorInvitations).where(inArray(mentorInvitations.id, dropped));
  for (const invitation of waiting.filter(isStillInvitable))
    await notifyUsers(tx, { kind: "invitation", actorId: invitation.inviterId, postId: questionId }, [
      invitation.inviteeId,
    ]);
}

/** A held question that stays removed: its waiting invitations go with it, so none is ever sent (even if restored). */
export async function dropWaitingInvitations(tx: Db, questionId: number): Promise<void> {
  await tx.delete(mentorInvitations).where(eq(mentorInvitations.questionId, questionId));
}

const listOfNames = new Intl.ListFormat("en", { style: "long", type: "conjunction" });

/** What the asker of a question held for review is told about the people they asked: they are asked once it is released. */
export async function waitingInvitationsNote(db: Db, questionId: number): Promise<string | null> {
  const names = (await listInvitations(db, questionId))
    .filter((invitation) => !invitation.isDeclined)
    .map((invitation) => invitation.name);
  if (names.length === 0) return null;
  return `${listOfNames.format(names)} will be asked once a moderator has looked at your question.`;
}

/** The invitee says no, kindly; the asker sees it and can invite someone else (the declined one still counts). */
export async function declineInvitation(
  db: Db,
  input: { actor: Actor; questionId: number; now?: Date },
): Promise<void> {
  if (!input.actor) throw new PostingError("Please sign in first.", {}, 401);
  const updated = await db
    .update(mentorInvitations)
    .set({ declinedAt: input.now ?? new Date() })
    .where(
      and(
        eq(mentorInvitations.questionId, input.questionId),
        eq(mentorInvitations.inviteeId, input.actor.id),
        isNull(mentorInvitations.declinedAt),
      ),
    )
    .returning({ id: mentorInvitations.id });
  if (updated.length === 0) throw new PostingError("There is no open invitation to decline.", {}, 404);
}

export async function setInvitationsPaused(db: Db, userId: string, paused: boolean): Promise<void> {
  await db.update(users).set({ invitationsPaused: paused }).where(eq(users.id, userId));
}
