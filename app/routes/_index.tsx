/** Home: what PeerDesk is for, the spaces, and what is being asked right now. Public and the same for everyone. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { HowtoList } from "~/components/HowtoList";
import { QuestionList } from "~/components/QuestionList";
import { SpaceCards } from "~/components/SpaceCards";
import { getHomeData } from "~/models/public-data-memo.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  // Kept in memory between writes (dropped by the same announcements as the cached page): see the memo module.
  const { spaces, questions, howtos } = await getHomeData(db);
  const headers = publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.tracked });
  return data({ spaces, questions, howtos }, { headers });
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export default function Home() {
  const { spaces, questions, howtos } = useLoaderData<typeof loader>();
  const plainSpace = spaces.find((s) => s.isPlainLanguage);
  return (
    <div className="space-y-10">
      <section aria-labelledby="intro" className="rounded-2xl bg-brand-50 p-6 dark:bg-slate-900">
        <h1 id="intro" className="text-2xl font-bold sm:text-3xl">
          Answers from people who&apos;ve solved it before
        </h1>
        <p className="mt-2 max-w-2xl text-slate-700 dark:text-slate-300">
          IT professionals help each other here, and everyone at work can find clear, step-by-step help without the
          jargon.
        </p>
        <div className="mt-4 flex flex-wrap gap-3">
          {plainSpace ? (
            <Link
              to={`/s/${plainSpace.slug}`}
              className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white no-underline hover:bg-brand-700 hover:no-underline"
            >
              Get help in plain language
            </Link>
          ) : null}
          <Link
            to="/spaces"
            className="rounded-lg border border-brand-600 px-4 py-2 font-semibold no-underline hover:no-underline"
          >
            Browse IT spaces
          </Link>
        </div>
      </section>
      <section aria-labelledby="spaces-heading">
        <h2 id="spaces-heading" className="mb-3 text-lg font-semibold">
          Spaces
        </h2>
        <SpaceCards spaces={spaces} />
      </section>
      <section aria-labelledby="recent-heading">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="recent-heading" className="text-lg font-semibold">
            Recently active questions
          </h2>
          <Link to="/questions">All questions</Link>
        </div>
        <QuestionList questions={questions} emptyText="No questions yet. Be the first to ask." />
      </section>
      <section aria-labelledby="howtos-heading">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="howtos-heading" className="text-lg font-semibold">
            Most helpful how-tos
          </h2>
          <Link to="/howtos">All how-tos</Link>
        </div>
        <HowtoList howtos={howtos} emptyText="No how-tos yet." />
      </section>
    </div>
  );
}
