/**
 * Hosted Q&A sessions: a mentor or moderator schedules a time-boxed session; members queue questions before and
 * during it and upvote others' (the queue is votes, then age); during it the host answers or skips; afterwards it is
 * a read-only archive, answered questions first. Every change is announced on the session's realtime topic inside
 * its transaction, so every app process's live pages update.
 */
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { officeHours, officeHoursQuestions } from "#db/schema";
import { publish } from "~/lib/realtime.server";
import { utcToZonedLocal } from "~/lib/time-zones";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { sessionDocumentId } from "~/search/types";
import {
  type ScheduleInput,
  type ValidOfficeHours,
  storedColumns,
  validOfficeHours,
} from "./office-hours-validation.server";
import { whoChanged } from "./edit-versions.server";
import { canBeNotified, isSessionAttendee, toldOfSession, wasToldOfSession } from "./notifications.server";
import { picturesShownIn } from "./post-images.server";
import type { OfficeHoursPhase } from "./office-hours.types";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { assertNotSuspended, consumeWriteLimit } from "./rate-limits.server";
import { isSameTagSet } from "~/lib/tags";

/** How long before its start a session's followers (and everyone its announcement told) hear it is starting. */
const STARTING_NOTICE_LEAD_MS = 5 * 60_000;

/** Where a session stands at `now`: cancelled wins; otherwise before, during or after its time window. */
export function officeHoursPhase(
  session: { startsAt: Date; endsAt: Date; cancelledAt?: Date | null },
  now = new Date(),
): OfficeHoursPhase {
  if (session.cancelledAt) return "cancelled";
  if (now < session.startsAt) return "upcoming";
  if (now < session.endsAt) return "live";
  return "ended";
}

/** Schedules a session; the start may be now (to go live at once) but not more than a few minutes in the past. */
export async function scheduleOfficeHours(
  db: Db,
  input: ScheduleInput & { actor: Actor; now?: Date },
): Promise<{ officeHoursId: number }> {
  assertCan(input.actor, "session.create", undefined, "Only mentors and moderators can host sessions.");
  const actor = input.actor;
  const now = input.now ?? new Date();
  // The schedule form offers “Start now”, so its messages about the start may suggest it.
  const fields = await validOfficeHours(db, input, now, { canStartNow: true });
  return db.transaction(async (tx) => {
    const pictures = await picturesShownIn(tx, [fields.description]);
    await consumeWriteLimit(tx, { userId: actor.id, kind: "question", now });
    const [row] = await tx
      .insert(officeHours)
      .values({
        ...storedColumns(fields, pictures),
        hostId: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: officeHours.id });
    if (!row) throw new Error("session insert returned nothing");
    await announceSession(
      tx,
      { id: row.id, hostId: actor.id },
      {
        followersOf: [
          { type: "user", key: actor.id },
          { type: "space", key: String(fields.spaceId) },
          ...fields.tags.map((tag) => ({ type: "tag" as const, key: tag })),
        ],
        actorId: actor.id,
      },
    );
    return { officeHoursId: row.id };
  });
}

/**
 * Tells the people who follow any of `followersOf` (its host, its space, its tags) that the host scheduled the session,
 * as new posts are announced: once each, even when they follow several (notifications_session_idx allows one
 * "session_scheduled" per person and session, so anyone told before is skipped); never the host, whoever made the
 * change, banned people or deleted accounts, nor (`skipAttendees`) people who already follow or asked in it. Those told
 * hear of its moves, cancellation and start too (wasToldOfSession).
 */
