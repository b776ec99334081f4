/** /glossary/new — moderators, admins and mentors add a term to the glossary. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { asActor, requireUserWith } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { GlossaryEntryForm } from "~/components/GlossaryEntryForm";
import { GLOSSARY_LIMITS, createGlossaryEntry } from "~/models/glossary.server";
import { requireGlossaryEditor, saveGlossaryForm } from "./__glossary-editor.server";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Add a glossary term · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "glossary.edit");
  return { limits: GLOSSARY_LIMITS };
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  // Demoted since the form was opened: refused in words, with what was typed kept (the loader's 403 would lose it).
  const user = await requireGlossaryEditor(request, context, formData);
  const { db, search } = context.services;
  return saveGlossaryForm(formData, { db, search }, async (entry) => {
    const created = await createGlossaryEntry(db, { actor: asActor(user), entry });
    return redirect(`/glossary#${created.slug}`, 303);
  });
}

export default function NewGlossaryTerm() {
  const { limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to="/glossary">IT glossary</Link>
      </p>
      <h1 className="text-2xl font-bold">Add a term</h1>
      <GlossaryEntryForm
        initial={{ term: "", expansion: "", explanation: "", synonyms: "" }}
        limits={limits}
        result={result}
        submitLabel="Add to the glossary"
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
