/**
 * A question's page: the question, its answers (accepted first, then score, then oldest), comments, voting,
 * accepting, answering, and related questions. The loader is the same for every reader (moderators also see
 * deleted posts); the viewer's votes and permissions come from /q/:id/viewer after hydration, and every
 * button also works without JavaScript as a plain form POST.
 */
import { toWriteFailure, writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import {
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useFetcher,
  useLoaderData,
  useLocation,
  useSearchParams,
} from "@remix-run/react";
import { readerPage } from "~/lib/reader-pages";
import { type RefObject, useEffect, useMemo, useRef, useState } from "react";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { AskAMentor } from "~/components/AskAMentor";
import { DISCARD_DRAFT_INTENT, DiscardDraftButton, RestoredDraftNotice } from "~/components/DraftAutosave";
import { FormAlert } from "~/components/ui/Field";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { QuestionLabels } from "~/components/QuestionLabels";
import { useIsHydrated } from "~/lib/hydrated";
import { type QaActionResult, QaPageProvider, type QaPageState, type ViewerData } from "~/components/QaPageContext";
import { QA_JSON_LD_ID, QaPageJsonLd } from "~/components/QaPageJsonLd";
import { formFields, submittedValues } from "~/lib/forms";
import { questionFormAction, questionPath, questionSlug } from "~/lib/qa";
import { FeedbackCard } from "~/components/Feedback";
import { listSpaces } from "~/models/spaces.server";
import { type Actor, can } from "~/models/permissions.server";
import { getPostMeta } from "~/models/posts.server";
import { heldPosts } from "~/models/holds.server";
import { waitingInvitationsNote } from "~/models/invitations.server";
import type { Db } from "#db/client.server";
import { getQuestionClosure, getQuestionInvitations, getQuestionPage } from "~/models/question-page-memo.server";
import type { CommentView } from "~/models/comments.server";
import { htmlOnce, keepForDocument } from "~/lib/html-once.server";
import { qaPageJsonLd } from "~/lib/qa-page-json-ld.server";
import { PostHtml, commentBodyId, postBodyId } from "~/components/PostHtml";
import { relatedToQuestion } from "~/models/related-cache.server";
import { answerLocation } from "~/models/answer-links.server";
import { PostingError } from "~/models/post-errors.server";
import { newIdempotencyKey } from "~/models/idempotency.server";
import { useOptionalUser } from "~/root";
import { requireId } from "~/lib/ids";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { loadQuestionViewer } from "~/models/question-viewer.server";
import { NewActivity } from "~/components/NewActivity";
import { CameFromDuplicate, ClosedForAnswers, ClosureBanner } from "~/components/ClosedQuestion";
import { closedDuplicateOf } from "~/models/closure.server";
import { AnswersSection } from "~/components/AnswersSection";
import { QuestionPost } from "~/components/QuestionPost";
import { AnswerForm, useFocusAfterAnswering } from "~/components/AnswerForm";
import { RelatedToQuestion } from "~/components/RelatedToQuestion";
import { Byline, HeldPostNotice, SourceNote } from "~/components/QuestionPostParts";
import { heldPostOfAuthor } from "~/models/post-deletion.server";
import {
  type QuestionActionContext,
  type QuestionActionInput,
  actionTargetId,
  answerGoneWhileWriting,
  questionActionSchema,
  questionIntents,
} from "./__question-actions.server";
import { howPostWasHidden } from "./__post-editing.server";
import { isFormSubmission } from "~/lib/form-submission.server";

type QuestionPageData = NonNullable<Awaited<ReturnType<typeof getQuestionPage>>>;

/**
 * A document request's copies of the page memo's objects (bodies kept aside, so null here), made once per memo object:
 * the same object on every request lets the card cache reuse its key digest (see cached-html.server.tsx). A data
 * request's copies carry the HTML and are made per request.
 */
const documentCopies = new WeakMap<object, object>();

function documentCopy<T extends object, C>(source: T, make: () => C): C {
  let copy = documentCopies.get(source) as C | undefined;
  if (copy === undefined) {
    copy = make();
    documentCopies.set(source, copy as object);
  }
  return copy;
}

/** The page with its stored HTML sent once (see app/lib/html-once.server.ts): null in a document request's data. */
function withHtmlOnce(context: AppLoadContext, page: QuestionPageData) {
  const comments = (list: CommentView[]) => {
    const kept = list.map((c) => htmlOnce(context, commentBodyId(c.id), c.bodyHtml));
    if (kept.every((html) => html === null)) {
      return documentCopy(list, () => list.map((c) => ({ ...c, bodyHtml: null as string | null })));
    }
    return list.map((c, i) => ({ ...c, bodyHtml: kept[i] ?? null }));
  };
  const post = <P extends { id: number; bodyHtml: string }>(source: P) => {
    const bodyHtml = htmlOnce(context, postBodyId(source.id), source.bodyHtml);
    return bodyHtml === null ? documentCopy(source, () => ({ ...source, bodyHtml })) : { ...source, bodyHtml };
  };
  const answers = page.answers.map((a) => {
    const answer = post(a);
    const answerComments = comments(a.comments);
    return answer.bodyHtml === null && answerComments === documentCopies.get(a.comments)
      ? documentCopy(answer, () => ({ ...answer, comments: answerComments }))
      : { ...answer, comments: answerComments };
  });
  return {
    ...page,
    question: post(page.question),
    answers: sameArray(page.answers, answers),
    questionComments: comments(page.questionComments),
    glossaryNotesHtml: page.glossaryNotesHtml ? htmlOnce(context, GLOSSARY_NOTES_ID, page.glossaryNotesHtml) : "",
  };
}

/**
 * The array made last time for `source` when it holds the same elements as `made`, else `made`, kept for next time: a
 * document request's answers are then the same array while the page memo holds, so the answers section's cache key
 * digests it once (see answer-card-key.server.ts).
 */
function sameArray<T>(source: readonly object[], made: T[]): T[] {
  const kept = documentCopies.get(source) as T[] | undefined;
  if (kept && kept.length === made.length && kept.every((item, i) => item === made[i])) return kept;
  documentCopies.set(source, made);
  return made;
}

const GLOSSARY_NOTES_ID = "glossary-notes";

function questionIdOf(raw: string | undefined): number {
  return requireId(raw, "There is no question at this address.");
}

/**
 * Why a question isn't there. Its own asker is told what happened to it (a moderator's removal would otherwise look
 * like a broken link to the one person who knows it existed); everyone else gets the same words either way.
 */
async function goneFor(db: Db, questionId: number, viewerId: string | null): Promise<string> {
  const post = viewerId ? await getPostMeta(db, questionId) : null;
  if (post?.kind !== "question" || !post.deletedAt || post.authorId !== viewerId)
    return "This question doesn't exist or was removed.";
  // (A held question is not gone: its author gets HeldPostNotice instead; see the loader.)
  return post.deletedBy === viewerId
    ? `You deleted your question “${post.title ?? ""}”, so it isn't shown any more.`
    : `A moderator removed your question “${post.title ?? ""}”. Your notifications say why; the moderation log has it too.`;
}

/** The posts on a staff page that are held for review: hidden like deleted ones, but only the queue decides them. */
async function heldPostIds(db: Db, page: QuestionPageData): Promise<Set<number>> {
  const hidden = [page.question, ...page.answers].filter((post) => post.deletedAt !== null).map((post) => post.id);
  return heldPosts(db, hidden);
}

/** Held posts marked so (their banner says "waiting for review", not "deleted"); the rest stay the same objects. */
function markHeld<P extends { question: { id: number }; answers: { id: number }[] }>(page: P, held: Set<number>) {
  type Marked<T> = T & { isHeld?: boolean };
  if (held.size === 0) return page as P & { question: Marked<P["question"]>; answers: Marked<P["answers"][number]>[] };
  const mark = <T extends { id: number }>(post: T): Marked<T> => (held.has(post.id) ? { ...post, isHeld: true } : post);
  return { ...page, question: mark(page.question), answers: page.answers.map(mark) };
}

/** Restore is not offered for a held post: the review queue's decision publishes it, and tells its author. */
function withoutRestoreOfHeld<V extends { posts: Record<number, { canRestore: boolean }> }>(
  viewer: V | null,
  held: Set<number>,
): V | null {
  if (!viewer || held.size === 0) return viewer;
  const posts = { ...viewer.posts };
  for (const postId of held) {
    const permissions = posts[postId];
    if (permissions) posts[postId] = { ...permissions, canRestore: false };
  }
  return { ...viewer, posts };
}

/** Signed-out readers get this page without the client runtime (see app/lib/reader-pages.ts). */
export const handle = readerPage;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = questionIdOf(params.id);
  const { db, baseURL } = context.services;
  // Only moderators get a different page (deleted posts, marked); everyone else gets the same public one.
  const user = await getCurrentUser(request, context);
  const includeDeleted = can(asActor(user), "post.viewDeleted");
  const page = await getQuestionPage(db, id, { includeDeleted });
  if (!page) {
    // An answer's id in a question's address (a hand-made or old link): its place on its question's page.
    const answerAt = await answerLocation(db, id, { includeDeleted });
    if (answerAt) throw redirect(answerAt, 302);
    // Its author's own question held for review is not missing: they get a page saying what happens next (and who
    // they asked with "Ask <name>" is asked then).
    const held = await heldPostOfAuthor(db, { postId: id, viewerId: user?.id ?? null });
    if (held?.kind === "question")
      return data(
        { heldQuestion: { title: held.title, invitationNote: await waitingInvitationsNote(db, id) } },
        { headers: { "Cache-Control": "private, no-store" } },
      );
    throw new Response(await goneFor(db, id, user?.id ?? null), { status: 404 });
  }
  const canonicalPath = questionPath(id, page.question.title);
  if (params.slug !== undefined && params.slug !== questionSlug(page.question.title)) {
    throw redirect(`${canonicalPath}${new URL(request.url).search}`, 301);
  }
  // A closed duplicate sends its visitors to the original (with a way back: ?stay=1); see close.server.ts.
  const { closure, cameFrom, askedAbout, redirectTo } = await closedDuplicateOf(
    db,
    id,
    new URL(request.url),
    await getQuestionClosure(db, id),
  );
  // Only a reader is sent on: a form sent from this page before it was closed gets its answer here, with what was typed.
  if (redirectTo && !isFormSubmission(context)) throw redirect(redirectTo, 302);
  const [{ related, relatedHowtos }, invitations] = await Promise.all([
    relatedToQuestion(db, page.question),
    getQuestionInvitations(db, id),
  ]);
  // Staff pages are private anyway: they also get the spaces a question can be moved to.
  const moveTargets = includeDeleted ? (await listSpaces(db)).map((space) => ({ id: space.id, name: space.name })) : [];
  // Signed in: what this person may do comes with the page, so it is right without JavaScript too. Signed-out pages
  // stay the same for every reader, and everyone but staff and signed-in people gets the cached page; related
  // questions are not tracked, so it lives at most a minute.
  const held = includeDeleted ? await heldPostIds(db, page) : new Set<number>();
  const viewer = withoutRestoreOfHeld(
    user ? await loadQuestionViewer(db, id, asActor(user), { invitations, closure }) : null,
    held,
  );
  const shown = markHeld(withHtmlOnce(context, page), held);
  const canonicalUrl = new URL(canonicalPath, baseURL).toString();
  // For search engines, which read the signed-out page; signed-in pages leave it out.
  if (!user)
    keepForDocument(context, QA_JSON_LD_ID, () =>
      qaPageJsonLd({ url: canonicalUrl, question: page.question, answers: page.answers.filter((a) => !a.deletedAt) }),
    );
  const headers =
    includeDeleted || user
      ? new Headers()
      : publicPageHeaders(request, {
          tags: askedAbout ? [TAGS.post(id), TAGS.post(askedAbout)] : [TAGS.post(id)],
          maxAgeSeconds: LIFETIME_SECONDS.untracked,
        });
  headers.set("Cache-Control", includeDeleted || user ? "private, no-store" : "no-cache");
  return data(
    {
      ...shown,
      heldQuestion: null,
      related,
      relatedHowtos,
      invitations,
      moveTargets,
      viewer,
      viewerId: user?.id ?? null,
      canonicalUrl,
      idempotencyKey: newIdempotencyKey(),
      isStaffView: includeDeleted,
      closure,
      cameFrom,
    },
    { headers },
  );
}

