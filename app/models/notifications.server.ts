/**
 * Following and notifications. Writes call `notify*` inside their own transaction, so a notification exists exactly
 * when its answer, comment or acceptance does. Nobody is ever told about their own action, banned people and deleted
 * accounts are told nothing (canBeNotified), and one event reaches each person once (a unique index on person + post +
 * comment).
 */
import { type SQL, and, count, desc, eq, inArray, isNull, lt, not, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import {
  type FollowTarget,
  FOLLOW_TARGETS,
  follows,
  moderationNotices,
  type NotificationKind,
  notifications,
  posts,
  officeHours,
  REPEATING_KINDS,
  type SuggestionStatus,
  eventOfItsOwn,
  spaces,
  users,
} from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { answerAnchor, questionPath } from "~/lib/qa";
import { parseId } from "~/lib/ids";
import { nameInThread } from "./anonymity.server";

export type FollowRef = { type: FollowTarget; key: string };

export function isFollowTarget(value: unknown): value is FollowTarget {
  return FOLLOW_TARGETS.some((target) => target === value);
}

/** Follows (idempotent). */
export async function follow(db: Db, userId: string, target: FollowRef): Promise<void> {
  await db.insert(follows).values({ userId, targetType: target.type, targetKey: target.key }).onConflictDoNothing();
}

export async function unfollow(db: Db, userId: string, target: FollowRef): Promise<void> {
  await db
    .delete(follows)
    .where(and(eq(follows.userId, userId), eq(follows.targetType, target.type), eq(follows.targetKey, target.key)));
}

export async function isFollowing(db: Db, userId: string, target: FollowRef): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(follows)
    .where(and(eq(follows.userId, userId), eq(follows.targetType, target.type), eq(follows.targetKey, target.key)));
  return (row?.n ?? 0) > 0;
}

/**
 * Why this can't be followed, in plain words, or null when it can: it must exist, and a session must be neither over
 * nor cancelled (nothing more would ever be said about it).
 */
export async function followRefusal(db: Db, target: FollowRef): Promise<string | null> {
  if (target.type === "session") {
    const id = parseId(target.key);
    if (id === null || String(id) !== target.key) return "That no longer exists.";
    const [session] = await queryRows<{ is_cancelled: boolean; is_over: boolean }>(
      db,
      sql`select cancelled_at is not null as is_cancelled, ends_at <= now() as is_over from qa_sessions where id = ${id}`,
    );
    if (!session) return "That no longer exists.";
    if (session.is_cancelled) return "This Q&A session was cancelled, so there is nothing to follow.";
    if (session.is_over) return "This Q&A session has ended, so there is nothing to follow.";
    return null;
  }
  return (await followTargetExists(db, target)) ? null : "That no longer exists.";
}

/**
 * Whether a follow target exists, so nobody follows a typo (ids of live posts of the right kind, tags, spaces, people;
 * sessions not over nor cancelled).
 */
export async function followTargetExists(db: Db, target: FollowRef): Promise<boolean> {
  const id = parseId(target.key);
  const isId = id !== null && String(id) === target.key;
  let query: ReturnType<typeof sql>;
  if (target.type === "question" || target.type === "howto") {
    if (!isId) return false;
    query = sql`select 1 from posts where id = ${id} and kind = ${target.type} and deleted_at is null`;
  } else if (target.type === "session") {
    // One rule for what can be followed about a session, followRefusal's.
    return (await followRefusal(db, target)) === null;
  } else if (target.type === "space") {
    if (!isId) return false;
    query = sql`select 1 from spaces where id = ${id}`;
  } else if (target.type === "tag") {
    query = sql`select 1 from tags where slug = ${target.key}`;
  } else {
    query = sql`select 1 from users where id = ${target.key} and not banned`;
  }
  return (((await db.execute(query)) as unknown as { rows: unknown[] }).rows.length ?? 0) > 0;
}

