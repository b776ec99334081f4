/** The one error page: friendly words for 403/404/etc., details only in development. */
import { KeptText } from "~/components/KeptText";
import { Link, type MetaDescriptor, isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import { useEffect, useState } from "react";
import { isUnreachable } from "~/lib/offline";
import { keepDroppedPost, wasSendingPost } from "~/lib/unsent-form";

const messages: Record<number, { title: string; body: string }> = {
  400: { title: "That request didn't look right", body: "Please go back and try again." },
  401: { title: "Please sign in", body: "You need to be signed in to see this page." },
  403: { title: "Not allowed", body: "Your account doesn't have permission to do that." },
  404: {
    title: "Page not found",
    body: "We couldn't find that page. It may have moved, or the link may be mistyped. Try searching for what you wanted.",
  },
  // A form sent to a page that takes none (or a method no page answers): trying again the same way never works.
  405: {
    title: "This page can't take a form",
    body: "This page can only be opened, not sent a form. Open it from its link or the address bar instead.",
  },
  429: { title: "Please wait a moment", body: "We need a short pause before you can do that again." },
};

/** The heading and words the error page shows for `error` (the heading is also the tab's title). */
function errorWords(error: unknown): { status: number; title: string; body: string } {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // A save refused because its post went away hands back what was typed: "Page not found" would read as a bad link.
  // Signed out meanwhile with nothing typed (a vote) keeps "Please sign in" (requireUser).
  const saved = keptTextOf(error);
  if (saved && (saved.kept || status !== 401)) return { status, title: "What you wrote wasn't saved", body: "" };
  const known = messages[status] ?? {
    title: "Something went wrong",
    body: "We couldn't show this page. Please try again in a moment.",
  };
  return { status, ...known };
}

/**
 * A refused save says why and hands back what was typed (see goneWhileEditing), so nothing is lost; `back` is a page
 * still there to return to (goneWhileWriting), on this site only.
 */
function keptTextOf(error: unknown): { message: string; kept: string; back: BackLink | null } | null {
  const data: unknown = isRouteErrorResponse(error) ? error.data : null;
  return data && typeof data === "object" && "message" in data && "kept" in data
    ? { message: String(data.message), kept: String(data.kept), back: backLinkOf(data) }
    : null;
}

/** A page to go back to, named by its link's words. */
type BackLink = { path: string; label: string };

function backLinkOf(data: object): BackLink | null {
  const back: unknown = "back" in data ? data.back : null;
  if (!back || typeof back !== "object" || !("path" in back) || !("label" in back)) return null;
  const path = String(back.path);
  return path.startsWith("/") && !path.startsWith("//") ? { path, label: String(back.label) } : null;
}

/**
 * The tab's title while a route shows the error page, so the tab doesn't name a page the reader can't see (a refused
 * "Edit question" read "Edit question"). `notFound` names what a 404 couldn't find ("Question not found").
 */
export function errorMeta(error: unknown, notFound?: string): MetaDescriptor[] {
  const words = errorWords(error);
  const title = isUnreachable(error)
    ? "We couldn't reach PeerDesk"
    : words.status === 404 && notFound && !keptTextOf(error)
      ? notFound
      : words.title;
  return [{ title: `${title} · PeerDesk` }, { name: "robots", content: "noindex" }];
}

export function ErrorPage() {
  const error = useRouteError();
  // A request that never reached the server (the connection dropped as it was sent) is not the server's error.
  if (isUnreachable(error)) return <UnreachablePage />;
  const { status, ...known } = errorWords(error);
  const data: unknown = isRouteErrorResponse(error) ? error.data : null;
  const saved = keptTextOf(error);
  const detail = saved?.message ?? (typeof data === "string" && data && !isFrameworkError(error) ? data : null);
  return (
    <div className="mx-auto max-w-xl py-12 text-center">
      {saved ? null : <p className="text-sm font-semibold text-brand-700 dark:text-brand-300">Error {status}</p>}
      <h1 className="mt-2 text-2xl font-bold">{known.title}</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">{detail ?? known.body}</p>
      {saved?.kept ? (
        <div className="mt-6">
          <KeptText id="kept-text" label="What you typed" text={saved.kept} rows={12} />
        </div>
      ) : null}
      <p className="mt-6 flex flex-wrap justify-center gap-x-6 gap-y-2">
        {saved?.back ? <Link to={saved.back.path}>{saved.back.label}</Link> : null}
        <Link to="/">Back to the home page</Link>
      </p>
    </div>
  );
}

/**
 * An error the router made itself (an unknown address reads `Error: No route matches URL "/…"`): its words are for
 * developers, so the page keeps its own. Messages the app throws are not marked internal and still show.
 */
function isFrameworkError(error: unknown): boolean {
  return isRouteErrorResponse(error) && "internal" in error && error.internal === true;
}

/**
 * The connection dropped while a page or form was on its way. Offline forms are held back before this (lib/offline.ts);
 * this is the rest: a connection that looked up but wasn't. A post's typed text is kept in the tab (lib/unsent-form.ts)
 * and put back into its form when the page is loaded again; a page that didn't load has nothing to keep.
 */
function UnreachablePage() {
  const { pathname } = useLocation();
  // Decided as the page appears, before its arrival says a post was answered.
  const [isSending] = useState(() => typeof window !== "undefined" && wasSendingPost(window.sessionStorage, pathname));
  useEffect(() => {
    if (isSending) keepDroppedPost(window.sessionStorage);
  }, [isSending]);
  return (
    <div className="mx-auto max-w-xl py-12 text-center">
      <h1 className="text-2xl font-bold">We couldn't reach PeerDesk</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">
        {isSending
          ? "Your connection dropped while this was being sent. Check that you're online and load the page again: we'll put back what you typed, for you to check and send."
          : "Your connection dropped, so this didn't go through. Check that you're online and load the page again."}
      </p>
      <p className="mt-6">
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="min-h-11 rounded-md bg-brand-600 px-4 font-semibold text-white hover:bg-brand-700"
        >
          Load the page again
        </button>
      </p>
    </div>
  );
}
