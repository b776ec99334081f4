/**
 * Hosted Q&A sessions: a mentor or moderator schedules a time-boxed session; members queue questions before and
 * during it and upvote others' (the queue is votes, then age); during it the host answers or skips; afterwards it is
 * a read-only archive, answered questions first. Every change is announced on the session's realtime topic inside
 * its transaction, so every app process's live pages update.
 */
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  type OfficeHoursQuestionState,
  officeHours,
  officeHoursQuestionVotes,
  officeHoursQuestions,
  spaces,
  users,
} from "#db/schema";
import { publish } from "~/lib/realtime.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { OFFICE_HOURS_LIMITS } from "~/lib/office-hours";
import { isTimeZone, utcToZonedLocal, zonedTimeToUtc } from "~/lib/time-zones";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { sessionDocumentId } from "~/search/types";

export { OFFICE_HOURS_LIMITS };
import type { Actor } from "./permissions.server";
import { PostingError, type SignedInActor, assertCan } from "./post-errors.server";
import { markdownText, validate } from "./post-fields.server";
import { follow } from "./notifications.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { parseTagList } from "./tags.server";
import { screenNewContent } from "./spam.server";
import { idField } from "~/lib/ids";

export type OfficeHoursPhase = "upcoming" | "live" | "ended" | "cancelled";

export function officeHoursPhase(
  session: { startsAt: Date; endsAt: Date; cancelledAt?: Date | null },
  now = new Date(),
): OfficeHoursPhase {
  if (session.cancelledAt) return "cancelled";
  if (now < session.startsAt) return "upcoming";
  if (now < session.endsAt) return "live";
  return "ended";
}

export { zonedTimeToUtc };

const officeHoursSchema = z.object({
  title: z
    .string()
    .transform((t) => t.replace(/\s+/g, " ").trim())
    .refine(
      (t) => t.length >= OFFICE_HOURS_LIMITS.titleMin,
      `Give the session a title of at least ${OFFICE_HOURS_LIMITS.titleMin} characters.`,
    )
    .refine(
      (t) => t.length <= OFFICE_HOURS_LIMITS.titleMax,
      `Keep the title to ${OFFICE_HOURS_LIMITS.titleMax} characters or fewer.`,
    ),
  description: markdownText({
    min: OFFICE_HOURS_LIMITS.descriptionMin,
    max: OFFICE_HOURS_LIMITS.descriptionMax,
    what: "The description",
    missing: "Describe what people can ask about.",
  }),
  spaceId: idField("Choose a space."),
  tags: z
    .string()
    .default("")
    .transform((value) => parseTagList(value))
    .refine((list) => list.length <= OFFICE_HOURS_LIMITS.tagsMax, `Use at most ${OFFICE_HOURS_LIMITS.tagsMax} tags.`),
  startsAt: z.date({ invalid_type_error: "Choose when it starts (date and time)." }),
  endsAt: z.date({ invalid_type_error: "Choose when it ends (date and time)." }),
  maxQuestionsPerPerson: z
    .union([
      z.literal(""),
      z.coerce
        .number()
        .int("A whole number, please.")
        .min(1, "At least 1, or leave it empty for no limit.")
        .max(OFFICE_HOURS_LIMITS.capMax, `At most ${OFFICE_HOURS_LIMITS.capMax}.`),
    ])
    .optional()
    .transform((value) => (value === "" || value === undefined ? null : value)),
});

/** How far in the past a typed start may be: a datetime-local field has whole minutes, and people take a moment to submit. */
const START_GRACE_MS = 15 * 60_000;

/**
 * Problems with the times, checked even when other fields are wrong too, so every message shows at once. `fixedStart`:
 * a live session's start, which can no longer move (only its end can).
 */
function timeErrors(startsAt: Date | null, endsAt: Date | null, now: Date, fixedStart?: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!startsAt) errors.startsAt = "Choose when it starts (date and time), or tick “Start now”.";
  else if (fixedStart && startsAt.getTime() !== fixedStart.getTime())
    errors.startsAt = "The session is live, so its start can't move. Change the end, or end it now.";
  else if (!fixedStart && startsAt.getTime() < now.getTime() - START_GRACE_MS)
    errors.startsAt = "The start is in the past. Choose a later time, or tick “Start now”.";
  if (!endsAt) errors.endsAt = "Choose when it ends (date and time).";
  else if (startsAt && endsAt <= startsAt) errors.endsAt = "The end must be after the start.";
  else if (fixedStart && endsAt <= now)
    errors.endsAt = "The end must be in the future. To finish now, use “End the session now”.";
  else if (startsAt && endsAt.getTime() - startsAt.getTime() > OFFICE_HOURS_LIMITS.maxHours * 3_600_000)
    errors.endsAt = `A session can last at most ${OFFICE_HOURS_LIMITS.maxHours} hours.`;
  return errors;
}

