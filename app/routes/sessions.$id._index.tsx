/**
 * One hosted Q&A session: details and times (in the reader's time zone), the question queue (votes, then age), the
 * host's answers, and forms to ask, upvote, answer and skip. While it is live, every open page updates itself from
 * /sessions/:id/events (Server-Sent Events); without JavaScript the page refreshes every 20 seconds. After the end
 * it is a read-only archive with the answered questions first.
 */
import { FlagLink } from "~/components/FlagLink";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { FollowButton } from "~/components/FollowButton";
import { LocalTime } from "~/components/LocalTime";
import { useIsHydrated } from "~/lib/hydrated";
import { isFollowing } from "~/models/notifications.server";
import { can } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { OFFICE_HOURS_LIMITS } from "~/lib/office-hours";
import {
  answerInOfficeHours,
  askInOfficeHours,
  getQueue,
  toggleOfficeHoursVote,
} from "~/models/office-hours-queue.server";
import { getOfficeHours } from "~/models/office-hours-lists.server";
import { officeHoursPhase } from "~/models/office-hours.server";
import { idField, requireId } from "~/lib/ids";
import { cx } from "~/lib/cx";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) =>
  loaded
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
  const queue = await getQueue(db, officeHoursId, { viewerId: user?.id ?? null, phase });
  const mine = user ? queue.filter((q) => q.authorId === user.id).length : 0;
  const isOver = phase === "ended" || phase === "cancelled";
  const following =
    user && !isOver ? await isFollowing(db, user.id, { type: "session", key: String(officeHoursId) }) : false;
  return data(
    {
      session,
      phase,
      queue,
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

const id = idField("That question isn't in this session.");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("ask"), body: z.string().default("") }),
  z.object({ intent: z.literal("vote"), questionId: id }),
  z.object({ intent: z.literal("answer"), questionId: id, answer: z.string().default("") }),
  z.object({ intent: z.literal("skip"), questionId: id }),
]);

export type SessionActionResult = {
  intent: string;
  questionId: number | null;
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};

