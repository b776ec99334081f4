/**
 * One hosted Q&A session: details and times (in the reader's time zone), the question queue (waiting questions by
 * votes, then age; answered and skipped ones below them), the host's answers, and forms to ask, upvote, answer and
 * skip. While it is live, every open page updates itself from /sessions/:id/events (Server-Sent Events); without
 * JavaScript its Refresh link shows what is new (a page that reloaded itself would take what a person was typing,
 * and WCAG 2.2.1 asks for no timed reload). After the end it is a read-only archive with the answered questions
 * first. Its forms post through fetchers; without JavaScript a refused one comes back in this page's action data,
 * shown at the form it belongs to with what was typed. The host's "End the session now" and "Cancel this session"
 * (on the edit page too) post here as plain forms: one refused because the session had stopped already says so here.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  type ClientLoaderFunctionArgs,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useFetcher,
  useLoaderData,
  useLocation,
  useNavigationType,
} from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";
import { useEventSource } from "~/lib/event-source";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FormAlert } from "~/components/ui/Field";
import { FollowButton } from "~/components/FollowButton";
import { PersonName } from "~/components/PersonName";
import { LocalTime } from "~/components/LocalTime";
import { LocalTimeRange } from "~/components/LocalTimeRange";
import { OfficeHoursAskForm } from "~/components/OfficeHoursAskForm";
import { OfficeHoursHostControls } from "~/components/OfficeHoursHostControls";
import {
  OfficeHoursQueueItem,
  UnsentAnswer,
  UnsentEdit,
  WITHDRAW_FETCHER_KEY,
} from "~/components/OfficeHoursQueueItem";
import { cx } from "~/lib/cx";
import { isUnreachable } from "~/lib/offline";
import { moveFocusTo, useFocusWhenSettled } from "~/lib/focus";
import { requireId } from "~/lib/ids";
import { isFollowing } from "~/models/notifications.server";
import { getOfficeHours } from "~/models/office-hours-lists.server";
import { newIdempotencyKey } from "~/models/idempotency.server";
import { getQueue, hasWithdrawnQuestion } from "~/models/office-hours-queue.server";
import { officeHoursPhase } from "~/models/office-hours.server";
import type { SessionActionResult } from "~/models/office-hours.types";
import { can } from "~/models/permissions.server";
import { type StoppedAlready, sessionAction } from "./__session-actions.server";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded, error }) =>
  error
    ? errorMeta(error, "Session not found")
    : loaded
      ? [
          { title: `${loaded.session.title} · Q&A session · PeerDesk` },
          {
            name: "description",
            content: `A Q&A session hosted by ${loaded.session.hostName} in ${loaded.session.spaceName}.`,
          },
        ]
      : [];

function sessionIdOf(raw: string | undefined): number {
  return requireId(raw, "There is no such session.");
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const officeHoursId = sessionIdOf(params.id);
  const session = await getOfficeHours(db, officeHoursId);
  if (!session) throw new Response("There is no such session.", { status: 404 });
  const user = await getCurrentUser(request, context);
  const actor = asActor(user);
  const phase = officeHoursPhase(session);
  // Staff see questions moderation hid (marked so), as they see deleted posts; askers see their own.
  const queue = await getQueue(db, officeHoursId, {
    viewerId: user?.id ?? null,
    phase,
    canSeeHidden: can(actor, "post.viewDeleted"),
  });
  const mine = user ? queue.filter((q) => q.authorId === user.id).length : 0;
  const isOver = phase === "ended" || phase === "cancelled";
  const following =
    user && !isOver ? await isFollowing(db, user.id, { type: "session", key: String(officeHoursId) }) : false;
  // The no-JavaScript withdraw lands on ?withdrawn=1: its note is said only to someone who did withdraw one here.
  const isWithdrawnNoted =
    user !== null &&
    !isOver &&
    new URL(request.url).searchParams.get("withdrawn") === "1" &&
    (await hasWithdrawnQuestion(db, { officeHoursId, userId: user.id }));
  return data(
    {
      session,
      // When it was read: the page shows the newer of its own data and its live reload's.
      loadedAt: Date.now(),
      phase,
      queue,
      isWithdrawnNoted,
      // The ask form's one-time key: a double submit without JavaScript queues one question.
      askKey: user ? newIdempotencyKey() : null,
      viewer: {
        id: user?.id ?? null,
        isSignedIn: user !== null,
        isFollowing: following,
        canHost: can(actor, "session.host", { ownerId: session.hostId }),
        canAsk:
          can(actor, "session.ask") &&
          !isOver &&
          (session.maxQuestionsPerPerson === null || mine < session.maxQuestionsPerPerson),
        questionsLeft:
          session.maxQuestionsPerPerson === null ? null : Math.max(0, session.maxQuestionsPerPerson - mine),
      },
    },
    { headers: { "Cache-Control": "private, no-cache" } },
  );
}

/** What this tab's open session page shows (its address and data), kept in case a background reload can't get through. */
let shownPage: { pathname: string; loaded: SerializeFrom<typeof loader> } | null = null;

