/** Asking a mentor: invitations to a question for people with matching expertise. */
import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./auth";
import { posts } from "./posts";

/** "Ask a mentor": the asker invites up to three people with matching expertise to their question. */
export const mentorInvitations = pgTable(
  "mentor_invitations",
  {
    id: serial("id").primaryKey(),
    questionId: integer("question_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    inviterId: text("inviter_id")
      .notNull()
      .references(() => users.id),
    inviteeId: text("invitee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    declinedAt: timestamp("declined_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mentor_invitations_pair_idx").on(t.questionId, t.inviteeId),
    index("mentor_invitations_invitee_idx").on(t.inviteeId),
  ],
);