/** Moderators' pages (with deleted posts) must never be stored by a shared cache; everyone else's may be (page cache). */
export const headers = publicPageHeadersFunction;

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  if (error) return errorMeta(error, "Question not found");
  if (!page) return [{ title: "Question not found · PeerDesk" }];
  if (page.heldQuestion)
    return [
      { title: `${page.heldQuestion.title || "Your question"} · waiting for review · PeerDesk` },
      { name: "robots", content: "noindex" },
    ];
  const { question } = page;
  const title = `${question.title ?? "Question"} · ${question.spaceName} · PeerDesk`;
  return [
    { title },
    { name: "description", content: question.excerpt },
    { tagName: "link", rel: "canonical", href: page.canonicalUrl },
    { property: "og:type", content: "article" },
    { property: "og:title", content: question.title ?? "Question" },
    { property: "og:description", content: question.excerpt },
    { property: "og:url", content: page.canonicalUrl },
    // A closed duplicate (reached with ?stay=1) leaves search engines to its original.
    ...(question.deletedAt || page.closure?.reason === "duplicate" ? [{ name: "robots", content: "noindex" }] : []),
  ];
};

export async function action({ params, request, context }: ActionFunctionArgs) {
  const questionId = questionIdOf(params.id);
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const { db } = context.services;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const parsed = questionActionSchema.safeParse(formFields(formData));
  if (!parsed.success)
    return data<QuestionActionResult>(
      {
        intent,
        postId: null,
        ok: false,
        message: "That request didn't look right. Please reload the page and try again.",
        hasNoPlaceOnPage: true,
      },
      { status: 400 },
    );
  const input = parsed.data;
  const targetId = actionTargetId(input, questionId);
  const question = await getPostMeta(db, questionId);
  // An answer written while its question went hands its text back (the page it came from is gone).
  if (input.intent === "answer" && (question?.kind !== "question" || question.deletedAt))
    throw answerGoneWhileWriting(
      input.body,
      question ? await howPostWasHidden(db, { postId: questionId, actor }) : null,
    );
  if (question?.kind !== "question") throw new Response("This question doesn't exist or was removed.", { status: 404 });
  const pagePath = questionPath(questionId, question.title);
  // Fetchers (JavaScript) get data back; plain form posts go back to the page, at the post they touched.
  const isFetch = formData.get("js") === "1";
  const done = (anchor: string, extra: Partial<QaActionResult> = {}) =>
    isFetch
      ? data<QaActionResult>({ intent, postId: targetId, ok: true, ...extra })
      : redirect(`${pagePath}#${anchor}`, 303);
  // The answer (or comment's post) the form names; null for the question itself and for forms that name none.
  let target: PostMeta | null = null;
  try {
    if (targetId !== null && targetId !== questionId) {
      target = await getPostMeta(db, targetId);
      if (!target || target.parentId !== questionId)
        throw new PostingError("That post isn't part of this question.", {}, 400);
    }
    const ctx: QuestionActionContext = {
      db,
      userId: user.id,
      actor,
      questionId,
      questionTitle: question.title,
      pagePath,
      intent,
      isFetch,
      done,
    };
    switch (input.intent) {
      case "vote":
        return await questionIntents.vote(ctx, input);
      case "accept":
        return await questionIntents.accept(ctx, input);
      case "thank":
        return await questionIntents.thank(ctx, input);
      case "rate":
        return await questionIntents.rate(ctx, input);
      case "move":
        return await questionIntents.move(ctx, input);
      case "unaccept":
        if (target) await assertStillAccepted(db, questionId, target);
        return await questionIntents.unaccept(ctx, input);
      case "answer":
        return await questionIntents.answer(ctx, input);
      case "comment":
        return await questionIntents.comment(ctx, input);
      case "deleteComment":
        return await questionIntents.deleteComment(ctx, input);
      case "delete":
        return await questionIntents.delete(ctx, input);
      case "restore":
        return await questionIntents.restore(ctx, input);
      case "invite":
        return await questionIntents.invite(ctx, input);
      case "declineInvite":
        return await questionIntents.declineInvite(ctx);
      case DISCARD_DRAFT_INTENT:
        return await questionIntents.discardDraft(ctx);
    }
  } catch (error) {
    if (!toWriteFailure(error)) throw error;
    const values = submittedValues(formData, { omit: ["idempotencyKey", "js", "intent"] });
    const noPlace = await hasNoPlaceOnPage(db, { input, actor, question, questionId, target });
    return writeFailureResponse<QuestionActionResult>(error, (failure) => ({
      intent,
      postId: targetId,
      ok: false,
      message: failure.message,
      fieldErrors: failure.fieldErrors,
      values,
      hasNoPlaceOnPage: noPlace,
    }));
  }
}

