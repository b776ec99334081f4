/** Office hours: hosted, time-boxed Q&A (office hours, ask me anything) with their queued questions and votes. */
import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { users } from "./auth";
import { spaces } from "./community";

/**
 * A time-boxed Q&A hosted by a mentor or moderator; questions queue before and during it, the host answers live.
 * The tables keep their first names (qa_sessions, session_questions, session_question_votes, and session_id columns
 * elsewhere): renaming them would be a migration for no reader's benefit, while in code "office hours" keeps them apart
 * from sign-in sessions.
 */
export const officeHours = pgTable(
  "qa_sessions",
  {
    id: serial("id").primaryKey(),
    hostId: text("host_id")
      .notNull()
      .references(() => users.id),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id),
    title: text("title").notNull(),
    descriptionMd: text("description_md").notNull(),
    descriptionHtml: text("description_html").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** Null: no cap on questions per person. */
    maxQuestionsPerPerson: integer("max_questions_per_person"),
    /** When its followers were told it is starting (once). */
    startNotifiedAt: timestamp("start_notified_at", { withTimezone: true }),
    /** Called off by its host: kept (with its questions) so links still explain what happened. */
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: createdAt(),
    /** When it was last saved (the edit form refuses a save made on an older version), and who edited it last. */
    updatedAt: updatedAt(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    /**
     * Goes up by one with every change people may have copied into a calendar (its times, its details, ending it early,
     * cancelling it): the calendar file's SEQUENCE, by which calendars replace the event they hold.
     */
    revision: integer("revision").notNull().default(0),
  },
  (t) => [
    index("qa_sessions_starts_idx").on(t.startsAt),
    index("qa_sessions_ends_idx").on(t.endsAt),
    // The sitemap lists sessions not cancelled in the order they were created, reading a file's share in this order.
    index("qa_sessions_listed_created_idx").on(t.createdAt, t.id).where(sql`${t.cancelledAt} is null`),
    // A host's sessions: their profile's list, and whether (and since when) the sitemap lists their profile.
    index("qa_sessions_host_idx").on(t.hostId),
  ],
);

/** "withdrawn": its asker took it back before the host took it up; it leaves every list and count, kept for flags. */
export const OFFICE_HOURS_QUESTION_STATES = ["open", "answered", "skipped", "withdrawn"] as const;
export type OfficeHoursQuestionState = (typeof OFFICE_HOURS_QUESTION_STATES)[number];

export const officeHoursQuestions = pgTable(
  "session_questions",
  {
    id: serial("id").primaryKey(),
    officeHoursId: integer("session_id")
      .notNull()
      .references(() => officeHours.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    votes: integer("votes").notNull().default(0),
    state: text("state").$type<OfficeHoursQuestionState>().notNull().default("open"),
    answerMd: text("answer_md"),
    answerHtml: text("answer_html"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    /** Who answered or skipped it (the host or a co-host), so another one writing meanwhile is told who did. */
    answeredBy: text("answered_by").references(() => users.id, { onDelete: "set null" }),
    /**
     * Set while moderation keeps the question out of sight (held for review, or removed): only its asker and staff see
     * it. Apart from the state, so releasing it brings it back exactly as it was (open, answered or skipped).
     */
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    /** When its asker last changed the wording (shown as "edited": people may have upvoted the words before). */
    editedAt: timestamp("edited_at", { withTimezone: true }),
    /** When its asker withdrew it (state "withdrawn"). */
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  // The queue: votes, then age.
  (t) => [index("session_questions_queue_idx").on(t.officeHoursId, t.votes.desc(), t.createdAt)],
);

export const officeHoursQuestionVotes = pgTable(
  "session_question_votes",
  {
    questionId: integer("question_id")
      .notNull()
      .references(() => officeHoursQuestions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] })],
);
