/** /glossary/:id/edit — moderators, admins and mentors edit or remove a glossary entry. */
import { requireId } from "~/lib/ids";
import { baseVersionOf } from "~/lib/forms";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { asActor, requireUserWith } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { GlossaryEntryForm } from "~/components/GlossaryEntryForm";
import { Button } from "~/components/ui/Button";
import { GLOSSARY_LIMITS, deleteGlossaryEntry, getGlossaryEntry, updateGlossaryEntry } from "~/models/glossary.server";
import { saveGlossaryForm } from "./__glossary-editor.server";
import { formPageHeaders } from "~/lib/route-headers.server";
import { dayDate } from "~/lib/time";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error ? errorMeta(error) : [{ title: `Edit ${page?.entry.term ?? "glossary term"} · PeerDesk` }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = requireId(params.id, "There is no glossary entry at this address.");
  await requireUserWith(request, context, "glossary.edit");
  const entry = await getGlossaryEntry(context.services.db, id);
  if (!entry) throw new Response("That entry is no longer in the glossary.", { status: 404 });
  return { entry, limits: GLOSSARY_LIMITS };
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = requireId(params.id, "There is no glossary entry at this address.");
  const user = await requireUserWith(request, context, "glossary.edit");
  const { db, search } = context.services;
  const formData = await request.formData();
  return saveGlossaryForm(formData, { db, search }, async (entry) => {
    if (formData.get("intent") === "delete") {
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
  const { entry, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
      <h1 className="text-2xl font-bold">Edit “{entry.term}”</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Last changed {last.updatedByName ? `by ${last.updatedByName}` : "with the starting glossary"} on{" "}
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
            Posts will no longer explain “{entry.term}”, and search will no longer treat its synonyms as the same word.
          </p>
          <Button type="submit" variant="danger">
            Remove “{entry.term}” from the glossary
          </Button>
        </Form>
      </details>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
