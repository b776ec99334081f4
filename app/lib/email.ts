/** Names of the notification kinds on the email settings page, shared by the server (emails) and the page. */
import type { NotificationKind } from "#db/schema";

export const EMAIL_KIND_LABELS: Record<NotificationKind, string> = {
  answer: "Answers to questions you follow",
  comment: "Comments on what you follow",
  accepted: "Your answer is accepted",
  mention: "Someone mentions you",
  new_post: "New questions and how-tos in spaces, tags and from people you follow",
  invitation: "Invitations to answer a question",
  session_starting: "Q&A sessions you follow are starting",
  feedback_request: "A reminder to rate the help on your question",
  session_changed: "A Q&A session you follow or asked in moves",
  session_cancelled: "A Q&A session you follow or asked in is cancelled",
  session_answered: "The host answers your question in a Q&A session",
  rating: "Someone rates the help you gave",
  thanks: "Someone thanks you for an answer",
  moderation: "The outcome of your flags, and your posts held for review",
};