export type ScheduleInput = {
  title: string;
  description: string;
  spaceId: number | string;
  tags?: string;
  /** Wall-clock times as a datetime-local field sends them, in `timeZone`. */
  startsAtLocal: string;
  endsAtLocal: string;
  /** "Start now": the start is the moment of submitting, whatever `startsAtLocal` says. */
  startNow?: boolean;
  timeZone: string;
  maxQuestionsPerPerson?: string | number;
};

type ValidOfficeHours = z.infer<typeof officeHoursSchema>;

/** Validates a schedule or edit form: the typed times are read in `timeZone` (the one the form showed). */
async function validOfficeHours(db: Db, input: ScheduleInput, now: Date, fixedStart?: Date): Promise<ValidOfficeHours> {
  const timeZone = isTimeZone(input.timeZone) ? input.timeZone : "UTC";
  const startsAt = input.startNow && !fixedStart ? now : zonedTimeToUtc(input.startsAtLocal ?? "", timeZone);
  const endsAt = zonedTimeToUtc(input.endsAtLocal ?? "", timeZone);
  // A live session's start is shown to the minute; an unchanged field means the unchanged start.
  const start =
    fixedStart && startsAt && Math.abs(startsAt.getTime() - fixedStart.getTime()) < 60_000 ? fixedStart : startsAt;
  const errors = timeErrors(start, endsAt, now, fixedStart);
  const parsed = officeHoursSchema.safeParse({ ...input, startsAt: start ?? now, endsAt: endsAt ?? now });
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  if (!parsed.success || Object.keys(errors).length > 0)
    throw new PostingError("Please fix the highlighted fields; nothing you typed was lost.", errors);
  const [space] = await db
    .select({ id: spaces.id, archivedAt: spaces.archivedAt })
    .from(spaces)
    .where(eq(spaces.id, parsed.data.spaceId))
    .limit(1);
  if (!space || space.archivedAt)
    throw new PostingError("Please fix the highlighted fields; nothing you typed was lost.", {
      spaceId: "Choose an open space.",
    });
  return parsed.data;
}

/** The columns a schedule or an edit writes from the validated form (the description also rendered to HTML). */
function storedColumns(fields: ValidOfficeHours) {
  return {
    spaceId: fields.spaceId,
    title: fields.title,
    descriptionMd: fields.description,
    descriptionHtml: renderMarkdown(fields.description),
    tags: fields.tags,
    startsAt: fields.startsAt,
    endsAt: fields.endsAt,
    maxQuestionsPerPerson: fields.maxQuestionsPerPerson,
  };
}

/** Schedules a session; the start may be now (to go live at once) but not more than a few minutes in the past. */
export async function scheduleOfficeHours(
  db: Db,
  input: ScheduleInput & { actor: Actor; now?: Date },
): Promise<{ officeHoursId: number }> {
  assertCan(input.actor, "session.create", undefined, "Only mentors and moderators can host sessions.");
  const actor = input.actor;
  const now = input.now ?? new Date();
  const fields = await validOfficeHours(db, input, now);
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "question", now });
    const [row] = await tx
      .insert(officeHours)
      .values({
        ...storedColumns(fields),
        hostId: actor.id,
        createdAt: now,
      })
      .returning({ id: officeHours.id });
    if (!row) throw new Error("session insert returned nothing");
    return { officeHoursId: row.id };
  });
}

/** A session as its edit form shows it: the stored Markdown and the times in the host's zone. */
export async function getOfficeHoursForEdit(db: Db, officeHoursId: number, timeZone: string) {
  const [row] = await db.select().from(officeHours).where(eq(officeHours.id, officeHoursId)).limit(1);
  if (!row) return null;
  return {
    id: row.id,
    hostId: row.hostId,
    phase: officeHoursPhase(row),
    values: {
      title: row.title,
      description: row.descriptionMd,
      spaceId: String(row.spaceId),
      tags: row.tags.join(", "),
      startsAt: utcToZonedLocal(row.startsAt, timeZone),
      endsAt: utcToZonedLocal(row.endsAt, timeZone),
      maxQuestionsPerPerson: row.maxQuestionsPerPerson === null ? "" : String(row.maxQuestionsPerPerson),
    },
  };
}