/**
 * The question page's action result, and whether the page drawn after it has no place for its refusal (the card or form
 * it came from is gone): without JavaScript the page then says it once, at the top; with JavaScript the page is not
 * loaded again (see shouldRevalidate), so the card or form it came from stays and says it.
 */
type QuestionActionResult = QaActionResult & { hasNoPlaceOnPage?: boolean };

/**
 * After a refusal whose card or form a fresh page would no longer draw (hasNoPlaceOnPage), the page stays as it was, with
 * the refusal beside what was pressed. (With single fetch every other action result loads the page again.)
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  !actionResult?.hasNoPlaceOnPage && defaultShouldRevalidate;

type PostMeta = NonNullable<Awaited<ReturnType<typeof getPostMeta>>>;

/**
 * Whether a refusal's card or form is missing from the page drawn after it: its answer deleted meanwhile (or not on this
 * question), the move form of someone no longer a moderator, the rating card of someone who didn't ask, "unaccept" on
 * an answer that isn't accepted now, or a form that names no post. A refused answer is said in the answer section; a
 * refused comment deletion carries its own mark (hasNoPlaceForCommentRefusal in __question-actions.server.ts).
 */
async function hasNoPlaceOnPage(
  db: Db,
  {
    input,
    actor,
    question,
    questionId,
    target,
  }: {
    input: QuestionActionInput;
    actor: Actor;
    question: PostMeta;
    questionId: number;
    target: PostMeta | null;
  },
): Promise<boolean> {
  // Moderators' pages draw deleted answers (marked) and the move form; no one else's does.
  const isStaffPage = can(actor, "post.viewDeleted");
  if (input.intent === "answer") return false;
  if (input.intent === "move") return !isStaffPage;
  if (input.intent === "rate") return question.authorId !== actor?.id;
  const targetId = actionTargetId(input, questionId);
  if (targetId === questionId) return false;
  if (!target || target.parentId !== questionId || (target.deletedAt && !isStaffPage)) return true;
  // The card of an answer that isn't accepted offers (and answers for) "accept", not "unaccept".
  return input.intent === "unaccept" && (await acceptedAnswerOf(db, questionId)) !== target.id;
}

