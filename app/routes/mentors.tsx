/** /mentors — people who help others learn, filtered by what they know and where they answer. Works without JavaScript. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { PersonName } from "~/components/PersonName";
import { normalizeTag } from "~/lib/tags";
import { listMentorTags, listMentors } from "~/models/mentors.server";
import { getSpaceNames } from "~/models/public-data-memo.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";

export const meta: MetaFunction = () => [
  { title: "Mentors · PeerDesk" },
  {
    name: "description",
    content: "Find an experienced colleague by what they know: networking, Microsoft 365, security and more.",
  },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const params = new URL(request.url).searchParams;
  const tag = normalizeTag(params.get("tag") ?? "") || null;
  const spaces = await getSpaceNames(db);
  const spaceSlug = spaces.some((space) => space.slug === params.get("space")) ? params.get("space") : null;
  const [mentors, tags] = await Promise.all([listMentors(db, { tag, spaceSlug }), listMentorTags(db)]);
  // Mentor statistics come from answers and ratings too: dropped with every list, and short-lived.
  const headers = publicPageHeaders(request, {
    tags: [TAGS.people, TAGS.lists],
    maxAgeSeconds: LIFETIME_SECONDS.untracked,
  });
  return data({ mentors, tags, spaces, filters: { tag, space: spaceSlug } }, { headers });
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export default function Mentors() {
  const { mentors, tags, spaces, filters } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const hasFilters = Boolean(filters.tag || filters.space);
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Mentors</h1>
        <p className="text-slate-600 dark:text-slate-300">
          Colleagues who are glad to help you learn. Pick what you need help with, then ask them on their profile or
          invite them to your question.
        </p>
      </header>
      <Form
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end dark:border-slate-800"
        onChange={(event) => submit(event.currentTarget, { replace: true })}
      >
        <label className="block text-sm font-medium">
          Knows about
          <select
            name="tag"
            defaultValue={filters.tag ?? ""}
            className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-2 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">Any topic</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium">
          Answers in
          <select
            name="space"
            defaultValue={filters.space ?? ""}
            className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-2 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">Any space</option>
            {spaces.map((space) => (
              <option key={space.slug} value={space.slug}>
                {space.name}
              </option>
            ))}
          </select>
        </label>
        <div className="flex gap-2">
          <button
            type="submit"
            className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium dark:border-slate-700"
          >
            Show mentors
          </button>
          {hasFilters ? (
            <Link to="/mentors" className="inline-flex min-h-11 items-center px-2 text-sm">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>
      <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        {mentors.length} {mentors.length === 1 ? "mentor" : "mentors"}
        {filters.tag ? ` who ${mentors.length === 1 ? "knows" : "know"} about ${filters.tag}` : ""}
        {filters.space
          ? ` answering in ${spaces.find((space) => space.slug === filters.space)?.name ?? filters.space}`
          : ""}
      </p>
      {mentors.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
          No mentor matches yet. Try another topic, or <Link to="/ask">ask the whole community</Link>.
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {mentors.map((mentor) => (
            <li key={mentor.id} className="space-y-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
              <div className="flex items-baseline justify-between gap-2">
                <h2 dir="auto" className="font-semibold">
                  <PersonName name={mentor.name} handle={mentor.handle} />
                </h2>
                {mentor.role === "mentor" ? (
                  <span className="rounded-full bg-brand-100 px-2 py-0.5 text-xs font-medium text-brand-800">
                    Mentor
                  </span>
                ) : null}
              </div>
              <p dir="auto" className="text-sm">
                {mentor.pitch || mentor.bio || "Open to mentoring."}
              </p>
              {mentor.expertise.length > 0 ? (
                <ul aria-label={`${mentor.name} knows about`} className="flex flex-wrap gap-1">
                  {mentor.expertise.map((tag) => (
                    <li key={tag}>
                      <Link
                        to={`/mentors?tag=${encodeURIComponent(tag)}`}
                        dir="auto"
                        className="inline-flex min-h-6 items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 no-underline dark:bg-slate-800 dark:text-slate-200"
                      >
                        {tag}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : null}
              <p className="text-xs text-slate-600 dark:text-slate-400">
                Helped solve {mentor.helpedSolve} {mentor.helpedSolve === 1 ? "question" : "questions"}
                {mentor.languages ? ` · Speaks ${mentor.languages}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
