/** The community's structure: spaces, tags, and the tags a person knows well. */
import { boolean, index, integer, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { users } from "./auth";

export const spaces = pgTable(
  "spaces",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    isPlainLanguage: boolean("is_plain_language").notNull().default(false),
    /** A new account's first question here waits for a moderator (issue 16: per-space first-question review). */
    holdFirstQuestions: boolean("hold_first_questions").notNull().default(false),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
    /** Its last change (an admin's edit form refuses a save made on an older one), and which admin made it. */
    updatedAt: updatedAt(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("spaces_position_idx").on(t.position)],
);

export const tags = pgTable("tags", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  description: text("description").notNull().default(""),
  createdAt: createdAt(),
});

export const userExpertise = pgTable(
  "user_expertise",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index("user_expertise_tag_idx").on(t.tagId)],
);

export type Space = typeof spaces.$inferSelect;
export type Tag = typeof tags.$inferSelect;
