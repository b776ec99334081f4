/**
 * My impact's own copy of what came back to each helper: one row per accepted answer, thanks and rating that reaches
 * them, kept exact by triggers on posts, answer_thanks and help_ratings (see the migration's hand-written part), so
 * the page reads one helper's rows from one index instead of joining thousands of answers to their questions.
 */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { posts } from "./posts";

export const IMPACT_EVENT_KINDS = ["accepted", "thanks", "rating"] as const;
export type ImpactEventKind = (typeof IMPACT_EVENT_KINDS)[number];

/**
 * Derived from the question `questionId` and its answers, thanks and rating alone: the triggers delete a question's
 * rows and compute them again whenever one of those changes (peerdesk_impact_refresh), and never write them otherwise.
 */
export const impactEvents = pgTable(
  "impact_events",
  {
    /** Whose impact: the answer's author. */
    helperId: text("helper_id").notNull(),
    questionId: integer("question_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    kind: text("kind").$type<ImpactEventKind>().notNull(),
    /** Who was helped: the asker (accepted), the thanker, the rater. */
    personId: text("person_id").notNull(),
    /** When it came back: accepted_at (the answer's time when unknown), the thanks, the rating's last change. */
    at: timestamp("at", { withTimezone: true }).notNull(),
    rating: smallint("rating"),
    /** Ratings of plain-language questions that say whether the answer was easy to understand, and those that say yes. */
    plainRated: boolean("plain_rated").notNull().default(false),
    plainEasy: boolean("plain_easy").notNull().default(false),
  },
  (t) => [
    // Everything the page reads, in the order the 12-week trend and the latest comments want, from the index alone.
    index("impact_events_helper_idx").on(
      t.helperId,
      t.at,
      t.kind,
      t.personId,
      t.rating,
      t.plainRated,
      t.plainEasy,
      t.questionId,
    ),
    index("impact_events_question_idx").on(t.questionId),
    check("impact_events_kind", sql`${t.kind} in ('accepted', 'thanks', 'rating')`),
  ],
);
