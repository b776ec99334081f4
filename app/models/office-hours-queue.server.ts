/** The question queue of a hosted Q&A session: asking, upvoting, and the host answering or skipping, announced live. */
import { and, asc, count, desc, eq, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  type OfficeHoursQuestionState,
  officeHours,
  officeHoursQuestionVotes,
  officeHoursQuestions,
  users,
} from "#db/schema";
import { HEADING_LEVEL, renderMarkdown, settlePictures } from "~/lib/markdown.server";
import { OFFICE_HOURS_LIMITS } from "~/lib/office-hours";
import { publish } from "~/lib/realtime.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { sessionDocumentId } from "~/search/types";
import { IDEMPOTENCY_KEY_PATTERN, once } from "./idempotency.server";
import { canBeNotified, follow } from "./notifications.server";
import { lockOfficeHours, officeHoursPhase } from "./office-hours.server";
import type { OfficeHoursPhase, QueueItem } from "./office-hours.types";
import type { Actor } from "./permissions.server";
import { PostingError, type SignedInActor, assertCan } from "./post-errors.server";
import { markdownText, validate } from "./post-fields.server";
import { picturesShownIn } from "./post-images.server";
import { assertNotSuspended, consumeWriteLimit } from "./rate-limits.server";
import { assertNotSilenced, screenNewContent } from "./spam.server";

/**
 * The session's questions in queue order: open ones by votes, then age; answered and skipped after them. After the
 * end (the archive), answered questions come first, by votes. A question moderation hid is left out, except for its
 * asker and for staff (`canSeeHidden`), who see it marked as held for review or removed.
 */
export async function getQueue(
  db: Db,
  officeHoursId: number,
  {
    viewerId,
    phase,
    canSeeHidden = false,
  }: { viewerId?: string | null; phase: OfficeHoursPhase; canSeeHidden?: boolean },
): Promise<QueueItem[]> {
  const stateOrder =
    phase === "ended"
      ? sql`case ${officeHoursQuestions.state} when 'answered' then 0 when 'open' then 1 else 2 end`
      : sql`case ${officeHoursQuestions.state} when 'open' then 0 when 'answered' then 1 else 2 end`;
  const isVisible = canSeeHidden
    ? undefined
    : or(isNull(officeHoursQuestions.hiddenAt), viewerId ? eq(officeHoursQuestions.authorId, viewerId) : undefined);
  // A withdrawn question has left the session, for everyone (its flags stay in the review queue).
  const isInSession = ne(officeHoursQuestions.state, "withdrawn");
  return db
    .select({
      id: officeHoursQuestions.id,
      body: officeHoursQuestions.body,
      authorId: officeHoursQuestions.authorId,
      authorName: users.name,
      votes: officeHoursQuestions.votes,
      state: officeHoursQuestions.state,
      answerHtml: officeHoursQuestions.answerHtml,
      answeredAt: officeHoursQuestions.answeredAt,
      createdAt: officeHoursQuestions.createdAt,
      editedAt: officeHoursQuestions.editedAt,
      hasMyVote: viewerId
        ? sql<boolean>`exists (select 1 from session_question_votes v where v.question_id = ${officeHoursQuestions.id} and v.user_id = ${viewerId})`
        : sql<boolean>`false`,
      moderation: sql<QueueItem["moderation"]>`case when ${officeHoursQuestions.hiddenAt} is null then null
        when exists (select 1 from content_holds h where h.target_type = 'session_question'
          and h.target_id = ${officeHoursQuestions.id}::text and h.status = 'pending') then 'held'
        else 'removed' end`,
    })
    .from(officeHoursQuestions)
    .innerJoin(users, eq(users.id, officeHoursQuestions.authorId))
    .where(and(eq(officeHoursQuestions.officeHoursId, officeHoursId), isInSession, isVisible))
    .orderBy(
      stateOrder,
      desc(officeHoursQuestions.votes),
      asc(officeHoursQuestions.createdAt),
      asc(officeHoursQuestions.id),
    );
}