async function announceSession(
  tx: Db,
  session: { id: number; hostId: string },
  {
    followersOf,
    actorId,
    skipAttendees = false,
  }: { followersOf: { type: "user" | "space" | "tag"; key: string }[]; actorId: string; skipAttendees?: boolean },
): Promise<void> {
  if (followersOf.length === 0) return;
  const sessionId = sql`${session.id}::int`;
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, session_id)
    select distinct f.user_id, 'session_scheduled', ${session.hostId}::text, ${sessionId}
    from follows f join users u on u.id = f.user_id
    where (${sql.join(
      followersOf.map((target) => sql`(f.target_type = ${target.type} and f.target_key = ${target.key})`),
      sql` or `,
    )})
      and f.user_id <> ${session.hostId} and f.user_id <> ${actorId} and ${canBeNotified(sql`u`)}
      ${skipAttendees ? sql`and not ${isSessionAttendee(sql`f.user_id`, sessionId)}` : sql``}
    on conflict do nothing`);
}

/**
 * A session as its edit form shows it: the stored Markdown and the times in `timeZone`, which the values name too, so
 * the form reads the times back in the zone they were written in (never the browser's, which may differ).
 */
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
      timeZone,
    },
    /** The version the form opens on (ISO): a save made on it is refused once someone has saved another. */
    updatedAt: row.updatedAt.toISOString(),
    /** Who saved that version (or cancelled the session). */
    updatedBy: row.updatedBy,
  };
}

/** A save made on a version of the session that someone has replaced since; nothing was saved. */
export class OfficeHoursConflictError extends PostingError {
  constructor(
    message: string,
    /** The version saved meanwhile: a save made knowing it (the form shows it) goes through. */
    readonly currentUpdatedAt: Date,
  ) {
    super(message, {}, 409);
  }
}

/**
 * Everyone a change to the session concerns, once each: its followers, everyone who asked in it, and whoever its
 * announcement told, through following its host, space or tags (emailed as that notice was: emailSettingKind); never
 * the host, banned people or deleted accounts. Someone who followed the host, space or tag after it was announced never
 * heard of it, so is not told. A move records the times before it; moved again before someone has heard (read it, or
 * had it emailed), their notice keeps the times they last knew, so it says "from" what they expect.
 */
async function notifyAttendees(
  tx: Db,
  session: { id: number; hostId: string },
  kind: "session_changed" | "session_cancelled",
  actorId: string,
  previous: { startsAt: Date; endsAt: Date } | null = null,
): Promise<void> {
  const previousStartsAt = previous ? previous.startsAt.toISOString() : null;
  const previousEndsAt = previous ? previous.endsAt.toISOString() : null;
  const sessionId = sql`${session.id}::int`;
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, session_id, previous_starts_at, previous_ends_at)
    select distinct u.id, ${kind}::text, ${actorId}::text, ${session.id}::int,
      ${previousStartsAt}::timestamptz, ${previousEndsAt}::timestamptz
    from users u
    where ${canBeNotified(sql`u`)} and u.id <> ${session.hostId} and u.id <> ${actorId}
      and (${isSessionAttendee(sql`u.id`, sessionId)} or ${wasToldOfSession(sql`u.id`, sessionId)})
    on conflict (user_id, session_id, kind, coalesce(session_question_id, 0)) where session_id is not null
    do update set created_at = excluded.created_at, actor_id = excluded.actor_id, read_at = null, mailed_at = null,
      previous_starts_at = case when notifications.read_at is null and notifications.mailed_at is null
        then coalesce(notifications.previous_starts_at, excluded.previous_starts_at) else excluded.previous_starts_at end,
      previous_ends_at = case when notifications.read_at is null and notifications.mailed_at is null
        then coalesce(notifications.previous_ends_at, excluded.previous_ends_at) else excluded.previous_ends_at end`);
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

/** Refuses a change to a session that has ended or was cancelled. */
function assertStillChangeable(session: typeof officeHours.$inferSelect, now: Date): void {
  const phase = officeHoursPhase(session, now);
  if (phase === "ended" || phase === "cancelled")
    throw new PostingError(
      `This session has ${phase === "ended" ? "ended" : "been cancelled"}; it can no longer be changed.`,
      {},
      409,
    );
}

