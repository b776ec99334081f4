/**
 * Pictures people put in posts (a screenshot of an error, a photo of a printer's display): re-encoded as WebP
 * without metadata, kept in the database so every app process serves them, addressed by a hash of their content.
 * Where each one is used is kept by database triggers in post_image_refs, and everyone who uploaded it (the same
 * picture uploaded by several people is stored once) in post_image_uploaders (see app/models/post-images.server.ts).
 */
import { index, integer, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { bytea } from "./security";

export const postImages = pgTable("post_images", {
  id: serial("id").primaryKey(),
  /** The first 20 hex digits of the WebP file's SHA-256: its address is /images/<hash>.webp. */
  hash: text("hash").notNull().unique(),
  width: integer("width").notNull(),
  height: integer("height").notNull(),
  /** Empty once a moderator has taken the picture down (the row stays so the same picture can't come back). */
  bytes: bytea("bytes").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** Taken down by a moderator (logged in the moderation log): served to nobody, refused if uploaded again. */
  removedAt: timestamp("removed_at", { withTimezone: true }),
  removedBy: text("removed_by").references(() => users.id, { onDelete: "set null" }),
});

/**
 * Everyone who uploaded a picture, the first and each one after (uploading a picture already stored adds a row, not a
 * copy): each of them sees it while no visible post shows it, has it counted in their storage and in their data
 * download, and loses it from all three when their account is deleted. A taken-down picture keeps its rows.
 */
export const postImageUploaders = pgTable(
  "post_image_uploaders",
  {
    hash: text("hash")
      .notNull()
      .references(() => postImages.hash, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** When this person uploaded it (the picture's own created_at is when it was stored, or last uploaded unused). */
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.hash, t.userId] }),
    index("post_image_uploaders_user_idx").on(t.userId, t.createdAt),
  ],
);

export const POST_IMAGE_REF_SOURCES = [
  "post",
  "comment",
  "revision",
  "draft",
  "suggestion",
  "session",
  "session_question",
] as const;
export type PostImageRefSource = (typeof POST_IMAGE_REF_SOURCES)[number];

/**
 * Which rows mention which picture (/images/<hash>.webp anywhere in the row): written only by the triggers of
 * migration 0035 on posts, comments, revisions, drafts, edit suggestions, sessions and session questions, so no
 * write path can forget it. `sourceKey` is the row's id (a draft's: "<user id>:<draft key>").
 */
export const postImageRefs = pgTable(
  "post_image_refs",
  {
    hash: text("hash").notNull(),
    sourceType: text("source_type").$type<PostImageRefSource>().notNull(),
    sourceKey: text("source_key").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sourceType, t.sourceKey, t.hash] }),
    index("post_image_refs_hash_idx").on(t.hash, t.sourceType),
  ],
);
