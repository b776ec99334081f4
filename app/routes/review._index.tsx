/**
 * /review — the moderators' one queue: flagged things (grouped, with reasons and each flagger's track record),
 * content held for review, and suggested how-to edits; each decided here and recorded in the public moderation log.
 * The list refreshes itself when the queue changes (Server-Sent Events); without JavaScript, on every load.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
} from "@remix-run/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { KeptText } from "~/components/KeptText";
import { useEventSource } from "~/lib/event-source";
import { asActor, requireUser, requireUserWith } from "~/auth/session.server";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { useFocusRowAfterRemoval, useFocusWhenSettled } from "~/lib/focus";
import { CloseFromQueue } from "~/components/review/CloseFromQueue";
import { MoreWaiting, ReviewTabs } from "~/components/review/ReviewTabs";
import { SilencedMembers } from "~/components/review/SilencedMembers";
import { type Actor, can, canModeratePerson } from "~/models/permissions.server";
import { countReopenQueue, listSilencedMembers } from "~/models/review-actions.server";
import {
  countFlaggedOrHeld,
  REVIEW_DECISIONS,
  type ReviewDecision,
  type ReviewItem,
  listPendingSuggestedEdits,
  listReviewQueue,
} from "~/models/review-queue.server";
import { type ReviewActionData, refusedReviewForm, runReviewAction } from "./__review-actions.server";
import {
  TRUST_SETTING_DEFAULTS,
  TRUST_SETTING_LIMITS,
  getTrustSettings,
  readTrustSettingsForm,
  setTrustSettings,
} from "~/models/trust-settings.server";
import { loaderAndRetryAfterHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Review queue · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "review.view");
  const { db } = context.services;
  const actor = asActor(user);
  const [items, flaggedCount, suggestions, settings, silenced, reopenCount] = await Promise.all([
    listReviewQueue(db),
    countFlaggedOrHeld(db),
    listPendingSuggestedEdits(db),
    getTrustSettings(db),
    listSilencedMembers(db),
    countReopenQueue(db),
  ]);
  return data(
    {
      items: items.map((item) => toView(item, actor)),
      suggestions,
      settings,
      // Lifting is offered only where the server would allow it (canModeratePerson): not one's own, not a peer's.
      silenced: silenced.map((member) => ({
        ...member,
        canLift: canModeratePerson(actor, { id: member.userId, role: member.role }),
      })),
      flaggedCount,
      reopenCount,
      // From the server module that defines them: a browser bundle can't import a .server module's values.
      decisions: REVIEW_DECISIONS,
      settingRanges: Object.fromEntries(
        Object.entries(TRUST_SETTING_LIMITS).map(([key, range]) => [
          key,
          { ...range, default: TRUST_SETTING_DEFAULTS[key as keyof typeof TRUST_SETTING_DEFAULTS] },
        ]),
      ),
      canEditSettings: can(actor, "trust.settings"),
      canClose: can(actor, "question.close"),
      canLiftSilence: can(actor, "user.silence"),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** The queue names flagged content and its authors: never kept by a browser or shared cache. */
export const headers = loaderAndRetryAfterHeaders;

/**
 * Where a moderator edits the post (questions, answers and how-tos have their own edit pages). Not while it is held:
 * hidden posts aren't edited, so "Keep" comes first.
 */
function editHref(item: ReviewItem): string | null {
  if (item.ref.type !== "post" || item.hold) return null;
  if (item.kindLabel === "question") return `/q/${item.ref.id}/edit`;
  if (item.kindLabel === "answer") return `/a/${item.ref.id}/edit`;
  if (item.kindLabel === "how-to") return `/howtos/${item.ref.id}/edit`;
  return null;
}

/**
 * `canModerateAuthor`: whether warn and silence (and any decision on a profile) would be allowed, to offer only those.
 * An anonymous asker is unknown here: every decision is offered but silence, and the server still checks each one.
 */
function toView(item: ReviewItem, actor: Actor) {
  const { author } = item;
  return {
    ...item,
    key: `${item.ref.type}:${item.ref.id}`,
    editHref: editHref(item),
    canModerateAuthor: author.isAnonymous || canModeratePerson(actor, author),
    // A moderator's own post or profile is kept by an admin (decideReviewItem); a staff profile is never hidden.
    canKeep: author.isAnonymous || !(actor && actor.id === author.id && actor.role !== "admin"),
    isStaffProfile:
      item.ref.type === "user" && !author.isAnonymous && (author.role === "moderator" || author.role === "admin"),
  };
}

