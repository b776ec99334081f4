/**
 * /glossary — the IT terms PeerDesk explains, A to Z, each with its full name, a plain-language explanation and its
 * synonyms, at a linkable anchor (/glossary#vpn). A search box filters it (a plain GET form). Moderators, admins and
 * mentors see links to add and edit entries.
 */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { type GlossaryEntry, filterGlossary, getGlossaryIndex } from "~/models/glossary.server";
import { can } from "~/models/permissions.server";
import { Fragment } from "react";
import { cx } from "~/lib/cx";
import { buttonClass } from "~/components/ui/Button";

export const meta: MetaFunction = () => [
  { title: "IT glossary · PeerDesk" },
  {
    name: "description",
    content: "Common IT terms and acronyms explained in plain words: MFA, VPN, DNS, phishing, OneDrive and more.",
  },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100).trim();
  const { entries } = await getGlossaryIndex(context.services.db);
  // Visitors all get the same page (canEdit false), so it stays cacheable for them.
  const canEdit = can(asActor(await getCurrentUser(request, context)), "glossary.edit");
  const shown = filterGlossary(entries, query).map(({ id, term, slug, expansion, explanation, synonyms }) => ({
    id,
    term,
    slug,
    expansion,
    explanation,
    synonyms,
  }));
  return { entries: shown, total: entries.length, query, canEdit };
}

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-cache" });

type Shown = Pick<GlossaryEntry, "id" | "term" | "slug" | "expansion" | "explanation" | "synonyms">;

function letterOf(term: string): string {
  const first = term.normalize("NFKD").charAt(0).toUpperCase();
  return /[A-Z]/.test(first) ? first : "#";
}

/** Entries under their first letter, in the order given (A to Z, or best match first while searching). */
function byLetter(entries: Shown[]): [string, Shown[]][] {
  const groups = new Map<string, Shown[]>();
  for (const entry of entries) {
    const letter = letterOf(entry.term);
    groups.set(letter, [...(groups.get(letter) ?? []), entry]);
  }
  return [...groups.entries()];
}

/** "a, b, c", each synonym in its own direction, so an Arabic one keeps its place in the English list. */
function Synonyms({ synonyms }: { synonyms: string[] }) {
  return synonyms.map((synonym, i) => (
    <Fragment key={synonym}>
      {i > 0 ? ", " : null}
      <bdi>{synonym}</bdi>
    </Fragment>
  ));
}

function Entry({ entry, canEdit }: { entry: Shown; canEdit: boolean }) {
  return (
    <div
      id={entry.slug}
      className="scroll-mt-4 rounded-lg border border-slate-200 p-3 target:border-brand-500 target:ring-2 target:ring-brand-500 dark:border-slate-800"
    >
      <dt className="flex flex-wrap items-baseline justify-between gap-2">
        <span>
          <a
            href={`#${entry.slug}`}
            dir="auto"
            className="text-lg font-semibold text-slate-900 no-underline hover:underline dark:text-white"
          >
            {entry.term}
          </a>
          {entry.expansion ? (
            <span dir="auto" className="ml-2 text-slate-600 dark:text-slate-300">
              {entry.expansion}
            </span>
          ) : null}
        </span>
        {canEdit ? (
          <Link to={`/glossary/${entry.id}/edit`} className="text-sm" aria-label={`Edit ${entry.term}`}>
            Edit
          </Link>
        ) : null}
      </dt>
      <dd dir="auto" className="mt-1 leading-relaxed">
        {entry.explanation}
      </dd>
      {entry.synonyms.length > 0 ? (
        <dd className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Also called: <Synonyms synonyms={entry.synonyms} />
        </dd>
      ) : null}
    </div>
  );
}

export default function Glossary() {
  const { entries, total, query, canEdit } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const groups = byLetter(entries);
  return (
    <div className="space-y-5">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-bold">IT glossary</h1>
          {canEdit ? (
            <Link to="/glossary/new" className={buttonClass("primary")}>
              Add a term
            </Link>
          ) : null}
        </div>
        <p className="text-slate-600 dark:text-slate-300">
          {total} terms and acronyms explained in plain words. Posts explain them too: tap a dotted term to see what it
          means.
        </p>
      </header>
      <Form method="get" role="search" aria-label="Search the glossary" className="flex flex-wrap items-end gap-2">
        <label className="min-w-0 flex-1 text-sm font-medium">
          Search the glossary
          <input
            type="search"
            name="q"
            defaultValue={searchParams.get("q") ?? ""}
            maxLength={100}
            className="mt-1 block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-base dark:border-slate-600 dark:bg-slate-900"
          />
        </label>
        <button
          type="submit"
          className="min-h-11 rounded-lg border border-slate-300 px-4 text-sm font-semibold dark:border-slate-600"
        >
          Search
        </button>
      </Form>
      {query ? (
        <p role="status" className="text-sm">
          {entries.length === 1 ? "1 term matches" : `${entries.length} terms match`} “<bdi>{query}</bdi>”.{" "}
          <Link to="/glossary">Show all terms</Link>
        </p>
      ) : (
        <nav aria-label="Letters" className="flex flex-wrap gap-1">
          {groups.map(([letter]) => (
            <a
              key={letter}
              href={`#letter-${letter}`}
              className={cx(
                "inline-flex min-h-11 min-w-11 items-center justify-center rounded-md border border-slate-200 font-semibold no-underline",
                "dark:border-slate-700",
              )}
            >
              {letter}
            </a>
          ))}
        </nav>
      )}
      {groups.map(([letter, group]) => (
        <section key={letter} aria-labelledby={`letter-${letter}`} className="space-y-2">
          <h2 id={`letter-${letter}`} className="scroll-mt-4 text-xl font-semibold">
            {letter}
          </h2>
          <dl className="space-y-2">
            {group.map((entry) => (
              <Entry key={entry.id} entry={entry} canEdit={canEdit} />
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
