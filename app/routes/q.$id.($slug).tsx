/**
 * A question's page: the question, its answers (accepted first, then score, then oldest), comments, voting,
 * accepting, answering, and related questions. The loader is the same for every reader (moderators also see
 * deleted posts); the viewer's votes and permissions come from /q/:id/viewer after hydration, and every
 * button also works without JavaScript as a plain form POST.
 */
import { heldPostPath } from "~/models/holds.server";
import { writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { readerPage } from "~/lib/reader-pages";
import { type RefObject, useEffect, useRef } from "react";
import { z } from "zod";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { AskAMentor } from "~/components/AskAMentor";
import { CommentThread } from "~/components/CommentThread";
import { DraftStatus, useDraftAutosave } from "~/components/DraftAutosave";
import { ErrorPage } from "~/components/ErrorPage";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { AcceptControl, PostTools } from "~/components/PostTools";
import { useIsHydrated } from "~/lib/hydrated";
import {
  type QaActionResult,
  QaPageProvider,
  type QaPageState,
  type ViewerData,
  useQaPage,
} from "~/components/QaPageContext";
import { QaPageJsonLd } from "~/components/QaPageJsonLd";
import { QuestionList } from "~/components/QuestionList";
import { FollowButton } from "~/components/FollowButton";
import { ShareLink } from "~/components/ShareLink";
import { howtoPath } from "~/lib/howtos";
import { FormAlert } from "~/components/ui/Field";
import { GlossaryHint } from "~/components/GlossaryHint";
import { VoteControl } from "~/components/VoteControl";
import { submittedValues } from "~/lib/forms";
import { QA_LIMITS, answerAnchor, answerPath, questionPath, questionSlug } from "~/lib/qa";
import { RelativeTime } from "~/components/RelativeTime";
import { acceptAnswer, postAnswer, unacceptAnswer } from "~/models/answers.server";
import { FeedbackCard, ThanksButton } from "~/components/Feedback";
import { rateHelp, thankAnswer } from "~/models/feedback.server";
import { listSpaces } from "~/models/spaces.server";
import { addComment, deleteComment } from "~/models/comments.server";
import { discardDraft } from "~/models/drafts.server";
import { can } from "~/models/permissions.server";
import { type PostSource, licenseUrl } from "~/models/post-sources.server";
import { getPostMeta } from "~/models/posts.server";
import { loadQuestionPage } from "~/models/question-page.server";
import { relatedToQuestion } from "~/models/related-cache.server";
import { declineInvitation, inviteMentor, listInvitations } from "~/models/invitations.server";
import {
  PostingError,
  deleteQuestionOrAnswer,
  moveQuestion,
  restoreQuestionOrAnswer,
  toggleVote,
} from "~/models/questions.server";
import { newIdempotencyKey } from "~/models/idempotency.server";
import { useOptionalUser } from "~/root";
import { idField, requireId } from "~/lib/ids";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { loadQuestionViewer } from "~/models/question-viewer.server";
import { NewActivity } from "~/components/NewActivity";
import { CameFromDuplicate, ClosedForAnswers, CloseToolsLink, ClosureBanner } from "~/components/ClosedQuestion";
import { closedDuplicateOf } from "~/models/close.server";

function questionIdOf(raw: string | undefined): number {
  return requireId(raw, "There is no question at this address.");
}

/** Signed-out readers get this page without the client runtime (see app/lib/reader-pages.ts). */
export const handle = readerPage;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = questionIdOf(params.id);
  const { db, baseURL } = context.services;
  // Only moderators get a different page (deleted posts, marked); everyone else gets the same public one.
  const user = await getCurrentUser(request, context);
  const includeDeleted = can(asActor(user), "post.viewDeleted");
  const page = await loadQuestionPage(db, id, { includeDeleted });
  if (!page) throw new Response("This question doesn't exist or was removed.", { status: 404 });
  const canonicalPath = questionPath(id, page.question.title);
  if (params.slug !== undefined && params.slug !== questionSlug(page.question.title)) {
    throw redirect(`${canonicalPath}${new URL(request.url).search}`, 301);
  }
  // A closed duplicate sends its visitors to the original (with a way back: ?stay=1); see close.server.ts.
  const { closure, cameFrom, redirectTo } = await closedDuplicateOf(db, id, new URL(request.url));
  if (redirectTo) throw redirect(redirectTo, 302);
  const [{ related, relatedHowtos }, invitations] = await Promise.all([
    relatedToQuestion(db, page.question),
    listInvitations(db, id),
  ]);
  // Staff pages are private anyway: they also get the spaces a question can be moved to.
  const moveTargets = includeDeleted ? (await listSpaces(db)).map((space) => ({ id: space.id, name: space.name })) : [];
  // Signed in: what this person may do comes with the page, so it is right without JavaScript too. Signed-out pages
  // stay the same for every reader, and everyone but staff and signed-in people gets the cached page; related
  // questions are not tracked, so it lives at most a minute.
  const viewer = user ? await loadQuestionViewer(db, id, asActor(user), invitations) : null;
  const headers =
    includeDeleted || user
      ? new Headers()
      : publicPageHeaders(request, {
          tags: cameFrom ? [TAGS.post(id), TAGS.post(cameFrom.id)] : [TAGS.post(id)],
          maxAgeSeconds: LIFETIME_SECONDS.untracked,
        });
  headers.set("Cache-Control", includeDeleted || user ? "private, no-store" : "no-cache");
  return data(
    {
      ...page,
      related,
      relatedHowtos,
      invitations,
      moveTargets,
      viewer,
      viewerId: user?.id ?? null,
      canonicalUrl: new URL(canonicalPath, baseURL).toString(),
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

export const meta: MetaFunction<typeof loader> = ({ data: page }) => {
  if (!page) return [{ title: "Question not found · PeerDesk" }];
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

const postId = idField("That post doesn't exist.");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("vote"), postId, direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("accept"), postId }),
  z.object({ intent: z.literal("unaccept"), postId: postId.optional() }),
  z.object({ intent: z.literal("answer"), body: z.string().default(""), idempotencyKey: z.string().default("") }),
  z.object({ intent: z.literal("comment"), postId, body: z.string().default("") }),
  z.object({ intent: z.literal("deleteComment"), commentId: postId }),
  z.object({ intent: z.literal("delete"), postId }),
  z.object({ intent: z.literal("restore"), postId }),
  z.object({ intent: z.literal("invite"), inviteeId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("declineInvite") }),
  z.object({ intent: z.literal("thank"), postId }),
  z.object({
    intent: z.literal("rate"),
    rating: z.string().default(""),
    comment: z.string().default(""),
    easyToUnderstand: z.string().default(""),
  }),
  z.object({ intent: z.literal("move"), spaceId: postId }),
]);

