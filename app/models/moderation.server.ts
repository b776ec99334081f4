/** The moderation log: every moderator or admin action is recorded, and the record is public. */
import { desc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { moderationLog, users } from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { parseId } from "~/lib/ids";
import { answerAnchor, questionPath } from "~/lib/qa";

/**
 * Every action the log records, with the words the public log shows after the person's name. A new action must be
 * added here to be recorded at all, so the log never shows a code like "question.move" to readers.
 */
const ACTION_WORDS = {
  "space.create": "created a space",
  "space.edit": "edited a space",
  "space.reorder": "reordered spaces",
  "space.archive": "archived a space",
  "space.unarchive": "restored a space",
  "user.role": "changed a member's role",
  "user.ban": "banned a member",
  "user.unban": "lifted a ban",
  "user.silence": "silenced a member",
  "user.unsilence": "lifted a member's silence",
  "user.delete": "deleted an account at the person's request",
  "user.export": "downloaded a member's data for them",
  "profile.hide": "hid a member's profile (bio, picture, mentoring note)",
  "profile.show": "showed a hidden profile again",
  "glossary.create": "added a glossary term",
  "glossary.edit": "edited a glossary term",
  "glossary.delete": "removed a glossary term",
  "post.delete": "deleted a post",
  "post.restore": "restored a deleted post",
  "question.close": "closed a question",
  "question.reopen": "reopened a question",
  "question.move": "moved a question to another space",
  "question.mergeAnswers": "merged a duplicate's answers into the original",
  "question.revealAsker": "looked up who asked an anonymous question",
  "question.keepClosed": "kept a closed question closed after its edit or reopen votes",
  "howto.suggestion.accept": "accepted a suggested edit to a how-to",
  "howto.suggestion.reject": "declined a suggested edit to a how-to",
  "settings.closeVotesNeeded": "changed the number of votes that close a question",
  "signup.domains": "changed which email domains may join",
  "security.requireStaffTwoFactor": "required two-step sign-in for moderators and admins",
  "security.relaxStaffTwoFactor": "stopped requiring two-step sign-in for moderators and admins",
  // Review queue decisions: what was decided and why, never who flagged.
  "review.keep": "kept flagged or held content",
  "review.hide": "hid flagged or held content",
  "review.warn": "hid content and warned its author",
  "review.silence": "hid content and silenced its author",
  "review.close": "settled flags by closing the question",
  "site.backup": "made a backup of the site's database",
  "site.backupDownload": "downloaded a backup of the site's database",
  "image.remove": "took down a picture shown in posts",
} as const;

export type ModerationAction = keyof typeof ACTION_WORDS;

/** What a review decision was about, by the target type it was logged with (the content's kind, "_" for spaces). */
const REVIEWED_THINGS: Readonly<Record<string, string>> = {
  question: "question",
  answer: "answer",
  "how-to": "how-to",
  discussion: "discussion",
  comment: "comment",
  session_question: "session question",
  profile: "profile",
};

/** Review decisions whose words say "content" (review.close names its question already). */
const REVIEW_DECISIONS: ReadonlySet<string> = new Set<ModerationAction>([
  "review.keep",
  "review.hide",
  "review.warn",
  "review.silence",
]);

/** A review decision's words naming the kind of thing decided ("hid flagged or held content: an answer"), or null. */
function reviewWords(action: string, targetType: string): string | null {
  const thing = Object.hasOwn(REVIEWED_THINGS, targetType) ? REVIEWED_THINGS[targetType] : undefined;
  if (!thing || !REVIEW_DECISIONS.has(action)) return null;
  const article = /^[aeiou]/.test(thing) ? "an" : "a";
  return `${ACTION_WORDS[action as ModerationAction]}: ${article} ${thing}`;
}

/**
 * The public log's words for an action (one recorded by an older version without words reads as itself). With the
 * entry's target type, a review decision says what kind of thing it was about.
 */
export function describeModerationAction(action: string, targetType = ""): string {
  const review = reviewWords(action, targetType);
  if (review) return review;
  return Object.hasOwn(ACTION_WORDS, action) ? ACTION_WORDS[action as ModerationAction] : action;
}

/**
 * Actions whose reason stays with the admins: an account deletion's note says whose request it was and how they asked,
 * which is exactly what deleting the account takes out of public view. Checked by action, so older rows are hidden too.
 */
const ADMIN_ONLY_REASONS: ReadonlySet<string> = new Set<ModerationAction>(["user.delete"]);

/** The reason the public log shows for an entry: none for actions whose reason is for admins only. */
export function publicModerationReason(action: string, reason: string): string {
  return ADMIN_ONLY_REASONS.has(action) ? "" : reason;
}

export type ModerationEntry = {
  actorId: string | null;
  action: ModerationAction;
  targetType: string;
  targetId: string;
  reason?: string;
  details?: Record<string, unknown>;
};

/** Records an action; pass the transaction handle so the record and the change commit together. */
export async function recordModeration(db: Db, entry: ModerationEntry): Promise<void> {
  await db.insert(moderationLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    reason: entry.reason ?? "",
    details: entry.details ?? {},
  });
}

