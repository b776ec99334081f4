/**
 * Pictures people put in posts (a screenshot of an error, a photo of a printer's display): re-encoded as WebP
 * without metadata, kept in the database so every app process serves them, addressed by a hash of their content.
 */
import { index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { bytea } from "./security";

export const postImages = pgTable(
  "post_images",
  {
    id: serial("id").primaryKey(),
    /** The first 20 hex digits of the WebP file's SHA-256: its address is /images/<hash>.webp. */
    hash: text("hash").notNull().unique(),
    /** Who uploaded it first (null once that account is deleted; the picture stays in the posts that show it). */
    uploaderId: text("uploader_id").references(() => users.id, { onDelete: "set null" }),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("post_images_uploader_idx").on(t.uploaderId, t.createdAt)],
);
