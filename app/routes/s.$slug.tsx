/** One space: its description and its questions, most recently active first. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/ErrorPage";
import { QuestionList } from "~/components/QuestionList";
import { listRecentQuestions } from "~/models/questions.server";
import { getSpaceBySlug } from "~/models/spaces.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.space.name} · PeerDesk` }, { name: "description", content: data.space.description }] : [{ title: "Space not found · PeerDesk" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const space = await getSpaceBySlug(db, params.slug ?? "");
  if (!space) throw new Response("There is no space at this address.", { status: 404 });
  const questions = await listRecentQuestions(db, { spaceId: space.id, limit: 30 });
  return { space: { name: space.name, description: space.description, slug: space.slug, isArchived: space.archivedAt !== null, isPlainLanguage: space.isPlainLanguage }, questions };
}

export default function SpacePage() {
  const { space, questions } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-bold">{space.name}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">{space.description}</p>
        {space.isArchived ? (
          <p className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            This space is archived: you can read it, but it takes no new posts.
          </p>
        ) : null}
      </header>
      <QuestionList questions={questions} showSpace={false} emptyText="No questions in this space yet." />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
