/** Names of the notification kinds, shared by the server (emails) and the pages (email settings, unsubscribe). */
import { EMAIL_DELIVERIES, type EmailDelivery, type NotificationKind } from "#db/schema";

export const EMAIL_KIND_LABELS: Record<NotificationKind, string> = {
  answer: "Answers to questions you follow",
  comment: "Comments on what you follow",
  accepted: "Your answer is accepted",
  mention: "Someone mentions you",
  new_post: "New questions and how-tos in spaces, tags and from people you follow",
  session_scheduled: "New Q&A sessions in spaces, tags and from people you follow, and their changes",
  invitation: "Invitations to answer a question",
  session_starting: "Q&A sessions you follow are starting",
  feedback_request: "A reminder to rate the help on your question",
  session_changed: "A Q&A session you follow or asked in moves",
  session_cancelled: "A Q&A session you follow or asked in is cancelled",
  session_answered: "The host answers your question in a Q&A session",
  rating: "Someone rates the help you gave",
  thanks: "Someone thanks you for an answer",
  suggestion: "Someone suggests an edit to your how-to",
  suggestion_decided: "An edit you suggested to a how-to is accepted or not taken",
  moderation: "The outcome of your flags, and your posts held for review",
};

/**
 * What each kind of email is about, as a phrase that completes "Stop emails about …" in an email's footer. The labels
 * above are sentences ("Your answer is accepted") and read wrongly after "about".
 */
export const EMAIL_KIND_TOPICS: Record<NotificationKind, string> = {
  answer: "answers to questions you follow",
  comment: "comments on what you follow",
  accepted: "your answers being accepted",
  mention: "mentions of you",
  new_post: "new questions and how-tos in spaces, tags and from people you follow",
  session_scheduled: "new Q&A sessions in spaces, tags and from people you follow, and their changes",
  invitation: "invitations to answer a question",
  session_starting: "the start of Q&A sessions you follow",
  feedback_request: "reminders to rate the help on your questions",
  session_changed: "new times for Q&A sessions you follow or asked in",
  session_cancelled: "cancelled Q&A sessions you follow or asked in",
  session_answered: "the host answering your questions in Q&A sessions",
  rating: "ratings of the help you gave",
  thanks: "thanks for your answers",
  suggestion: "edits suggested to your how-tos",
  suggestion_decided: "decisions on edits you suggested to how-tos",
  moderation: "the outcome of your flags, and your posts held for review",
};

/**
 * The email choices a kind offers: a session starting is news for its hour only, so it comes at once or not at all (a
 * daily digest would bring it after the session; it always shows in the site's notifications).
 */
export function emailDeliveriesOf(kind: NotificationKind): readonly EmailDelivery[] {
  return kind === "session_starting" ? ["immediate", "never"] : EMAIL_DELIVERIES;
}