/**
 * The host edits an upcoming or live session. Moving its times tells followers, askers and everyone its announcement
 * told, and (when it now starts later by more than STARTING_NOTICE_LEAD_MS, after they were told it was starting)
 * those told hear again when it is about to start. Moved to another space (or given another tag), it is announced to
 * the new space's (or tag's) followers who don't know of it yet (not told before, not following or asking in it), once,
 * after any move of its times is told (so they aren't told "moved from" times they never knew); everyone told before,
 * in whatever space, keeps hearing of its changes, and the old space's followers not told are not told now. A live
 * session's start stays where it is. With `baseUpdatedAt` (the version the edit form opened on), a save is refused
 * when someone saved another version meanwhile.
 */
export async function updateOfficeHours(
  db: Db,
  input: ScheduleInput & { officeHoursId: number; actor: Actor; baseUpdatedAt?: Date; now?: Date },
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
  assertStillChangeable(current, now);
  const phase = officeHoursPhase(current, now);
  const fields = await validOfficeHours(db, input, now, {
    fixedStart: phase === "live" ? current.startsAt : undefined,
  });
  const actor = input.actor;
  await db.transaction(async (tx) => {
    // The account before the session, the order a ban locks them in (it cancels its host's sessions): refuses an
    // editor banned meanwhile, and a ban at this moment waits for this save instead of deadlocking with it.
    await assertNotSuspended(tx, actor.id);
    const { session } = await lockHostedOfficeHours(tx, input.officeHoursId, actor);
    // Again under the lock: a cancel (or the end) may have landed since the first look.
    assertStillChangeable(session, now);
    // After the session's row: a picture's take-down locks the rows showing it, then the picture.
    const pictures = await picturesShownIn(tx, [fields.description]);
    if (input.baseUpdatedAt && session.updatedAt.getTime() !== input.baseUpdatedAt.getTime())
      throw await conflictWith(tx, session, actor.id);
    // The form shows whole minutes: a time typed as the stored one's minute is the stored one, seconds and all.
    const saved = {
      ...fields,
      startsAt: sameMinuteOr(fields.startsAt, session.startsAt),
      endsAt: sameMinuteOr(fields.endsAt, session.endsAt),
    };
    // Saved as it was (the form sent back unchanged): nothing moves, nobody is told, the version stays.
    if (isUnchanged(session, saved)) return;
    await consumeWriteLimit(tx, { userId: actor.id, kind: "question", now });
    const isMoved =
      session.startsAt.getTime() !== saved.startsAt.getTime() || session.endsAt.getTime() !== saved.endsAt.getTime();
    // A "starting" notice already sent stays true when the start moves earlier or a little later: only when it now
    // starts more than the notice's lead time later is the notice withdrawn, to come again before the new start.
    const isStartNoticeWrong =
      session.startNotifiedAt !== null &&
      saved.startsAt.getTime() - session.startsAt.getTime() > STARTING_NOTICE_LEAD_MS;
    await tx
      .update(officeHours)
      .set({
        ...storedColumns(saved, pictures),
        revision: session.revision + 1,
        ...(isStartNoticeWrong ? { startNotifiedAt: null } : {}),
        updatedAt: now,
        updatedBy: actor.id,
      })
      .where(eq(officeHours.id, session.id));
    if (isStartNoticeWrong)
      await tx.execute(sql`delete from notifications where session_id = ${session.id} and kind = 'session_starting'`);
    if (isMoved) await notifyAttendees(tx, session, "session_changed", actor.id, session);
    // Moved to another space, or tagged with more topics: their followers who hadn't heard of it hear of it now.
    const addedTags = saved.tags.filter((tag) => !session.tags.includes(tag));
    await announceSession(tx, session, {
      followersOf: [
        ...(saved.spaceId !== session.spaceId ? [{ type: "space" as const, key: String(saved.spaceId) }] : []),
        ...addedTags.map((tag) => ({ type: "tag" as const, key: tag })),
      ],
      actorId: actor.id,
      skipAttendees: true,
    });
    await enqueueSearchUpdate(tx, await answeredQuestionDocuments(tx, session.id));
    await publish(tx, { topic: `session:${session.id}`, type: "session" });
  });
}

