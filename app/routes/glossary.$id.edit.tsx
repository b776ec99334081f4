/** /glossary/:id/edit — moderators, admins and mentors edit or remove a glossary entry. */
import { requireId } from "~/lib/ids";
import { baseVersionOf, submittedValues } from "~/lib/forms";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData } from "@remix-run/react";
import { asActor, requireUserWith } from "~/auth/session.server";
import { CurrentVersion } from "~/components/CurrentVersion";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { type GlossaryActionData, GlossaryEntryForm, type GlossaryFormValues } from "~/components/GlossaryEntryForm";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import {
  GLOSSARY_LIMITS,
  deleteGlossaryEntry,
  getGlossaryEntry,
  getGlossaryRemoval,
  updateGlossaryEntry,
} from "~/models/glossary.server";
import { requireGlossaryEditor, saveGlossaryForm } from "./__glossary-editor.server";
import { formPageHeaders } from "~/lib/route-headers.server";
import { dayDate } from "~/lib/time";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error
    ? errorMeta(error)
    : [
        {
          title: page?.entry ? `Edit ${page.entry.term} · PeerDesk` : "No longer in the glossary · PeerDesk",
        },
      ];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = requireId(params.id, "There is no glossary entry at this address.");
  const user = await requireUserWith(request, context, "glossary.edit");
  const { db } = context.services;
  const entry = await getGlossaryEntry(db, id);
  if (entry) return data({ entry, removal: null, limits: GLOSSARY_LIMITS });
  // Not thrown: this loader also runs after a save refused because someone removed the entry meanwhile, and an
  // error page would replace that answer and the text it keeps. The page says who removed it and offers to add it.
  const removal = await getGlossaryRemoval(db, id);
  if (!removal) throw new Response("There is no glossary entry at this address.", { status: 404 });
  const removedBy = removal.removedById === user.id ? "You" : (removal.removedByName ?? "Someone");
  return data(
    { entry: null, removal: { term: removal.term, removedBy, removedAt: removal.removedAt }, limits: GLOSSARY_LIMITS },
    { status: 404 },
  );
}

/**
 * With JavaScript, a save refused because the entry was removed (404) loads the page again, so it says who removed it.
 * Exporting this is what reloads it: with single fetch, Remix hands a route's own shouldRevalidate
 * `defaultShouldRevalidate: true` after every action, refused ones too, while a page without the export is not loaded
 * again after a refused (4xx) <Form> post. The 404 test only names the refusal this is for.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 404 || defaultShouldRevalidate;

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = requireId(params.id, "There is no glossary entry at this address.");
  const formData = await request.formData();
  // Demoted since the form was opened: refused in words, with what was typed kept (the loader's 403 would lose it).
  const user = await requireGlossaryEditor(request, context, formData);
  const { db, search } = context.services;
  const intent = formData.get("intent");
  // Saving is never the default: a form naming neither button (an old page, a hand-made request) changes nothing.
  if (intent !== "save" && intent !== "delete")
    return data<GlossaryActionData>(
      {
        message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
        fieldErrors: {},
        values: submittedValues(formData),
      },
      { status: 400 },
    );
  return saveGlossaryForm(formData, { db, search }, async (entry) => {
    if (intent === "delete") {
      await deleteGlossaryEntry(db, { actor: asActor(user), id });
      return redirect("/glossary", 303);
    }
    const updated = await updateGlossaryEntry(db, {
      actor: asActor(user),
      id,
      entry,
      baseUpdatedAt: baseVersionOf(formData),
    });
    return redirect(`/glossary#${updated.slug}`, 303);
  });
}

export default function EditGlossaryTerm() {
  const { entry, removal, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!entry) return <RemovedEntry removal={removal} kept={result?.values} />;
  // After a save refused for someone else's change, the page's own data is from before it: the refusal says who.
  const last = result?.current ?? entry;
  const initial = {
    term: entry.term,
    expansion: entry.expansion,
    explanation: entry.explanation,
    synonyms: entry.synonyms.join(", "),
  };
  return (
    <div className="max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to={`/glossary#${entry.slug}`}>IT glossary</Link>
      </p>
      <h1 className="text-2xl font-bold">
        Edit “<bdi>{entry.term}</bdi>”
      </h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Last changed <ChangedBy name={last.updatedByName} /> on{" "}
        <time dateTime={new Date(last.updatedAt).toISOString()}>{dayDate(last.updatedAt)}</time>. Every change is listed
        in the <Link to="/moderation">moderation log</Link>.
      </p>
      <GlossaryEntryForm
        initial={initial}
        limits={limits}
        result={result}
        submitLabel="Save changes"
        baseUpdatedAt={new Date(entry.updatedAt).toISOString()}
      />
      <details className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <summary className="cursor-pointer font-medium">Remove this term</summary>
        <Form method="post" className="mt-3 space-y-2">
          <input type="hidden" name="intent" value="delete" />
          <p className="text-sm">
            Posts will no longer explain “<bdi>{entry.term}</bdi>”, and search will no longer treat its synonyms as the
            same word.
          </p>
          <Button type="submit" variant="danger">
            Remove “<bdi>{entry.term}</bdi>” from the glossary
          </Button>
        </Form>
      </details>
    </div>
  );
}

/** Who changed an entry last, their name in its own direction (or that it came with the starting glossary). */
function ChangedBy({ name }: { name: string | null }) {
  return name ? (
    <>
      by <bdi>{name}</bdi>
    </>
  ) : (
    "with the starting glossary"
  );
}

