/**
 * A how-to's page: summary, meta, prerequisites, numbered steps with a per-browser checklist, "Did this help?",
 * related content and the history link. The loader is the same for every reader (only staff also see a deleted
 * how-to); the viewer's own feedback and permissions come from /howtos/:id/viewer after hydration, and every
 * form also works without JavaScript as a plain POST.
 */
import { writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
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
import { useEffect } from "react";
import { howtoPageActionSchema } from "~/models/howto-validation.server";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import {
  FeedbackComments,
  FeedbackForm,
  HelpfulCounts,
  type HowtoActionResult,
  type HowtoViewerJson,
} from "~/components/HowtoFeedback";
import { useIsHydrated } from "~/lib/hydrated";
import { PlainLanguageBadge } from "~/components/HowtoList";
import { HowtoSteps } from "~/components/HowtoSteps";
import { howtoJsonLd } from "~/components/HowtoJsonLd";
import { formFields, submittedValues } from "~/lib/forms";
import { DIFFICULTY_LABELS, formatMinutes, howtoPath } from "~/lib/howtos";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { deleteHowto, restoreHowto } from "~/models/howto-writing.server";
import { getPublicHowto, getRelatedContent } from "~/models/public-data-memo.server";
import { rateHowto } from "~/models/howto-feedback.server";
import { loadHowtoViewer } from "~/models/howto-viewer.server";
import { type Actor, can } from "~/models/permissions.server";
import { useOptionalUser } from "~/root";
import { FollowButton } from "~/components/FollowButton";
import { AuthorTools } from "~/components/HowtoAuthorTools";
import { requireId } from "~/lib/ids";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { SaveButton } from "~/components/SaveButton";
import { PostingError } from "~/models/post-errors.server";
import { getPostMeta } from "~/models/posts.server";
import type { Db } from "#db/client.server";
import { goneWhileWriting } from "~/lib/gone-while-writing.server";
import { howPostWasHidden, howtoNotShownMessage } from "./__post-editing.server";

function parseId(raw: string | undefined): number {
  return requireId(raw, "There is no how-to at this address.");
}

/** Signed-out readers get this page without the client runtime (see app/lib/reader-pages.ts). */
export const handle = readerPage;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const { db, baseURL } = context.services;
  // The public data is kept in memory between writes (dropped by the same announcements as the cached page).
  const howto = await getPublicHowto(db, id);
  if (!howto) throw new Response("This how-to doesn't exist.", { status: 404 });
  // Only a deleted how-to needs to know who is asking (staff still see it); live ones are the same for everyone.
  const isStaffView = howto.deletedAt !== null;
  const user = await getCurrentUser(request, context);
  if (isStaffView && !can(asActor(user), "post.viewDeleted"))
    throw new Response(await howtoNotShownMessage(db, { howtoId: id, actor: asActor(user) }), { status: 404 });
  // Signed in: what this person may do comes with the page, so it is right without JavaScript too.
  const [related, viewer] = await Promise.all([
    getRelatedContent(db, id),
    user ? loadHowtoViewer(db, id, asActor(user)) : null,
  ]);
  // Related content is not tracked, so the cached page (signed-out readers) lives at most a minute.
  const isPersonal = isStaffView || user !== null;
  const headers = isPersonal
    ? new Headers()
    : publicPageHeaders(request, { tags: [TAGS.post(id)], maxAgeSeconds: LIFETIME_SECONDS.untracked });
  headers.set("Cache-Control", isPersonal ? "private, no-store" : "no-cache");
  return data({ howto, related, viewer, canonicalUrl: new URL(howtoPath(id), baseURL).toString() }, { headers });
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  if (error) return errorMeta(error, "How-to not found");
  if (!page) return [{ title: "How-to not found · PeerDesk" }];
  const { howto } = page;
  const description = howto.summary.length > 160 ? `${howto.summary.slice(0, 159).trimEnd()}…` : howto.summary;
  return [
    { title: `${howto.title} · How-to · ${howto.spaceName} · PeerDesk` },
    { name: "description", content: description },
    { tagName: "link", rel: "canonical", href: page.canonicalUrl },
    { property: "og:type", content: "article" },
    { property: "og:title", content: howto.title },
    { property: "og:description", content: description },
    { property: "og:url", content: page.canonicalUrl },
    ...(howto.deletedAt ? [{ name: "robots", content: "noindex" }] : []),
  ];
};