async function acceptedAnswerOf(db: Db, questionId: number): Promise<number | null> {
  return (await getQuestionPage(db, questionId))?.question.acceptedAnswerId ?? null;
}

/**
 * "Unaccept" sent from a page older than its answer's deletion, or than another answer's acceptance: nothing is changed
 * (the other answer stays accepted), and the asker is told what is true now instead of being sent back to an answer
 * that may be gone.
 */
async function assertStillAccepted(db: Db, questionId: number, answer: PostMeta): Promise<void> {
  const acceptedId = await acceptedAnswerOf(db, questionId);
  if (acceptedId === answer.id || (acceptedId === null && !answer.deletedAt)) return;
  const now = acceptedId === null ? "No answer is accepted on this question now." : "Another answer is accepted now.";
  if (!answer.deletedAt)
    throw new PostingError(`This answer is no longer the accepted one, so nothing was changed. ${now}`, {}, 409);
  throw new PostingError(`This answer ${whyGone(answer)}, so it is no longer accepted. ${now}`, {}, 409);
}

/** How a deleted answer went, as its asker may be told: one hidden by the system (held for review) has no deleter. */
function whyGone(answer: PostMeta): string {
  if (answer.deletedBy === null) return "was hidden";
  return answer.deletedBy === answer.authorId ? "was deleted by its author" : "was removed by a moderator";
}

