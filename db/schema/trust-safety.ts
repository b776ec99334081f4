/** Trust and safety tables: flags, content held for review, silenced accounts, notices to people, and sensitivity settings. */
import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { posts } from "./posts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const FLAG_REASONS = ["spam", "rude", "duplicate", "not_an_answer", "needs_detail", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
/** What can be flagged or held: a post (question, answer, how-to), a comment, a session question, a person's profile. */
export const MODERATED_TARGETS = ["post", "comment", "session_question", "user"] as const;
export type ModeratedTarget = (typeof MODERATED_TARGETS)[number];
/**
 * "closed": the thing was deleted by a person (its author, say) before anyone decided, so nothing was: neither upheld
 * nor dismissed, it counts for nobody's record (review-queue.server.ts).
 */
export const FLAG_STATUSES = ["pending", "upheld", "dismissed", "closed"] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/**
 * One flag per person per thing. `weight` is the flagger's standing when they flagged (see flags.server.ts), kept so
 * a later change in their accuracy never re-decides an old automatic hide.
 */
export const flags = pgTable(
  "flags",
  {
    id: serial("id").primaryKey(),
    targetType: text("target_type").$type<ModeratedTarget>().notNull(),
    /** The post, comment or session question id as text, or the person's id. */
    targetId: text("target_id").notNull(),
    /** Whose content it is, so accuracy and silencing never need to look the target up again. */
    targetAuthorId: text("target_author_id").references(() => users.id, { onDelete: "cascade" }),
    flaggerId: text("flagger_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").$type<FlagReason>().notNull(),
    details: text("details").notNull().default(""),
    /** A "duplicate" flag's original question. */
    duplicateOfId: integer("duplicate_of_id").references(() => posts.id, { onDelete: "set null" }),
    weight: doublePrecision("weight").notNull(),
    status: text("status").$type<FlagStatus>().notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("flags_once_idx").on(t.flaggerId, t.targetType, t.targetId),
    index("flags_target_idx").on(t.targetType, t.targetId),
    index("flags_pending_idx").on(t.createdAt).where(sql`${t.status} = 'pending'`),
    index("flags_flagger_idx").on(t.flaggerId, t.status),
  ],
);

export const HOLD_STATUSES = ["pending", "released", "removed"] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/**
 * Content kept out of sight until a moderator decides: held at posting by the spam heuristics or new-account rules,
 * or hidden afterwards by the weight of flags. While pending, the content is soft-deleted for everyone but its author
 * (who sees "waiting for review") and moderators.
 */
export const contentHolds = pgTable(
  "content_holds",
  {
    id: serial("id").primaryKey(),
    targetType: text("target_type").$type<ModeratedTarget>().notNull(),
    targetId: text("target_id").notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Machine-readable cause: flags, repeated_text, many_links, flagged_domain, new_account_links, first_question, silenced_author. */
    reason: text("reason").notNull(),
    /** What the author is told, in plain words. */
    message: text("message").notNull(),
    status: text("status").$type<HoldStatus>().notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("content_holds_pending_idx").on(t.targetType, t.targetId).where(sql`${t.status} = 'pending'`),
    index("content_holds_author_idx").on(t.authorId, t.createdAt.desc()),
  ],
);

/** A silenced person can read but not post until a moderator lifts it (or `until` passes). */
export const userSilences = pgTable("user_silences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  reason: text("reason").notNull(),
  /** Null: silenced automatically (a spam flag upheld on a new account's post). */
  silencedBy: text("silenced_by").references(() => users.id, { onDelete: "set null" }),
  until: timestamp("until", { withTimezone: true }),
  createdAt: createdAt(),
});

export const NOTICE_KINDS = [
  "flag_upheld",
  "flag_dismissed",
  "held",
  "released",
  "removed",
  "warned",
  "silenced",
  "profile_hidden",
  "profile_shown",
  "unsilenced",
  "question_closed",
  "question_reopened",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What moderation tells a person: their flag's outcome, their post held, released or removed, a warning. */
export const moderationNotices = pgTable(
  "moderation_notices",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NoticeKind>().notNull(),
    message: text("message").notNull(),
    /** Where the thing is (a question page, a how-to), when it can still be seen. */
    url: text("url"),
    createdAt: createdAt(),
  },
  (t) => [index("moderation_notices_user_idx").on(t.userId, t.id.desc())],
);

/** Sensitivity settings changed by admins; a missing key means the default in trust-settings.server.ts. */
export const trustSettings = pgTable("trust_settings", {
  key: text("key").primaryKey(),
  value: doublePrecision("value").notNull(),
  updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A profile a moderator hid (a spammer's bio, picture and mentor pitch): while the row exists those fields are blank on
 * `users`, so every page, feed and byline drops them; the person's own values wait here until the profile is shown
 * again. A trigger on users keeps them here when the person edits meanwhile (see the migration "profile_hiding").
 */
export const hiddenProfiles = pgTable("hidden_profiles", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  hiddenBy: text("hidden_by").references(() => users.id, { onDelete: "set null" }),
  reason: text("reason").notNull(),
  bio: text("bio").notNull().default(""),
  image: text("image"),
  mentorPitch: text("mentor_pitch").notNull().default(""),
  createdAt: createdAt(),
});
