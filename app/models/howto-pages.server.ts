/** One how-to's page: the public content every reader sees, and the signed-in viewer's own state on it. */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { preparedRows } from "#db/prepared.server";
import { posts, spaces, users } from "#db/schema";
import { type Actor, can } from "./permissions.server";
import { tagsByPost } from "./tags.server";
import { feedbackCommentsOf } from "./howto-feedback.server";
import { type GlossaryIndex, explainGlossaryTermsAcross, getGlossaryIndex } from "./glossary.server";
import type { HowtoViewerState } from "./howtos.types";
export type { HowtoViewerState } from "./howtos.types";

/** One how-to's public page: the same for every reader; `includeDeleted` (staff) also returns a deleted one, marked. */
export async function getHowtoPage(
  db: Db,
  howtoId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const [row] = await db
    .select({
      id: posts.id,
      title: posts.title,
      summary: posts.summary,
      appliesTo: posts.appliesTo,
      difficulty: posts.difficulty,
      estimatedMinutes: posts.estimatedMinutes,
      prerequisitesHtml: posts.prerequisitesHtml,
      steps: posts.steps,
      isPlainLanguage: posts.isPlainLanguage,
      helpfulYes: posts.helpfulYes,
      helpfulNo: posts.helpfulNo,
      revisionCount: posts.revisionCount,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      deletedAt: posts.deletedAt,
      authorName: users.name,
      authorHandle: users.handle,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(eq(posts.id, howtoId), eq(posts.kind, "howto"), includeDeleted ? undefined : isNull(posts.deletedAt)))
    .limit(1);
  if (!row) return null;
  const tagList = (await tagsByPost(db, [row.id])).get(row.id) ?? [];
  const { steps, ...rest } = row;
  return {
    ...rest,
    title: row.title ?? "(untitled)",
    summary: row.summary ?? "",
    stepsHtml: (steps ?? []).map((s) => s.bodyHtml),
    tags: tagList,
  };
}
export type HowtoPageData = NonNullable<Awaited<ReturnType<typeof getHowtoPage>>>;

/**
 * A how-to as its page shows it: the first use of each glossary term in its prerequisites and steps (one text, so one
 * mark across them) opens the term's explanation; `glossaryNotesHtml` holds those explanations, rendered once.
 */
export async function withGlossaryTerms(db: Db, howto: HowtoPageData): Promise<HowtoPageWithGlossary> {
  return withGlossaryIndex(await getGlossaryIndex(db), howto);
}

export type HowtoPageWithGlossary = HowtoPageData & { glossaryNotesHtml: string };

/** withGlossaryTerms with a given glossary index (one whose version a memo can key on). */
export function withGlossaryIndex(glossary: GlossaryIndex, howto: HowtoPageData): HowtoPageWithGlossary {
  const { parts, notesHtml } = explainGlossaryTermsAcross(glossary, [
    howto.prerequisitesHtml ?? "",
    ...howto.stepsHtml,
  ]);
  const [prerequisitesHtml = "", ...stepsHtml] = parts;
  return {
    ...howto,
    prerequisitesHtml: howto.prerequisitesHtml === null ? null : prerequisitesHtml,
    stepsHtml,
    glossaryNotesHtml: notesHtml,
  };
}

type HowtoViewerRow = {
  kind: string;
  author_id: string;
  is_deleted: boolean;
  my_is_helpful: boolean | null;
  my_comment: string | null;
  pending: number;
  following: boolean;
  saved: boolean;
};

/**
 * Everything per person a how-to's page needs from the database, in one statement (prepared once on the embedded
 * database; see preparedRows): the post's kind, author and deletion, this person's feedback, the pending suggestions and
 * whether they follow it. It was five queries, one after the other, on every signed-in view.
 */
function howtoViewerQuery(howtoId: number, userId: string | null) {
  return sql`
    select p.kind, p.author_id, p.deleted_at is not null as is_deleted,
      f.is_helpful as my_is_helpful, f.comment as my_comment,
      (select count(*) from edit_suggestions s where s.post_id = p.id and s.status = 'pending')::int as pending,
      exists (
        select 1 from follows w
        where w.user_id = ${userId} and w.target_type = 'howto' and w.target_key = ${String(howtoId)}
      ) as following,
      exists (select 1 from saved_posts s where s.user_id = ${userId} and s.post_id = p.id) as saved
    from posts p left join howto_feedback f on f.post_id = p.id and f.user_id = ${userId}
    where p.id = ${howtoId}`;
}

/** What this viewer may do on a how-to's page, and their own feedback: the per-person part, kept out of the public page. */
export async function getHowtoViewerState(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<HowtoViewerState | null> {
  return (await getHowtoViewer(db, { howtoId, actor }))?.state ?? null;
}

/** getHowtoViewerState, and whether the viewer follows and has saved the how-to (from the same statement). */
export async function getHowtoViewer(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<{ state: HowtoViewerState; isFollowing: boolean; isSaved: boolean } | null> {
  const [row] = await preparedRows<HowtoViewerRow>(db, howtoViewerQuery(howtoId, actor?.id ?? null));
  if (row?.kind !== "howto") return null;
  if (row.is_deleted && !can(actor, "post.viewDeleted")) return null;
  const target = { ownerId: row.author_id };
  const isLive = !row.is_deleted;
  const isAuthor = actor?.id === row.author_id;
  const mine =
    actor && row.my_is_helpful !== null ? { isHelpful: row.my_is_helpful, comment: row.my_comment ?? "" } : null;
  const canRate = isLive && can(actor, "howto.rate", target);
  const canReviewSuggestions = isLive && can(actor, "howto.decideSuggestion", target);
  const canSeeFeedback = can(actor, "post.edit", target);
  const state: HowtoViewerState = {
    isSignedIn: actor !== null,
    isAuthor,
    myFeedback: mine,
    canRate,
    rateHint: canRate
      ? null
      : isAuthor
        ? "This is your how-to, so you can't rate it."
        : actor?.banned
          ? "Your account is suspended."
          : actor
            ? null
            : "Sign in to answer.",
    canEdit: isLive && can(actor, "post.edit", target),
    canSuggest: isLive && can(actor, "howto.suggestEdit", target),
    canDelete: isLive && can(actor, "post.delete", target),
    canRestore: !isLive && can(actor, "post.restore", target),
    canReviewSuggestions,
    pendingSuggestions: canReviewSuggestions ? row.pending : 0,
    feedbackComments: canSeeFeedback ? await feedbackCommentsOf(db, howtoId) : null,
  };
  return { state, isFollowing: actor !== null && row.following, isSaved: actor !== null && row.saved };
}