/** @handles in Markdown, outside code: fenced blocks, indented code and `inline code` never mention anyone. */
export function mentionedHandles(markdown: string): string[] {
  const text = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?(^\1[^\n]*$|(?![\s\S]))/gm, " ")
    .replace(/^(?: {4}|\t).*$/gm, " ")
    .replace(/(`+)[\s\S]*?\1/g, " ");
  const handles = new Set<string>();
  for (const match of text.matchAll(/(^|[^\w@/.-])@([a-z0-9][a-z0-9-]{1,38}[a-z0-9]|[a-z0-9]{2})(?![\w-])/gi)) {
    handles.add((match[2] ?? "").toLowerCase());
  }
  return [...handles].slice(0, 20);
}

type Event = { kind: NotificationKind; actorId: string; postId: number; commentId?: number | null };

/**
 * Whether the person in this `users` row may get a notification, as SQL for the query that makes it: not banned, and
 * not a deleted account (nobody reads its inbox, and its address is a placeholder). Argument: the row's alias.
 */
export function canBeNotified(user: SQL): SQL<boolean> {
  return sql<boolean>`(not ${user}.banned and ${user}.deleted_at is null)`;
}

/**
 * Tells these people (by id), except the actor, banned people and deleted accounts. An event already told is not told again, except
 * the kinds that happen again on one post (another suggested edit, another decision on one): those re-arm the person's
 * notification as new, from the latest actor, unread and to be emailed, with a new id so it is listed first.
 */
export async function notifyUsers(tx: Db, event: Event, userIds: string[]): Promise<void> {
  const ids = [...new Set(userIds)].filter((id) => id !== event.actorId);
  if (ids.length === 0) return;
  const isRepeating = REPEATING_KINDS.some((kind) => kind === event.kind);
  // The conflict target is notifications_event_idx, column for column.
  const onConflict = isRepeating
    ? sql`on conflict (user_id, post_id, coalesce(comment_id, 0), ${eventOfItsOwn(sql`kind`)}) do update
      set id = default, actor_id = excluded.actor_id, created_at = excluded.created_at, read_at = null, mailed_at = null`
    : sql`on conflict do nothing`;
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, post_id, comment_id)
    select u.id, ${event.kind}, ${event.actorId}, ${event.postId}, ${event.commentId ?? null}
    from users u where u.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) and ${canBeNotified(sql`u`)}
    ${onConflict}`);
}

/**
 * Whether the person attends the session, as SQL: they follow it, or asked in it (a question not withdrawn). Its moves
 * and cancellation reach them by those notices' own email settings. Arguments: the person's and the session's ids.
 */
export function isSessionAttendee(userId: SQL, sessionId: SQL): SQL<boolean> {
  return sql<boolean>`(${followsSession(userId, sessionId)}
    or exists (select 1 from session_questions sq
      where sq.author_id = ${userId} and sq.session_id = ${sessionId} and sq.state <> 'withdrawn'))`;
}

/** Whether the person follows the session, as SQL (its start notice goes by their choice for sessions they follow). */
function followsSession(userId: SQL, sessionId: SQL): SQL<boolean> {
  return sql<boolean>`exists (select 1 from follows sf
    where sf.user_id = ${userId} and sf.target_type = 'session' and sf.target_key = (${sessionId})::text)`;
}

/**
 * Whether the person was told of the session when it was announced (its "session_scheduled" notice: they followed its
 * host, its space or one of its tags then, or its space or a tag when an edit moved it there or added the tag), as SQL.
 * Exact: someone who followed the host, space or tag after it was announced never heard of it. Arguments: the person's
 * and the session's ids.
 */
export function wasToldOfSession(userId: SQL, sessionId: SQL): SQL<boolean> {
  return sql<boolean>`exists (select 1 from (${toldOfSession(sessionId)}) told where told.user_id = ${userId})`;
}

/**
 * The ids of everyone told of the session when it was announced, as a subquery: the same rule as wasToldOfSession, for
 * telling them all at once (read through notifications_session_kind_idx).
 */
export function toldOfSession(sessionId: SQL): SQL {
  return sql`select sn.user_id from notifications sn where sn.session_id = ${sessionId} and sn.kind = 'session_scheduled'`;
}

/**
 * The kind whose email setting a notification is mailed by, as SQL: its own, except that a session's move,
 * cancellation or start told to someone who knows of it only through its announcement (they follow its host, space or
 * tags) goes by their choice for new sessions, as that announcement did. (A start notice is told to the session's
 * followers, so asking in it without following it is not knowing of it here.) Arguments: the notification's columns.
 */
export function emailSettingKind(kind: SQL, userId: SQL, sessionId: SQL): SQL<NotificationKind> {
  return sql<NotificationKind>`(case
    when ${kind} in ('session_changed', 'session_cancelled')
      and not ${isSessionAttendee(userId, sessionId)} and ${wasToldOfSession(userId, sessionId)}
      then 'session_scheduled'
    when ${kind} = 'session_starting'
      and not ${followsSession(userId, sessionId)} and ${wasToldOfSession(userId, sessionId)}
      then 'session_scheduled'
    else ${kind} end)`;
}

/**
 * The session's tags the person follows, in the session's order, as SQL (a text[], empty when none): why someone told
 * of a session because they follow a tag hears of it. Arguments: the person's id and the session's tags column.
 */
