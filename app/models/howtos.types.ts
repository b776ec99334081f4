/** View types for how-to pages (suggestion diffs, feedback, the viewer's state), shared by models and components. */
import type { DiffPart } from "./revisions.types";

export type FieldDiff = { field: string; label: string; parts: DiffPart[] };

export type FeedbackComment = {
  isHelpful: boolean;
  comment: string;
  updatedAt: Date;
  name: string;
  handle: string | null;
};

export type HowtoViewerState = {
  isSignedIn: boolean;
  isAuthor: boolean;
  myFeedback: { isHelpful: boolean; comment: string } | null;
  canRate: boolean;
  /** Why this viewer can't answer "Did this help?", when they can't. */
  rateHint: string | null;
  canEdit: boolean;
  canSuggest: boolean;
  canDelete: boolean;
  canRestore: boolean;
  canReviewSuggestions: boolean;
  pendingSuggestions: number;
  /** Readers' comments: only for the author (and staff). */
  feedbackComments: FeedbackComment[] | null;
};
