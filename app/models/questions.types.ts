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
  /** Never in an archived space (a comment sent from a page older than the archiving is refused, its text kept). */
  canComment: boolean;
  /** Only the asker accepts; true on the question's page when this viewer may accept or change the accepted answer. */
  canAccept: boolean;
  /**
   * The asker (or staff) may invite mentors to the question; on its page (loadQuestionViewer) only while the question
   * takes invitations (whyNoInvitations: not closed, its space not archived).
   */
  canInvite: boolean;
  posts: Record<number, PostPermissions>;
  comments: Record<number, { canDelete: boolean }>;
};
