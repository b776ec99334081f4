/**
 * /review — the moderators' one queue: flagged things (grouped, with reasons and each flagger's track record),
 * content held for review, and suggested how-to edits; each decided here and recorded in the public moderation log.
 * The list refreshes itself when the queue changes (Server-Sent Events); without JavaScript, on every load.
 */
import {
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { asActor, requireUserWith } from "~/auth/session.server";
import { RelativeTime } from "~/components/RelativeTime";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { isModeratedTarget } from "~/models/flags.server";
import { can } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import {
  REVIEW_DECISIONS,
  type ReviewDecision,
  type ReviewItem,
  decideReviewItem,
  listPendingSuggestedEdits,
  listReviewQueue,
} from "~/models/review-queue.server";
import {
  TRUST_SETTING_DEFAULTS,
  getTrustSettings,
  isTrustSettingKey,
  setTrustSetting,
} from "~/models/trust-settings.server";

export const meta: MetaFunction = () => [{ title: "Review queue · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "review.view");
  const { db } = context.services;
  const [items, suggestions, settings] = await Promise.all([
    listReviewQueue(db),
    listPendingSuggestedEdits(db),
    getTrustSettings(db),
  ]);
  return data(
    {
      items: items.map(toView),
      suggestions,
      settings,
      canEditSettings: can(asActor(user), "trust.settings"),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** The queue names flagged content and its authors: never kept by a browser or shared cache. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Where a moderator edits the post (questions, answers and how-tos have their own edit pages). */
function editHref(item: ReviewItem): string | null {
  if (item.ref.type !== "post") return null;
  if (item.kindLabel === "question") return `/q/${item.ref.id}/edit`;
  if (item.kindLabel === "answer") return `/a/${item.ref.id}/edit`;
  if (item.kindLabel === "how-to") return `/howtos/${item.ref.id}/edit`;
  return null;
}

function toView(item: ReviewItem) {
  return { ...item, key: `${item.ref.type}:${item.ref.id}`, editHref: editHref(item) };
}

const SETTING_LABELS: Record<keyof typeof TRUST_SETTING_DEFAULTS, string> = {
  hideThreshold: "Flag weight that hides a post (a first-time flagger weighs 1)",
  newAccountDays: "Days an account counts as new",
  newAccountDailyPosts: "Posts a new account may write a day",
  newAccountMaxLinks: "Links a new account's post may carry before it is held",
  maxLinks: "Links anyone's post may carry before it is held",
  repeatedTextCount: "Earlier copies of a new account's text that hold it",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "review.view");
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const { db } = context.services;
  if (text("intent") === "settings") {
    if (!can(asActor(user), "trust.settings"))
      return data({ ok: false as const, message: "Only admins change these settings." }, { status: 403 });
    for (const key of Object.keys(TRUST_SETTING_DEFAULTS)) {
      if (!isTrustSettingKey(key)) continue;
      const raw = text(key).trim();
      const value = raw === "" ? null : Number(raw);
      if (value !== null && !Number.isFinite(value))
        return data({ ok: false as const, message: `“${SETTING_LABELS[key]}” must be a number.` }, { status: 400 });
      await setTrustSetting(db, { key, value, by: user.id });
    }
    return redirect("/review?saved=settings", 303);
  }
  const decision = REVIEW_DECISIONS.find((d) => d === text("decision"));
  const targetType = text("targetType");
  const targetId = text("targetId");
  if (!decision || !isModeratedTarget(targetType) || targetId.length === 0 || targetId.length > 64)
    return data({ ok: false as const, message: "That request didn't look right." }, { status: 400 });
  const note = text("note").replace(/\s+/g, " ").trim().slice(0, 500);
  try {
    await decideReviewItem(db, { actor: asActor(user), ref: { type: targetType, id: targetId }, decision, note });
  } catch (error) {
    if (error instanceof PostingError)
      return data({ ok: false as const, message: error.message }, { status: error.status });
    throw error;
  }
  return redirect(`/review?decided=${decision}`, 303);
}

/** Reloads the queue whenever it changes in any process (new flags, holds, others' decisions). */
function useLiveQueue() {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/review/events");
    let first = true;
    const onPending = () => {
      // The first event is the count as of subscribing, which the page already shows.
      if (first) {
        first = false;
        return;
      }
      revalidate();
    };
    source.addEventListener("pending", onPending);
    return () => source.close();
  }, [revalidate]);
}

const DECISION_LABELS: Record<ReviewDecision, string> = {
  keep: "Keep (dismiss flags)",
  hide: "Hide",
  warn: "Hide and warn the author",
  silence: "Hide and silence the author",
};

function ItemCard({ item }: { item: ReturnType<typeof toView> }) {
  const navigation = useNavigation();
  const isBusy = navigation.state !== "idle" && navigation.formData?.get("targetId") === item.ref.id;
  const decisions = item.ref.type === "user" ? REVIEW_DECISIONS.filter((d) => d !== "hide") : REVIEW_DECISIONS;
  return (
    <li
      className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      aria-labelledby={`item-${item.key}`}
    >
      <h2 id={`item-${item.key}`} className="font-semibold">
        <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold uppercase text-slate-700 dark:bg-slate-800 dark:text-slate-200">
          {item.kindLabel}
        </span>
        {item.url ? <Link to={item.url}>{item.title || "(untitled)"}</Link> : item.title || "(untitled)"}
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        By {item.author.handle ? <Link to={`/u/${item.author.handle}`}>{item.author.name}</Link> : item.author.name}
        {item.author.isNew ? " · new account" : ""}
        {item.author.isSilenced ? " · silenced" : ""}
      </p>
      {item.excerpt ? (
        <blockquote className="whitespace-pre-line break-words border-l-4 border-slate-300 pl-3 text-sm dark:border-slate-700">
          {item.excerpt}
        </blockquote>
      ) : null}
      {item.hold ? (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Hidden and waiting for review: {item.hold.message}
        </p>
      ) : null}
      {item.flags.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">
            {item.flags.length} {item.flags.length === 1 ? "flag" : "flags"} (weight {item.totalWeight.toFixed(1)})
          </h3>
          <ul className="mt-1 space-y-1 text-sm">
            {item.flags.map((flag) => (
              <li key={flag.id}>
                <span className="font-medium">{flag.reasonLabel}</span>
                {flag.details ? `: ${flag.details}` : ""}
                {flag.duplicateOfId ? (
                  <>
                    {" "}
                    (original: <Link to={`/q/${flag.duplicateOfId}`}>question {flag.duplicateOfId}</Link>)
                  </>
                ) : null}
                <span className="text-slate-600 dark:text-slate-400">
                  {" "}
                  · flagger's record: {flag.flaggerUpheld} of {flag.flaggerDecided} earlier flags upheld ·{" "}
                  <RelativeTime date={flag.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="space-y-2">
        <input type="hidden" name="targetType" value={item.ref.type} />
        <input type="hidden" name="targetId" value={item.ref.id} />
        <TextField label="Note for the log and the author (optional)" name="note" maxLength={500} />
        <div className="flex flex-wrap gap-2">
          {decisions.map((decision) => (
            <Button
              key={decision}
              type="submit"
              name="decision"
              value={decision}
              disabled={isBusy}
              variant={decision === "keep" ? "secondary" : "danger"}
            >
              {DECISION_LABELS[decision]}
            </Button>
          ))}
          {item.editHref ? (
            <Link to={item.editHref} className="inline-flex min-h-11 items-center px-2 text-sm">
              Edit it
            </Link>
          ) : null}
        </div>
      </Form>
    </li>
  );
}

export default function ReviewQueue() {
  const { items, suggestions, settings, canEditSettings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useLiveQueue();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Review queue</h1>
      <p className="text-slate-700 dark:text-slate-300">
        Flagged and held posts, oldest first. Every decision is in the public{" "}
        <Link to="/moderation">moderation log</Link> (flaggers are never named); flaggers and authors are told the
        outcome.
      </p>
      {result && !result.ok ? <FormAlert>{result.message}</FormAlert> : null}
      <section aria-labelledby="flagged-heading" className="space-y-3">
        <h2 id="flagged-heading" className="text-lg font-semibold">
          Flagged and held ({items.length})
        </h2>
        {items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
            Nothing waiting. Thank you!
          </p>
        ) : (
          <ul className="space-y-4">
            {items.map((item) => (
              <ItemCard key={item.key} item={item} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="suggestions-heading" className="space-y-2">
        <h2 id="suggestions-heading" className="text-lg font-semibold">
          Suggested how-to edits ({suggestions.length})
        </h2>
        {suggestions.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">None waiting.</p>
        ) : (
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {suggestions.map((s) => (
              <li key={s.id}>
                <Link to={s.url}>{s.title ?? "a how-to"}</Link> · <RelativeTime date={s.createdAt} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {canEditSettings ? (
        <details className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
          <summary className="cursor-pointer font-semibold">Sensitivity settings</summary>
          <Form method="post" className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="settings" />
            {Object.entries(SETTING_LABELS).map(([key, label]) => (
              <TextField
                key={key}
                label={label}
                name={key}
                inputMode="numeric"
                defaultValue={String(settings[key as keyof typeof settings])}
              />
            ))}
            <Button type="submit">Save settings</Button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}
