/** Tables for closing and reopening questions, community close votes, and earned trust levels (issue 16). */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { posts } from "./posts";

export const CLOSE_REASONS = ["duplicate", "off_topic", "needs_details"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/**
 * A closed question: one row while it is closed (reopening deletes it; the moderation log keeps the history).
 * A duplicate names its original; "needs details" says what is missing.
 */
export const questionClosures = pgTable(
  "question_closures",
  {
    questionId: integer("question_id")
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    reason: text("reason").$type<CloseReason>().notNull(),
    duplicateOfId: integer("duplicate_of_id").references(() => posts.id, { onDelete: "set null" }),
    details: text("details").notNull().default(""),
    /** The moderator who closed it, or null when community votes did. */
    closedBy: text("closed_by").references(() => users.id, { onDelete: "set null" }),
    closedAt: timestamp("closed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("question_closures_duplicate_of_idx").on(t.duplicateOfId)],
);

export const CLOSE_VOTE_KINDS = ["close", "reopen"] as const;
export type CloseVoteKind = (typeof CLOSE_VOTE_KINDS)[number];

/** Trusted members' votes to close (with a reason) or reopen a question; cleared when the question changes state. */
export const closeVotes = pgTable(
  "close_votes",
  {
    questionId: integer("question_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<CloseVoteKind>().notNull(),
    reason: text("reason").$type<CloseReason>(),
    duplicateOfId: integer("duplicate_of_id").references(() => posts.id, { onDelete: "cascade" }),
    details: text("details").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId, t.kind] })],
);

/**
 * Each person's trust level as last computed, with the counts it came from. A row is dropped (by triggers on votes
 * and posts, see the migration) when something that changes it happens, and recomputed on the next read.
 */
export const userTrust = pgTable(
  "user_trust",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    level: smallint("level").notNull(),
    postsWritten: integer("posts_written").notNull().default(0),
    upvotesReceived: integer("upvotes_received").notNull().default(0),
    acceptedAnswers: integer("accepted_answers").notNull().default(0),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("user_trust_level_range", sql`${t.level} between 0 and 4`)],
);

/** Community settings of this feature, by name (e.g. "close_votes_needed"); a missing row means the default. */
export const closingSettings = pgTable("closing_settings", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
