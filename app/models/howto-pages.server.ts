/** One how-to's page: the public content every reader sees, and the signed-in viewer's own state on it. */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { editSuggestions, howtoFeedback, posts, spaces, users } from "#db/schema";
import { type Actor, can } from "./permissions.server";
import { getPostMeta } from "./posts.server";
import { tagsByPost } from "./tags.server";
import { listFeedbackComments } from "./howto-feedback.server";
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

/** What this viewer may do on a how-to's page, and their own feedback: the per-person part, kept out of the public page. */
export async function getHowtoViewerState(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<HowtoViewerState | null> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto") return null;
  if (post.deletedAt && !can(actor, "post.viewDeleted")) return null;
  const target = { ownerId: post.authorId };
  const isLive = post.deletedAt === null;
  const isAuthor = actor?.id === post.authorId;
  const [mine] = actor
    ? await db
        .select({ isHelpful: howtoFeedback.isHelpful, comment: howtoFeedback.comment })
        .from(howtoFeedback)
        .where(and(eq(howtoFeedback.postId, howtoId), eq(howtoFeedback.userId, actor.id)))
    : [];
  const canRate = isLive && can(actor, "howto.rate", target);
  const canReviewSuggestions = isLive && can(actor, "howto.decideSuggestion", target);
  const canSeeFeedback = can(actor, "post.edit", target);
  const [pending] = canReviewSuggestions
    ? await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(editSuggestions)
        .where(and(eq(editSuggestions.postId, howtoId), eq(editSuggestions.status, "pending")))
    : [];
  return {
    isSignedIn: actor !== null,
    isAuthor,
    myFeedback: mine ?? null,
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
    pendingSuggestions: pending?.n ?? 0,
    feedbackComments: canSeeFeedback ? await listFeedbackComments(db, { howtoId, actor }) : null,
  };
}
