/** View types for an asker's "Did this help?" rating, shared by the model and the question page's components. */

export type RatingView = {
  rating: number;
  easyToUnderstand: boolean | null;
  comment: string;
  createdAt: Date;
  editableUntil: Date;
  isEditable: boolean;
};

/** `asksEasyToUnderstand`: a plain-language question with an answer, whose asker is asked "Was it easy to understand?". */
export type FeedbackPrompt =
  /** The asker may rate now (or change their rating while it is editable). */
  | { state: "open"; asksEasyToUnderstand: boolean; existing: RatingView | null }
  /** Rated, and the 24 hours to change it are over. */
  | { state: "closed"; asksEasyToUnderstand: boolean; existing: RatingView }
  /** Not yet: no accepted answer and not 7 days old. */
  | { state: "later"; opensAt: Date }
  /** Never: the asker accepted their own answer, so there is no help from others to rate. */
  | { state: "ownAnswer" };
