/** The single source of truth for PeerDesk's tables: better-auth's tables, people, spaces, tags, posts and the moderation log. */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const ROLES = ["member", "mentor", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const AUDIENCES = ["it", "business"] as const;
export type Audience = (typeof AUDIENCES)[number];

// ---- better-auth tables (field names are the ones better-auth's drizzle adapter expects) ----

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // admin plugin
    role: text("role").$type<Role>().notNull().default("member"),
    banned: boolean("banned").notNull().default(false),
    banReason: text("ban_reason"),
    banExpires: timestamp("ban_expires", { withTimezone: true }),
    // two-factor plugin
    twoFactorEnabled: boolean("two_factor_enabled").notNull().default(false),
    // PeerDesk profile: better-auth never writes these, so each has a database default.
    handle: text("handle").unique(),
    bio: text("bio").notNull().default(""),
    audience: text("audience").$type<Audience>().notNull().default("it"),
    openToMentoring: boolean("open_to_mentoring").notNull().default(false),
    // The mentor directory's card: one or two sentences on how they help, and the languages they help in.
    mentorPitch: text("mentor_pitch").notNull().default(""),
    languages: text("languages").notNull().default(""),
    /** A mentor on holiday: nobody can invite them to questions meanwhile. */
    invitationsPaused: boolean("invitations_paused").notNull().default(false),
    /** IANA zone ("America/New_York") that forms read typed times in; null until the browser or the person sets it. */
    timeZone: text("time_zone"),
    /** The person deleted their account (or an admin did on request): the row stays as "Former member" for their posts. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [index("users_role_idx").on(t.role)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    impersonatedBy: text("impersonated_by"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

export const rateLimits = pgTable("rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

export const twoFactors = pgTable(
  "two_factors",
  {
    id: text("id").primaryKey(),
    secret: text("secret").notNull(),
    backupCodes: text("backup_codes").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    verified: boolean("verified").default(true),
    failedVerificationCount: integer("failed_verification_count").default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
  },
  (t) => [index("two_factors_user_idx").on(t.userId)],
);

// ---- community structure ----

export const spaces = pgTable(
  "spaces",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    isPlainLanguage: boolean("is_plain_language").notNull().default(false),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
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

// ---- content: one table of posts so search indexes one thing ----

export const POST_KINDS = ["question", "answer", "howto", "discussion"] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const DIFFICULTIES = ["beginner", "intermediate", "advanced"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
export type HowtoStep = { bodyMd: string; bodyHtml: string };

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
    // A helper's own answers with what My impact needs from them, read from the index alone (no heap visit per answer).
    index("posts_author_kind_idx")
      .on(t.authorId, t.kind, t.parentId, t.createdAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    // "Whose answer was accepted": My impact and profiles join questions to their accepted answer.
    index("posts_accepted_answer_idx").on(t.acceptedAnswerId).where(sql`${t.acceptedAnswerId} is not null`),
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
  (t) => [index("comments_post_idx").on(t.postId, t.createdAt)],
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
  (t) => [primaryKey({ columns: [t.userId, t.postId] })],
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
    status: text("status").$type<SuggestionStatus>().notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
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
  (t) => [primaryKey({ columns: [t.userId, t.draftKey] })],
);

/** Idempotency keys of submitted forms: a retried or double-clicked submit returns the first result. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    result: jsonb("result").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/** Fixed-window counters for per-user write limits (posting, voting, commenting); shared by all app processes. */
export const writeLimits = pgTable("write_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});

/**
 * Wrong passwords per account (keyed by a hash of the lower-cased email, so unknown addresses are counted the same way
 * and the lock says nothing about whether an account exists), across every client address and app process.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    emailHash: text("email_hash").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
  },
  (t) => [index("sign_in_failures_window_idx").on(t.windowStartedAt)],
);

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

// ---- hosted Q&A sessions (office hours, ask me anything) ----

/** A time-boxed Q&A hosted by a mentor or moderator; questions queue before and during it, the host answers live. */
export const qaSessions = pgTable(
  "qa_sessions",
  {
    id: serial("id").primaryKey(),
    hostId: text("host_id")
      .notNull()
      .references(() => users.id),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id),
    title: text("title").notNull(),
    descriptionMd: text("description_md").notNull(),
    descriptionHtml: text("description_html").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** Null: no cap on questions per person. */
    maxQuestionsPerPerson: integer("max_questions_per_person"),
    /** When its followers were told it is starting (once). */
    startNotifiedAt: timestamp("start_notified_at", { withTimezone: true }),
    /** Called off by its host: kept (with its questions) so links still explain what happened. */
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("qa_sessions_starts_idx").on(t.startsAt), index("qa_sessions_ends_idx").on(t.endsAt)],
);

export const SESSION_QUESTION_STATES = ["open", "answered", "skipped"] as const;
export type SessionQuestionState = (typeof SESSION_QUESTION_STATES)[number];

export const sessionQuestions = pgTable(
  "session_questions",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => qaSessions.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    votes: integer("votes").notNull().default(0),
    state: text("state").$type<SessionQuestionState>().notNull().default("open"),
    answerMd: text("answer_md"),
    answerHtml: text("answer_html"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  // The queue: votes, then age.
  (t) => [index("session_questions_queue_idx").on(t.sessionId, t.votes.desc(), t.createdAt)],
);

export const sessionQuestionVotes = pgTable(
  "session_question_votes",
  {
    questionId: integer("question_id")
      .notNull()
      .references(() => sessionQuestions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] })],
);