/** Everyone a change to the session concerns: its followers and everyone who asked in it, never the host or banned people. */
async function notifyAttendees(
  tx: Db,
  session: { id: number; hostId: string },
  kind: "session_changed" | "session_cancelled",
  actorId: string,
): Promise<void> {
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, session_id)
    select distinct u.id, ${kind}::text, ${actorId}::text, ${session.id}::int
    from users u
    where not u.banned and u.id <> ${session.hostId} and u.id <> ${actorId} and (
      exists (select 1 from follows f where f.user_id = u.id and f.target_type = 'session' and f.target_key = ${String(session.id)})
      or exists (select 1 from session_questions q where q.author_id = u.id and q.session_id = ${session.id}))
    on conflict (user_id, session_id, kind, coalesce(session_question_id, 0)) where session_id is not null
    do update set created_at = excluded.created_at, actor_id = excluded.actor_id, read_at = null, mailed_at = null`);
}

async function lockHostedOfficeHours(tx: Db, officeHoursId: number, actor: Actor) {
  const session = await lockOfficeHours(tx, officeHoursId);
  assertCan(
    actor,
    "session.host",
    { ownerId: session.hostId },
    "Only the host (or a moderator) can change this session.",
  );
  return { session, host: actor };
}

/**
 * The host edits an upcoming or live session. Moving its times tells followers and askers, and (when it now starts
 * later) they hear again when it is about to start. A live session's start stays where it is.
 */
export async function updateOfficeHours(
  db: Db,
  input: ScheduleInput & { officeHoursId: number; actor: Actor; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const [current] = await db.select().from(officeHours).where(eq(officeHours.id, input.officeHoursId)).limit(1);
  if (!current) throw new PostingError("This session doesn't exist.", {}, 404);
  assertCan(
    input.actor,
    "session.host",
    { ownerId: current.hostId },
    "Only the host (or a moderator) can change this session.",
  );
  const phase = officeHoursPhase(current, now);
  if (phase === "ended" || phase === "cancelled")
    throw new PostingError(
      `This session has ${phase === "ended" ? "ended" : "been cancelled"}; it can no longer be changed.`,
      {},
      409,
    );
  const fields = await validOfficeHours(db, input, now, phase === "live" ? current.startsAt : undefined);
  const actor = input.actor;
  await db.transaction(async (tx) => {
    const { session } = await lockHostedOfficeHours(tx, input.officeHoursId, actor);
    await consumeWriteLimit(tx, { userId: actor.id, kind: "question", now });
    const isMoved =
      session.startsAt.getTime() !== fields.startsAt.getTime() || session.endsAt.getTime() !== fields.endsAt.getTime();
    const isStartMoved = session.startsAt.getTime() !== fields.startsAt.getTime();
    await tx
      .update(officeHours)
      .set({
        ...storedColumns(fields),
        // A new start means a new "starting" reminder at the new time.
        ...(isStartMoved ? { startNotifiedAt: null } : {}),
      })
      .where(eq(officeHours.id, session.id));
    if (isStartMoved)
      await tx.execute(sql`delete from notifications where session_id = ${session.id} and kind = 'session_starting'`);
    if (isMoved) await notifyAttendees(tx, session, "session_changed", actor.id);
    await enqueueSearchUpdate(tx, await answeredQuestionDocuments(tx, session.id));
    await publish(tx, { topic: `session:${session.id}`, type: "session" });
  });
}

async function answeredQuestionDocuments(tx: Db, officeHoursId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: officeHoursQuestions.id })
    .from(officeHoursQuestions)
    .where(and(eq(officeHoursQuestions.officeHoursId, officeHoursId), eq(officeHoursQuestions.state, "answered")));
  return rows.map((row) => sessionDocumentId(row.id));
}

/** The host calls off an upcoming or live session; followers and askers are told. Its page stays, saying so. */
export async function cancelOfficeHours(
  db: Db,
  input: { officeHoursId: number; actor: Actor; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    const { session, host } = await lockHostedOfficeHours(tx, input.officeHoursId, input.actor);
    const phase = officeHoursPhase(session, now);
    if (phase === "cancelled") return;
    if (phase === "ended") throw new PostingError("This session has already ended.", {}, 409);
    await tx.update(officeHours).set({ cancelledAt: now }).where(eq(officeHours.id, session.id));
    await notifyAttendees(tx, session, "session_cancelled", host.id);
    await publish(tx, { topic: `session:${session.id}`, type: "session" });
  });
}

/** The host ends a live session early: it becomes the archive at once (answered questions stay searchable). */
export async function endOfficeHoursNow(
  db: Db,
  input: { officeHoursId: number; actor: Actor; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    const { session } = await lockHostedOfficeHours(tx, input.officeHoursId, input.actor);
    const phase = officeHoursPhase(session, now);
    if (phase === "ended") return;
    if (phase !== "live")
      throw new PostingError("Only a live session can be ended. Cancel it instead if it hasn't started.", {}, 409);
    await tx.update(officeHours).set({ endsAt: now }).where(eq(officeHours.id, session.id));
    await publish(tx, { topic: `session:${session.id}`, type: "session" });
  });
}

export type OfficeHoursView = {
  id: number;
  title: string;
  descriptionHtml: string;
  tags: string[];
  startsAt: Date;
  endsAt: Date;
  cancelledAt: Date | null;
  maxQuestionsPerPerson: number | null;
  hostId: string;
  hostName: string;
  hostHandle: string | null;
  spaceName: string;
  spaceSlug: string;
};

const officeHoursColumns = {
  id: officeHours.id,
  title: officeHours.title,
  descriptionHtml: officeHours.descriptionHtml,
  tags: officeHours.tags,
  startsAt: officeHours.startsAt,
  endsAt: officeHours.endsAt,
  cancelledAt: officeHours.cancelledAt,
  maxQuestionsPerPerson: officeHours.maxQuestionsPerPerson,
  hostId: officeHours.hostId,
  hostName: users.name,
  hostHandle: users.handle,
  spaceName: spaces.name,
  spaceSlug: spaces.slug,
};

export async function getOfficeHours(db: Db, officeHoursId: number): Promise<OfficeHoursView | null> {
  const [row] = await db
    .select(officeHoursColumns)
    .from(officeHours)
    .innerJoin(users, eq(users.id, officeHours.hostId))
    .innerJoin(spaces, eq(spaces.id, officeHours.spaceId))
    .where(eq(officeHours.id, officeHoursId))
    .limit(1);
  return row ?? null;
}

/** Live and upcoming sessions (soonest first), and the 20 most recent past or cancelled ones. */
export async function listOfficeHours(
  db: Db,
  now = new Date(),
): Promise<{
  current: (OfficeHoursView & { questionCount: number })[];
  past: (OfficeHoursView & { questionCount: number })[];
}> {
  const withCount = {
    ...officeHoursColumns,
    questionCount:
      sql<number>`(select count(*)::int from session_questions q where q.session_id = ${officeHours.id})`.mapWith(
        Number,
      ),
  };
  const base = () =>
    db
      .select(withCount)
      .from(officeHours)
      .innerJoin(users, eq(users.id, officeHours.hostId))
      .innerJoin(spaces, eq(spaces.id, officeHours.spaceId));
  const [current, past] = await Promise.all([
    base()
      .where(sql`${officeHours.endsAt} > ${now} and ${officeHours.cancelledAt} is null`)
      .orderBy(asc(officeHours.startsAt))
      .limit(50),
    base()
      .where(sql`(${officeHours.endsAt} <= ${now} or ${officeHours.cancelledAt} is not null)`)
      .orderBy(desc(officeHours.startsAt))
      .limit(20),
  ]);
  return { current, past };
}

/** Sessions a person hosts or hosted: live ones first, then upcoming (soonest), then past (most recent); cancelled ones left out. */
export async function listHostedOfficeHours(
  db: Db,
  hostId: string,
  now = new Date(),
  limit = 6,
): Promise<{ id: number; title: string; startsAt: Date; endsAt: Date; phase: OfficeHoursPhase }[]> {
  const rows = await db
    .select({
      id: officeHours.id,
      title: officeHours.title,
      startsAt: officeHours.startsAt,
      endsAt: officeHours.endsAt,
    })
    .from(officeHours)
    .where(and(eq(officeHours.hostId, hostId), sql`${officeHours.cancelledAt} is null`))
    .orderBy(
      sql`case when ${officeHours.startsAt} <= ${now} and ${officeHours.endsAt} > ${now} then 0 when ${officeHours.endsAt} > ${now} then 1 else 2 end`,
      sql`case when ${officeHours.endsAt} > ${now} then extract(epoch from ${officeHours.startsAt}) else -extract(epoch from ${officeHours.startsAt}) end`,
    )
    .limit(limit);
  return rows.map((row) => ({ ...row, phase: officeHoursPhase(row, now) }));
}

export type QueueItem = {
  id: number;
  body: string;
  authorId: string;
  authorName: string;
  votes: number;
  state: OfficeHoursQuestionState;
  answerHtml: string | null;
  answeredAt: Date | null;
  createdAt: Date;
  hasMyVote: boolean;
};

/**
 * The session's questions in queue order: open ones by votes, then age; answered and skipped after them. After the
 * end (the archive), answered questions come first, by votes.
 */
export async function getQueue(
  db: Db,
  officeHoursId: number,
  { viewerId, phase }: { viewerId?: string | null; phase: OfficeHoursPhase },
): Promise<QueueItem[]> {
  const stateOrder =
    phase === "ended"
      ? sql`case ${officeHoursQuestions.state} when 'answered' then 0 when 'open' then 1 else 2 end`
      : sql`case ${officeHoursQuestions.state} when 'open' then 0 when 'answered' then 1 else 2 end`;
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
      hasMyVote: viewerId
        ? sql<boolean>`exists (select 1 from session_question_votes v where v.question_id = ${officeHoursQuestions.id} and v.user_id = ${viewerId})`
        : sql<boolean>`false`,
    })
    .from(officeHoursQuestions)
    .innerJoin(users, eq(users.id, officeHoursQuestions.authorId))
    .where(eq(officeHoursQuestions.officeHoursId, officeHoursId))
    .orderBy(
      stateOrder,
      desc(officeHoursQuestions.votes),
      asc(officeHoursQuestions.createdAt),
      asc(officeHoursQuestions.id),
    );
}

async function lockOfficeHours(tx: Db, officeHoursId: number) {
  const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, officeHoursId)).for("update").limit(1);
  if (!session) throw new PostingError("This session doesn't exist.", {}, 404);
  return session;
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

/** Queues a question, before or during the session, within the per-person cap. */
export async function askInOfficeHours(
  db: Db,
  input: { officeHoursId: number; actor: Actor; body: string; now?: Date },
): Promise<{ questionId: number }> {
  assertCan(input.actor, "session.ask");
  const actor: SignedInActor = input.actor;
  const { body } = validate(z.object({ body: questionBody }), input);
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
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
        .where(and(eq(officeHoursQuestions.officeHoursId, session.id), eq(officeHoursQuestions.authorId, actor.id)));
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
  });
}

async function lockQuestion(tx: Db, questionId: number) {
  const [question] = await tx
    .select()
    .from(officeHoursQuestions)
    .where(eq(officeHoursQuestions.id, questionId))
    .for("update")
    .limit(1);
  if (!question) throw new PostingError("This question is no longer in the session.", {}, 404);
  return question;
}

/** Adds or takes back the actor's upvote on an open question (not their own), until the session ends. */
export async function toggleOfficeHoursVote(
  db: Db,
  input: { questionId: number; actor: Actor; now?: Date },
): Promise<{ votes: number; hasMyVote: boolean }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, input.questionId);
    assertCan(input.actor, "session.vote", { ownerId: question.authorId }, "You can't upvote your own question.");
    const actor: SignedInActor = input.actor;
    const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, question.officeHoursId)).limit(1);
    const phase = session ? officeHoursPhase(session, now) : "ended";
    if (phase === "ended" || phase === "cancelled")
      throw new PostingError("This session is over; its votes are final.", {}, 409);
    if (question.state !== "open")
      throw new PostingError("This question has already been taken up by the host.", {}, 409);
    await consumeWriteLimit(tx, { userId: actor.id, kind: "vote", now });
    const removed = await tx
      .delete(officeHoursQuestionVotes)
      .where(and(eq(officeHoursQuestionVotes.questionId, question.id), eq(officeHoursQuestionVotes.userId, actor.id)))
      .returning({ id: officeHoursQuestionVotes.questionId });
    if (removed.length === 0)
      await tx.insert(officeHoursQuestionVotes).values({ questionId: question.id, userId: actor.id, createdAt: now });
    const [tally] = await tx
      .select({ n: count() })
      .from(officeHoursQuestionVotes)
      .where(eq(officeHoursQuestionVotes.questionId, question.id));
    const votes = tally?.n ?? 0;
    await tx.update(officeHoursQuestions).set({ votes }).where(eq(officeHoursQuestions.id, question.id));
    await publish(tx, { topic: `session:${question.officeHoursId}`, type: "vote", questionId: question.id });
    return { votes, hasMyVote: removed.length === 0 };
  });
}

/** The host (or a moderator) answers a question, or skips it, while the session is live. */
export async function answerInOfficeHours(
  db: Db,
  input: { questionId: number; actor: Actor; answer?: string; skip?: boolean; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    const question = await lockQuestion(tx, input.questionId);
    const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, question.officeHoursId)).limit(1);
    if (!session) throw new PostingError("This session doesn't exist.", {}, 404);
    assertCan(input.actor, "session.host", { ownerId: session.hostId }, "Only the host answers in this session.");
    const phase = officeHoursPhase(session, now);
    if (phase === "upcoming")
      throw new PostingError("The session hasn't started yet; answers open at its start time.", {}, 409);
    if (phase === "ended" || phase === "cancelled")
      throw new PostingError("This session is over; its archive is read-only.", {}, 409);
    if (input.skip) {
      await tx
        .update(officeHoursQuestions)
        .set({ state: "skipped", answeredAt: now })
        .where(eq(officeHoursQuestions.id, question.id));
    } else {
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
      await tx
        .update(officeHoursQuestions)
        .set({ state: "answered", answerMd: answer, answerHtml: renderMarkdown(answer), answeredAt: now })
        .where(eq(officeHoursQuestions.id, question.id));
      // The asker hears of it (by email too, as they chose), even if they closed the page.
      await tx.execute(sql`
        insert into notifications (user_id, kind, actor_id, session_id, session_question_id)
        select u.id, 'session_answered', ${input.actor?.id ?? null}::text, ${session.id}::int, ${question.id}::int
        from users u where u.id = ${question.authorId} and u.id <> ${input.actor?.id ?? ""} and not u.banned
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
 * Tells each session's followers (not the host) that it is about to start, once: sessions starting within
 * `leadMs` (and not yet over) are claimed by setting start_notified_at, in the same transaction as the notifications.
 */