const questionBody = z
  .string({ required_error: "Please type your question." })
  .transform((text) => text.replace(/\r\n?/g, "\n").trim())
  .superRefine((text, ctx) => {
    if (text.length < OFFICE_HOURS_LIMITS.questionMin)
      ctx.addIssue({
        code: "custom",
        message: `Questions need at least ${OFFICE_HOURS_LIMITS.questionMin} characters (yours has ${text.length}).`,
      });
    else if (text.length > OFFICE_HOURS_LIMITS.questionMax)
      ctx.addIssue({
        code: "custom",
        message: `Please keep it to ${OFFICE_HOURS_LIMITS.questionMax.toLocaleString("en")} characters (yours has ${text.length.toLocaleString("en")}).`,
      });
  });

/**
 * Queues a question, before or during the session, within the per-person cap. Once per idempotency key (the form's
 * hidden field): a double submit queues one question, and the repeat gets the first one's id.
 */
export async function askInOfficeHours(
  db: Db,
  input: { officeHoursId: number; actor: Actor; body: string; idempotencyKey?: string; now?: Date },
): Promise<{ questionId: number; isRepeat: boolean }> {
  assertCan(input.actor, "session.ask");
  const actor: SignedInActor = input.actor;
  const { body } = validate(z.object({ body: questionBody }), input);
  // A key that isn't one the page made (an old or altered page): refused in words, with the question kept by the form.
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(input.idempotencyKey))
    throw new PostingError("This form expired. Please send your question again.", {}, 400);
  const now = input.now ?? new Date();
  const ask = async (tx: Db) => {
    // The account before the session, the order a ban locks them in (it cancels its host's sessions): a host asking in
    // their own session as they are banned would otherwise hold the session while the ban holds their account.
    await assertNotSuspended(tx, actor.id);
    const session = await lockOfficeHours(tx, input.officeHoursId);
    const phase = officeHoursPhase(session, now);
    if (phase === "ended" || phase === "cancelled")
      throw new PostingError(
        `This session has ${phase === "ended" ? "ended" : "been cancelled"}, so it takes no new questions.`,
        {},
        409,
      );
    if (session.maxQuestionsPerPerson !== null) {
      const [mine] = await tx
        .select({ n: count() })
        .from(officeHoursQuestions)
        .where(
          and(
            eq(officeHoursQuestions.officeHoursId, session.id),
            eq(officeHoursQuestions.authorId, actor.id),
            ne(officeHoursQuestions.state, "withdrawn"),
          ),
        );
      if ((mine?.n ?? 0) >= session.maxQuestionsPerPerson) {
        const cap = session.maxQuestionsPerPerson;
        throw new PostingError(
          `You've asked ${cap} ${cap === 1 ? "question" : "questions"}, the most this session takes from one person. Upvote others you'd like answered.`,
          { body: "The host set a limit of questions per person." },
          409,
        );
      }
    }
    await consumeWriteLimit(tx, { userId: actor.id, kind: "comment", now });
    const [row] = await tx
      .insert(officeHoursQuestions)
      .values({ officeHoursId: session.id, authorId: actor.id, body, createdAt: now })
      .returning({ id: officeHoursQuestions.id });
    if (!row) throw new Error("session question insert returned nothing");
    await publish(tx, { topic: `session:${session.id}`, type: "question", questionId: row.id });
    // Asking follows the session, so the asker hears when it starts.
    await follow(tx, actor.id, { type: "session", key: String(session.id) });
    await screenNewContent(tx, { type: "session_question", id: String(row.id) });
    return { questionId: row.id };
  };
  if (input.idempotencyKey) {
    const { result, isRepeat } = await once(
      db,
      { userId: actor.id, scope: `session-question:${input.officeHoursId}`, key: input.idempotencyKey },
      ask,
    );
    return { questionId: result.questionId, isRepeat };
  }
  return { ...(await db.transaction(ask)), isRepeat: false };
}

/**
 * Whether this person has withdrawn a question in this session (the page's "your question was withdrawn" note is
 * theirs alone, whatever its address says).
 */