export function followedSessionTags(userId: SQL, sessionTags: SQL): SQL<string[]> {
  const followed = sql`select array_agg(st.tag order by st.n) from unnest(${sessionTags}) with ordinality st(tag, n)
    where exists (select 1 from follows tf
      where tf.user_id = ${userId} and tf.target_type = 'tag' and tf.target_key = st.tag)`;
  return sql<string[]>`coalesce((${followed}), '{}')`;
}

const TAG_LIST = new Intl.ListFormat("en-GB", { type: "conjunction" });

/** Tags as a sentence names them: "printers", "printers and vpn", "printers, vpn and wi-fi". */
export function tagsInWords(tags: readonly string[]): string {
  return TAG_LIST.format(tags);
}

/** Tells the people mentioned with @handle in `markdown`. */
export async function notifyMentions(tx: Db, event: Omit<Event, "kind">, markdown: string): Promise<void> {
  await notifyHandles(tx, event, mentionedHandles(markdown));
}

/** Tells the people with these (lower-case) handles that they were mentioned. */
async function notifyHandles(tx: Db, event: Omit<Event, "kind">, handles: string[]): Promise<void> {
  if (handles.length === 0) return;
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(inArray(sql`lower(${users.handle})`, handles));
  await notifyUsers(
    tx,
    { ...event, kind: "mention" },
    rows.map((row) => row.id),
  );
}

/**
 * Tells the people an edit newly mentions: handles in `after` that `before` did not have. Those already mentioned
 * heard at the time, and the one-per-event index keeps anyone from hearing of one post's mention twice.
 */
export async function notifyNewMentions(
  tx: Db,
  event: Omit<Event, "kind">,
  { before, after }: { before: string; after: string },
): Promise<void> {
  const earlier = new Set(mentionedHandles(before));
  const added = mentionedHandles(after).filter((handle) => !earlier.has(handle));
  await notifyHandles(tx, event, added);
}