/**
 * A background reload (a live change, a reconnect, after a vote or question) that never reached the server keeps the
 * page as shown, with what was being typed in it, and says that live updates are retrying: a blip on a phone's
 * connection must not swap the page for an error page. Arriving at the page (nothing of it shown yet) still fails.
 */
export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  try {
    return { ...(await serverLoader<typeof loader>()), isRetrying: false };
  } catch (error) {
    if (!isUnreachable(error) || shownPage?.pathname !== new URL(request.url).pathname) throw error;
    return { ...shownPage.loaded, isRetrying: true };
  }
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const officeHoursId = sessionIdOf(params.id);
  const user = await requireUser(request, context);
  return sessionAction(context.services.db, {
    officeHoursId,
    actor: asActor(user),
    formData: await request.formData(),
  });
}

/**
 * After "End the session now" or "Cancel this session" refused because the session had stopped already, the page loads
 * again, showing the session as it is now under the refusal. The fetchers' forms load it again after any answer
 * already; the stop is a plain form post, which after a refusal (4xx) would leave the page as it was without this
 * export. With single fetch, Remix hands a route's own shouldRevalidate `defaultShouldRevalidate: true` after every
 * action, so the stop's clause only says which refusal this is for.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || actionResult?.stopped !== undefined;

/** How long a page whose reload couldn't get through waits before trying again (a blip the stream didn't notice). */
const RETRY_MS = 10_000;

type SessionPageData = SerializeFrom<typeof clientLoader>;

/**
 * Reloads the page's data whenever the session changes in any app process (debounced: a burst of votes is one reload),
 * and again a little later while what is shown is an old copy (see clientLoader). Only this page's data is reloaded, by
 * a fetcher: a reload of the whole page would also reload the header's, and a dropped connection there would swap the
 * page for the error page. Returns the newest data: the page's own (after a navigation or a post) or the live one.
 */
function useLiveSession(loaderData: SessionPageData): SessionPageData {
  const officeHoursId = loaderData.session.id;
  const live = useFetcher<typeof clientLoader>({ key: `session-live-${officeHoursId}` });
  const loadRef = useRef(live.load);
  loadRef.current = live.load;
  const { pathname, search } = useLocation();
  const address = `${pathname}?index${search.replace("?", "&")}`;
  const shown =
    live.data?.session.id === officeHoursId && live.data.loadedAt >= loaderData.loadedAt ? live.data : loaderData;
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const reload = (afterMs: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => loadRef.current(address), afterMs);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload only reads the address, which pathname names
  useEffect(() => {
    shownPage = { pathname, loaded: shown };
    if (shown.isRetrying) reload(RETRY_MS);
  }, [pathname, shown]);
  // Left for another page: arriving here again is a first load, which the error page may answer.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      shownPage = null;
    },
    [],
  );
  // Reconnected: what changed meanwhile was not heard, so the page reloads its data. An ended session has nothing live.
  const isActive = shown.phase !== "ended" && shown.phase !== "cancelled";
  useEventSource(isActive ? `/sessions/${officeHoursId}/events` : null, {
    events: { change: () => reload(200) },
    onReconnect: () => reload(200),
  });
  return shown;
}

/** What an empty queue says: only a session still taking questions invites them. */
const EMPTY_QUEUE_TEXT = {
  upcoming: "No questions yet. Be the first to ask.",
  live: "No questions yet. Be the first to ask.",
  ended: "No questions were asked.",
  cancelled: "No questions were asked before it was cancelled.",
} as const;

const GONE_QUESTION_NOTE =
  "This question left the session while you were writing (its asker withdrew it, or it is held for review), so " +
  "your answer was not posted.";

/**
 * The host's answers to questions that left the page while being written (their asker withdrew them, moderation hid
 * them): the queue item and its text went with them, so the page keeps what was typed, to copy. Without JavaScript,
 * the refused answer the action sent back.
 */