export async function hasWithdrawnQuestion(
  db: Db,
  { officeHoursId, userId }: { officeHoursId: number; userId: string },
): Promise<boolean> {
  const [row] = await db
    .select({ id: officeHoursQuestions.id })
    .from(officeHoursQuestions)
    .where(
      and(
        eq(officeHoursQuestions.officeHoursId, officeHoursId),
        eq(officeHoursQuestions.authorId, userId),
        eq(officeHoursQuestions.state, "withdrawn"),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Locks a question for a vote or the host's answer. One moderation hid takes neither: to the people who can't see it,
 * it is no longer in the session; staff decide it in the review queue first.
 */
async function lockQuestion(tx: Db, questionId: number, officeHoursId: number | undefined) {
  const question = await lockQuestionOfSession(tx, questionId, officeHoursId);
  if (question.state === "withdrawn") throw new PostingError("This question is no longer in the session.", {}, 404);
  return question;
}

/**
 * Locks a question, refusing one of another session than the page's (`officeHoursId`, when the write comes from one):
 * a form posted to one session's address acts on that session's questions only.
 */
async function lockQuestionOfSession(tx: Db, questionId: number, officeHoursId: number | undefined) {
  const [question] = await tx
    .select()
    .from(officeHoursQuestions)
    .where(eq(officeHoursQuestions.id, questionId))
    .for("update")
    .limit(1);
  if (!question || (officeHoursId !== undefined && question.officeHoursId !== officeHoursId))
    throw new PostingError("That question isn't part of this session.", {}, 404);
  if (question.hiddenAt) throw new PostingError("This question is no longer in the session.", {}, 404);
  return question;
}

/**
 * Locks the actor's own question for a change of wording or a withdrawal: only while it waits in the queue (the host
 * has not taken it up) and the session is not over.
 */
async function lockOwnWaitingQuestion(
  tx: Db,
  questionId: number,
  officeHoursId: number | undefined,
  actor: Actor,
  now: Date,
) {
  const question = await lockQuestion(tx, questionId, officeHoursId);
  assertCan(actor, "session.changeQuestion", { ownerId: question.authorId });
  const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, question.officeHoursId)).limit(1);
  const phase = session ? officeHoursPhase(session, now) : "ended";
  if (phase === "ended" || phase === "cancelled")
    throw new PostingError("This session is over, so its questions stay as they were asked.", {}, 409);
  if (question.state !== "open")
    throw new PostingError(
      question.state === "answered"
        ? "The host has already answered this question, so it stays as it was asked."
        : "The host has already taken this question up, so it stays as it was asked.",
      {},
      409,
    );
  return question;
}

/**
 * Its asker rewords a question still waiting in the queue. Its votes stay (a typo fixed is the same question), and
 * everyone sees it was edited, so nobody is surprised by what they upvoted.
 */
export async function editOfficeHoursQuestion(
  db: Db,
  input: {
    officeHoursId?: number;
    questionId: number;
    actor: Actor;
    body: string;
    now?: Date;
  },
): Promise<void> {
  // New words are asked anew: whoever may not ask now (a suspended account, an email address to confirm) may not.
  assertCan(input.actor, "session.ask");
  const asker: SignedInActor = input.actor;
  const { body } = validate(z.object({ body: questionBody }), input);
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    // The account before the question: a ban or silence locks them in that order (a question locked first could deadlock).
    await assertNotSuspended(tx, asker.id);
    const question = await lockOwnWaitingQuestion(tx, input.questionId, input.officeHoursId, input.actor, now);
    if (question.body === body) return;
    await assertNotSilenced(tx, question.authorId, now);
    await consumeWriteLimit(tx, { userId: question.authorId, kind: "edit", now });
    await tx.update(officeHoursQuestions).set({ body, editedAt: now }).where(eq(officeHoursQuestions.id, question.id));
    await publish(tx, { topic: `session:${question.officeHoursId}`, type: "edit", questionId: question.id });
  });
}

/**
 * Its asker takes back a question still waiting in the queue: it leaves the session's list and counts for everyone
 * (and no longer counts against their per-person limit), while the row stays so a flag on it can still be decided.
 */
