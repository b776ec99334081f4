/** Suggested edits waiting on a how-to: its author or a moderator sees each as a diff against the current version and accepts or rejects it. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { z } from "zod";
import { asActor, requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HowtoDiff } from "~/components/HowtoDiff";
import { FormAlert } from "~/components/ui/Field";
import { howtoPath } from "~/lib/howtos";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { decideSuggestion, listPendingSuggestions } from "~/models/howto-suggestions.server";
import { PostingError } from "~/models/post-errors.server";
import { idField } from "~/lib/id-field";
import { requireId } from "~/lib/ids";
import { cx } from "~/lib/cx";
import { formFields } from "~/lib/forms";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Suggested edits · PeerDesk" }, { name: "robots", content: "noindex" }];

function parseId(raw: string | undefined): number {
  return requireId(raw, "There is no how-to at this address.");
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const howtoId = parseId(params.id);
  const user = await requireUser(request, context);
  try {
    const { title, revision, suggestions } = await listPendingSuggestions(context.services.db, {
      howtoId,
      actor: asActor(user),
    });
    return data({ howtoId, title, revision, suggestions }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    if (error instanceof PostingError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

/** Each decision carries the versions it was made on (the suggestion's time, the how-to's revision) so neither can change unseen. */
const decisionSchema = z.object({
  suggestionId: idField("That suggestion doesn't exist."),
  decision: z.enum(["accept", "reject"]),
  suggestedAt: z.coerce.date(),
  howtoRevision: z.coerce.number().int().positive(),
});

/**
 * With JavaScript, a refused decision loads the list again, so the suggestion or how-to that changed meanwhile shows as
 * it is now, as it does without JavaScript. Exporting this is what reloads it: with single fetch, Remix hands a route's
 * own shouldRevalidate `defaultShouldRevalidate: true` after every action, 4xx answers too, while a page without the
 * export is not loaded again after a refused <Form> post. The status tests only name the refusals this is for.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 404 || actionStatus === 409 || defaultShouldRevalidate;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const howtoId = parseId(params.id);
  const user = await requireUser(request, context);
  const parsed = decisionSchema.safeParse(formFields(await request.formData()));
  if (!parsed.success)
    return data(
      { message: "That request didn't look right. Please reload the page and try again.", suggestionId: null },
      { status: 400 },
    );
  const { suggestionId, decision, suggestedAt, howtoRevision } = parsed.data;
  try {
    await decideSuggestion(context.services.db, {
      suggestionId,
      actor: asActor(user),
      decision,
      shown: { suggestedAt, howtoRevision },
    });
  } catch (error) {
    if (error instanceof PostingError) return data({ message: error.message, suggestionId }, { status: error.status });
    throw error;
  }
  return redirect(`/howtos/${howtoId}/suggestions?decided=${decision === "accept" ? "accepted" : "rejected"}`, 303);
}

export default function HowtoSuggestions() {
  const { howtoId, title, revision, suggestions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const decided = searchParams.get("decided");
  const isBusy = navigation.state !== "idle";
  // A refusal about a suggestion still listed shows beside it, above its version as it is now.
  const refusedId = suggestions.some((s) => s.id === result?.suggestionId) ? result?.suggestionId : null;
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <header>
        <h1 className="text-2xl font-bold">Suggested edits</h1>
        <p className="mt-1">
          <Link to={howtoPath(howtoId)} dir="auto">
            {title}
          </Link>
        </p>
      </header>
      {result?.message && refusedId === null ? <FormAlert focusOn={result}>{result.message}</FormAlert> : null}
      {decided && !result ? (
        <FormAlert tone="success">
          {decided === "accepted"
            ? "Accepted: the suggested changes are in the how-to now, credited to their author."
            : "Rejected: the how-to is unchanged."}
        </FormAlert>
      ) : null}
      {suggestions.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
          No suggested edits are waiting. If a notification brought you here, that suggestion has already been accepted
          or rejected, or the person who sent it withdrew it.
        </p>
      ) : (
        <ol className="space-y-4">
          {suggestions.map((s) => (
            <li
              key={s.id}
              className="space-y-3 rounded-lg border border-slate-200 p-3 sm:p-4 dark:border-slate-800"
              aria-labelledby={`suggestion-${s.id}`}
            >
              <h2 id={`suggestion-${s.id}`} className="font-semibold">
                From <PersonName name={s.authorName} handle={s.authorHandle} />{" "}
                <RelativeTime date={s.createdAt} className="text-sm font-normal text-slate-600 dark:text-slate-400" />
              </h2>
              {result && s.id === refusedId ? <FormAlert focusOn={result}>{result.message}</FormAlert> : null}
              {s.note ? (
                <p className="text-sm">
                  “<span dir="auto">{s.note}</span>”
                </p>
              ) : null}
              {s.isStale ? <LaterEditsNote suggestion={s} /> : null}
              <HowtoDiff changes={s.diff} />
              <div className="flex flex-wrap gap-2">
                <Form method="post" hidden={s.isAlreadyIn}>
                  <ShownVersions suggestionId={s.id} suggestedAt={s.createdAt} howtoRevision={revision} />
                  <button
                    type="submit"
                    name="decision"
                    value="accept"
                    disabled={isBusy}
                    className={cx(
                      "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white",
                      "hover:bg-brand-700 disabled:bg-slate-400",
                    )}
                  >
                    Accept
                  </button>
                </Form>
                <Form method="post">
                  <ShownVersions suggestionId={s.id} suggestedAt={s.createdAt} howtoRevision={revision} />
                  <button
                    type="submit"
                    name="decision"
                    value="reject"
                    disabled={isBusy}
                    className={cx(
                      "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-900",
                      "hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
                    )}
                  >
                    Reject
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}

/** Which suggestion a decision is about, and the versions of it and of the how-to that the page showed. */
function ShownVersions({
  suggestionId,
  suggestedAt,
  howtoRevision,
}: {
  suggestionId: number;
  suggestedAt: Date | string;
  howtoRevision: number;
}) {
  return (
    <>
      <input type="hidden" name="suggestionId" value={suggestionId} />
      <input type="hidden" name="suggestedAt" value={new Date(suggestedAt).toISOString()} />
      <input type="hidden" name="howtoRevision" value={howtoRevision} />
    </>
  );
}

const PARTS = new Intl.ListFormat("en", { type: "conjunction" });

/**
 * Said when the how-to changed after the version a suggestion was written from: accepting keeps those later edits and
 * applies only what the suggestion changed, except where both changed the same part (named here).
 */
function LaterEditsNote({ suggestion }: { suggestion: { replacesLaterEdits: string[]; isAlreadyIn: boolean } }) {
  const { replacesLaterEdits, isAlreadyIn } = suggestion;
  let text: string;
  if (isAlreadyIn)
    text =
      "The how-to was edited after this was suggested, and everything it suggests is already there: accepting would change nothing. Reject it to close it.";
  else if (replacesLaterEdits.length === 0)
    text =
      "The how-to was edited after this was suggested. Accepting keeps those later edits and applies only the changes below.";
  else
    text = `The how-to was edited after this was suggested, and the suggestion also changes parts edited since (${PARTS.format(replacesLaterEdits)}). Accepting keeps every other later edit but uses the suggested wording for those parts, as shown below.`;
  return (
    <p
      className={cx(
        "rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900",
        "dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
      )}
    >
      {text}
    </p>
  );
}