const SETTING_LABELS: Record<keyof typeof TRUST_SETTING_DEFAULTS, string> = {
  hideThreshold: "Flag weight that hides a post (a member's first flag weighs 1, a new account's 0.25)",
  newAccountDays: "Days an account counts as new",
  newAccountDailyPosts: "Posts a new account may write a day",
  newAccountMaxLinks: "Links a new account's post may carry before it is held",
  maxLinks: "Links anyone's post may carry before it is held",
  repeatedTextCount: "Earlier copies of a new account's text that hold it",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  // Not staff (demoted in another tab, or never): said in words, with the note kept (the loader's 403 would lose it).
  const reviewer = asActor(user);
  if (reviewer && !can(reviewer, "review.view")) throw await refusedReviewForm(context.services.db, reviewer, form);
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const { db } = context.services;
  if (text("intent") === "settings") {
    if (!can(asActor(user), "trust.settings"))
      return data<ReviewActionData>(
        { ok: false, intent: "settings", message: "Only admins change these settings." },
        { status: 403 },
      );
    // Checked whole before anything is saved: a refused form used to save the fields before its mistake.
    const values = Object.fromEntries(Object.keys(SETTING_LABELS).map((key) => [key, text(key)]));
    const read = readTrustSettingsForm(values, SETTING_LABELS);
    if (!read.ok)
      return data<ReviewActionData>(
        {
          ok: false,
          intent: "settings",
          message: "Nothing was saved: please fix the highlighted settings.",
          fieldErrors: read.fieldErrors,
          values,
        },
        { status: 400 },
      );
    await setTrustSettings(db, { settings: read.settings, by: user.id });
    return redirect("/review?saved=settings#settings-heading", 303);
  }
  const actor = asActor(user);
  if (!actor) throw new Response("Please sign in first.", { status: 401 });
  return runReviewAction(db, actor, form, context.services.baseURL);
}

/** Reloads the queue whenever it changes in any process (new flags, holds, others' decisions). */
function useLiveQueue() {
  const { revalidate } = useRevalidator();
  // The first event of each connection is the count as of subscribing: the page shows it already, or (reconnected)
  // reloads anyway, since what changed meanwhile was not heard.
  const isFirst = useRef(true);
  useEventSource("/review/events", {
    events: {
      pending: () => {
        if (isFirst.current) {
          isFirst.current = false;
          return;
        }
        revalidate();
      },
    },
    onReconnect: () => {
      isFirst.current = true;
      revalidate();
    },
  });
}

/**
 * Notes typed on cards that the live update removed because another moderator decided them meanwhile: kept to copy,
 * with a line saying what happened. A card this moderator sent is not counted (its own outcome is shown).
 */
function useNotesOfDecidedCards(items: readonly { key: string; title: string }[]) {
  const typed = useRef(new Map<string, { title: string; note: string }>());
  const [lostNotes, setLostNotes] = useState<{ key: string; title: string; note: string }[]>([]);
  useEffect(() => {
    const listed = new Set(items.map((item) => item.key));
    const gone = [...typed.current].filter(([key]) => !listed.has(key));
    if (gone.length === 0) return;
    for (const [key] of gone) typed.current.delete(key);
    setLostNotes((shown) => [...shown, ...gone.map(([key, lost]) => ({ key, ...lost }))]);
  }, [items]);
  const formOf = (target: EventTarget) =>
    target instanceof HTMLFormElement ? target : target instanceof HTMLInputElement ? target.form : null;
  const watchNotes = {
    onInput: (event: FormEvent<HTMLElement>) => {
      const form = formOf(event.target);
      const key = form?.dataset.reviewKey;
      if (!form || !key || !(event.target instanceof HTMLInputElement) || event.target.name !== "note") return;
      const note = event.target.value.trim();
      if (note) typed.current.set(key, { title: form.dataset.reviewTitle ?? "", note });
      else typed.current.delete(key);
    },
    onSubmit: (event: FormEvent<HTMLElement>) => {
      const key = formOf(event.target)?.dataset.reviewKey;
      if (key) typed.current.delete(key);
    },
  };
  return { lostNotes, watchNotes };
}

