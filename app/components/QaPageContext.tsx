/** What the buttons on a question's page share: the viewer's votes and permissions (fetched after hydration), and the last form result. */
import type { CloseViewer } from "~/models/close.types";
import { createContext, useContext } from "react";
import type { ViewerState } from "~/models/questions.types";
import type { FeedbackPrompt } from "~/models/feedback.types";
import type { AskAMentorViewer } from "./AskAMentor";

/** Per answer: whether the viewer may say thanks, and whether they already did. */
export type ViewerThanks = Record<number, { canThank: boolean; hasThanked: boolean }>;

/** The JSON of /q/:id/viewer: the per-person part of a question's page. */
export type ViewerData = ViewerState & {
  answerDraft: string | null;
  isFollowing: boolean;
  /** In the reader's "Saved for later" list (/saved). */
  isSaved: boolean;
  mentor: AskAMentorViewer | null;
  /** The asker's "How well were you helped?" card (null for everyone else). */
  feedback: FeedbackPrompt | null;
  thanks: ViewerThanks;
  /** Closing and reopening tools this person may use (signed-in viewers only). */
  closing: CloseViewer | null;
};

/** What the question page's action answers with (fetchers get it as data; without JavaScript it re-renders the page). */
export type QaActionResult = {
  intent: string;
  postId: number | null;
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  vote?: { score: number; myVote: 1 | -1 | 0 };
  thanks?: number;
  /** A comment saved but held for review: not on the page until a moderator approves it. */
  held?: boolean;
};

export type QaPageState = {
  questionId: number;
  /** null until the viewer fetch returns (and always without JavaScript). */
  viewer: ViewerData | null;
  isHydrated: boolean;
  /** From the root loader: whether someone is signed in, so no-JS pages can still offer the forms. */
  isSignedIn: boolean;
  signInHref: string;
  /**
   * Where the page's forms post and its "add a comment" links lead: the page's path with only the query parameters it
   * reads (see questionFormAction), so a card's markup is the same for `?utm_source=…` and no query at all.
   */
  formAction: string;
  actionResult: QaActionResult | undefined;
};

export const QaPageContext = createContext<QaPageState | null>(null);
export const QaPageProvider = QaPageContext.Provider;

export function useQaPage(): QaPageState {
  const state = useContext(QaPageContext);
  if (!state) throw new Error("useQaPage outside QaPageProvider");
  return state;
}

/** The result of the last submit when it concerns this form: a fetcher's own data, or (without JavaScript) the page's action data. */
export function resultFor(
  state: QaPageState,
  fetcherData: QaActionResult | undefined,
  intent: string,
  postId: number | null,
): QaActionResult | undefined {
  if (fetcherData) return fetcherData;
  const result = state.actionResult;
  return result && result.intent === intent && result.postId === postId ? result : undefined;
}

/**
 * Whether to offer a control. With the viewer's permissions loaded, exactly what they may do. Without
 * JavaScript (never loaded) everything plausible for a signed-in person: the action checks again and explains.
 */
export function mayOffer(state: QaPageState, allowed: (viewer: ViewerData) => boolean): boolean {
  if (state.viewer) return allowed(state.viewer);
  return !state.isHydrated && state.isSignedIn;
}