function useAnswersOfGoneQuestions(queue: { id: number }[], refused: SessionActionResult | undefined) {
  const typed = useRef(new Map<number, string>());
  const remember = useCallback((questionId: number, text: string) => {
    if (text.trim()) typed.current.set(questionId, text);
    else typed.current.delete(questionId);
  }, []);
  const kept = new Map<number, string>();
  for (const [questionId, text] of typed.current)
    if (!queue.some((q) => q.id === questionId)) kept.set(questionId, text);
  const refusedAnswer = refused?.intent === "answer" ? refused.values?.answer?.trim() : "";
  if (refused?.questionId && refusedAnswer && !queue.some((q) => q.id === refused.questionId))
    kept.set(refused.questionId, refusedAnswer);
  // The answer box went from under the cursor: focus follows the text to its copy.
  const firstKept = [...kept.keys()][0];
  useEffect(() => {
    if (firstKept !== undefined && document.activeElement === document.body)
      moveFocusTo(document.getElementById(`unsent-answer-${firstKept}`));
  }, [firstKept]);
  return { kept: [...kept], remember };
}

const PHASE_LABEL = { upcoming: "Upcoming", live: "Live now", ended: "Ended", cancelled: "Cancelled" } as const;

/**
 * Arriving within the app (from the schedule or edit form, after ending the session here, or by a link), the control
 * used has gone with the page before and focus has fallen to the page: start at the question the address names, else
 * at the session's title. A first load and Back or Forward (POP) keep the browser's own place.
 */
function useFocusOnArrival(heading: () => HTMLElement | null) {
  const location = useLocation();
  const isArrival = useNavigationType() !== "POP";
  useFocusWhenSettled(isArrival ? location.key : null, () => {
    if (document.activeElement !== document.body) return null;
    return location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : heading();
  });
}

/**
 * Where a refusal posted without JavaScript is said: at the ask form, at the queue item it names, or (its form not on
 * the page: the session ended meanwhile, the question was hidden) above the queue.
 */
function placeOfRefusal(
  refused: SessionActionResult | undefined,
  { isAskFormShown, queue }: { isAskFormShown: boolean; queue: { id: number }[] },
): "ask" | "item" | "page" | null {
  if (!refused) return null;
  if (refused.intent === "ask") return isAskFormShown ? "ask" : "page";
  return queue.some((q) => q.id === refused.questionId) ? "item" : "page";
}

