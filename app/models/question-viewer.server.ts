/**
 * The per-person part of a question's page (the viewer's votes, what they may do, their answer draft, follow state,
 * Ask a mentor, the rating card, thanks): served as JSON by /q/:id/viewer after hydration, and by the page's own loader
 * for signed-in people, so that without JavaScript they see exactly the controls they may use. The thread's rows, the
 * viewer's votes, thanks, draft and follow, their trust level, the close votes and the asker's rating row come in one
 * query; the closure comes from the page's memory (question-page-memo.server.ts) when the caller has it; mentor
 * suggestions are remembered a minute per question, but whether the question takes invitations at all is read on every
 * visit of someone who may invite.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { preparedRows } from "#db/prepared.server";
import { CLOSE_VOTE_KINDS, type CloseVoteKind } from "#db/schema";
import type { AskAMentorViewer } from "~/components/AskAMentor";
import type { ViewerData } from "~/components/QaPageContext";
import { type TtlCache, createTtlCache } from "~/lib/ttl-cache.server";
import { DEFAULT_CLOSE_VOTES_NEEDED } from "./close-settings.server";
import { closeViewerFrom } from "./close.server";
import { type Closure, getClosure } from "./closure.server";
import { feedbackPromptFrom } from "./feedback.server";
import {
  type InvitationView,
  MAX_INVITATIONS_PER_QUESTION,
  type MentorSuggestion,
  listInvitations,
  suggestMentors,
} from "./invitations.server";
import { type Actor, can } from "./permissions.server";
import { viewerStateFrom } from "./question-viewer-state.server";
import { acceptsOwnAnswer } from "./pulse.server";
import { getTrustLevel, storedTrustLevel } from "./trust-levels.server";

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
  saved: boolean;
  // [level, computedMs] of the viewer's stored trust level
  trust: [number, number] | null;
  // [kind, count] of the close and reopen votes so far
  close_tallies: [string, number][] | null;
  my_close_vote: string | null;
  votes_needed: number | null;
  // [acceptedAnswerId, isPlainLanguage, createdMs, acceptsOwnAnswer] of the question, for the asker's rating prompt
  question_facts: [number | null, boolean, number, boolean] | null;
  // [rating, easyToUnderstand, comment, createdMs] of the asker's rating, if any
  rating: [number, boolean | null, string, number] | null;
  // Whether the question's space is archived (no new comments; the answer form says so)
  space_archived: boolean | null;
};

/**
 * Everything about one reader and one question in one statement (a prepared one on the embedded database: it runs on
 * every signed-in question page). `who` is '' for someone signed out.
 */
export function viewerQuery(questionId: number, includeDeleted: boolean, who: string): SQL {
  return sql`
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
        and f.target_key = ${String(questionId)}) as following,
      exists (select 1 from saved_posts s where s.user_id = ${who} and s.post_id = ${questionId}) as saved,
      (select json_build_array(ut.level, (extract(epoch from ut.computed_at) * 1000)::float8) from user_trust ut
        where ut.user_id = ${who}) as trust,
      (select json_agg(json_build_array(k.kind, k.n)) from
        (select cv.kind, count(*)::int as n from close_votes cv where cv.question_id = ${questionId} group by cv.kind) k)
        as close_tallies,
      (select cv.kind from close_votes cv where cv.question_id = ${questionId} and cv.user_id = ${who} limit 1)
        as my_close_vote,
      (select cs.value from closing_settings cs where cs.key = 'close_votes_needed') as votes_needed,
      (select json_build_array(q.accepted_answer_id, q.is_plain_language,
          (extract(epoch from q.created_at) * 1000)::float8, ${acceptsOwnAnswer(sql`q.id`)})
        from posts q where q.id = ${questionId} and q.author_id = ${who} and q.kind = 'question' and q.deleted_at is null)
        as question_facts,
      (select json_build_array(hr.rating, hr.easy_to_understand, hr.comment,
          (extract(epoch from hr.created_at) * 1000)::float8)
        from help_ratings hr where hr.question_id = ${questionId} limit 1) as rating,
      (select s.archived_at is not null from posts q join spaces s on s.id = q.space_id where q.id = ${questionId})
        as space_archived`;
}

/**
 * Null when the question doesn't exist (or the viewer may not see it). `invitations` and `closure` when the caller has
 * them already (the page's loader), so they are not read again.
 */
