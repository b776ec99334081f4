/**
 * What an answer card's server HTML depends on (app/components/AnswerCard.tsx, app/lib/cached-html.tsx), and likewise
 * the question's own part (QuestionPost.tsx): the post with its comments, its source, the viewer's state for this post
 * and the page-wide parts of it, and the page's form action (forms post to it; the rest of the address is not in the
 * part); and the whole answers section's (AnswersSection.tsx). Kept apart from the components so the browser's bundle
 * does not carry it.
 */
import type { AnswerCardItem } from "~/components/AnswerCard";
import type { QuestionPostProps } from "~/components/QuestionPost";
import { COMMENT_FORM_PARAM } from "~/components/CommentThread";
import { commentBodyId, postBodyId } from "~/components/PostHtml";
import { QaPageContext, type QaPageState } from "~/components/QaPageContext";
import type { CacheSpec } from "~/lib/cached-html";
import { bridge } from "~/lib/cached-html.server";
import type { PostSource } from "~/models/post-sources.types";

/**
 * The page-wide part of the viewer's state, the same object for every part of one page: the card cache digests key
 * objects once each (see cached-html.server.tsx), so it is serialised once per page instead of once per card.
 */
const pageWideParts = new WeakMap<object, object>();

function viewerPageWide(viewer: QaPageState["viewer"]) {
  if (!viewer) return null;
  let part = pageWideParts.get(viewer);
  if (!part) {
    // The draft is the answer form's, not the card's: leaving it out keeps a typing author's cards cached.
    const { posts: _posts, comments: _comments, thanks: _thanks, answerDraft: _draft, ...pageWide } = viewer;
    part = pageWide;
    pageWideParts.set(viewer, part);
  }
  return part;
}

/** The viewer's state for this post and its comments. */
function viewerPostPart(viewer: QaPageState["viewer"], postId: number, postComments: readonly { id: number }[]) {
  if (!viewer) return null;
  return {
    post: viewer.posts[postId] ?? null,
    comments: postComments.map((c) => viewer.comments[c.id] ?? null),
    thanks: viewer.thanks[postId] ?? null,
  };
}

/**
 * The card's cache key and the contexts it reads, or null when it shows what only this request has: a form's result,
 * or its comment form opened by the address.
 */
export function answerCardCache(
  a: AnswerCardItem,
  source: PostSource | undefined,
  page: QaPageState,
  location: { pathname: string; search: string },
): CacheSpec | null {
  if (page.actionResult !== undefined) return null;
  if (new URLSearchParams(location.search).get(COMMENT_FORM_PARAM) === String(a.id)) return null;
  return {
    keyParts: {
      card: 1,
      answer: a,
      source: source ?? null,
      viewer: viewerPageWide(page.viewer),
      viewerPost: viewerPostPart(page.viewer, a.id, a.comments),
      isSignedIn: page.isSignedIn,
      isHydrated: page.isHydrated,
      signInHref: page.signInHref,
      // Forms and links in the card use the page's form action, not the whole address (see questionFormAction).
      address: page.formAction,
    },
    keptIds: [postBodyId(a.id), ...a.comments.map((c) => commentBodyId(c.id))],
    contexts: [bridge(QaPageContext, page)],
  };
}

/**
 * The question's own part of the page (its votes, body, tools, follow and share buttons and comments; see
 * QuestionPost.tsx), keyed like an answer card, or null when it shows what only this request has: a form's result, its
 * comment form opened by the address, or the staff's move form.
 */
export function questionPostCache(
  post: QuestionPostProps,
  page: QaPageState,
  location: { pathname: string; search: string },
): CacheSpec | null {
  if (page.actionResult !== undefined || post.moveTargets.length > 0) return null;
  if (new URLSearchParams(location.search).get(COMMENT_FORM_PARAM) === String(post.question.id)) return null;
  return {
    keyParts: {
      questionPost: 1,
      ...post,
      viewer: viewerPageWide(page.viewer),
      viewerPost: viewerPostPart(page.viewer, post.question.id, post.comments),
      isSignedIn: page.isSignedIn,
      isHydrated: page.isHydrated,
      signInHref: page.signInHref,
      address: page.formAction,
    },
    keptIds: [postBodyId(post.question.id), ...post.comments.map((c) => commentBodyId(c.id))],
    contexts: [bridge(QaPageContext, page)],
  };
}

/** The viewer's state without the answer form's draft (saved as the author types, it is not in the answers' markup). */
function viewerWithoutDraft(viewer: QaPageState["viewer"]) {
  if (!viewer) return null;
  const { answerDraft: _draft, ...rest } = viewer;
  return rest;
}

/**
 * The answers section's key (AnswersSection.tsx): every answer with its comments and kept bodies, their sources, the
 * viewer's whole state (so readers whose votes and permissions are the same share it), the page's form action; or null
 * when it shows what only this request has, as for a card (a form's result, a comment form opened by the address).
 * The loader gives a document request the same answers array while the page memo holds (see withHtmlOnce in the
 * question route), so its digest is worked out once, not per request.
 */
export function answersSectionCache(
  answers: readonly AnswerCardItem[],
  sources: Readonly<Record<number, PostSource>>,
  page: QaPageState,
  location: { pathname: string; search: string },
): CacheSpec | null {
  if (page.actionResult !== undefined) return null;
  const openedCommentForm = new URLSearchParams(location.search).get(COMMENT_FORM_PARAM);
  if (openedCommentForm !== null && answers.some((a) => String(a.id) === openedCommentForm)) return null;
  return {
    keyParts: {
      answersSection: 1,
      answers,
      sources,
      viewer: viewerWithoutDraft(page.viewer),
      isSignedIn: page.isSignedIn,
      isHydrated: page.isHydrated,
      signInHref: page.signInHref,
      address: page.formAction,
    },
    keptIds: answers.flatMap((a) => [postBodyId(a.id), ...a.comments.map((c) => commentBodyId(c.id))]),
    contexts: [bridge(QaPageContext, page)],
  };
}