export default function SessionPage() {
  const loaded = useLiveSession(useLoaderData<typeof clientLoader>());
  const { session, phase, queue, viewer, isWithdrawnNoted, askKey } = loaded;
  const actionResult = useActionData<typeof action>();
  const refused = actionResult && !actionResult.ok ? actionResult : undefined;
  const isOver = phase === "ended" || phase === "cancelled";
  const place = placeOfRefusal(refused, { isAskFormShown: !isOver && viewer.canAsk, queue });
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(() => headingRef.current);
  // A question its asker withdrew has gone from the list: say so where it was asked, and start there.
  const withdrawFetcher = useFetcher<SessionActionResult>({ key: WITHDRAW_FETCHER_KEY });
  const withdrawn = withdrawFetcher.state === "idle" && withdrawFetcher.data?.ok ? withdrawFetcher.data : undefined;
  const isWithdrawnSaid = !isOver && (withdrawn !== undefined || isWithdrawnNoted);
  useFocusWhenSettled(withdrawn, () => document.getElementById("withdrawn"));
  const goneAnswers = useAnswersOfGoneQuestions(queue, refused);
  // The numbers are everyone's: a question out of sight (shown only to its asker and staff) doesn't count.
  const publicQuestions = queue.filter((q) => q.moderation === null);
  const answered = publicQuestions.filter((q) => q.state === "answered");
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <header className="space-y-2">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span
            className={cx(
              "rounded-full px-2 py-0.5 text-xs font-bold uppercase",
              phase === "live"
                ? "bg-red-600 text-white"
                : "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
            )}
          >
            {PHASE_LABEL[phase]}
          </span>
          <Link to="/sessions">Q&amp;A sessions</Link> · <Link to={`/s/${session.spaceSlug}`}>{session.spaceName}</Link>
        </p>
        <h1 ref={headingRef} dir="auto" className="text-2xl font-bold">
          {session.title}
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Hosted by <PersonName name={session.hostName} handle={session.hostHandle} /> ·{" "}
          <LocalTimeRange startsAt={session.startsAt} endsAt={session.endsAt} />
        </p>
        {isOver ? null : (
          <div className="flex flex-wrap items-center gap-3">
            {phase === "upcoming" ? (
              <FollowButton
                type="session"
                targetKey={String(session.id)}
                isFollowing={viewer.isFollowing}
                label="this session to hear when it starts"
                isSignedIn={viewer.isSignedIn}
              />
            ) : null}
            <a href={`/sessions/${session.id}/calendar.ics`} download className="text-sm">
              Add to my calendar
            </a>
            {viewer.canHost ? <OfficeHoursHostControls officeHoursId={session.id} phase={phase} /> : null}
          </div>
        )}
        <div dir="auto" className="prose-post" dangerouslySetInnerHTML={{ __html: session.descriptionHtml }} />
        {session.tags.length > 0 ? (
          <ul aria-label="Tags" className="flex flex-wrap gap-1">
            {session.tags.map((tag) => (
              <li key={tag} dir="auto" className="rounded-full bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
      </header>

      {phase === "cancelled" ? (
        <p
          role="status"
          className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          This session was cancelled. It takes no questions; those already sent stay below.
        </p>
      ) : null}
      {phase === "ended" ? (
        <p className="rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-900">
          This session has ended: {answered.length} of {publicQuestions.length}{" "}
          {publicQuestions.length === 1 ? "question was" : "questions were"} answered. It stays here as a read-only
          archive.
        </p>
      ) : null}
      {place === "page" ? (
        <FormAlert focusOn={refused}>
          {refused?.stopped ? <StoppedAlreadyText stopped={refused.stopped} /> : refused?.message}
        </FormAlert>
      ) : null}
      {goneAnswers.kept.map(([questionId, text]) => (
        <UnsentAnswer
          key={questionId}
          questionId={questionId}
          text={text}
          why={
            place === "page" && refused?.questionId === questionId ? "Your answer was not posted." : GONE_QUESTION_NOTE
          }
        />
      ))}
      {place === "page" && refused?.intent === "edit" && refused.questionId && refused.values?.body?.trim() ? (
        <UnsentEdit
          questionId={refused.questionId}
          text={refused.values.body.trim()}
          why="Your new wording was not saved."
        />
      ) : null}
      {isWithdrawnSaid ? (
        <p
          id="withdrawn"
          role="status"
          tabIndex={-1}
          className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800"
        >
          Your question was withdrawn: nobody sees it in this session any more.
          {viewer.canAsk ? " You can ask a new one below." : ""}
        </p>
      ) : null}
      <OfficeHoursAskForm
        officeHoursId={session.id}
        viewer={viewer}
        idempotencyKey={askKey}
        maxPerPerson={session.maxQuestionsPerPerson}
        // Also when the refusal is said above the queue (the session ended meanwhile): the form keeps what was typed.
        pageResult={refused?.intent === "ask" ? refused : undefined}
        phase={phase}
      />

      <section aria-labelledby="queue-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="queue-heading" className="text-lg font-semibold">
            {phase === "ended" ? "Questions and answers" : `Questions (${publicQuestions.length})`}
          </h2>
          {isOver ? null : (
            <a href={`/sessions/${session.id}`} className="text-sm">
              Refresh
            </a>
          )}
        </div>
        {!isOver ? (
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Waiting questions first, by most votes, then the oldest; answered and skipped questions below them. New
            questions, votes and answers appear here as they happen.
            <noscript> With JavaScript off, use Refresh to see them.</noscript>
          </p>
        ) : null}
        {loaded.isRetrying && !isOver ? (
          <p role="status" className="text-xs text-slate-600 dark:text-slate-400">
            Your connection dropped, so the newest questions and answers may not be shown yet. We'll keep trying.
          </p>
        ) : null}
        {queue.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">{EMPTY_QUEUE_TEXT[phase]}</p>
        ) : (
          <ol className="space-y-3" aria-live="polite">
            {queue.map((question) => (
              <OfficeHoursQueueItem
                key={question.id}
                question={question}
                phase={phase}
                viewer={viewer}
                pageResult={place === "item" && refused?.questionId === question.id ? refused : undefined}
                onAnswerTyped={goneAnswers.remember}
              />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** A refused stop's words, with the time the session stopped in the reader's time zone (UTC without JavaScript). */
function StoppedAlreadyText({ stopped }: { stopped: StoppedAlready }) {
  return (
    <>
      {stopped.before}
      <LocalTime iso={stopped.at} />
      {stopped.after}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
