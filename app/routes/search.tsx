/** Search questions by words; works without JavaScript (a GET form). */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { QuestionList } from "~/components/QuestionList";
import { Button } from "~/components/ui/Button";
import { searchQuestions } from "~/models/questions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.query ? `“${data.query}” · Search · PeerDesk` : "Search · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = (new URL(request.url).searchParams.get("q") ?? "").trim();
  const tooLong = query.length > 200;
  const results = tooLong ? [] : await searchQuestions(context.services.db, query);
  return { query: query.slice(0, 200), results, message: tooLong ? "That search is very long. Try a few key words instead." : null };
}

export default function Search() {
  const { query, results, message } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Search</h1>
      <Form method="get" role="search" className="flex gap-2">
        <label htmlFor="search-page-q" className="sr-only">
          Search words
        </label>
        <input id="search-page-q" name="q" type="search" defaultValue={query} className="w-full rounded-lg border border-slate-300 px-3 py-2 text-base dark:border-slate-600 dark:bg-slate-900" />
        <Button type="submit">Search</Button>
      </Form>
      {message ? <p role="alert">{message}</p> : null}
      {query ? (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
            {results.length} {results.length === 1 ? "result" : "results"} for “{query}”
          </p>
          <QuestionList questions={results} emptyText="No questions match those words. Try fewer or different words." />
        </>
      ) : null}
    </div>
  );
}
