/** The moderation log: every moderator or admin action as a public record. */
import { index, jsonb, pgTable, serial, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./auth";

export const moderationLog = pgTable(
  "moderation_log",
  {
    id: serial("id").primaryKey(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason").notNull().default(""),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("moderation_log_created_idx").on(t.createdAt.desc()),
    // What was done to one thing or person (a post's removals, a person's role changes and bans), newest first.
    index("moderation_log_target_idx").on(t.targetType, t.targetId, t.id.desc()),
  ],
);
