/** Service pulse: help ratings, thanks on answers, and the per-question facts service levels are computed from. */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { users } from "./auth";
import { posts } from "./posts";

/**
 * "How well were you helped?": one rating per question, by its asker, once an answer is accepted or the question is
 * 7 days old; editable for 24 hours. It reaches the accepted answer's author, or (none accepted) everyone who answered.
 */
export const helpRatings = pgTable(
  "help_ratings",
  {
    questionId: integer("question_id")
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    raterId: text("rater_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: smallint("rating").notNull(),
    /** Plain-language questions only: was the answer easy to understand? Null when not asked or not answered. */
    easyToUnderstand: boolean("easy_to_understand"),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("help_ratings_created_idx").on(t.createdAt),
    check("help_ratings_rating_range", sql`${t.rating} between 1 and 5`),
  ],
);

/** "Thanks" on an answer: once per person per answer, never on your own. */
export const answerThanks = pgTable(
  "answer_thanks",
  {
    answerId: integer("answer_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.userId] }), index("answer_thanks_created_idx").on(t.createdAt)],
);

/**
 * One row per question with the moments the service levels are computed from, kept in step by
 * `refreshQuestionFacts` in the transaction of every write that changes them (and rebuilt whole by
 * `rebuildQuestionFacts`), so /pulse reads one narrow table instead of joining answers and comments.
 */
export const questionFacts = pgTable(
  "question_facts",
  {
    questionId: integer("question_id")
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    spaceId: integer("space_id").notNull(),
    askerId: text("asker_id").notNull(),
    askedAt: timestamp("asked_at", { withTimezone: true }).notNull(),
    isPlainLanguage: boolean("is_plain_language").notNull(),
    isDeleted: boolean("is_deleted").notNull(),
    /** First answer, or comment on the question, by someone other than the asker (deleted ones don't count). */
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    /** First answer by someone other than the asker. */
    firstAnswerAt: timestamp("first_answer_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    rating: smallint("rating"),
    easyToUnderstand: boolean("easy_to_understand"),
    /** The accepted answer is the asker's own: their rating is not help from others (see `isRatedHelpFromOthers`). */
    acceptsOwnAnswer: boolean("accepts_own_answer").notNull().default(false),
  },
  (t) => [
    index("question_facts_asked_idx").on(t.askedAt).where(sql`not ${t.isDeleted}`),
    index("question_facts_space_asked_idx").on(t.spaceId, t.askedAt).where(sql`not ${t.isDeleted}`),
    index("question_facts_unanswered_idx")
      .on(t.spaceId, t.askedAt)
      .where(sql`not ${t.isDeleted} and ${t.firstAnswerAt} is null`),
  ],
);