export async function withdrawOfficeHoursQuestion(
  db: Db,
  input: {
    officeHoursId?: number;
    questionId: number;
    actor: Actor;
    now?: Date;
  },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    const question = await lockOwnWaitingQuestion(tx, input.questionId, input.officeHoursId, input.actor, now);
    await tx
      .update(officeHoursQuestions)
      .set({ state: "withdrawn", withdrawnAt: now })
      .where(eq(officeHoursQuestions.id, question.id));
    await publish(tx, { topic: `session:${question.officeHoursId}`, type: "withdraw", questionId: question.id });
  });
}

/**
 * Adds the actor's upvote on an open question (not their own), or takes it back with `vote: "remove"`, until the
 * session ends. Asking for what is already so changes nothing: a page out of date or a double click can't undo a vote.
 */
export async function toggleOfficeHoursVote(
  db: Db,
  input: {
    officeHoursId?: number;
    questionId: number;
    actor: Actor;
    vote?: "up" | "remove";
    now?: Date;
  },
): Promise<{ votes: number; hasMyVote: boolean }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, input.questionId, input.officeHoursId);
    assertCan(input.actor, "session.vote", { ownerId: question.authorId }, "You can't upvote your own question.");
    const actor: SignedInActor = input.actor;
    const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, question.officeHoursId)).limit(1);
    const phase = session ? officeHoursPhase(session, now) : "ended";
    if (phase === "ended" || phase === "cancelled")
      throw new PostingError("This session is over; its votes are final.", {}, 409);
    if (question.state !== "open")
      throw new PostingError("This question has already been taken up by the host.", {}, 409);
    await consumeWriteLimit(tx, { userId: actor.id, kind: "vote", now });
    const hasMyVote = input.vote !== "remove";
    if (hasMyVote)
      await tx
        .insert(officeHoursQuestionVotes)
        .values({ questionId: question.id, userId: actor.id, createdAt: now })
        .onConflictDoNothing();
    else
      await tx
        .delete(officeHoursQuestionVotes)
        .where(
          and(eq(officeHoursQuestionVotes.questionId, question.id), eq(officeHoursQuestionVotes.userId, actor.id)),
        );
    const [tally] = await tx
      .select({ n: count() })
      .from(officeHoursQuestionVotes)
      .where(eq(officeHoursQuestionVotes.questionId, question.id));
    const votes = tally?.n ?? 0;
    await tx.update(officeHoursQuestions).set({ votes }).where(eq(officeHoursQuestions.id, question.id));
    await publish(tx, { topic: `session:${question.officeHoursId}`, type: "vote", questionId: question.id });
    return { votes, hasMyVote };
  });
}

