/** View types for the question page (the viewer's permissions on each post), shared by models and components. */

export type PostPermissions = {
  myVote: 1 | -1 | 0;
  canVote: boolean;
  voteHint: string | null;
  canEdit: boolean;
  canDelete: boolean;
  canRestore: boolean;
  isDeleted: boolean;
  /** Answers: the viewer may say thanks (signed in, not their own). */
  canThank: boolean;
  /** The viewer wrote it (staff deleting someone else's post are asked for a reason the author is told). */
  isOwn: boolean;
};

export type ViewerState = {
  isSignedIn: boolean;
  canAnswer: boolean;
  canComment: boolean;
  /** Only the asker accepts; true on the question's page when this viewer may accept or change the accepted answer. */
  canAccept: boolean;
  /** The asker (or staff) may invite mentors to the question. */
  canInvite: boolean;
  posts: Record<number, PostPermissions>;
  comments: Record<number, { canDelete: boolean }>;
};