export async function action({ params, request, context }: ActionFunctionArgs) {
  const howtoId = parseId(params.id);
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const { db } = context.services;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const values = submittedValues(formData, { omit: ["js", "intent"] });
  const isFetch = formData.get("js") === "1";
  const parsed = howtoPageActionSchema.safeParse(formFields(formData));
  if (!parsed.success) {
    const message =
      parsed.error.issues[0]?.message ?? "That request didn't look right. Please reload the page and try again.";
    return data<HowtoActionResult>({ intent, ok: false, message, values }, { status: 400 });
  }
  const input = parsed.data;
  const pagePath = howtoPath(howtoId);
  try {
    switch (input.intent) {
      case "feedback":
        await rateHowto(db, { howtoId, actor, isHelpful: input.answer === "yes", comment: input.comment }).catch(
          async (error: unknown) => {
            if (!(error instanceof PostingError && error.status === 404)) throw error;
            const hasComment = input.comment.trim() !== "";
            const message = await howtoGoneWhileRating(db, howtoId, actor, hasComment);
            // Without JavaScript the page comes back without its form once the how-to is gone: the comment is handed back,
            // and a bare answer gets the error page in these words (the page's own don't mention the rating; staff still
            // see the page). With it, the form says why and keeps the comment (see shouldRevalidate).
            if (!isFetch && hasComment) throw goneWhileWriting(message, input.comment);
            if (!isFetch && !can(actor, "post.viewDeleted")) throw new Response(message, { status: 404 });
            throw new PostingError(message, {}, 404);
          },
        );
        return isFetch
          ? data<HowtoActionResult>({ intent, ok: true })
          : redirect(`${pagePath}?feedback=saved#feedback`, 303);
      case "delete": {
        const { spaceSlug } = await deleteHowto(db, { howtoId, actor });
        if (can(actor, "post.viewDeleted")) return redirect(pagePath, 303);
        return redirect(
          spaceSlug ? `/howtos?space=${encodeURIComponent(spaceSlug)}&deleted=1` : "/howtos?deleted=1",
          303,
        );
      }
      case "restore":
        await restoreHowto(db, { howtoId, actor });
        return redirect(pagePath, 303);
    }
  } catch (error) {
    return writeFailureResponse<HowtoActionResult>(error, (failure) => ({
      intent,
      ok: false,
      message: failure.fieldErrors?.comment ?? failure.message,
      fieldErrors: failure.fieldErrors,
      values,
    }));
  }
}

/**
 * Why "Did this help?" found the how-to gone: hidden is not called removed (howPostWasHidden says it as this reader may
 * read it). Sent without a comment, there was no writing to speak of: the answer (their rating) is what wasn't saved.
 */
async function howtoGoneWhileRating(db: Db, howtoId: number, actor: Actor, hasComment: boolean): Promise<string> {
  const hidden = await howPostWasHidden(db, { postId: howtoId, actor });
  if (hidden)
    return hasComment
      ? `While you were writing your comment, this how-to ${hidden}, so it could not be sent.`
      : `This how-to ${hidden}, so your rating wasn't saved.`;
  // Deleted, or never there (an address made up or mistyped): "while you were writing" only when it was there.
  const wasThere = (await getPostMeta(db, howtoId))?.kind === "howto";
  if (!hasComment)
    return `${wasThere ? "This how-to was deleted" : "There is no how-to at this address"}, so your rating wasn't saved.`;
  return wasThere
    ? "This how-to was removed while you were writing your comment, so it could not be sent."
    : "There is no how-to at this address, so your comment could not be sent.";
}