export async function action({ params, request, context }: ActionFunctionArgs) {
  const questionId = questionIdOf(params.id);
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const { db } = context.services;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const parsed = actionSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success)
    return data<QaActionResult>(
      {
        intent,
        postId: null,
        ok: false,
        message: "That request didn't look right. Please reload the page and try again.",
      },
      { status: 400 },
    );
  const input = parsed.data;
  const targetId =
    "postId" in input && input.postId !== undefined
      ? input.postId
      : input.intent === "answer" || input.intent === "rate"
        ? questionId
        : null;
  const question = await getPostMeta(db, questionId);
  if (question?.kind !== "question") throw new Response("This question doesn't exist or was removed.", { status: 404 });
  const pagePath = questionPath(questionId, question.title);
  // Fetchers (JavaScript) get data back; plain form posts go back to the page, at the post they touched.
  const isFetch = formData.get("js") === "1";
  const done = (anchor: string, extra: Partial<QaActionResult> = {}) =>
    isFetch
      ? data<QaActionResult>({ intent, postId: targetId, ok: true, ...extra })
      : redirect(`${pagePath}#${anchor}`, 303);
  try {
    if (targetId !== null && targetId !== questionId) {
      const target = await getPostMeta(db, targetId);
      if (!target || target.parentId !== questionId)
        throw new PostingError("That post isn't part of this question.", {}, 400);
    }
    switch (input.intent) {
      case "vote": {
        const vote = await toggleVote(db, { postId: input.postId, actor, direction: input.direction });
        return done(`post-${input.postId}`, { vote });
      }
      case "accept":
        await acceptAnswer(db, { answerId: input.postId, actor });
        // Without JavaScript the rating card can't appear in place: the feedback page asks instead.
        return isFetch ? done(answerAnchor(input.postId)) : redirect(`/q/${questionId}/feedback`, 303);
      case "thank": {
        const { thanks } = await thankAnswer(db, { answerId: input.postId, actor });
        return done(answerAnchor(input.postId), { thanks });
      }
      case "rate":
        await rateHelp(db, {
          questionId,
          actor,
          rating: input.rating,
          comment: input.comment,
          easyToUnderstand: input.easyToUnderstand,
        });
        return isFetch
          ? data<QaActionResult>({ intent, postId: questionId, ok: true })
          : redirect(`/q/${questionId}/feedback?saved=1`, 303);
      case "move":
        await moveQuestion(db, { questionId, spaceId: input.spaceId, actor });
        return redirect(`${pagePath}#post-${questionId}`, 303);
      case "unaccept":
        await unacceptAnswer(db, { questionId, actor });
        return done(input.postId ? answerAnchor(input.postId) : `post-${questionId}`);
      case "answer": {
        const { answerId } = await postAnswer(db, {
          questionId,
          actor,
          body: input.body,
          idempotencyKey: input.idempotencyKey || undefined,
        });
        await discardDraft(db, { userId: user.id, draftKey: `answer:${questionId}` });
        return redirect((await heldPostPath(db, answerId)) ?? answerPath(questionId, question.title, answerId), 303);
      }
      case "comment":
        await addComment(db, { postId: input.postId, actor, body: input.body });
        return done(`comments-${input.postId}`);
      case "deleteComment": {
        const { postId: commentPostId } = await deleteComment(db, { commentId: input.commentId, actor });
        return done(`comments-${commentPostId}`);
      }
      case "delete": {
        const deleted = await deleteQuestionOrAnswer(db, { postId: input.postId, actor });
        if (deleted.kind === "question" && !can(actor, "post.viewDeleted"))
          return redirect(deleted.spaceSlug ? `/s/${deleted.spaceSlug}` : "/questions", 303);
        return redirect(`${pagePath}#post-${input.postId}`, 303);
      }
      case "restore":
        await restoreQuestionOrAnswer(db, { postId: input.postId, actor });
        return redirect(`${pagePath}#post-${input.postId}`, 303);
      case "invite":
        await inviteMentor(db, { actor, questionId, inviteeId: input.inviteeId });
        return done("ask-a-mentor");
      case "declineInvite":
        await declineInvitation(db, { actor, questionId });
        return done("ask-a-mentor");
    }
  } catch (error) {
    const values = submittedValues(formData, { omit: ["idempotencyKey", "js", "intent"] });
    return writeFailureResponse<QaActionResult>(error, (failure) => ({
      intent,
      postId: targetId,
      ok: false,
      message: failure.message,
      fieldErrors: failure.fieldErrors,
      values,
    }));
  }
}