/**
 * A refused decision whose card is gone: what happened (a decision taken first says who took it, this moderator or
 * another), and the note that was typed (not saved), to copy.
 */
function RefusedDecision({ failure }: { failure: ReviewActionData }) {
  const note = failure.values?.note?.trim() ?? "";
  return (
    <FormAlert focusOn={failure}>
      {failure.message}
      {note ? (
        <>
          {" Your note was not saved:"}
          <KeptText id="refused-note" label="Your note" text={note} isLabelHidden />
        </>
      ) : null}
    </FormAlert>
  );
}

/** What the page says after a decision, so keyboard and screen-reader users know it worked. */
const DECIDED_MESSAGES: Record<string, string> = {
  keep: "Kept: the flags are dismissed and anything held is published.",
  hide: "Hidden.",
  warn: "Hidden, and the author was warned.",
  silence: "Hidden, and the author is silenced.",
  close: "The question is closed and its flaggers were told.",
  liftSilence: "The silence is lifted and the member was told.",
};

const DECISION_LABELS: Record<ReviewDecision, string> = {
  keep: "Keep (dismiss flags)",
  hide: "Hide",
  warn: "Hide and warn the author",
  silence: "Hide and silence the author",
};

/** The decisions a card offers: none that act on the person unless this moderator may act on them (the server checks too). */
function offeredDecisions(item: ReturnType<typeof toView>, all: readonly ReviewDecision[]): readonly ReviewDecision[] {
  // On a profile every upheld decision hides it; "hide" alone is offered for posts and comments only.
  const offered =
    item.ref.type === "user"
      ? item.canModerateAuthor && !item.isStaffProfile
        ? all.filter((d) => d !== "hide")
        : all.filter((d) => d === "keep")
      : item.canModerateAuthor
        ? all
        : all.filter((d) => d !== "warn" && d !== "silence");
  // Silencing an anonymous asker names them in the log and the silenced list: it follows the logged look-up instead.
  const named = item.author.isAnonymous ? offered.filter((d) => d !== "silence") : offered;
  return item.canKeep ? named : named.filter((d) => d !== "keep");
}

/** The byline: the author, or (asked without a name) the question page's words and where a look-up is logged. */
function ReviewByline({ item }: { item: ReturnType<typeof toView> }) {
  const { author } = item;
  if (author.isAnonymous)
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300">
        By {author.name}.{" "}
        {item.kindLabel === "question"
          ? "This question was asked without a name."
          : "Its author asked this thread's question without a name."}{" "}
        You can decide without knowing who it is. <LookUpAskerHint item={item} questionId={author.questionId} />
      </p>
    );
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300">
      By <PersonName name={author.name} handle={author.handle} />
      {author.isNew ? " · new account" : ""}
      {author.isSilenced ? " · silenced" : ""}
    </p>
  );
}

/** Silencing an anonymous asker follows the logged look-up, on the close page of a question still in sight. */
function LookUpAskerHint({ item, questionId }: { item: ReturnType<typeof toView>; questionId: number }) {
  // A held question is hidden, and its close page (where the look-up is) opens only once it is kept.
  if (item.hold !== null && item.kindLabel === "question")
    return "To silence them, keep it first: then look up who asked from the question's close page. Each look-up is recorded in the moderation log.";
  return (
    <>
      To silence them, first <Link to={`/q/${questionId}/close#reveal-heading`}>look up who asked</Link>. Each look-up
      is recorded in the moderation log.
    </>
  );
}

/** A flag's note after its reason: the flagger's words, or that they went with the flagger's deleted account. */
function flagNote(flag: { details: string; isNoteRemoved: boolean }): string {
  if (flag.isNoteRemoved) return " (the flagger's account was deleted; any note they wrote was removed with it)";
  return flag.details ? `: ${flag.details}` : "";
}