type Removal = { term: string | null; removedBy: string; removedAt: string | Date } | null;

/**
 * The entry was removed: said plainly, with who did it and when. After a save, what was typed is shown and can be
 * added as a new term in one step (posted to the add form, which keeps it if anything there is refused).
 */
function RemovedEntry({ removal, kept }: { removal: Removal; kept?: Record<string, string> }) {
  // The term in its own direction, inside the heading's English sentence.
  const named = removal?.term ? (
    <>
      “<bdi>{removal.term}</bdi>”
    </>
  ) : (
    "This entry"
  );
  const who = removal?.removedBy ?? "Someone";
  const when = removal ? (
    <time dateTime={new Date(removal.removedAt).toISOString()}>{dayDate(removal.removedAt)}</time>
  ) : null;
  // A removal sent again ("Remove this term") has no text to keep.
  const typed: GlossaryFormValues | null =
    kept && kept.intent !== "delete"
      ? {
          term: kept.term ?? "",
          expansion: kept.expansion ?? "",
          explanation: kept.explanation ?? "",
          synonyms: kept.synonyms ?? "",
        }
      : null;
  return (
    <div className="max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to="/glossary">IT glossary</Link>
      </p>
      <h1 className="text-2xl font-bold">{named} is no longer in the glossary</h1>
      {typed ? (
        <FormAlert focusOn={kept}>
          <bdi>{who}</bdi> removed this entry while you were editing it, so your changes were not saved. What you typed
          is below: you can add it to the glossary as a new term.
        </FormAlert>
      ) : (
        <p>
          <bdi>{who}</bdi> removed it on {when}. Every change is listed in the{" "}
          <Link to="/moderation">moderation log</Link>.
        </p>
      )}
      {typed ? (
        <>
          <CurrentVersion
            heading="What you typed"
            rows={[
              ["Term", typed.term],
              ["Full name", typed.expansion],
              ["Plain-language explanation", typed.explanation],
              ["Synonyms", typed.synonyms],
            ]}
          />
          <Form method="post" action="/glossary/new" className="flex flex-wrap items-center gap-3">
            <input type="hidden" name="intent" value="save" />
            {Object.entries(typed).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <Button type="submit">Add it as a new term</Button>
            <Link to="/glossary">Back to the glossary</Link>
          </Form>
        </>
      ) : (
        <p>
          <Link to="/glossary/new">Add a term</Link> · <Link to="/glossary">Back to the glossary</Link>
        </p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
