/** The search outbox and the embedded search engine's index (documents and their vocabulary). */
import { sql } from "drizzle-orm";
import { boolean, customType, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import type { PostKind } from "./posts";

/** Changes the search index must pick up, written in the same transaction as the change (see DESIGN §1). */
export const searchOutbox = pgTable(
  "search_outbox",
  {
    id: serial("id").primaryKey(),
    postId: integer("post_id").notNull(),
    op: text("op").$type<"upsert" | "delete">().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  // post_id: a drain keeps each post's changes in order (see app/search/drain.server.ts).
  (t) => [index("search_outbox_next_idx").on(t.nextAttemptAt), index("search_outbox_post_idx").on(t.postId)],
);

// ---- the embedded search engine's index (app/search/postgres.server.ts); unused when Meilisearch is configured ----

/** PostgreSQL's full-text document type; only ever written with to_tsvector() in SQL. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * One row per searchable post, denormalised so a search reads one table: tsv holds title (weight A), tags (B) and
 * body (C) in the 'english' configuration. No foreign keys: the outbox keeps it in step, and `rebuild()` swaps in a
 * freshly built copy (so its indexes are copied by name from this table; keep index names starting with the table's).
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    postId: integer("post_id").primaryKey(),
    kind: text("kind").$type<PostKind>().notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    questionId: integer("question_id"),
    spaceId: integer("space_id").notNull(),
    spaceSlug: text("space_slug").notNull(),
    spaceName: text("space_name").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    authorName: text("author_name").notNull(),
    isPlainLanguage: boolean("is_plain_language").notNull().default(false),
    isSolved: boolean("is_solved").notNull().default(false),
    isUnanswered: boolean("is_unanswered").notNull().default(false),
    answerCount: integer("answer_count").notNull().default(0),
    score: integer("score").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    tsv: tsvector("tsv").notNull(),
  },
  (t) => [
    index("search_documents_tsv_idx").using("gin", t.tsv),
    index("search_documents_tags_idx").using("gin", t.tags),
    index("search_documents_created_idx").on(t.createdAt.desc(), t.postId.desc()),
    index("search_documents_score_idx").on(t.score.desc(), t.postId.desc()),
    index("search_documents_space_created_idx").on(t.spaceSlug, t.createdAt.desc()),
    index("search_documents_kind_created_idx").on(t.kind, t.createdAt.desc()),
  ],
);

/**
 * The words of the indexed documents (lower-case letters, 3–40 long) with the number of documents holding each:
 * the vocabulary that typo correction (pg_trgm similarity) and prefix expansion pick words from.
 */
export const searchTerms = pgTable(
  "search_terms",
  {
    term: text("term").primaryKey(),
    // The term's 'english' stems: a typed word whose stems are known is no typo ("expired" when only "expires" occurs).
    stem: text("stem").notNull(),
    documents: integer("documents").notNull(),
  },
  (t) => [
    index("search_terms_trgm_idx").using("gin", t.term.op("gin_trgm_ops")),
    index("search_terms_prefix_idx").on(t.term.op("text_pattern_ops")),
    index("search_terms_stem_idx").on(t.stem),
  ],
);