function ItemCard({
  item,
  allDecisions,
  canClose,
  failure,
}: {
  item: ReturnType<typeof toView>;
  allDecisions: readonly ReviewDecision[];
  canClose: boolean;
  failure?: ReviewActionData;
}) {
  const navigation = useNavigation();
  const isBusy = navigation.state !== "idle" && navigation.formData?.get("targetId") === item.ref.id;
  const closeFailure = failure?.intent === "close";
  // Closing is offered for questions still in sight; a held question is decided first (keep or hide).
  const isClosable = canClose && item.ref.type === "post" && item.kindLabel === "question" && item.hold === null;
  const decisions = offeredDecisions(item, allDecisions);
  return (
    <li
      data-row-key={item.ref.id}
      className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      aria-labelledby={`item-${item.key}`}
    >
      {/* One level below the section's "Flagged and held" heading; the kind and the title read as two words. */}
      <h3 id={`item-${item.key}`} className="font-semibold">
        <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold uppercase text-slate-700 dark:bg-slate-800 dark:text-slate-200">
          {item.kindLabel}
        </span>
        <span className="sr-only">:</span>{" "}
        {item.url ? (
          <Link to={item.url} dir="auto">
            {item.title || "(untitled)"}
          </Link>
        ) : (
          <span dir="auto">{item.title || "(untitled)"}</span>
        )}
      </h3>
      <ReviewByline item={item} />
      {item.excerpt ? (
        <blockquote
          dir="auto"
          className="whitespace-pre-line break-words border-l-4 border-slate-300 pl-3 text-sm dark:border-slate-700"
        >
          {item.excerpt}
        </blockquote>
      ) : null}
      {item.isWithdrawn ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Its asker withdrew this question, so the session no longer shows it. The flags on it still need a decision.
        </p>
      ) : null}
      {item.hold ? (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Hidden and waiting for review: {item.hold.message}
        </p>
      ) : null}
      {item.flags.length > 0 ? (
        <div>
          <h4 className="text-sm font-semibold">
            {item.flags.length} {item.flags.length === 1 ? "flag" : "flags"} (weight {item.totalWeight.toFixed(1)})
          </h4>
          <ul className="mt-1 space-y-1 text-sm">
            {item.flags.map((flag) => (
              <li key={flag.id}>
                <span className="font-medium">{flag.reasonLabel}</span>
                {flagNote(flag)}
                {flag.duplicateOfId ? (
                  <>
                    {" "}
                    (original: <Link to={`/q/${flag.duplicateOfId}`}>question {flag.duplicateOfId}</Link>)
                  </>
                ) : null}
                <span className="text-slate-600 dark:text-slate-400">
                  {" "}
                  · flagger's record: {flag.flaggerUpheld} of {flag.flaggerDecided} earlier flags upheld ·{" "}
                  {flag.flaggerNewSince ? (
                    <>
                      new account, joined <RelativeTime date={flag.flaggerNewSince} /> (its flags weigh less) ·{" "}
                    </>
                  ) : null}
                  <RelativeTime date={flag.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="space-y-2" data-review-key={item.key} data-review-title={item.title}>
        {failure && !closeFailure ? <FormAlert>{failure.message}</FormAlert> : null}
        {item.isStaffProfile ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Moderators' and admins' profiles can't be hidden. An admin can change their role first.
          </p>
        ) : item.canModerateAuthor ? null : (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {item.ref.type === "user" ? "Hiding this profile" : "Warning or silencing the author"} isn't offered: only
            an admin can do that to a moderator, and nobody can do it to an admin or to their own account.
          </p>
        )}
        {item.canKeep ? null : (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            This is yours, so an admin decides whether to keep it. You can still edit or delete it.
          </p>
        )}
        <input type="hidden" name="intent" value="decide" />
        <input type="hidden" name="targetType" value={item.ref.type} />
        <input type="hidden" name="targetId" value={item.ref.id} />
        {decisions.length > 0 ? (
          <TextField
            label="Note for the log and the author (optional)"
            name="note"
            maxLength={500}
            defaultValue={failure?.values?.note}
          />
        ) : null}
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
      {isClosable ? (
        <CloseFromQueue questionId={item.ref.id} isBusy={isBusy} failure={closeFailure ? failure : undefined} />
      ) : null}
    </li>
  );
}

export default function ReviewQueue() {
  const {
    items,
    flaggedCount,
    suggestions,
    settings,
    silenced,
    reopenCount,
    decisions,
    canEditSettings,
    settingRanges,
    canClose,
    canLiftSilence,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const decided = searchParams.get("decided");
  const failure = result && !result.ok ? result : undefined;
  const settingsFailure = failure?.intent === "settings" ? failure : undefined;
  const busyUserId =
    navigation.formData?.get("intent") === "liftSilence" ? String(navigation.formData.get("userId")) : null;
  useLiveQueue();
  const { lostNotes, watchNotes } = useNotesOfDecidedCards(items);
  // A refused decision whose card is still listed shows in it; one whose card is gone (decided meanwhile) above them.
  const isOnCard = (refused: ReviewActionData) =>
    refused.targetId !== undefined && items.some((item) => item.ref.id === refused.targetId);
  const listRef = useRef<HTMLUListElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  // A decided card leaves the queue: focus the card that took its place, else the last, else the outcome message.
  useFocusRowAfterRemoval(
    listRef,
    navigation,
    (form) => (form.get("intent") === "decide" || form.get("intent") === "close" ? String(form.get("targetId")) : null),
    () => document.querySelector("[data-decided]") ?? sectionRef.current?.querySelector("h2"),
  );
  // A refused decision stays in its card: focus its message (declared last, so it wins over the card itself).
  useFocusWhenSettled(failure, () => {
    const card = failure?.targetId ? listRef.current?.querySelector(`[data-row-key="${failure.targetId}"]`) : null;
    return (card ?? document).querySelector("[role=alert]");
  });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Review queue</h1>
      <ReviewTabs flagged={flaggedCount} reopen={reopenCount} />
      {decided ? (
        <p role="status" data-decided className="rounded-lg bg-brand-50 p-3 text-sm font-medium dark:bg-slate-900">
          {DECIDED_MESSAGES[decided] ?? "Done."} It is in the moderation log.
        </p>
      ) : null}
      <p className="text-slate-700 dark:text-slate-300">
        Flagged and held posts, oldest first. Every decision is in the public{" "}
        <Link to="/moderation">moderation log</Link> (flaggers are never named); flaggers and authors are told the
        outcome.
      </p>
      {failure && failure.intent !== "settings" && failure.intent !== "liftSilence" && !isOnCard(failure) ? (
        <RefusedDecision failure={failure} />
      ) : null}
      {lostNotes.map((lost) => (
        <FormAlert key={lost.key}>
          “{lost.title || "(untitled)"}” was decided meanwhile (by another moderator, or by you in another tab or
          window); your note was not saved:
          <KeptText id={`lost-note-${lost.key}`} label="Your note" text={lost.note} isLabelHidden />
        </FormAlert>
      ))}
      <section ref={sectionRef} aria-labelledby="flagged-heading" className="space-y-3">
        <h2 id="flagged-heading" className="text-lg font-semibold">
          Flagged and held ({flaggedCount})
        </h2>
        <MoreWaiting shown={items.length} total={flaggedCount} />
        {items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
            Nothing waiting. Thank you!
          </p>
        ) : (
          <ul ref={listRef} className="space-y-4" {...watchNotes}>
            {items.map((item) => (
              <ItemCard
                key={item.key}
                item={item}
                allDecisions={decisions}
                canClose={canClose}
                failure={failure?.targetId === item.ref.id ? failure : undefined}
              />
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
      {canLiftSilence ? (
        <SilencedMembers
          members={silenced}
          busyUserId={busyUserId}
          failure={failure?.intent === "liftSilence" ? failure : undefined}
        />
      ) : null}
      {canEditSettings ? (
        <details
          className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
          // Open again after a save or a refusal, so its message is seen.
          open={settingsFailure !== undefined || searchParams.get("saved") === "settings"}
        >
          <summary id="settings-heading" className="cursor-pointer font-semibold">
            Sensitivity settings
          </summary>
          <Form method="post" className="mt-3 space-y-3" noValidate>
            {settingsFailure ? <FormAlert focusOn={settingsFailure}>{settingsFailure.message}</FormAlert> : null}
            {searchParams.get("saved") === "settings" && !settingsFailure ? (
              <FormAlert tone="success">Settings saved. They apply to the next flag, post and sign-up.</FormAlert>
            ) : null}
            <input type="hidden" name="intent" value="settings" />
            {Object.entries(SETTING_LABELS).map(([key, label]) => {
              const settingKey = key as keyof typeof settings;
              const range = settingRanges[key];
              return (
                <TextField
                  key={key}
                  label={label}
                  name={key}
                  inputMode="numeric"
                  defaultValue={settingsFailure?.values?.[key] ?? String(settings[settingKey])}
                  error={settingsFailure?.fieldErrors?.[key]}
                  hint={range ? `${range.min} to ${range.max}; empty goes back to ${range.default}.` : undefined}
                />
              );
            })}
            <Button type="submit">Save settings</Button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
