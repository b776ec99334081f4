/**
 * What a viewer may do on a question's page, worked out from the thread's rows (pure, no queries): shared by
 * `getViewerState` and the one-query viewer loader (app/models/question-viewer.server.ts) so the rule has one home.
 */
import { type Actor, can } from "./permissions.server";
import type { PostPermissions, ViewerState } from "./questions.types";

export type ThreadPostRow = { id: number; kind: string; authorId: string; deletedAt: Date | null };

/**
 * Null when the question isn't among the rows (missing, or deleted and hidden from this viewer). `isSpaceArchived`: the
 * question's space takes no new answers or comments (the answer form says so; comment links are not offered).
 */
export function viewerStateFrom(
  questionId: number,
  actor: Actor,
  rows: ThreadPostRow[],
  commentRows: { id: number; authorId: string }[],
  myVotes: Record<number, 1 | -1>,
  { isSpaceArchived = false }: { isSpaceArchived?: boolean } = {},
): ViewerState | null {
  const question = rows.find((r) => r.id === questionId && r.kind === "question");
  if (!question) return null;
  const postPermissions: Record<number, PostPermissions> = {};
  for (const row of rows) {
    const target = { ownerId: row.authorId };
    const isOwn = actor?.id === row.authorId;
    const canVote = !row.deletedAt && can(actor, "post.vote", target);
    postPermissions[row.id] = {
      myVote: myVotes[row.id] ?? 0,
      canVote,
      voteHint: canVote ? null : voteHint(actor, isOwn),
      canEdit: !row.deletedAt && can(actor, "post.edit", target),
      canDelete: !row.deletedAt && can(actor, "post.delete", target),
      canRestore: row.deletedAt !== null && can(actor, "post.restore", target),
      isDeleted: row.deletedAt !== null,
      canThank: row.kind === "answer" && !row.deletedAt && can(actor, "answer.thank", target),
      isOwn,
    };
  }
  return {
    isSignedIn: actor !== null,
    canAnswer: !question.deletedAt && can(actor, "answer.create"),
    canComment: !question.deletedAt && !isSpaceArchived && can(actor, "comment.create"),
    canAccept: !question.deletedAt && can(actor, "answer.accept", { ownerId: question.authorId }),
    canInvite: !question.deletedAt && can(actor, "question.invite", { ownerId: question.authorId }),
    posts: postPermissions,
    comments: Object.fromEntries(
      commentRows.map((c) => [c.id, { canDelete: can(actor, "comment.delete", { ownerId: c.authorId }) }]),
    ),
  };
}

/** Why the vote buttons are off for someone who may not vote. */
function voteHint(actor: Actor, isOwn: boolean): string | null {
  if (isOwn) return "You can't vote on your own post.";
  if (actor?.banned) return "Your account is suspended.";
  return actor ? null : "Sign in to vote.";
}