/** Tells everyone following any of `targets`. */
export async function notifyFollowers(tx: Db, event: Event, targets: FollowRef[]): Promise<void> {
  if (targets.length === 0) return;
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, post_id, comment_id)
    select distinct f.user_id, ${event.kind}::text, ${event.actorId}::text, ${event.postId}::int, ${event.commentId ?? null}::int
    from follows f join users u on u.id = f.user_id
    where (${sql.join(
      targets.map((target) => sql`(f.target_type = ${target.type} and f.target_key = ${target.key})`),
      sql` or `,
    )})
      and f.user_id <> ${event.actorId} and ${canBeNotified(sql`u`)}
    on conflict do nothing`);
}

/** The follow targets a new post is announced to: its space, its tags and its author. */
export async function newPostTargets(tx: Db, postId: number): Promise<FollowRef[]> {
  const result = (await tx.execute(sql`
    select p.space_id, p.author_id, coalesce(array_agg(t.slug) filter (where t.slug is not null), '{}') as tags
    from posts p left join post_tags pt on pt.post_id = p.id left join tags t on t.id = pt.tag_id
    where p.id = ${postId} group by p.id`)) as unknown as {
    rows: { space_id: number; author_id: string; tags: string[] }[];
  };
  const row = result.rows[0];
  if (!row) return [];
  return [
    { type: "space", key: String(row.space_id) },
    { type: "user", key: row.author_id },
    ...row.tags.map((slug): FollowRef => ({ type: "tag", key: slug })),
  ];
}

// ---------- the inbox ----------

export type NotificationView = {
  id: number;
  kind: NotificationKind;
  actorName: string | null;
  /** What it is about: the question's or how-to's title; for a moderation outcome, the notice itself. */
  title: string;
  /** The kind of post the event is (an answer, a question, a how-to), or a session starting. */
  postKind: "question" | "answer" | "howto" | "discussion" | "session";
  url: string;
  createdAt: Date;
  isRead: boolean;
  /** What became of the suggested edit a "suggestion_decided" notification is about. */
  suggestionOutcome?: "accepted" | "rejected";
  /**
   * A "changed the time" or "scheduled" notification's session start and end, as they are now (read when listed, so
   * always the latest).
   */
  startsAt?: Date;
  endsAt?: Date;
  /** A "scheduled" notification's session's space, as it is now: someone told because they follow it sees why. */
  spaceName?: string;
  /**
   * A "scheduled" notification's session's tags that the reader follows, as they are now, in words ("printers and
   * vpn"): someone told because they follow a tag sees why. Empty when they follow none of them.
   */
  followedTagWords?: string;
  /** Its times before the move the reader hasn't heard of yet (none on notices from before they were recorded). */
  previousStartsAt?: Date | null;
  previousEndsAt?: Date | null;
};

const PAGE_SIZE = 30;

/**
 * What became of the person's latest decided suggestion on the how-to, as SQL: what a "suggestion_decided"
 * notification says (it is re-armed by every decision, so the latest is the one it stands for). Arguments: the
 * notification's post and person.
 */
export function suggestionOutcome(postId: SQL, userId: SQL): SQL<SuggestionStatus | null> {
  return sql<SuggestionStatus | null>`(select es.status from edit_suggestions es
    where es.post_id = ${postId} and es.author_id = ${userId} and es.status <> 'pending'
    order by es.decided_at desc nulls last, es.id desc limit 1)`;
}

/**
 * Whether a notification is about a post or comment that is gone from the site (deleted or held, or in a deleted or
 * held question): it is not listed, counted or emailed while so, and comes back if a moderator restores the post.
 * Moderation notices stand for themselves (they link to /me/moderation). Arguments: the notification's columns.
 */
export function aboutGoneContent(kind: SQL, postId: SQL, commentId: SQL): SQL<boolean> {
  return sql<boolean>`(${kind} <> 'moderation' and (
    exists (select 1 from posts gp left join posts gq on gq.id = gp.parent_id
      where gp.id = ${postId} and (gp.deleted_at is not null or gq.deleted_at is not null))
    or exists (select 1 from comments gc where gc.id = ${commentId} and gc.deleted_at is not null)))`;
}

const isAboutGoneContent = aboutGoneContent(
  sql`${notifications.kind}`,
  sql`${notifications.postId}`,
  sql`${notifications.commentId}`,
);

/**
 * Unread notifications are counted up to this many: the header says "more than 99" past it, and a person with
 * thousands unread costs every signed-in request no more than anyone else.
 */
export const UNREAD_COUNT_CAP = 100;

/**
 * How many notifications a person has not read (at most UNREAD_COUNT_CAP), as SQL: also part of the query that reads
 * the signed-in viewer on every request (app/auth/viewer.server.ts), so the two can't disagree.
 */
export function unreadCountSql(userId: SQL): SQL<number> {
  return sql<number>`(select count(*) from (select 1 from notifications n where n.user_id = ${userId}
    and n.read_at is null and not ${aboutGoneContent(sql`n.kind`, sql`n.post_id`, sql`n.comment_id`)}
    limit ${UNREAD_COUNT_CAP}) unread)::int`;
}

/** How many notifications the person has not read (at most UNREAD_COUNT_CAP), as the header shows. */
export async function countUnread(db: Db, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select ${unreadCountSql(sql`${userId}`)} as n`);
  return row?.n ?? 0;
}