// ---- asking a mentor ----

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

// ---- following and notifications ----

export const FOLLOW_TARGETS = ["question", "howto", "tag", "space", "user", "session"] as const;
export type FollowTarget = (typeof FOLLOW_TARGETS)[number];

/**
 * Who follows what. target_key is the followed thing's id as text (posts, spaces, users) or the tag's slug, so one
 * table serves every kind; a follow outlives its target harmlessly (fan-out joins only live targets).
 */
export const follows = pgTable(
  "follows",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetType: text("target_type").$type<FollowTarget>().notNull(),
    targetKey: text("target_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.targetType, t.targetKey] }),
    index("follows_target_idx").on(t.targetType, t.targetKey),
  ],
);

export const NOTIFICATION_KINDS = [
  "answer",
  "comment",
  "accepted",
  "mention",
  "new_post",
  "invitation",
  "session_starting",
  "feedback_request",
  "session_changed",
  "session_cancelled",
  "session_answered",
  "rating",
  "thanks",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * One row per person per event. An event is a post (an answer, a new question or how-to, an accepted answer) or a
 * comment on a post; the unique index keeps someone who both follows and is mentioned (or follows both the question
 * and its answerer) from hearing of it twice.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NotificationKind>().notNull(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** The post the event is about; null for a session starting (see sessionId). */
    postId: integer("post_id").references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer("comment_id").references(() => comments.id, { onDelete: "cascade" }),
    sessionId: integer("session_id").references(() => qaSessions.id, { onDelete: "cascade" }),
    /** The attendee's question a "session_answered" notification is about. */
    sessionQuestionId: integer("session_question_id").references(() => sessionQuestions.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** When the mailer dealt with it (sent it, put it in a digest, or skipped it by the person's preference). */
    mailedAt: timestamp("mailed_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.id.desc()),
    index("notifications_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    index("notifications_unmailed_idx").on(t.createdAt).where(sql`${t.mailedAt} is null`),
    // An invitation, a request for feedback, a rating and a thanks are events of their own: being invited to (or asked
    // to rate, or thanked for) a post already announced to you still reaches you.
    uniqueIndex("notifications_event_idx").on(
      t.userId,
      t.postId,
      sql`coalesce(${t.commentId}, 0)`,
      sql`(case when ${t.kind} in ('invitation', 'feedback_request', 'rating', 'thanks') then ${t.kind} else '' end)`,
    ),
    // Per session: one of each kind (starting, changed, cancelled), and one per answered question of the attendee's.
    uniqueIndex("notifications_session_idx")
      .on(t.userId, t.sessionId, t.kind, sql`coalesce(${t.sessionQuestionId}, 0)`)
      .where(sql`${t.sessionId} is not null`),
  ],
);

// ---- email ----

export const EMAIL_DELIVERIES = ["immediate", "digest", "never"] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];

/** How a person wants each kind of notification by email; a missing row means the kind's default. */
export const emailPreferences = pgTable(
  "email_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NotificationKind>().notNull(),
    delivery: text("delivery").$type<EmailDelivery>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/**
 * Every message PeerDesk sends. The mailer sends pending rows through SMTP when SMTP_URL is set, retrying with
 * backoff; without SMTP they stay here and admins read them at /admin/mail.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** "notification" (one at once), "digest" (the day's, grouped), or an account message (reset link, email change, notice). */
    kind: text("kind")
      .$type<"notification" | "digest" | "password_reset" | "email_change" | "account_notice">()
      .notNull(),
    status: text("status").$type<"pending" | "sent" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("email_outbox_created_idx").on(t.createdAt.desc()),
  ],
);

// ---- moderation: every moderator or admin action is a public record (as on Lobsters) ----

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
  (t) => [index("moderation_log_created_idx").on(t.createdAt.desc())],
);

// ---- service pulse: feedback that reaches helpers, and service levels ----

/**
 * "How well were you helped?": one rating per question, by its asker, once an answer is accepted or the question is
 * 7 days old; editable for 24 hours. It reaches the accepted answer's author, or (none accepted) everyone who answered.
 */
export const helpRatings = pgTable(
  "help_ratings",
  {
    questionId: integer("question_id")
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    raterId: text("rater_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: smallint("rating").notNull(),
    /** Plain-language questions only: was the answer easy to understand? Null when not asked or not answered. */
    easyToUnderstand: boolean("easy_to_understand"),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("help_ratings_created_idx").on(t.createdAt),
    check("help_ratings_rating_range", sql`${t.rating} between 1 and 5`),
  ],
);

/** "Thanks" on an answer: once per person per answer, never on your own. */
export const answerThanks = pgTable(
  "answer_thanks",
  {
    answerId: integer("answer_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.userId] }), index("answer_thanks_created_idx").on(t.createdAt)],
);

/**
 * One row per question with the moments the service levels are computed from, kept in step by
 * `refreshQuestionFacts` in the transaction of every write that changes them (and rebuilt whole by
 * `rebuildQuestionFacts`), so /pulse reads one narrow table instead of joining answers and comments.
 */
export const questionFacts = pgTable(
  "question_facts",
  {
    questionId: integer("question_id")
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    spaceId: integer("space_id").notNull(),
    askerId: text("asker_id").notNull(),
    askedAt: timestamp("asked_at", { withTimezone: true }).notNull(),
    isPlainLanguage: boolean("is_plain_language").notNull(),
    isDeleted: boolean("is_deleted").notNull(),
    /** First answer, or comment on the question, by someone other than the asker (deleted ones don't count). */
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    /** First answer by someone other than the asker. */
    firstAnswerAt: timestamp("first_answer_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    rating: smallint("rating"),
    easyToUnderstand: boolean("easy_to_understand"),
  },
  (t) => [
    index("question_facts_asked_idx").on(t.askedAt).where(sql`not ${t.isDeleted}`),
    index("question_facts_space_asked_idx").on(t.spaceId, t.askedAt).where(sql`not ${t.isDeleted}`),
    index("question_facts_unanswered_idx")
      .on(t.spaceId, t.askedAt)
      .where(sql`not ${t.isDeleted} and ${t.firstAnswerAt} is null`),
  ],
);

// ---- imported content (npm run import:stackexchange): where each row came from, so a re-run updates instead of duplicating ----

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

export type User = typeof users.$inferSelect;
export type Space = typeof spaces.$inferSelect;
export type Tag = typeof tags.$inferSelect;
export type Post = typeof posts.$inferSelect;
export type Comment = typeof comments.$inferSelect;

// better-auth's drizzle adapter looks tables up by its own model names.
export const authSchema = {
  user: users,
  session: sessions,
  account: accounts,
  verification: verifications,
  rateLimit: rateLimits,
  twoFactor: twoFactors,
};

// ---- glossary: IT terms explained for business colleagues, and the synonyms search expands ----

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

export * from "./schema-security";
