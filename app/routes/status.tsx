/**
 * `/status`: whether PeerDesk is working, in plain words, for the people who use it (the footer's "Status"). Load
 * balancers and monitors keep `/healthz`, which answers the same question as JSON. Checked on every visit, never cached.
 */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isDatabaseReachable } from "#db/client.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { LocalTime } from "~/components/LocalTime";
import { readerPage } from "~/lib/reader-pages";

export const meta: MetaFunction = ({ error }) =>
  error
    ? errorMeta(error)
    : [{ title: "Status · PeerDesk" }, { name: "description", content: "Whether PeerDesk is working right now." }];

export const handle = readerPage;

export async function loader({ context }: LoaderFunctionArgs) {
  const isWorking = await isDatabaseReachable(context.services.db);
  return data(
    { isWorking, checkedAt: new Date().toISOString() },
    { status: isWorking ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}

/** Never stored by the page cache or a browser: the answer is about this moment. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export default function Status() {
  const { isWorking, checkedAt } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Status</h1>
      {isWorking ? (
        <p className="rounded-lg border border-green-300 bg-green-50 p-4 text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100">
          <strong>PeerDesk is working normally.</strong> If a page still won&apos;t load for you, try again in a minute
          or ask a colleague whether it works for them.
        </p>
      ) : (
        <p className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <strong>PeerDesk is having trouble right now.</strong> Pages may not load, and what you post may not be saved.
          Please try again in a few minutes.
        </p>
      )}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Checked <LocalTime iso={checkedAt} />. Reload the page to check again.
      </p>
      <p className="text-sm">
        How quickly questions get answered, space by space: <Link to="/pulse">the community&apos;s pulse</Link>.
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