export async function action({ params, request, context }: ActionFunctionArgs) {
  const officeHoursId = sessionIdOf(params.id);
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const formData = await request.formData();
  const isFetch = formData.get("js") === "1";
  const parsed = actionSchema.safeParse(Object.fromEntries(formData));
  const intent = String(formData.get("intent") ?? "");
  if (!parsed.success)
    return data<SessionActionResult>(
      {
        intent,
        questionId: null,
        ok: false,
        message: "That request didn't look right. Please reload the page and try again.",
      },
      { status: 400 },
    );
  const input = parsed.data;
  let questionId = "questionId" in input ? input.questionId : null;
  const { db } = context.services;
  try {
    if (input.intent === "ask")
      questionId = (await askInOfficeHours(db, { officeHoursId, actor, body: input.body })).questionId;
    else if (input.intent === "vote") await toggleOfficeHoursVote(db, { questionId: input.questionId, actor });
    else
      await answerInOfficeHours(db, {
        questionId: input.questionId,
        actor,
        answer: input.intent === "answer" ? input.answer : undefined,
        skip: input.intent === "skip",
      });
  } catch (error) {
    const values = { body: String(formData.get("body") ?? ""), answer: String(formData.get("answer") ?? "") };
    if (error instanceof PostingError)
      return data<SessionActionResult>(
        { intent, questionId, ok: false, message: error.message, fieldErrors: error.fieldErrors, values },
        { status: error.status },
      );
    if (error instanceof RateLimitedError) {
      return data<SessionActionResult>(
        { intent, questionId, ok: false, message: error.message, values },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    throw error;
  }
  return isFetch
    ? data<SessionActionResult>({ intent, questionId, ok: true })
    : redirect(`/sessions/${officeHoursId}${questionId ? `#q-${questionId}` : ""}`, 303);
}

/** Revalidates the page whenever the session changes in any app process (debounced: a burst of votes is one reload). */
function useLiveSession(officeHoursId: number, isActive: boolean) {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  useEffect(() => {
    if (!isActive || typeof EventSource === "undefined") return;
    const source = new EventSource(`/sessions/${officeHoursId}/events`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onChange = () => {
      clearTimeout(timer);
      timer = setTimeout(() => revalidateRef.current(), 200);
    };
    source.addEventListener("change", onChange);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [officeHoursId, isActive]);
}

function JsFlag() {
  return useIsHydrated() ? <input type="hidden" name="js" value="1" /> : null;
}

const PHASE_LABEL = { upcoming: "Upcoming", live: "Live now", ended: "Ended", cancelled: "Cancelled" } as const;

export default function SessionPage() {
  const { session, phase, queue, viewer } = useLoaderData<typeof loader>();
  const isOver = phase === "ended" || phase === "cancelled";
  useLiveSession(session.id, !isOver);
  const answered = queue.filter((q) => q.state === "answered");
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      {phase === "live" ? (
        <noscript>
          <meta httpEquiv="refresh" content="20" />
        </noscript>
      ) : null}
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
        <h1 className="text-2xl font-bold">{session.title}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Hosted by{" "}
          {session.hostHandle ? <Link to={`/u/${session.hostHandle}`}>{session.hostName}</Link> : session.hostName} ·{" "}
          <LocalTime iso={session.startsAt} /> – <LocalTime iso={session.endsAt} withZone={false} />
        </p>
        {isOver ? null : (
          <div className="flex flex-wrap items-center gap-3">
            {phase === "upcoming" ? (
              <FollowButton
                type="session"
                targetKey={String(session.id)}
                isFollowing={viewer.isFollowing}
                label="this session (hear when it starts)"
                isSignedIn={viewer.isSignedIn}
              />
            ) : null}
            <a href={`/sessions/${session.id}/calendar.ics`} download className="text-sm">
              Add to calendar (.ics)
            </a>
            {viewer.canHost ? <HostControls officeHoursId={session.id} phase={phase} /> : null}
          </div>
        )}
        <div className="prose-post" dangerouslySetInnerHTML={{ __html: session.descriptionHtml }} />
        {session.tags.length > 0 ? (
          <ul aria-label="Tags" className="flex flex-wrap gap-1">
            {session.tags.map((tag) => (
              <li key={tag} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
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
          The host cancelled this session. It takes no questions; those already sent stay below.
        </p>
      ) : null}
      {phase === "ended" ? (
        <p className="rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-900">
          This session has ended: {answered.length} of {queue.length}{" "}
          {queue.length === 1 ? "question was" : "questions were"} answered. It stays here as a read-only archive.
        </p>
      ) : null}
      {isOver ? null : (
        <AskForm officeHoursId={session.id} viewer={viewer} maxPerPerson={session.maxQuestionsPerPerson} />
      )}

      <section aria-labelledby="queue-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="queue-heading" className="text-lg font-semibold">
            {phase === "ended" ? "Questions and answers" : `Questions (${queue.length})`}
          </h2>
          {isOver ? null : (
            <a href={`/sessions/${session.id}`} className="text-sm">
              Refresh
            </a>
          )}
        </div>
        {!isOver ? (
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Most upvoted first, then the oldest. New questions, votes and answers appear here as they happen.
          </p>
        ) : null}
        {queue.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">
            {phase === "ended" ? "No questions were asked." : "No questions yet. Be the first to ask."}
          </p>
        ) : (
          <ol className="space-y-3" aria-live="polite">
            {queue.map((question) => (
              <QueueItemView key={question.id} question={question} phase={phase} viewer={viewer} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The host's way to change the session: edit or reschedule (and cancel) on the edit page; end a live one here, in one tap. */
function HostControls({ officeHoursId, phase }: { officeHoursId: number; phase: LoaderData["phase"] }) {
  return (
    <>
      <Link to={`/sessions/${officeHoursId}/edit`} className="text-sm">
        {phase === "live" ? "Edit, end or cancel" : "Edit, reschedule or cancel"}
      </Link>
      {phase === "live" ? (
        <Form method="post" action={`/sessions/${officeHoursId}/edit`}>
          <input type="hidden" name="intent" value="end" />
          <button
            type="submit"
            className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-semibold dark:border-slate-700"
          >
            End the session now
          </button>
        </Form>
      ) : null}
    </>
  );
}

function AskForm({
  officeHoursId,
  viewer,
  maxPerPerson,
}: {
  officeHoursId: number;
  viewer: LoaderData["viewer"];
  maxPerPerson: number | null;
}) {
  const fetcher = useFetcher<SessionActionResult>({ key: `session-ask-${officeHoursId}` });
  const formRef = useRef<HTMLFormElement>(null);
  const result = fetcher.data?.intent === "ask" ? fetcher.data : undefined;
  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) formRef.current?.reset();
  }, [fetcher.state, result]);
  if (!viewer.isSignedIn) {
    return (
      <p className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
        <Link to={`/signin?redirectTo=/sessions/${officeHoursId}`}>Sign in</Link> to ask the host a question or upvote
        others.
      </p>
    );
  }
  if (!viewer.canAsk) {
    return (
      <p className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
        You've asked as many questions as this session takes from one person ({maxPerPerson}). Upvote the others you'd
        like answered.
      </p>
    );
  }
  const error = result && !result.ok ? (result.fieldErrors?.body ?? result.message) : undefined;
  return (
    <fetcher.Form
      ref={formRef}
      method="post"
      className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
    >
      <input type="hidden" name="intent" value="ask" />
      <JsFlag />
      <label htmlFor="session-question" className="block font-medium">
        Your question for the host
      </label>
      <textarea
        id="session-question"
        name="body"
        rows={3}
        maxLength={OFFICE_HOURS_LIMITS.questionMax}
        defaultValue={result && !result.ok ? result.values?.body : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "session-question-error" : "session-question-hint"}
        className="block w-full rounded-md border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
      />
      {error ? (
        <p id="session-question-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id="session-question-hint" className="text-xs text-slate-600 dark:text-slate-400">
          Plain text, {OFFICE_HOURS_LIMITS.questionMin}–{OFFICE_HOURS_LIMITS.questionMax.toLocaleString("en")}{" "}
          characters.
          {viewer.questionsLeft !== null ? ` You can ask ${viewer.questionsLeft} more.` : ""}
        </p>
      )}
      <button
        type="submit"
        disabled={fetcher.state !== "idle"}
        className="min-h-11 rounded-md bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700"
      >
        {fetcher.state === "submitting" ? "Sending…" : "Send question"}
      </button>
    </fetcher.Form>
  );
}

function QueueItemView({
  question,
  phase,
  viewer,
}: {
  question: LoaderData["queue"][number];
  phase: LoaderData["phase"];
  viewer: LoaderData["viewer"];
}) {
  const voteFetcher = useFetcher<SessionActionResult>({ key: `session-vote-${question.id}` });
  const answerFetcher = useFetcher<SessionActionResult>({ key: `session-answer-${question.id}` });
  const isOwn = viewer.id === question.authorId;
  const canVote =
    viewer.isSignedIn && !isOwn && phase !== "ended" && phase !== "cancelled" && question.state === "open";
  const pendingVote = voteFetcher.formData ? !question.hasMyVote : null;
  const hasMyVote = pendingVote ?? question.hasMyVote;
  const votes = question.votes + (pendingVote === null ? 0 : pendingVote ? 1 : -1);
  const voteError = voteFetcher.data && !voteFetcher.data.ok ? voteFetcher.data.message : null;
  const answerResult = answerFetcher.data && !answerFetcher.data.ok ? answerFetcher.data : null;
  return (
    <li
      id={`q-${question.id}`}
      className={cx(
        "rounded-lg border p-3",
        question.state === "answered"
          ? "border-emerald-300 dark:border-emerald-800"
          : "border-slate-200 dark:border-slate-800",
      )}
    >
      <div className="flex gap-3">
        <div className="flex w-14 shrink-0 flex-col items-center text-sm">
          {canVote ? (
            <voteFetcher.Form method="post">
              <input type="hidden" name="intent" value="vote" />
              <input type="hidden" name="questionId" value={question.id} />
              <JsFlag />
              <button
                type="submit"
                aria-pressed={hasMyVote}
                aria-label={`Upvote this question (${votes} ${votes === 1 ? "vote" : "votes"})`}
                className={cx(
                  "flex min-h-11 min-w-11 flex-col",
                  "items-center justify-center rounded-md border",
                  hasMyVote
                    ? "border-brand-600 bg-brand-50 text-brand-800 dark:bg-slate-800 dark:text-brand-200"
                    : "border-slate-300 dark:border-slate-700",
                )}
              >
                <span aria-hidden="true">▲</span>
                <span>{votes}</span>
              </button>
            </voteFetcher.Form>
          ) : (
            <span className="flex min-h-11 flex-col items-center justify-center">
              <span aria-hidden="true" className="text-slate-400">
                ▲
              </span>
              <span aria-hidden="true">{votes}</span>
              <span className="sr-only">{`${votes} ${votes === 1 ? "vote" : "votes"}`}</span>
            </span>
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-2">
          <p className="whitespace-pre-line break-words">{question.body}</p>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {question.authorName}
            {question.state === "answered"
              ? " · Answered"
              : question.state === "skipped"
                ? " · Skipped by the host"
                : ""}
            {question.state === "skipped" ? null : (
              <>
                {" · "}
                <FlagLink type="session_question" id={question.id} noun="question" className="text-xs" />
              </>
            )}
          </p>
          {voteError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {voteError}
            </p>
          ) : null}
          {question.answerHtml ? (
            <div className="rounded-md bg-emerald-50 p-2 dark:bg-emerald-950">
              <p className="text-xs font-semibold text-emerald-900 dark:text-emerald-200">Host's answer</p>
              <div className="prose-post" dangerouslySetInnerHTML={{ __html: question.answerHtml }} />
            </div>
          ) : null}
          {viewer.canHost && phase === "live" && question.state === "open" ? (
            <answerFetcher.Form method="post" className="space-y-2">
              <input type="hidden" name="questionId" value={question.id} />
              <JsFlag />
              <label htmlFor={`answer-${question.id}`} className="block text-sm font-medium">
                Your answer
              </label>
              <textarea
                id={`answer-${question.id}`}
                name="answer"
                rows={3}
                defaultValue={answerResult?.values?.answer}
                aria-invalid={answerResult ? true : undefined}
                className="block w-full rounded-md border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
              />
              {answerResult ? (
                <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                  {answerResult.fieldErrors?.answer ?? answerResult.message}
                </p>
              ) : null}
              <div className="flex gap-2">
                <button
                  type="submit"
                  name="intent"
                  value="answer"
                  className="min-h-11 rounded-md bg-brand-600 px-3 text-sm font-semibold text-white"
                >
                  Post answer
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="skip"
                  className="min-h-11 rounded-md border border-slate-300 px-3 text-sm dark:border-slate-700"
                >
                  Skip
                </button>
              </div>
            </answerFetcher.Form>
          ) : null}
        </div>
      </div>
    </li>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