/** The loader's question page (not its author's held-question notice). */
type LoadedQuestionPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { heldQuestion: null }>;

export default function QuestionRoute() {
  const page = useLoaderData<typeof loader>();
  return page.heldQuestion === null ? (
    <QuestionPage page={page} />
  ) : (
    <div className="mx-auto max-w-2xl space-y-4">
      <HeldPostNotice kind="question" title={page.heldQuestion.title} />
      {page.heldQuestion.invitationNote ? <InvitationNote note={page.heldQuestion.invitationNote} /> : null}
    </div>
  );
}

function QuestionPage({ page }: { page: LoadedQuestionPage }) {
  const { question, answers, questionComments, related, relatedHowtos, invitations, provenance } = page;
  const actionResult = useActionData<typeof action>();
  const user = useOptionalUser();
  const location = useLocation();
  const isHydrated = useIsHydrated();
  const viewerFetcher = useFetcher<ViewerData>({ key: `viewer-${question.id}` });
  const answerFormRef = useRef<HTMLFormElement>(null);
  const answersPosted = useFocusAfterAnswering(answerFormRef);
  const fetchedViewer =
    viewerFetcher.data && typeof viewerFetcher.data === "object" && "posts" in viewerFetcher.data
      ? viewerFetcher.data
      : null;
  const viewerState = page.viewer ?? fetchedViewer;

  // The viewer's part comes with the page for signed-in people; a page without it (signed out, or from a cache) asks.
  const { load } = viewerFetcher;
  const hasViewer = page.viewer !== null;
  useEffect(() => {
    if (!hasViewer) load(`/q/${question.id}/viewer`);
  }, [load, question.id, hasViewer]);

  // Restores a saved answer draft into an empty answer box once the viewer's data arrives, and says so (until the
  // answer is posted: the box is then a new one).
  const draft = viewerState?.answerDraft ?? null;
  const [restoredInForm, setRestoredInForm] = useState<number | null>(null);
  useEffect(() => {
    const field = answerFormRef.current?.elements.namedItem("body");
    if (!draft || !(field instanceof HTMLTextAreaElement) || field.value.trim() !== "") return;
    field.value = draft;
    // The editor's character counter (and autosave) listen for input.
    field.dispatchEvent(new Event("input", { bubbles: true }));
    setRestoredInForm(answersPosted);
  }, [draft, answersPosted]);

  const state: QaPageState = {
    questionId: question.id,
    viewer: viewerState,
    isHydrated,
    isSignedIn: user !== null,
    signInHref: `/signin?redirectTo=${encodeURIComponent(location.pathname)}`,
    formAction: questionFormAction(location),
    actionResult,
  };
  // What this page shows, by id: the live stream's news is what is not here yet. A new object with each new page data.
  const shownThread = useMemo(
    () => ({
      answers: answers.filter((a) => !a.deletedAt).map((a) => a.id),
      comments: [questionComments, ...answers.map((a) => a.comments)]
        .flat()
        .filter((c) => !c.deletedAt)
        .map((c) => c.id),
    }),
    [answers, questionComments],
  );
  const wasEdited = question.revisionCount > 1;
  return (
    <QaPageProvider value={state}>
      <NewActivity questionId={question.id} viewerId={page.viewerId} shown={shownThread} />
      <article className="space-y-6" aria-labelledby="question-title" data-viewer={viewerState ? "ready" : "pending"}>
        {actionResult?.hasNoPlaceOnPage && !isHydrated ? <FormAlert>{actionResult.message}</FormAlert> : null}
        {page.closure ? <ClosureBanner closure={page.closure} /> : null}
        {page.cameFrom ? <CameFromDuplicate duplicate={page.cameFrom} /> : null}
        <header className="space-y-2">
          <p className="text-sm">
            <Link to={`/s/${question.spaceSlug}`}>{question.spaceName}</Link>
          </p>
          <h1 id="question-title" dir="auto" className="text-2xl font-bold leading-tight">
            {question.title}
          </h1>
          <QuestionLabels isPlainLanguage={question.isPlainLanguage} tags={question.tags} />
          <Byline
            verb="Asked"
            name={question.authorName}
            handle={question.authorHandle}
            at={question.createdAt}
            editedAt={wasEdited ? question.updatedAt : null}
          />
          <SourceNote source={provenance.sources[question.id]} />
          {provenance.duplicateOf.length > 0 ? (
            <p className="duplicate-of rounded-md border border-amber-300 bg-amber-50 p-2 text-sm dark:border-amber-700 dark:bg-amber-950/40">
              Possible duplicate of{" "}
              {provenance.duplicateOf.map((original, i) => (
                <span key={original.id}>
                  {i > 0 ? ", " : null}
                  <Link to={questionPath(original.id, original.title)} dir="auto">
                    {original.title}
                  </Link>
                </span>
              ))}
            </p>
          ) : null}
        </header>

        <NotInvitedNote />

        <QuestionPost
          question={question}
          comments={questionComments}
          canonicalUrl={page.canonicalUrl}
          isStaffView={page.isStaffView}
          moveTargets={page.moveTargets}
        />

        <AskAMentor invitations={invitations} viewer={viewerState?.mentor ?? null} />

        {question.deletedAt ? null : <FeedbackCard questionId={question.id} />}

        <AnswersSection answers={answers} sources={provenance.sources} />

        {question.deletedAt ? null : (
          <section aria-labelledby="your-answer-heading" className="space-y-3 print:hidden">
            <h2 id="your-answer-heading" className="text-lg font-semibold">
              Answer this question
            </h2>
            {page.closure ? <ClosedForAnswers closure={page.closure} /> : null}
            {restoredInForm === answersPosted ? (
              <RestoredAnswerDraft
                formAction={state.formAction}
                answerFormRef={answerFormRef}
                onDiscard={() => setRestoredInForm(null)}
              />
            ) : null}
            {/* Remounted after this person's own answer so the box is empty again (others' answers leave it alone). */}
            <AnswerForm
              isClosed={page.closure !== null}
              key={answersPosted}
              questionId={question.id}
              idempotencyKey={page.idempotencyKey}
              isArchived={question.spaceArchivedAt !== null}
              isPlainLanguage={question.isPlainLanguage}
              formRef={answerFormRef}
            />
          </section>
        )}

        <RelatedToQuestion howtos={relatedHowtos} questions={related} />
        {/* Each glossary term's explanation, once for the page: the posts' term buttons open these popovers by id. */}
        {page.glossaryNotesHtml !== "" ? (
          <PostHtml id={GLOSSARY_NOTES_ID} className="glossary-notes" html={page.glossaryNotesHtml} />
        ) : null}
      </article>
      <QaPageJsonLd />
    </QaPageProvider>
  );
}