/** `stored` when `typed` falls in the same minute (the edit form shows times to the minute), else `typed`. */
function sameMinuteOr(typed: Date, stored: Date): Date {
  return Math.floor(typed.getTime() / 60_000) === Math.floor(stored.getTime() / 60_000) ? stored : typed;
}

/** Whether a validated edit form says what the session already holds. */
function isUnchanged(session: typeof officeHours.$inferSelect, fields: ValidOfficeHours): boolean {
  return (
    session.title === fields.title &&
    session.descriptionMd === fields.description &&
    session.spaceId === fields.spaceId &&
    isSameTagSet(session.tags, fields.tags) &&
    session.startsAt.getTime() === fields.startsAt.getTime() &&
    session.endsAt.getTime() === fields.endsAt.getTime() &&
    session.maxQuestionsPerPerson === fields.maxQuestionsPerPerson
  );
}

async function conflictWith(
  tx: Db,
  session: { updatedAt: Date; updatedBy: string | null },
  actorId: string,
): Promise<OfficeHoursConflictError> {
  const who = await whoChanged(tx, "session", session.updatedBy, actorId);
  return new OfficeHoursConflictError(
    `${who} after you opened this form, so your changes are not saved yet. What you typed is still here, and the ` +
      "session as it is now is shown below: save again to replace it with yours, or go back to keep it.",
    session.updatedAt,
  );
}

async function answeredQuestionDocuments(tx: Db, officeHoursId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: officeHoursQuestions.id })
    .from(officeHoursQuestions)
    .where(and(eq(officeHoursQuestions.officeHoursId, officeHoursId), eq(officeHoursQuestions.state, "answered")));
  return rows.map((row) => sessionDocumentId(row.id));
}

/**
 * The host calls off an upcoming or live session; followers, askers and everyone its announcement told hear so. Its
 * page stays, saying so.
 */
export async function cancelOfficeHours(
  db: Db,
  input: { officeHoursId: number; actor: Actor; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    // The account before the session, the order a ban locks them in (cancelling refers to the canceller's account):
    // refuses a host banned meanwhile, and a ban at this moment waits for this cancel instead of deadlocking with it.
    if (input.actor) await assertNotSuspended(tx, input.actor.id);
    const { session, host } = await lockHostedOfficeHours(tx, input.officeHoursId, input.actor);
    const phase = officeHoursPhase(session, now);
    if (phase === "cancelled") return;
    if (phase === "ended") throw new PostingError("This session has already ended.", {}, 409);
    await cancelLockedSession(tx, session, { by: host.id, now });
  });
}

/**
 * Cancels a session whose row the caller has locked: a new revision (calendars drop the event), everyone it concerns
 * told once that `by` cancelled it (notifyAttendees), and the live pages updated. Its page says it was cancelled.
 */
async function cancelLockedSession(
  tx: Db,
  session: typeof officeHours.$inferSelect,
  { by, now }: { by: string; now: Date },
): Promise<void> {
  await tx
    .update(officeHours)
    // Who cancelled it, as its last change: a stop sent later from an older page names them.
    .set({ cancelledAt: now, revision: session.revision + 1, updatedAt: now, updatedBy: by })
    .where(eq(officeHours.id, session.id));
  await notifyAttendees(tx, session, "session_cancelled", by);
  await publish(tx, { topic: `session:${session.id}`, type: "session" });
}

/**
 * Cancels every upcoming and live session `hostId` hosts, the way a moderator's cancel does (people are told that `by`
 * cancelled it, with no reason), for a ban: a banned host can't hold them. Called in the ban's transaction after it
 * locked the host's account, so a session the host scheduled or moved meanwhile is seen; the sessions are locked in
 * id order. Returns how many were cancelled.
 */