/** An imported post's original, author and licence: CC BY-SA asks for all three beside the post. */
function SourceNote({ source }: { source: PostSource | undefined }) {
  if (!source) return null;
  const deed = licenseUrl(source.license);
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400">
      Originally posted at{" "}
      <a href={source.url} rel="nofollow noopener" className="underline">
        {new URL(source.url).host}
      </a>{" "}
      by{" "}
      {source.authorUrl ? (
        <a href={source.authorUrl} rel="nofollow noopener" className="underline">
          {source.authorName}
        </a>
      ) : (
        source.authorName
      )}
      , licensed{" "}
      {deed ? (
        <a href={deed} rel="license noopener" className="underline">
          {source.license}
        </a>
      ) : (
        source.license
      )}
      .
    </p>
  );
}

function Byline({
  verb,
  name,
  handle,
  at,
  editedAt,
}: {
  verb: string;
  name: string;
  handle: string | null;
  at: string | Date;
  editedAt?: string | Date | null;
}) {
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400">
      {verb} by {handle ? <Link to={`/u/${handle}`}>{name}</Link> : name} <RelativeTime date={at} />
      {editedAt ? (
        <>
          {" · edited "}
          <RelativeTime date={editedAt} />
        </>
      ) : null}
    </p>
  );
}

function DeletedBanner({ noun, at }: { noun: string; at: string | Date }) {
  return (
    <p className="mb-2 rounded-lg border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      This {noun} was deleted <RelativeTime date={at} />. Only moderators see it.
    </p>
  );
}