export async function notifyOfficeHoursStarting(db: Db, now = new Date(), leadMs = 5 * 60_000): Promise<number> {
  return db.transaction(async (tx) => {
    const starting = (
      (await tx.execute(sql`
        update qa_sessions set start_notified_at = ${now}
        where start_notified_at is null and cancelled_at is null and starts_at <= ${new Date(now.getTime() + leadMs)} and ends_at > ${now}
        returning id, host_id`)) as unknown as { rows: { id: number; host_id: string }[] }
    ).rows;
    for (const session of starting) {
      await tx.execute(sql`
        insert into notifications (user_id, kind, actor_id, session_id)
        select distinct f.user_id, 'session_starting', ${session.host_id}::text, ${session.id}::int
        from follows f join users u on u.id = f.user_id
        where f.target_type = 'session' and f.target_key = ${String(session.id)} and f.user_id <> ${session.host_id} and not u.banned
        on conflict do nothing`);
    }
    return starting.length;
  });
}

function icsEscape(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/([,;])/g, "\\$1");
}

function icsDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The session as an iCalendar event (RFC 5545), lines folded at 75 octets, times in UTC. */
export function officeHoursIcs(
  session: Pick<OfficeHoursView, "id" | "title" | "startsAt" | "endsAt" | "hostName" | "spaceName">,
  url: string,
  now = new Date(),
): string {
  const fold = (line: string) => {
    const out: string[] = [];
    let rest = line;
    while (Buffer.byteLength(rest) > 75) {
      let cut = 75;
      while (Buffer.byteLength(rest.slice(0, cut)) > 75) cut -= 1;
      out.push(rest.slice(0, cut));
      rest = ` ${rest.slice(cut)}`;
    }
    out.push(rest);
    return out.join("\r\n");
  };
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//PeerDesk//Q&A sessions//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:session-${session.id}@peerdesk`,
    `DTSTAMP:${icsDate(now)}`,
    `DTSTART:${icsDate(session.startsAt)}`,
    `DTEND:${icsDate(session.endsAt)}`,
    `SUMMARY:${icsEscape(`${session.title} (PeerDesk Q&A)`)}`,
    `DESCRIPTION:${icsEscape(`Hosted by ${session.hostName} in ${session.spaceName}. Ask your questions at ${url}`)}`,
    `URL:${url}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
