/** Content: one table of posts (questions, answers, how-tos) with their tags, comments, votes, revisions, how-to feedback, suggested edits and drafts. */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { users } from "./auth";
import { spaces, tags } from "./community";

export const POST_KINDS = ["question", "answer", "howto", "discussion"] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const DIFFICULTIES = ["beginner", "intermediate", "advanced"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
export type HowtoStep = { bodyMd: string; bodyHtml: string };
/**
 * The version of app/lib/markdown.server.ts's output that new posts are stored with: raise it when the renderer
 * shows something differently, and rows stored with an older one are rendered again from their Markdown
 * (app/models/post-rendering.server.ts; at start-up or `npm run posts:rerender`).
 * 1: `<kbd>`, `<sup>`, `<sub>`, an `http://` image as a link, `ftp:` links.
 * 2: headings nest under the page's own (a question's start at h2, an answer's at h3, a step's at h4), none skipped;
 *    an undescribed image that is all of its link is described as such (the link had no name).
 * 3: an image at an address no picture may load from (a relative path other than a stored picture's) is its
 *    description in words ("A chart (image)"), not a broken picture.
 * 4: a stored picture (/images/<hash>.webp) carries its width and height, so its place is kept before it loads.
 * 5: a table takes keyboard focus (tabindex="0"), so a table wider than a phone can be scrolled without a mouse.
 * 6: a link's shown host is plain ASCII (punycode for other scripts), so "gооgle.com" can't pass for google.com.
 * 7: a link whose text is an address on another site ("[https://learn.microsoft.com](https://phish.example)") shows
 *    the address it really opens.
 */
export const POST_RENDER_VERSION = 7;

export const posts = pgTable(
  "posts",
  {
    id: serial("id").primaryKey(),
    kind: text("kind").$type<PostKind>().notNull(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id),
    // Answers point at their question; top-level posts have no parent.
    parentId: integer("parent_id").references((): AnyPgColumn => posts.id),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title"),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    isPlainLanguage: boolean("is_plain_language").notNull().default(false),
    score: integer("score").notNull().default(0),
    answerCount: integer("answer_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
    acceptedAnswerId: integer("accepted_answer_id"),
    /** When the current accepted answer was accepted (for the service pulse's "time to accepted answer"). */
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    // How-tos only: summary, "applies to", difficulty, time, prerequisites and numbered steps.
    summary: text("summary"),
    appliesTo: text("applies_to"),
    difficulty: text("difficulty").$type<Difficulty>(),
    estimatedMinutes: integer("estimated_minutes"),
    prerequisitesMd: text("prerequisites_md"),
    prerequisitesHtml: text("prerequisites_html"),
    steps: jsonb("steps").$type<HowtoStep[]>(),
    helpfulYes: integer("helpful_yes").notNull().default(0),
    helpfulNo: integer("helpful_no").notNull().default(0),
    revisionCount: integer("revision_count").notNull().default(1),
    /** Which POST_RENDER_VERSION the stored HTML came from (0: before versions were kept). */
    renderVersion: integer("render_version")
      .notNull()
      .default(0)
      .$defaultFn(() => POST_RENDER_VERSION),
    /** Questions asked as "someone from the community": nobody but staff acting on it sees who asked. */
    isAnonymous: boolean("is_anonymous").notNull().default(false),
    deletedBy: text("deleted_by").references(() => users.id, { onDelete: "set null" }),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("posts_space_activity_idx")
      .on(t.spaceId, t.lastActivityAt.desc())
      .where(sql`${t.parentId} is null and ${t.deletedAt} is null`),
    index("posts_parent_idx").on(t.parentId),
    index("posts_kind_created_idx").on(t.kind, t.createdAt.desc(), t.id.desc()).where(sql`${t.deletedAt} is null`),
    index("posts_kind_score_idx").on(t.kind, t.score.desc(), t.id.desc()).where(sql`${t.deletedAt} is null`),
    index("posts_author_idx").on(t.authorId),
    // The spam check's "same text again" (spam.server.ts bodyFingerprint): keep the expression identical to it.
    index("posts_body_fingerprint_idx").on(
      sql`md5(lower(btrim(regexp_replace(${t.bodyMd}, '\\s+', ' ', 'g'))))`,
      t.createdAt,
    ),
    // A helper's own answers with what My impact needs from them, read from the index alone (no heap visit per answer).
    index("posts_author_kind_idx")
      .on(t.authorId, t.kind, t.parentId, t.createdAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    // "Whose answer was accepted": My impact and profiles join questions to their accepted answer.
    index("posts_accepted_answer_idx").on(t.acceptedAnswerId).where(sql`${t.acceptedAnswerId} is not null`),
    // My impact looks up each question a helper answered (thousands for the busiest): what it needs, from the index alone.
    index("questions_impact_idx")
      .on(t.id, t.authorId, t.acceptedAnswerId, t.acceptedAt)
      .where(sql`${t.kind} = 'question' and ${t.deletedAt} is null`),
    // Keyset pages of question lists: (sort key, id) in the lists' order, per space and site-wide.
    index("questions_space_created_idx")
      .on(t.spaceId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.kind} = 'question' and ${t.deletedAt} is null`),
    index("questions_space_activity_idx")
      .on(t.spaceId, t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.kind} = 'question' and ${t.deletedAt} is null`),
    index("questions_space_score_idx")
      .on(t.spaceId, t.score.desc(), t.id.desc())
      .where(sql`${t.kind} = 'question' and ${t.deletedAt} is null`),
    index("questions_activity_idx")
      .on(t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.kind} = 'question' and ${t.deletedAt} is null`),
  ],
);

export const postTags = pgTable(
  "post_tags",
  {
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.postId, t.tagId] }), index("post_tags_tag_idx").on(t.tagId)],
);

export const comments = pgTable(
  "comments",
  {
    id: serial("id").primaryKey(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("comments_post_idx").on(t.postId, t.createdAt),
    // The spam check's "same text again" (spam.server.ts bodyFingerprint): keep the expression identical to it.
    index("comments_body_fingerprint_idx").on(
      sql`md5(lower(btrim(regexp_replace(${t.bodyMd}, '\\s+', ' ', 'g'))))`,
      t.createdAt,
    ),
  ],
);

/** One vote per person per post: +1 or -1, changeable. posts.score is the kept sum. */
export const votes = pgTable(
  "votes",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    value: integer("value").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index("votes_post_idx").on(t.postId)],
);

/** Every version of a post's content, the first included; number 1 is the original. */
export const revisions = pgTable(
  "revisions",
  {
    id: serial("id").primaryKey(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    editorId: text("editor_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note").notNull().default(""),
    // The editable fields as they were after this edit (title, bodyMd, tags, how-to fields).
    content: jsonb("content").$type<RevisionContent>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("revisions_post_number_idx").on(t.postId, t.number)],
);
export type RevisionContent = {
  title: string | null;
  bodyMd: string;
  tags: string[];
  summary?: string | null;
  appliesTo?: string | null;
  difficulty?: Difficulty | null;
  estimatedMinutes?: number | null;
  prerequisitesMd?: string | null;
  steps?: string[];
  /**
   * How-tos: ticked "Written in plain language"; questions: asks for a plain-language answer. Unknown (absent) on
   * versions saved before it was recorded.
   */
  isPlainLanguage?: boolean;
};

/** "Did this help?" on how-tos: one answer per reader, changeable, with an optional comment for the author. */
export const howtoFeedback = pgTable(
  "howto_feedback",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    isHelpful: boolean("is_helpful").notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.postId] }),
    // My impact's latest comments: the feedback on one author's how-tos, by how-to.
    index("howto_feedback_post_idx").on(t.postId, t.updatedAt),
  ],
);

export const SUGGESTION_STATUSES = ["pending", "accepted", "rejected"] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** Suggested edits to someone else's how-to, accepted by its author or a moderator. */
export const editSuggestions = pgTable(
  "edit_suggestions",
  {
    id: serial("id").primaryKey(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    content: jsonb("content").$type<RevisionContent>().notNull(),
    note: text("note").notNull().default(""),
    /** The how-to's version the suggestion was written from: accepting merges from it (models/howto-merge.server.ts). */
    baseRevision: integer("base_revision"),
    status: text("status").$type<SuggestionStatus>().notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    /** The version accepting it made: credited to the suggester, saved by `decidedBy`. */
    revisionNumber: integer("revision_number"),
    createdAt: createdAt(),
  },
  (t) => [index("edit_suggestions_post_idx").on(t.postId, t.status)],
);

/** Server-side drafts of questions, answers and how-tos, so a closed tab loses nothing. */
export const drafts = pgTable(
  "drafts",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // e.g. "question:new", "answer:42", "howto:new", "howto:edit:17"
    draftKey: text("draft_key").notNull(),
    content: jsonb("content").$type<Record<string, string>>().notNull(),
    updatedAt: updatedAt(),
  },
  // The hourly sweep of untouched drafts reads by age.
  (t) => [primaryKey({ columns: [t.userId, t.draftKey] }), index("drafts_updated_idx").on(t.updatedAt)],
);

export type Post = typeof posts.$inferSelect;
export type Comment = typeof comments.$inferSelect;