type AnswerFormProps = {
  isClosed: boolean;
  questionId: number;
  idempotencyKey: string;
  isArchived: boolean;
  isPlainLanguage: boolean;
  formRef: RefObject<HTMLFormElement>;
};

function AnswerForm({ isClosed, questionId, idempotencyKey, isArchived, isPlainLanguage, formRef }: AnswerFormProps) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const user = useOptionalUser();
  const location = useLocation();
  const page = useQaPage();
  const draftState = useDraftAutosave(formRef, user ? `answer:${questionId}` : null);
  const failed = result && result.intent === "answer" && !result.ok ? result : undefined;
  const isSubmitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "answer";
  if (isClosed) return null;
  if (isArchived)
    return (
      <p className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
        This space is archived, so it takes no new answers.
      </p>
    );
  if (page.viewer && !page.viewer.canAnswer)
    return (
      <p className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
        Your account can't post answers right now.
      </p>
    );
  if (!user) {
    return (
      <p className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
        <Link to={`/signin?redirectTo=${encodeURIComponent(location.pathname)}`}>Sign in</Link> or{" "}
        <Link to="/signup">join PeerDesk</Link> to answer this question.
      </p>
    );
  }
  return (
    <Form ref={formRef} method="post" preventScrollReset className="space-y-3" noValidate>
      {failed?.message && !failed.fieldErrors?.body ? <FormAlert>{failed.message}</FormAlert> : null}
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <MarkdownEditor
        name="body"
        label="Your answer"
        rows={8}
        maxLength={QA_LIMITS.bodyMax}
        defaultValue={failed?.values?.body}
        error={failed?.fieldErrors?.body}
        hint={`Explain the fix step by step; say what it depends on. ${QA_LIMITS.bodyMin}–${QA_LIMITS.bodyMax.toLocaleString("en")} characters of Markdown, \`\`\`code blocks\`\`\` included.`}
        required
      />
      {/* The asker wants plain language: point out the jargon in the draft. */}
      {isPlainLanguage ? <GlossaryHint formRef={formRef} fieldName="body" /> : null}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={isSubmitting}
          className="inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700 disabled:bg-slate-400"
        >
          {isSubmitting ? "Posting your answer…" : "Post your answer"}
        </button>
        <DraftStatus {...draftState} />
      </div>
    </Form>
  );
}