export async function cancelSessionsHostedBy(
  tx: Db,
  { hostId, by, now = new Date() }: { hostId: string; by: string; now?: Date },
): Promise<number> {
  const open = await tx
    .select()
    .from(officeHours)
    .where(and(eq(officeHours.hostId, hostId), isNull(officeHours.cancelledAt), gt(officeHours.endsAt, now)))
    .orderBy(asc(officeHours.id))
    .for("update");
  for (const session of open) await cancelLockedSession(tx, session, { by, now });
  return open.length;
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
    // A new revision: calendars that hold the event take the earlier end.
    await tx
      .update(officeHours)
      .set({ endsAt: now, revision: session.revision + 1 })
      .where(eq(officeHours.id, session.id));
    await publish(tx, { topic: `session:${session.id}`, type: "session" });
  });
}

/** Locks the session row for the rest of the transaction, so concurrent changes to it queue up. */
export async function lockOfficeHours(tx: Db, officeHoursId: number) {
  const [session] = await tx.select().from(officeHours).where(eq(officeHours.id, officeHoursId)).for("update").limit(1);
  if (!session) throw new PostingError("This session doesn't exist.", {}, 404);
  return session;
}

/** How long after its start a session still tells people who follow it (or ask in it) just then that it is starting. */
const LATE_FOLLOWERS_MS = 60_000;

/**
 * Tells each session's followers and everyone its announcement told (through following its host, space or tags; not
 * the host; banned people and deleted accounts never) that it is about to start, once each: sessions starting within
 * `leadMs` (and not yet over) are claimed by setting start_notified_at, in the same transaction as the notifications.
 * Someone who follows (or asks) after that, up to a minute past the start, is told at the next run: the follow button
 * promised it. Returns how many people were told.
 */
export async function notifyOfficeHoursStarting(
  db: Db,
  now = new Date(),
  leadMs = STARTING_NOTICE_LEAD_MS,
): Promise<number> {
  return db.transaction(async (tx) => {
    const startsBefore = new Date(now.getTime() + leadMs);
    // The hosts' accounts before their sessions, the order a ban locks them in (the notices refer to the host): a host
    // banned at this moment has their sessions cancelled first, and a ban arriving now waits for these notices. FOR
    // SHARE: a ban's lock (lockAccountForModeration) lets FOR KEY SHARE through, so only this waits for it.
    const hosts = await queryRows<{ id: string }>(
      tx,
      sql`
        select u.id from users u
        where u.id in (select host_id from qa_sessions
          where cancelled_at is null and starts_at <= ${startsBefore} and ends_at > ${now})
        order by u.id
        for share`,
    );
    if (hosts.length === 0) return 0;
    const hostIds = hosts.map((host) => host.id);
    // Only sessions of the hosts locked above (here and below): one scheduled a moment ago is told at the next run.
    const claimed = await queryRows<{ id: number; host_id: string }>(
      tx,
      sql`
        update qa_sessions set start_notified_at = ${now}
        where start_notified_at is null and cancelled_at is null and starts_at <= ${startsBefore} and ends_at > ${now}
          and host_id in ${hostIds}
        returning id, host_id`,
    );
    // Already claimed and still about to start: only late followers are new (the notifications' key skips the rest).
    const claimedBefore = await queryRows<{ id: number; host_id: string }>(
      tx,
      sql`
        select id, host_id from qa_sessions
        where start_notified_at is not null and start_notified_at < ${now} and cancelled_at is null
          and starts_at <= ${startsBefore} and starts_at > ${new Date(now.getTime() - LATE_FOLLOWERS_MS)}
          and ends_at > ${now} and host_id in ${hostIds}`,
    );
    let told = 0;
    for (const session of [...claimed, ...claimedBefore]) {
      const rows = await queryRows<{ user_id: string }>(
        tx,
        sql`
          insert into notifications (user_id, kind, actor_id, session_id)
          select u.id, 'session_starting', ${session.host_id}::text, ${session.id}::int
          from users u
          where u.id in (
              select f.user_id from follows f where f.target_type = 'session' and f.target_key = ${String(session.id)}
              union ${toldOfSession(sql`${session.id}::int`)})
            and u.id <> ${session.host_id} and ${canBeNotified(sql`u`)}
          on conflict do nothing
          returning user_id`,
      );
      told += rows.length;
    }
    return told;
  });
}