export async function listModerationLog(db: Db, { limit = 50 }: { limit?: number } = {}) {
  return db
    .select({
      id: moderationLog.id,
      action: moderationLog.action,
      targetType: moderationLog.targetType,
      targetId: moderationLog.targetId,
      reason: moderationLog.reason,
      details: moderationLog.details,
      createdAt: moderationLog.createdAt,
      actorName: users.name,
      actorHandle: users.handle,
    })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    .limit(limit);
}

/** Target types whose id is a post's: questions (closing, moving, deleting) and reviewed posts of every kind. */
const POST_TARGETS: ReadonlySet<string> = new Set(["question", "answer", "how-to", "discussion"]);

/**
 * Where the log may link each entry's target (by entry id), for this reader: only to a post, comment or session question
 * they can open. Hidden or deleted content is linked for staff (their pages show it) and for nobody else, so a visitor
 * never follows the log to "Page not found". Profiles and other targets are not linked, as before.
 */
export async function moderationTargetLinks(
  db: Db,
  entries: { id: number; targetType: string; targetId: string }[],
  { canSeeHidden }: { canSeeHidden: boolean },
): Promise<Map<number, string>> {
  const idsOf = (types: (type: string) => boolean) => [
    ...new Set(
      entries
        .filter((e) => types(e.targetType))
        .map((e) => parseId(e.targetId))
        .filter((id): id is number => id !== null),
    ),
  ];
  const postIds = idsOf((type) => POST_TARGETS.has(type));
  const commentIds = idsOf((type) => type === "comment");
  const sessionQuestionIds = idsOf((type) => type === "session_question");
  const inList = (ids: number[]) =>
    sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
  // One row per post or comment: the page it is on, and whether it (or its question) is out of public sight.
  type Place = { id: number; kind: string; post_id: number; parent_id: number | null; is_hidden: boolean };
  const posts =
    postIds.length === 0
      ? []
      : await queryRows<Place>(
          db,
          sql`select p.id, p.kind, p.id as post_id, p.parent_id,
            (p.deleted_at is not null or q.deleted_at is not null) as is_hidden
          from posts p left join posts q on q.id = p.parent_id where p.id in (${inList(postIds)})`,
        );
  const comments =
    commentIds.length === 0
      ? []
      : await queryRows<Place>(
          db,
          sql`select c.id, p.kind, p.id as post_id, p.parent_id,
            (c.deleted_at is not null or p.deleted_at is not null or q.deleted_at is not null) as is_hidden
          from comments c join posts p on p.id = c.post_id left join posts q on q.id = p.parent_id
          where c.id in (${inList(commentIds)})`,
        );
  const sessionQuestions =
    sessionQuestionIds.length === 0
      ? []
      : await queryRows<{ id: number; session_id: number; is_hidden: boolean }>(
          db,
          sql`select id, session_id, hidden_at is not null as is_hidden from session_questions
          where id in (${inList(sessionQuestionIds)})`,
        );
  const postPage = (place: Place) => {
    if (place.kind === "howto") return howtoPath(place.post_id);
    return questionPath(place.kind === "answer" && place.parent_id !== null ? place.parent_id : place.post_id);
  };
  const postUrl = (place: Place) => {
    // A question keeps its ?stay=1: a closed duplicate would otherwise send the reader on to its original.
    if (place.kind === "question") return `/q/${place.id}?stay=1`;
    if (place.kind === "answer") return `${postPage(place)}#${answerAnchor(place.id)}`;
    return postPage(place);
  };
  const urls = new Map<string, string>();
  for (const place of posts) if (!place.is_hidden || canSeeHidden) urls.set(`post:${place.id}`, postUrl(place));
  for (const place of comments)
    if (!place.is_hidden || canSeeHidden) urls.set(`comment:${place.id}`, `${postPage(place)}#comment-${place.id}`);
  for (const question of sessionQuestions)
    if (!question.is_hidden || canSeeHidden)
      urls.set(`session_question:${question.id}`, `/sessions/${question.session_id}#q-${question.id}`);
  const links = new Map<number, string>();
  for (const entry of entries) {
    const key = POST_TARGETS.has(entry.targetType) ? "post" : entry.targetType;
    const url = urls.get(`${key}:${parseId(entry.targetId)}`);
    if (url) links.set(entry.id, url);
  }
  return links;
}
