/** View types for hosted Q&A sessions (the phase, the queue, what a viewer may do, an action's answer), shared by the models and components. */
import type { OfficeHoursQuestionState } from "#db/schema";

export type OfficeHoursPhase = "upcoming" | "live" | "ended" | "cancelled";

export type QueueItem = {
  id: number;
  body: string;
  authorId: string;
  authorName: string;
  votes: number;
  state: OfficeHoursQuestionState;
  answerHtml: string | null;
  answeredAt: Date | null;
  createdAt: Date;
  /** When its asker last reworded it (null: as asked). */
  editedAt: Date | null;
  hasMyVote: boolean;
  /**
   * Null for a question everyone sees; else why it is out of sight (only its asker and staff get it): "held" while a
   * moderator reviews it, "removed" once one decided to hide it.
   */
  moderation: "held" | "removed" | null;
};

/** What the session page knows of its reader: who they are and what they may do there. */
export type OfficeHoursViewer = {
  id: string | null;
  isSignedIn: boolean;
  isFollowing: boolean;
  canHost: boolean;
  canAsk: boolean;
  /** How many more questions this person may ask (null: no limit). */
  questionsLeft: number | null;
};

/** What the session page's action answers with (fetchers get it as data; without JavaScript the page reloads). */
export type SessionActionResult = {
  intent: string;
  questionId: number | null;
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};