export default function QuestionPage() {
  const page = useLoaderData<typeof loader>();
  const { question, answers, questionComments, related, relatedHowtos, invitations, provenance } = page;
  const actionResult = useActionData<typeof action>();
  const user = useOptionalUser();
  const location = useLocation();
  const isHydrated = useIsHydrated();
  const viewerFetcher = useFetcher<ViewerData>({ key: `viewer-${question.id}` });
  const answerFormRef = useRef<HTMLFormElement>(null);
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

  // Restores a saved answer draft into an empty answer box once the viewer's data arrives.
  const draft = viewerState?.answerDraft ?? null;
  useEffect(() => {
    const field = answerFormRef.current?.elements.namedItem("body");
    if (draft && field instanceof HTMLTextAreaElement && field.value.trim() === "") field.value = draft;
  }, [draft]);

  const state: QaPageState = {
    questionId: question.id,
    viewer: viewerState,
    isHydrated,
    isSignedIn: user !== null,
    signInHref: `/signin?redirectTo=${encodeURIComponent(location.pathname)}`,
    actionResult,
  };
  const visibleAnswers = answers.filter((a) => !a.deletedAt).length;
  const wasEdited = question.revisionCount > 1;
  return (
    <QaPageProvider value={state}>
      <NewActivity questionId={question.id} viewerId={page.viewerId} seen={page} />
      <article className="space-y-6" aria-labelledby="question-title" data-viewer={viewerState ? "ready" : "pending"}>
        {page.closure ? <ClosureBanner closure={page.closure} /> : null}
        {page.cameFrom ? <CameFromDuplicate duplicate={page.cameFrom} /> : null}
        <header className="space-y-2">
          <p className="text-sm">
            <Link to={`/s/${question.spaceSlug}`}>{question.spaceName}</Link>
          </p>
          <h1 id="question-title" className="text-2xl font-bold leading-tight">
            {question.title}
          </h1>
          <div className="flex flex-wrap gap-1.5 text-xs">
            {question.isPlainLanguage ? (
              <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                Plain language please
              </span>
            ) : (
              <span className="rounded-full bg-sky-100 px-2 py-0.5 font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100">
                Technical
              </span>
            )}
            {question.tags.map((t) => (
              <Link
                key={t}
                to={`/questions?tag=${encodeURIComponent(t)}`}
                className="rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 no-underline hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300"
                aria-label={`Questions tagged ${t}`}
              >
                {t}
              </Link>
            ))}
          </div>
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
                  <Link to={questionPath(original.id, original.title)}>{original.title}</Link>
                </span>
              ))}
            </p>
          ) : null}
        </header>

        <section id={`post-${question.id}`} aria-label="Question" className="scroll-mt-4">
          {question.deletedAt ? <DeletedBanner noun="question" at={question.deletedAt} /> : null}
          <div className="flex gap-3">
            <VoteControl postId={question.id} score={question.score} noun="question" />
            <div className="min-w-0 flex-1">
              <div className="prose-post" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
              <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
                <PostTools
                  postId={question.id}
                  noun="question"
                  editHref={`/q/${question.id}/edit`}
                  revisionCount={question.revisionCount}
                  isDeleted={question.deletedAt !== null}
                />
                <div className="flex flex-wrap items-center gap-2">
                  <FollowButton
                    type="question"
                    targetKey={String(question.id)}
                    isFollowing={viewerState?.isFollowing ?? null}
                    label="this question"
                    isSignedIn={user !== null}
                  />
                  <CloseToolsLink questionId={question.id} closing={viewerState?.closing} isStaff={page.isStaffView} />
                  <ShareLink url={page.canonicalUrl} noun="question" />
                </div>
              </div>
              <CommentThread
                postId={question.id}
                comments={questionComments}
                noun="question"
                isDeleted={question.deletedAt !== null}
              />
              {page.moveTargets.length > 0 && !question.deletedAt ? (
                <MoveQuestion spaces={page.moveTargets} currentSpaceId={question.spaceId} />
              ) : null}
            </div>
          </div>
        </section>

        <AskAMentor invitations={invitations} viewer={viewerState?.mentor ?? null} />

        {question.deletedAt ? null : <FeedbackCard questionId={question.id} />}

        <section aria-labelledby="answers-heading" className="space-y-4">
          <h2 id="answers-heading" className="text-lg font-semibold">
            {visibleAnswers} {visibleAnswers === 1 ? "answer" : "answers"}
          </h2>
          {answers.length > 1 ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              The accepted answer comes first, then the highest voted.
            </p>
          ) : null}
          {answers.map((a) => (
            <article
              key={a.id}
              id={answerAnchor(a.id)}
              aria-label={a.isAccepted ? "Accepted answer" : `Answer by ${a.authorName}`}
              className={`scroll-mt-4 rounded-lg border p-3 sm:p-4 ${
                a.deletedAt
                  ? "border-dashed border-red-400 opacity-90"
                  : a.isAccepted
                    ? "border-green-600 bg-green-50/60 dark:border-green-600 dark:bg-green-950/40"
                    : "border-slate-200 dark:border-slate-800"
              }`}
            >
              <span id={`post-${a.id}`} />
              {a.deletedAt ? <DeletedBanner noun="answer" at={a.deletedAt} /> : null}
              <div className="flex gap-3">
                <VoteControl postId={a.id} score={a.score} noun="answer" />
                <div className="min-w-0 flex-1 space-y-2">
                  <AcceptControl answerId={a.id} isAccepted={a.isAccepted} isDeleted={a.deletedAt !== null} />
                  <div className="prose-post" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
                  <Byline
                    verb="Answered"
                    name={a.authorName}
                    handle={a.authorHandle}
                    at={a.createdAt}
                    editedAt={a.revisionCount > 1 ? a.updatedAt : null}
                  />
                  <SourceNote source={provenance.sources[a.id]} />
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <PostTools
                      postId={a.id}
                      noun="answer"
                      editHref={`/a/${a.id}/edit`}
                      revisionCount={a.revisionCount}
                      isDeleted={a.deletedAt !== null}
                    />
                    {a.deletedAt ? null : <ThanksButton answerId={a.id} count={a.thanks} authorName={a.authorName} />}
                  </div>
                  <CommentThread postId={a.id} comments={a.comments} noun="answer" isDeleted={a.deletedAt !== null} />
                </div>
              </div>
            </article>
          ))}
        </section>

        {question.deletedAt ? null : (
          <section aria-labelledby="your-answer-heading" className="space-y-3">
            <h2 id="your-answer-heading" className="text-lg font-semibold">
              Answer this question
            </h2>
            {/* Remounted after each new answer so the box is empty again. */}
            {page.closure ? <ClosedForAnswers closure={page.closure} /> : null}
            <AnswerForm
              isClosed={page.closure !== null}
              key={visibleAnswers}
              questionId={question.id}
              idempotencyKey={page.idempotencyKey}
              isArchived={question.spaceArchivedAt !== null}
              isPlainLanguage={question.isPlainLanguage}
              formRef={answerFormRef}
            />
          </section>
        )}

        {relatedHowtos.length > 0 ? (
          <aside aria-labelledby="related-howtos-heading" className="space-y-2">
            <h2 id="related-howtos-heading" className="text-lg font-semibold">
              Step-by-step how-tos on this
            </h2>
            <ul className="space-y-1">
              {relatedHowtos.map((howto) => (
                <li key={howto.id}>
                  <Link to={howtoPath(howto.id)}>{howto.title}</Link>
                  {howto.isPlainLanguage ? (
                    <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">plain language</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </aside>
        ) : null}

        {related.length > 0 ? (
          <aside aria-labelledby="related-heading" className="space-y-3">
            <h2 id="related-heading" className="text-lg font-semibold">
              Related questions
            </h2>
            <QuestionList questions={related} showSpace={false} emptyText="" />
          </aside>
        ) : null}
        {/* Each glossary term's explanation, once for the page: the posts' term buttons open these popovers by id. */}
        {page.glossaryNotesHtml ? (
          <div className="glossary-notes" dangerouslySetInnerHTML={{ __html: page.glossaryNotesHtml }} />
        ) : null}
      </article>
      <QaPageJsonLd url={page.canonicalUrl} question={question} answers={answers.filter((a) => !a.deletedAt)} />
    </QaPageProvider>
  );
}

/** Moderators: move the question (and its answers) to the space it belongs in. */
function MoveQuestion({ spaces, currentSpaceId }: { spaces: { id: number; name: string }[]; currentSpaceId: number }) {
  const result = useActionData<typeof action>();
  const failed = result && result.intent === "move" && !result.ok ? result : undefined;
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer">Move to another space (moderators)</summary>
      <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="move" />
        <div className="flex flex-col">
          <label htmlFor="move-space">Space</label>
          <select
            id="move-space"
            name="spaceId"
            defaultValue={currentSpaceId}
            className="min-h-11 rounded-md border border-slate-300 px-2 dark:border-slate-700 dark:bg-slate-900"
          >
            {spaces.map((space) => (
              <option key={space.id} value={space.id}>
                {space.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="min-h-11 rounded-md border border-slate-300 px-3 font-medium dark:border-slate-700"
        >
          Move question
        </button>
        {failed ? (
          <p role="alert" className="w-full font-medium text-red-700 dark:text-red-400">
            {failed.fieldErrors?.spaceId ?? failed.message}
          </p>
        ) : null}
      </Form>
    </details>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
