/**
 * The per-person part of a question's page (the viewer's votes, what they may do, their answer draft, follow state,
 * Ask a mentor, the rating card, thanks): served as JSON by /q/:id/viewer after hydration, and by the page's own loader
 * for signed-in people, so that without JavaScript they see exactly the controls they may use. The thread's rows, the
 * viewer's votes, thanks, draft and follow come in one query; mentor suggestions are remembered a minute per question.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import type { AskAMentorViewer } from "~/components/AskAMentor";
import type { ViewerData } from "~/components/QaPageContext";
import { type TtlCache, createTtlCache } from "~/lib/ttl-cache.server";
import { getFeedbackPrompt } from "./feedback.server";
import {
  type InvitationView,
  MAX_INVITATIONS_PER_QUESTION,
  type MentorSuggestion,
  listInvitations,
  suggestMentors,
} from "./invitations.server";
import { type Actor, can } from "./permissions.server";
import { viewerStateFrom } from "./question-viewer-state.server";
import { getCloseViewer } from "./close.server";
import { withTrustLevel } from "./trust-levels.server";

/** Suggestions are the same for every asker's visit and cost a scan of expertise: untracked, so a minute at most. */
const SUGGESTIONS_TTL_MS = 60_000;
const suggestionCaches = new WeakMap<Db, TtlCache<MentorSuggestion[]>>();

async function cachedSuggestions(db: Db, questionId: number): Promise<MentorSuggestion[]> {
  let cache = suggestionCaches.get(db);
  if (!cache) {
    cache = createTtlCache<MentorSuggestion[]>({ ttlMs: SUGGESTIONS_TTL_MS, maxEntries: 2_000 });
    suggestionCaches.set(db, cache);
  }
  return (await cache.get(String(questionId), () => suggestMentors(db, questionId))).value;
}

/** The "Ask a mentor" panel for this person: suggestions if they may invite, and their own invitation if any. */
async function mentorState(
  db: Db,
  questionId: number,
  userId: string,
  canInvite: boolean,
  invitations: InvitationView[],
): Promise<AskAMentorViewer> {
  const mine = invitations.find((invitation) => invitation.inviteeId === userId);
  const invitesLeft = Math.max(0, MAX_INVITATIONS_PER_QUESTION - invitations.length);
  return {
    canInvite,
    invitesLeft,
    suggestions: canInvite && invitesLeft > 0 ? await cachedSuggestions(db, questionId) : [],
    isInvited: mine !== undefined,
    hasDeclined: mine?.isDeclined ?? false,
  };
}

type ViewerRow = {
  // [id, kind, authorId, deletedMs]
  posts: [number, string, string, number | null][] | null;
  // [id, authorId]
  comments: [number, string][] | null;
  // [postId, value]
  votes: [number, number][] | null;
  thanked: number[] | null;
  draft: string | null;
  following: boolean;
};

/**
 * Null when the question doesn't exist (or the viewer may not see it). `invitations` when the caller has them already
 * (the page's loader), so they are not read twice.
 */
export async function loadQuestionViewer(
  db: Db,
  questionId: number,
  viewer: Actor,
  invitations?: InvitationView[],
): Promise<ViewerData | null> {
  // Earned privileges (editing others' posts, close votes) depend on the trust level.
  const actor = await withTrustLevel(db, viewer);
  const includeDeleted = can(actor, "post.viewDeleted");
  const userId = actor?.id ?? null;
  // Someone signed out has no votes, thanks, draft or follows: '' matches no user.
  const who = userId ?? "";
  const [row] = await queryRows<ViewerRow>(
    db,
    sql`
    with thread as (
      select id, kind, author_id, deleted_at from posts
      where (id = ${questionId} or parent_id = ${questionId}) and (${includeDeleted}::boolean or deleted_at is null)
    )
    select
      (select json_agg(json_build_array(t.id, t.kind, t.author_id, (extract(epoch from t.deleted_at) * 1000)::float8))
        from thread t) as posts,
      (select json_agg(json_build_array(c.id, c.author_id)) from comments c where c.post_id in (select id from thread))
        as comments,
      (select json_agg(json_build_array(v.post_id, v.value)) from votes v
        where v.user_id = ${who} and v.post_id in (select id from thread)) as votes,
      (select json_agg(th.answer_id) from answer_thanks th
        where th.user_id = ${who} and th.answer_id in (select id from thread)) as thanked,
      (select d.content->>'body' from drafts d where d.user_id = ${who} and d.draft_key = ${`answer:${questionId}`})
        as draft,
      exists (select 1 from follows f where f.user_id = ${who} and f.target_type = 'question'
        and f.target_key = ${String(questionId)}) as following`,
  );
  const rows = (row?.posts ?? []).map(([id, kind, authorId, deletedMs]) => ({
    id,
    kind,
    authorId,
    deletedAt: deletedMs === null ? null : new Date(deletedMs),
  }));
  const myVotes: Record<number, 1 | -1> = {};
  for (const [postId, value] of row?.votes ?? []) myVotes[postId] = value === 1 ? 1 : -1;
  const commentRows = (row?.comments ?? []).map(([id, authorId]) => ({ id, authorId }));
  const state = viewerStateFrom(questionId, actor, rows, commentRows, myVotes);
  if (!state) return null;
  const thanked = new Set(row?.thanked ?? []);
  const thanks = Object.fromEntries(
    Object.entries(state.posts)
      .filter(([id]) => Number(id) !== questionId)
      .map(([id, post]) => [id, { canThank: post.canThank, hasThanked: thanked.has(Number(id)) }]),
  );
  const askerId = rows.find((r) => r.id === questionId)?.authorId;
  return {
    ...state,
    answerDraft: userId && state.canAnswer ? (row?.draft ?? null) : null,
    isFollowing: userId ? (row?.following ?? false) : false,
    mentor: userId
      ? await mentorState(
          db,
          questionId,
          userId,
          state.canInvite,
          invitations ?? (await listInvitations(db, questionId)),
        )
      : null,
    // Only the asker is asked how well they were helped.
    feedback: userId && askerId === userId ? await getFeedbackPrompt(db, questionId, actor) : null,
    closing: userId ? await getCloseViewer(db, questionId, actor) : null,
    thanks,
  };
}
