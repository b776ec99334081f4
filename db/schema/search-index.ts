/** Tables of the in-app search index (app/search/indexed.server.ts): the change log every app process follows. */
import { index, integer, serial, timestamp } from "drizzle-orm/pg-core";
import { pgTable } from "drizzle-orm/pg-core";

/**
 * Posts whose search document changed, in order: each app process keeps its own in-memory ranking index and replays
 * this log (rows are kept an hour). A row without a post means "everything" (the index was rebuilt).
 */
export const searchIndexChanges = pgTable(
  "search_index_changes",
  {
    id: serial("id").primaryKey(),
    postId: integer("post_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("search_index_changes_created_idx").on(t.createdAt)],
);