/** The host (or a moderator) answers a question, or skips it, while the session is live. */
export async function answerInOfficeHours(
  db: Db,
  input: {
    officeHoursId?: number;
    questionId: number;
    actor: Actor;
    answer?: string;
    skip?: boolean;
    now?: Date;
  },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    // First, before the question: refuses a host banned since this request began, and holds a ban or silence back
    // until this answer is in (they lock the account, then the content).
    if (input.actor) await assertNotSuspended(tx, input.actor.id);
    const session = await lockAskerAndSession(tx, input.questionId);
    // A withdrawn question is locked too: the host is told its asker withdrew it, below.
    const question = await lockQuestionOfSession(tx, input.questionId, input.officeHoursId);
    if (!session) throw new PostingError("This session doesn't exist.", {}, 404);
    assertCan(input.actor, "session.host", { ownerId: session.hostId }, "Only the host answers in this session.");
    const actor: SignedInActor = input.actor;
    const phase = officeHoursPhase(session, now);
    if (phase === "upcoming")
      throw new PostingError("The session hasn't started yet; answers open at its start time.", {}, 409);
    if (phase === "ended" || phase === "cancelled")
      throw new PostingError("This session is over; its archive is read-only.", {}, 409);
    if (question.state !== "open")
      throw new PostingError(
        await whyNotOpen(tx, question, { actorId: actor.id, isSkip: input.skip === true }),
        {},
        409,
      );
    if (input.skip) {
      await tx
        .update(officeHoursQuestions)
        .set({ state: "skipped", answeredAt: now, answeredBy: actor.id })
        .where(eq(officeHoursQuestions.id, question.id));
    } else {
      // An answer is published under the host's name: not while moderators review their account (exact here: the
      // account row is held since the start).
      await assertNotSilenced(tx, actor.id, now);
      const { answer } = validate(
        z.object({
          answer: markdownText({
            min: 1,
            max: OFFICE_HOURS_LIMITS.answerMax,
            what: "The answer",
            missing: "Please write the answer.",
          }),
        }),
        { answer: input.answer ?? "" },
      );
      // After the question's row: a picture's take-down locks the rows showing it, then the picture.
      const pictures = await picturesShownIn(tx, [answer]);
      await tx
        .update(officeHoursQuestions)
        .set({
          state: "answered",
          answerMd: answer,
          answerHtml: settlePictures(renderMarkdown(answer, HEADING_LEVEL.sessionAnswer), pictures),
          answeredAt: now,
          answeredBy: actor.id,
        })
        .where(eq(officeHoursQuestions.id, question.id));
      // The asker hears of it (by email too, as they chose), even if they closed the page.
      await tx.execute(sql`
        insert into notifications (user_id, kind, actor_id, session_id, session_question_id)
        select u.id, 'session_answered', ${actor.id}::text, ${session.id}::int, ${question.id}::int
        from users u where u.id = ${question.authorId} and u.id <> ${actor.id} and ${canBeNotified(sql`u`)}
        on conflict do nothing`);
    }
    // Answered session questions are searchable like posts (a skipped one leaves the index, should it be there).
    await enqueueSearchUpdate(tx, [sessionDocumentId(question.id)]);
    await publish(tx, {
      topic: `session:${question.officeHoursId}`,
      type: input.skip ? "skip" : "answer",
      questionId: question.id,
    });
  });
}

/**
 * Before an answer locks its question, what a ban locks before the question: the asker's account (the answer's
 * notification refers to it) and then the session (its host's ban cancels it). Either one banned at this moment makes
 * the answer wait for the ban, then see the question hidden or the session cancelled, instead of each holding what the
 * other waits for. Returns the session as it is now (held until commit), or nothing for a question that isn't there.
 */
async function lockAskerAndSession(tx: Db, questionId: number) {
  // Who asked it and where never change, so they are read before any lock.
  const [asked] = await tx
    .select({ authorId: officeHoursQuestions.authorId, officeHoursId: officeHoursQuestions.officeHoursId })
    .from(officeHoursQuestions)
    .where(eq(officeHoursQuestions.id, questionId))
    .limit(1);
  if (!asked) return undefined;
  // FOR SHARE: a ban's lock on the asker's account (lockAccountForModeration) lets FOR KEY SHARE through, not this.
  await tx.select({ id: users.id }).from(users).where(eq(users.id, asked.authorId)).for("share");
  const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, asked.officeHoursId)).for("share");
  return session;
}

/**
 * Why the host's answer or skip of a question that is no longer open was refused, naming who got there first (a
 * co-host, the host in another tab, or the asker who withdrew it), so the host knows their text was not posted.
 */
async function whyNotOpen(
  tx: Db,
  question: { state: OfficeHoursQuestionState; authorId: string; answeredBy: string | null },
  { actorId, isSkip }: { actorId: string; isSkip: boolean },
): Promise<string> {
  const personId = question.state === "withdrawn" ? question.authorId : question.answeredBy;
  const [person] = personId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, personId)).limit(1)
    : [];
  const outcome = isSkip ? "so it was not skipped" : "so your answer was not posted";
  if (question.state === "withdrawn")
    return `${person?.name ?? "Its asker"} withdrew this question, ${outcome}. It is no longer in the session.`;
  const who = personId === actorId ? "You" : (person?.name ?? "Another host");
  if (isSkip && question.state === "skipped") return `${who} already skipped this question.`;
  const verb = question.state === "answered" ? "answered" : "skipped";
  return `${who} ${verb} this question while you were writing, ${outcome}.`;
}