export async function loadQuestionViewer(
  db: Db,
  questionId: number,
  viewer: Actor,
  {
    invitations,
    closure,
    now = new Date(),
  }: { invitations?: InvitationView[]; closure?: Closure | null; now?: Date } = {},
): Promise<ViewerData | null> {
  // Seeing deleted posts is a staff role's, never an earned privilege, so the trust level (read below) is not needed yet.
  const includeDeleted = can(viewer, "post.viewDeleted");
  const userId = viewer?.id ?? null;
  // Someone signed out has no votes, thanks, draft or follows: '' matches no user.
  const who = userId ?? "";
  const [row] = await preparedRows<ViewerRow>(db, viewerQuery(questionId, includeDeleted, who));
  // Earned privileges (editing others' posts, close votes) depend on the trust level: stored with the rest, refreshed
  // (a query of its own) only when older than the hour it is trusted for.
  const trust = row?.trust ? { level: row.trust[0], computedAt: new Date(row.trust[1]) } : null;
  const actor: Actor =
    viewer && viewer.trustLevel === undefined
      ? { ...viewer, trustLevel: storedTrustLevel(trust, now) ?? (await getTrustLevel(db, viewer.id, now)) }
      : viewer;
  const rows = (row?.posts ?? []).map(([id, kind, authorId, deletedMs]) => ({
    id,
    kind,
    authorId,
    deletedAt: deletedMs === null ? null : new Date(deletedMs),
  }));
  const myVotes: Record<number, 1 | -1> = {};
  for (const [postId, value] of row?.votes ?? []) myVotes[postId] = value === 1 ? 1 : -1;
  const commentRows = (row?.comments ?? []).map(([id, authorId]) => ({ id, authorId }));
  const state = viewerStateFrom(questionId, actor, rows, commentRows, myVotes, {
    isSpaceArchived: row?.space_archived ?? false,
  });
  if (!state) return null;
  // Not from the suggestions' minute: "Invite" is not offered once the question is closed or its space archived (the
  // rule of whyNoInvitations). The closure is the page's own (kept exactly: a close is announced), the space's state
  // read above, so nobody pays a query for it. Read only for those who may invite at all (the asker, staff).
  const currentClosure = closure === undefined && state.canInvite ? await getClosure(db, questionId) : closure;
  const canInvite = state.canInvite && currentClosure === null && !(row?.space_archived ?? false);
  const thanked = new Set(row?.thanked ?? []);
  const thanks = Object.fromEntries(
    Object.entries(state.posts)
      .filter(([id]) => Number(id) !== questionId)
      .map(([id, post]) => [id, { canThank: post.canThank, hasThanked: thanked.has(Number(id)) }]),
  );
  const askerId = rows.find((r) => r.id === questionId)?.authorId;
  const hasAnswer = rows.some((r) => r.kind === "answer" && r.deletedAt === null);
  return {
    ...state,
    canInvite,
    answerDraft: userId && state.canAnswer ? (row?.draft ?? null) : null,
    isFollowing: userId ? (row?.following ?? false) : false,
    isSaved: userId ? (row?.saved ?? false) : false,
    mentor: userId
      ? await mentorState(db, questionId, userId, canInvite, invitations ?? (await listInvitations(db, questionId)))
      : null,
    // Only the asker is asked how well they were helped.
    feedback: userId && askerId === userId ? feedbackPromptOf(row, now, hasAnswer) : null,
    closing: userId
      ? closeViewerFrom(actor, currentClosure === undefined ? await getClosure(db, questionId) : currentClosure, {
          needed: row?.votes_needed ?? DEFAULT_CLOSE_VOTES_NEEDED,
          closeVotes: row?.close_tallies?.find(([kind]) => kind === "close")?.[1] ?? 0,
          reopenVotes: row?.close_tallies?.find(([kind]) => kind === "reopen")?.[1] ?? 0,
          myVote: closeVoteKind(row?.my_close_vote ?? null),
        })
      : null,
    thanks,
  };
}

function feedbackPromptOf(row: ViewerRow | undefined, now: Date, hasAnswer: boolean) {
  const facts = row?.question_facts;
  if (!facts) return null;
  const [acceptedAnswerId, isPlainLanguage, createdMs, isOwnAnswerAccepted] = facts;
  const rating = row.rating
    ? {
        rating: row.rating[0],
        easyToUnderstand: row.rating[1],
        comment: row.rating[2],
        createdAt: new Date(row.rating[3]),
      }
    : null;
  return feedbackPromptFrom(
    {
      acceptedAnswerId,
      isPlainLanguage,
      hasAnswer,
      acceptsOwnAnswer: isOwnAnswerAccepted,
      createdAt: new Date(createdMs),
    },
    rating,
    now,
  );
}

function closeVoteKind(kind: string | null): CloseVoteKind | null {
  return CLOSE_VOTE_KINDS.find((known) => known === kind) ?? null;
}
