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