/** Newest first, PAGE_SIZE at a time (`before` is the last id of the previous page). */
export async function listNotifications(
  db: Db,
  userId: string,
  { before, only }: { before?: number; only?: number } = {},
): Promise<{ items: NotificationView[]; nextBefore: number | null }> {
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      // The anonymous asker acting in their own thread (accepting, thanking, commenting) stays unnamed.
      actorName: nameInThread(sql`${notifications.postId}`, sql`${notifications.actorId}`, sql`${users.name}`),
      postId: notifications.postId,
      commentId: notifications.commentId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      officeHoursId: notifications.officeHoursId,
      officeHoursQuestionId: notifications.officeHoursQuestionId,
      sessionTitle: officeHours.title,
      sessionStartsAt: officeHours.startsAt,
      sessionEndsAt: officeHours.endsAt,
      sessionSpaceName: spaces.name,
      sessionFollowedTags: followedSessionTags(sql`${notifications.userId}`, sql`${officeHours.tags}`),
      previousStartsAt: notifications.previousStartsAt,
      previousEndsAt: notifications.previousEndsAt,
      // A moderation notification stands for the notice sent with it, by id (two notices of one decision share a time).
      noticeMessage: moderationNotices.message,
      postKind: posts.kind,
      postTitle: posts.title,
      parentId: posts.parentId,
      parentTitle: sql<string | null>`(select q.title from posts q where q.id = ${posts.parentId})`,
      suggestionStatus: suggestionOutcome(sql`${notifications.postId}`, sql`${notifications.userId}`),
      hasRatingComment: sql<boolean>`(${notifications.kind} = 'rating' and exists (select 1 from help_ratings hr
        where hr.question_id = ${notifications.postId} and hr.comment <> ''))`,
    })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(officeHours, eq(officeHours.id, notifications.officeHoursId))
    .leftJoin(spaces, eq(spaces.id, officeHours.spaceId))
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(moderationNotices, eq(moderationNotices.id, notifications.noticeId))
    .where(
      and(
        eq(notifications.userId, userId),
        only === undefined ? undefined : eq(notifications.id, only),
        before ? lt(notifications.id, before) : undefined,
        not(isAboutGoneContent),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(PAGE_SIZE + 1);
  const items = rows.slice(0, PAGE_SIZE).map((row): NotificationView => {
    // Moderation outcomes (flags, holds, warnings) are listed with their details on one private page.
    if (row.kind === "moderation") {
      return {
        id: row.id,
        kind: row.kind,
        actorName: null,
        title: row.noticeMessage ?? "A moderator reviewed something you flagged or posted.",
        postKind: "session",
        url: "/me/moderation",
        createdAt: row.createdAt,
        isRead: row.readAt !== null,
      };
    }
    if (row.officeHoursId !== null || row.postId === null) {
      return {
        id: row.id,
        kind: row.kind,
        actorName: row.actorName,
        title: row.sessionTitle ?? "a session",
        postKind: "session",
        url: `/sessions/${row.officeHoursId}${row.officeHoursQuestionId ? `#q-${row.officeHoursQuestionId}` : ""}`,
        createdAt: row.createdAt,
        isRead: row.readAt !== null,
        ...(row.kind === "session_changed" && row.sessionStartsAt && row.sessionEndsAt
          ? {
              startsAt: row.sessionStartsAt,
              endsAt: row.sessionEndsAt,
              previousStartsAt: row.previousStartsAt,
              previousEndsAt: row.previousEndsAt,
            }
          : {}),
        ...(row.kind === "session_scheduled" && row.sessionStartsAt && row.sessionEndsAt && row.sessionSpaceName
          ? {
              startsAt: row.sessionStartsAt,
              endsAt: row.sessionEndsAt,
              spaceName: row.sessionSpaceName,
              followedTagWords: tagsInWords(row.sessionFollowedTags ?? []),
            }
          : {}),
      };
    }
    const postId = row.postId;
    const title = (row.postKind === "answer" ? row.parentTitle : row.postTitle) ?? "a post";
    const anchor = row.commentId
      ? `#comment-${row.commentId}`
      : row.postKind === "answer"
        ? `#${answerAnchor(postId)}`
        : "";
    const base =
      row.postKind === "howto"
        ? howtoPath(postId)
        : questionPath(row.postKind === "answer" && row.parentId ? row.parentId : postId, title);
    return {
      id: row.id,
      kind: row.kind,
      actorName: row.actorName,
      title,
      postKind: row.postKind ?? "question",
      url: postEventUrl(row.kind, postId, `${base}${anchor}`, { hasRatingComment: row.hasRatingComment }),
      createdAt: row.createdAt,
      isRead: row.readAt !== null,
      ...(row.kind === "suggestion_decided"
        ? { suggestionOutcome: row.suggestionStatus === "accepted" ? "accepted" : "rejected" }
        : {}),
    };
  });
  return { items, nextBefore: rows.length > PAGE_SIZE ? (items[items.length - 1]?.id ?? null) : null };
}

/**
 * Where a notification about a post leads, when not to the post itself (`postUrl`): the reminder to rate to the
 * rating page (it works without JavaScript too), a suggested edit to where its author reviews it. A decision on your
 * suggested edit leads to the how-to: accepted, the change is there; rejected, it shows what stayed. A rating of your
 * help leads to "My impact", the only page that shows it to you: to "What people said" when it came with a comment.
 */
function postEventUrl(
  kind: NotificationKind,
  postId: number,
  postUrl: string,
  { hasRatingComment }: { hasRatingComment: boolean },
): string {
  if (kind === "feedback_request") return `/q/${postId}/feedback`;
  if (kind === "suggestion") return `${howtoPath(postId)}/suggestions`;
  if (kind === "rating") return hasRatingComment ? "/me/impact#comments-heading" : "/me/impact";
  return postUrl;
}

/** Marks one of the person's notifications read and says where it leads (null when it isn't theirs). */
export async function openNotification(db: Db, userId: string, id: number): Promise<string | null> {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)));
  const { items } = await listNotifications(db, userId, { only: id });
  const item = items[0];
  return item && item.id === id ? item.url : null;
}

/** Whether the notification is someone else's (their email's link opened while signed in as this person). */
export async function isAnotherPersonsNotification(db: Db, userId: string, id: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: notifications.userId })
    .from(notifications)
    .where(eq(notifications.id, id))
    .limit(1);
  return row !== undefined && row.userId !== userId;
}

export async function markAllRead(db: Db, userId: string): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
