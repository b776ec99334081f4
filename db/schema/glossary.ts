/** The glossary: IT terms explained for business colleagues, and the synonyms search expands. */
import { jsonb, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { users } from "./auth";

/**
 * One glossary entry: "MFA" = "multi-factor authentication", explained in plain words, with its synonyms ("2FA",
 * "two-step verification"). `normalized` (lowercase, single spaces) keeps terms unique however they are typed.
 */
export const glossaryTerms = pgTable(
  "glossary_terms",
  {
    id: serial("id").primaryKey(),
    term: text("term").notNull(),
    normalized: text("normalized").notNull(),
    /** The anchor on /glossary (#vpn, #wi-fi). */
    slug: text("slug").notNull(),
    expansion: text("expansion").notNull().default(""),
    explanation: text("explanation").notNull(),
    synonyms: jsonb("synonyms").$type<string[]>().notNull().default([]),
    /** Who last changed it (null for the starting glossary); every change is also in the moderation log. */
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("glossary_terms_normalized_idx").on(t.normalized),
    uniqueIndex("glossary_terms_slug_idx").on(t.slug),
  ],
);
export type GlossaryTermRow = typeof glossaryTerms.$inferSelect;
