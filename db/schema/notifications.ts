/** Following things and the notifications that follows and mentions produce. */
import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./auth";
import { officeHours, officeHoursQuestions } from "./office-hours";
import { comments, posts } from "./posts";
import { moderationNotices } from "./trust-safety";

export const FOLLOW_TARGETS = ["question", "howto", "tag", "space", "user", "session"] as const;
export type FollowTarget = (typeof FOLLOW_TARGETS)[number];

/**
 * Who follows what. target_key is the followed thing's id as text (posts, spaces, users) or the tag's slug, so one
 * table serves every kind; a follow outlives its target harmlessly (fan-out joins only live targets).
 */
export const follows = pgTable(
  "follows",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetType: text("target_type").$type<FollowTarget>().notNull(),
    targetKey: text("target_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.targetType, t.targetKey] }),
    index("follows_target_idx").on(t.targetType, t.targetKey),
  ],
);

export const NOTIFICATION_KINDS = [
  "answer",
  "comment",
  "accepted",
  "mention",
  "new_post",
  // A Q&A session was scheduled in a space, on a tag or by someone you follow (session_id): told once, like a new post.
  "session_scheduled",
  "invitation",
  "session_starting",
  "feedback_request",
  "session_changed",
  "session_cancelled",
  "session_answered",
  "rating",
  "thanks",
  // Someone suggested an edit to your how-to; the author or a moderator accepted or turned down your suggested edit.
  "suggestion",
  "suggestion_decided",
  // A flag's outcome, a post held or released, a warning: the details are on /me/moderation (moderation_notices).
  "moderation",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Kinds that are events of their own on a post: being invited to (or asked to rate, thanked for, sent a suggested edit
 * to, told the decision on your suggested edit to) a post already announced to you still reaches you.
 */
const OWN_EVENT_KINDS = [
  "invitation",
  "feedback_request",
  "rating",
  "thanks",
  "suggestion",
  "suggestion_decided",
] as const satisfies readonly NotificationKind[];

/**
 * Of those, the kinds that happen again on the same post (another suggestion, another decision): a repeat re-arms the
 * person's one notification of that kind (notifyUsers) instead of being dropped as already told.
 */
export const REPEATING_KINDS = ["suggestion", "suggestion_decided"] as const satisfies readonly NotificationKind[];

/**
 * The last column of notifications_event_idx, which event on the post a notification is: its kind for the events of
 * their own, '' for the post or comment itself. Shared with the upsert that names the index (notifyUsers).
 */
export function eventOfItsOwn(kind: SQL | AnyPgColumn): SQL {
  return sql`(case when ${kind} in (${sql.raw(OWN_EVENT_KINDS.map((k) => `'${k}'`).join(", "))}) then ${kind} else '' end)`;
}

/**
 * One row per person per event. An event is a post (an answer, a new question or how-to, an accepted answer) or a
 * comment on a post; the unique index keeps someone who both follows and is mentioned (or follows both the question
 * and its answerer) from hearing of it twice.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NotificationKind>().notNull(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** The post the event is about; null for a session starting (see officeHoursId). */
    postId: integer("post_id").references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer("comment_id").references(() => comments.id, { onDelete: "cascade" }),
    officeHoursId: integer("session_id").references(() => officeHours.id, { onDelete: "cascade" }),
    /** The attendee's question a "session_answered" notification is about. */
    officeHoursQuestionId: integer("session_question_id").references(() => officeHoursQuestions.id, {
      onDelete: "cascade",
    }),
    /**
     * The notice a "moderation" notification stands for. One decision can send one person two notices in the same
     * transaction (same created_at), so only this id tells them apart.
     */
    noticeId: integer("notice_id").references(() => moderationNotices.id, { onDelete: "cascade" }),
    /**
     * A "session_changed" notification: the session's times before the move the person has not yet heard of (kept
     * through further moves until they read it or it is emailed), so the notice can say what moved from when to when.
     */
    previousStartsAt: timestamp("previous_starts_at", { withTimezone: true }),
    previousEndsAt: timestamp("previous_ends_at", { withTimezone: true }),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** When the mailer dealt with it (sent it, put it in a digest, or skipped it by the person's preference). */
    mailedAt: timestamp("mailed_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.id.desc()),
    index("notifications_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    index("notifications_unmailed_idx").on(t.createdAt).where(sql`${t.mailedAt} is null`),
    uniqueIndex("notifications_event_idx").on(
      t.userId,
      t.postId,
      sql`coalesce(${t.commentId}, 0)`,
      eventOfItsOwn(t.kind),
    ),
    // Per session: one of each kind (starting, changed, cancelled), and one per answered question of the attendee's.
    uniqueIndex("notifications_session_idx")
      .on(t.userId, t.officeHoursId, t.kind, sql`coalesce(${t.officeHoursQuestionId}, 0)`)
      .where(sql`${t.officeHoursId} is not null`),
    // A session's notifications of one kind: whoever its announcement told (to tell them it starts), a start notice
    // withdrawn when the session moves, and the session's deletion.
    index("notifications_session_kind_idx").on(t.officeHoursId, t.kind).where(sql`${t.officeHoursId} is not null`),
  ],
);