/**
 * With JavaScript, feedback refused because the how-to went meanwhile leaves the page as it is, its form saying so with
 * the comment still in it: loaded again (as the page otherwise is after this action, refused or not), it would be the
 * error page, and the comment would go with it.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, actionStatus, defaultShouldRevalidate }) =>
  !(actionStatus === 404 && actionResult?.intent === "feedback") && defaultShouldRevalidate;

export default function HowtoPage() {
  const page = useLoaderData<typeof loader>();
  const { howto, related } = page;
  const user = useOptionalUser();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const isHydrated = useIsHydrated();
  const actionResult = useActionData<typeof action>();
  const viewerFetcher = useFetcher<HowtoViewerJson>({ key: `howto-viewer-${howto.id}` });
  const fetched =
    viewerFetcher.data && typeof viewerFetcher.data === "object" && "canRate" in viewerFetcher.data
      ? viewerFetcher.data
      : null;
  // The fetcher's answer is the freshest (it reloads after every change); the page's own copy works without JavaScript.
  const viewer: HowtoViewerJson | null = fetched ?? page.viewer ?? null;
  const { load } = viewerFetcher;
  useEffect(() => {
    load(`/howtos/${howto.id}/viewer`);
  }, [load, howto.id]);
  const signInHref = `/signin?redirectTo=${encodeURIComponent(location.pathname)}`;
  const pageResult =
    actionResult && typeof actionResult === "object" && "intent" in actionResult ? actionResult : undefined;

  return (
    <article className="mx-auto max-w-3xl space-y-6" aria-labelledby="howto-title">
      {howto.deletedAt ? (
        <p className="rounded-lg border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          This how-to was deleted <RelativeTime date={howto.deletedAt} />. Only moderators see it.
        </p>
      ) : null}
      {searchParams.get("suggested") ? (
        <p
          role="status"
          className="rounded-lg border border-green-300 bg-green-50 p-3 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100"
        >
          Thanks! Your suggested edit was sent to the author. It appears here once they accept it.
        </p>
      ) : null}
      {searchParams.get("withdrawn") || searchParams.get("decided") ? (
        <p
          role="status"
          className="rounded-lg border border-slate-300 bg-slate-50 p-3 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
        >
          {searchParams.get("withdrawn")
            ? "Your suggested edit was withdrawn. The how-to is unchanged."
            : "No suggestion of yours was waiting on this how-to: it had already been withdrawn or decided."}
        </p>
      ) : null}
      <header className="space-y-3">
        <p className="text-sm">
          <Link to={`/howtos?space=${encodeURIComponent(howto.spaceSlug)}`} dir="auto">
            {howto.spaceName}
          </Link>
          <span aria-hidden="true"> › </span>
          <Link to="/howtos">How-tos</Link>
        </p>
        <h1 id="howto-title" dir="auto" className="text-2xl font-bold leading-tight sm:text-3xl">
          {howto.title}
        </h1>
        <p dir="auto" className="text-lg text-slate-700 dark:text-slate-200">
          {howto.summary}
        </p>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 rounded-lg bg-slate-50 p-3 text-sm sm:grid-cols-4 dark:bg-slate-900">
          {howto.appliesTo ? (
            <div className="col-span-2">
              <dt className="text-slate-600 dark:text-slate-400">Applies to</dt>
              <dd dir="auto" className="font-medium">
                {howto.appliesTo}
              </dd>
            </div>
          ) : null}
          {howto.difficulty ? (
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Difficulty</dt>
              <dd className="font-medium">{DIFFICULTY_LABELS[howto.difficulty]}</dd>
            </div>
          ) : null}
          {howto.estimatedMinutes ? (
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Time</dt>
              <dd className="font-medium">About {formatMinutes(howto.estimatedMinutes)}</dd>
            </div>
          ) : null}
        </dl>
        <div className="flex flex-wrap items-center gap-1.5 text-xs">
          {howto.isPlainLanguage ? <PlainLanguageBadge /> : null}
          {howto.tags.map((t) => (
            <Link
              key={t}
              to={`/howtos?tag=${encodeURIComponent(t)}`}
              dir="auto"
              className="inline-flex min-h-6 items-center rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 no-underline hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300"
              aria-label={`How-tos tagged ${t}`}
            >
              {t}
            </Link>
          ))}
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Written by <PersonName name={howto.authorName} handle={howto.authorHandle} />{" "}
          <RelativeTime date={howto.createdAt} />
          {howto.revisionCount > 1 ? (
            <>
              {" · updated "}
              <RelativeTime date={howto.updatedAt} />
            </>
          ) : null}
        </p>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <AuthorTools
            howtoId={howto.id}
            viewer={viewer}
            isSignedIn={user !== null}
            isHydrated={isHydrated}
            revisionCount={howto.revisionCount}
          />
          <div className="flex flex-wrap items-center gap-2">
            <FollowButton
              type="howto"
              targetKey={String(howto.id)}
              isFollowing={viewer?.isFollowing ?? null}
              label="this how-to"
              isSignedIn={user !== null}
            />
            {howto.deletedAt ? null : (
              <SaveButton
                postId={howto.id}
                isSaved={viewer?.isSaved ?? null}
                noun="how-to"
                isSignedIn={user !== null}
              />
            )}
          </div>
        </div>
        {pageResult && !pageResult.ok && pageResult.intent !== "feedback" ? (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {pageResult.message}
          </p>
        ) : null}
      </header>

      {howto.prerequisitesHtml ? (
        <section
          aria-labelledby="prerequisites-heading"
          className="rounded-lg border border-amber-200 bg-amber-50/60 p-3 sm:p-4 dark:border-amber-900 dark:bg-amber-950/30"
        >
          <h2 id="prerequisites-heading" className="mb-2 text-lg font-semibold">
            Before you start
          </h2>
          <div dir="auto" className="prose-post" dangerouslySetInnerHTML={{ __html: howto.prerequisitesHtml }} />
        </section>
      ) : null}

      <HowtoSteps howtoId={howto.id} revision={howto.revisionCount} stepsHtml={howto.stepsHtml} />
      {/* Each glossary term's explanation, once for the page: the term buttons in the steps open these popovers by id. */}
      {howto.glossaryNotesHtml ? (
        <div className="glossary-notes" dangerouslySetInnerHTML={{ __html: howto.glossaryNotesHtml }} />
      ) : null}

      <section
        id="feedback"
        aria-labelledby="feedback-heading"
        className="space-y-3 rounded-lg border border-slate-200 p-3 sm:p-4 print:hidden dark:border-slate-800"
      >
        <h2 id="feedback-heading" className="text-lg font-semibold">
          Did this help?
        </h2>
        <HelpfulCounts yes={howto.helpfulYes} no={howto.helpfulNo} />
        {howto.deletedAt ? null : (
          <FeedbackForm
            viewer={viewer}
            isSignedIn={user !== null}
            isHydrated={isHydrated}
            signInHref={signInHref}
            pageResult={pageResult}
            justSaved={searchParams.get("feedback") === "saved"}
          />
        )}
        {viewer?.feedbackComments ? (
          <div className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-800">
            <h3 className="font-semibold">Comments from readers</h3>
            <p className="text-xs text-slate-600 dark:text-slate-400">Only you (and moderators) see these.</p>
            <FeedbackComments comments={viewer.feedbackComments} />
          </div>
        ) : null}
      </section>

      {related.length > 0 ? (
        <section aria-labelledby="related-heading" className="space-y-2 print:hidden">
          <h2 id="related-heading" className="text-lg font-semibold">
            Related
          </h2>
          <ul className="space-y-1.5">
            {related.map((r) => (
              <li key={r.id} className="flex items-start gap-2">
                <span className="mt-0.5 shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                  {r.kind === "howto" ? "How-to" : "Question"}
                </span>
                <Link to={r.kind === "howto" ? howtoPath(r.id) : `/q/${r.id}`} dir="auto">
                  {r.title}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <script
        type="application/ld+json"
        dangerouslySetInnerHTML={{ __html: howtoJsonLd(page.howto, page.canonicalUrl) }}
      />
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