/** After "Ask <name>" (ask.tsx, ?notInvited=…): the question is posted, but the invitation it promised was not sent. */
const NOT_INVITED_NOTES: ReadonlyMap<string, string> = new Map([
  [
    "unavailable",
    "Your question is posted, but the person you asked isn't taking invitations right now, so they weren't invited. " +
      "Everyone in the space can answer it, and they may still come across it and answer later.",
  ],
  [
    "limit",
    "Your question is posted, but the invitation wasn't sent: you've sent a lot of invitations in a short time. " +
      "Everyone in the space can answer it.",
  ],
]);

function NotInvitedNote() {
  const [searchParams] = useSearchParams();
  const note = NOT_INVITED_NOTES.get(searchParams.get("notInvited") ?? "");
  return note ? <InvitationNote note={note} /> : null;
}

/** What became of an "Ask <name>" invitation: not sent, or (the question held for review) sent once it is released. */
function InvitationNote({ note }: { note: string }) {
  return (
    <p role="status" className="rounded-lg bg-brand-50 p-3 font-medium dark:bg-slate-900">
      {note}
    </p>
  );
}

/** Says the answer box holds the draft this person started earlier, with the way to throw it away (as /ask does). */
function RestoredAnswerDraft({
  formAction,
  answerFormRef,
  onDiscard,
}: {
  formAction: string;
  answerFormRef: RefObject<HTMLFormElement>;
  onDiscard: () => void;
}) {
  const fetcher = useFetcher<QaActionResult>();
  const emptyAnswerBox = () => {
    const field = answerFormRef.current?.elements.namedItem("body");
    if (field instanceof HTMLTextAreaElement) {
      field.value = "";
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    onDiscard();
  };
  return (
    <RestoredDraftNotice
      what="answer"
      discard={
        <fetcher.Form method="post" action={formAction} onSubmit={emptyAnswerBox}>
          <input type="hidden" name="js" value="1" />
          <DiscardDraftButton />
        </fetcher.Form>
      }
    />
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
