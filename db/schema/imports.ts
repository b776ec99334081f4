/** Imported content: where each imported row came from, the original's licence details, and links between posts. */
import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { postImages } from "./post-images";
import { posts } from "./posts";

export const IMPORT_ENTITIES = ["user", "post", "comment"] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** A row created by an importer: the source (e.g. a Stack Exchange site) and its id there, mapped to our id. */
export const importIds = pgTable(
  "import_ids",
  {
    source: text("source").notNull(),
    entity: text("entity").$type<ImportEntity>().notNull(),
    externalId: text("external_id").notNull(),
    localId: text("local_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.entity, t.externalId] })],
);

/** An imported post's original and its author, shown beside the post as its licence (CC BY-SA) asks. */
export const postSources = pgTable("post_sources", {
  postId: integer("post_id")
    .primaryKey()
    .references(() => posts.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  authorName: text("author_name").notNull(),
  authorUrl: text("author_url"),
  license: text("license").notNull(),
});

export const POST_LINK_KINDS = ["duplicate", "linked"] as const;
export type PostLinkKind = (typeof POST_LINK_KINDS)[number];

/** "This question is a possible duplicate of that one" (and plain related links), kept from an imported site. */
export const postLinks = pgTable(
  "post_links",
  {
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    relatedPostId: integer("related_post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    kind: text("kind").$type<PostLinkKind>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.relatedPostId, t.kind] }),
    index("post_links_related_idx").on(t.relatedPostId),
  ],
);

/**
 * A picture an imported post showed from another site (a Stack Exchange screenshot), copied in as a post picture: the
 * importer writes the post with the copy's address, and a second run finds it here instead of downloading it again.
 * Goes with the copy (a copy no post used is swept after a day; the next run downloads it again).
 */
export const importedPictures = pgTable("imported_pictures", {
  sourceUrl: text("source_url").primaryKey(),
  hash: text("hash")
    .notNull()
    .references(() => postImages.hash, { onDelete: "cascade" }),
  createdAt: createdAt(),
});
