/** The page shell: header with search and account links, main content, footer. Signed-in bits come from this loader only. */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { data } from "@remix-run/node";
import { VerifyEmailBanner } from "~/components/VerifyEmailBanner";
import { getViewer } from "~/auth/viewer.server";
import { TwoFactorReminder } from "~/components/TwoFactorReminder";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { OfflineNotice } from "~/components/OfflineNotice";
import { UnsentPostNotice } from "~/components/UnsentPostNotice";
import { HeaderSearch } from "~/components/HeaderSearch";
import { useEventSource } from "~/lib/event-source";
import { initialOf } from "~/lib/initial";
import { useNonce } from "~/lib/nonce";
import { isReaderPageHandle } from "~/lib/reader-pages";
import { readerScript } from "~/lib/reader-script.server";
import { can } from "~/models/permissions.server";
import { countPendingReview } from "~/models/review-queue.server";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/site.webmanifest" },
];

export const meta: MetaFunction = ({ error }) =>
  error
    ? errorMeta(error)
    : [
        { title: "PeerDesk: IT answers from people who've been there" },
        {
          name: "description",
          content:
            "Ask peers, find plain-language how-tos, and get help from IT professionals who have solved it before.",
        },
      ];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // The session and the unread count come from one query shared with the page's own loaders.
  const { user, unreadNotifications, setCookies } = await getViewer(request, context);
  const headers = new Headers();
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  return data(
    {
      user: user ? { name: user.name, handle: user.handle, role: user.role, emailVerified: user.emailVerified } : null,
      unreadNotifications,
      // Moderators' header shows the review queue's size; from this per-viewer loader, never from a cached page.
      reviewCount: can(user ? { id: user.id, role: user.role, banned: user.banned } : null, "review.view")
        ? await countPendingReview(context.services.db)
        : null,
      isAdmin: can(user ? { id: user.id, role: user.role, banned: user.banned } : null, "admin.view"),
      // Staff whose role must use two-step sign-in and who haven't turned it on see a reminder (TwoFactorReminder).
      needsTwoFactor: user?.needsTwoFactor ?? false,
      // Signed-out readers of reading pages get this small script instead of the client runtime (see PageScripts).
      readerScript: user ? null : readerScript(),
    },
    { headers },
  );
}

export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

/** Shown on every page to someone who has not confirmed their address yet (see VerifyEmailBanner). */
function UnconfirmedEmailNotice() {
  const user = useRouteLoaderData<typeof loader>("root")?.user;
  return user && !user.emailVerified ? <VerifyEmailBanner /> : null;
}

/**
 * With JavaScript the account menu closes as a menu does: after a navigation from it (links are client-side, so the
 * header stays), on Escape (focus back on its summary), and on a click or tap outside it. Without JavaScript it is a
 * plain details element.
 */
function useMenuClosing(ref: RefObject<HTMLDetailsElement>) {
  const location = useLocation();
  // Not when the page first runs its script: a menu opened before that (a slow phone) stays open.
  const shownAt = useRef(location.key);
  useEffect(() => {
    if (shownAt.current === location.key) return;
    shownAt.current = location.key;
    if (ref.current) ref.current.open = false;
  }, [location.key, ref]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const menu = ref.current;
      if (event.key !== "Escape" || !menu?.open) return;
      menu.open = false;
      menu.querySelector("summary")?.focus();
    };
    const onClick = (event: MouseEvent) => {
      const menu = ref.current;
      if (menu?.open && event.target instanceof Node && !menu.contains(event.target)) menu.open = false;
    };
    // Tabbing past its last item: an open menu would cover what now has focus (the main links below it).
    // No relatedTarget (focus left the window, or a tap on nothing focusable): the click rule above decides.
    const onFocusOut = (event: FocusEvent) => {
      const menu = ref.current;
      const isLeaving = event.relatedTarget instanceof Node && !menu?.contains(event.relatedTarget);
      if (menu?.open && isLeaving && event.target instanceof Node && menu.contains(event.target)) menu.open = false;
    };
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onClick);
    document.addEventListener("focusout", onFocusOut);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("click", onClick);
      document.removeEventListener("focusout", onFocusOut);
    };
  }, [ref]);
}

function SiteHeader() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  const accountMenu = useRef<HTMLDetailsElement>(null);
  useMenuClosing(accountMenu);
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium no-underline hover:bg-slate-100 dark:hover:bg-slate-800 ${isActive ? "text-brand-700 dark:text-brand-300" : "text-slate-700 dark:text-slate-200"}`;
  return (
    <header className="border-b border-slate-200 bg-white/95 print:hidden dark:border-slate-800 dark:bg-slate-950/95">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-2 px-4 py-2">
        <Link
          to="/"
          className="mr-2 flex items-center gap-2 text-lg font-bold text-slate-900 no-underline dark:text-white"
        >
          <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
            <rect width="32" height="32" rx="8" className="fill-brand-600" />
            <path
              d="M9 10h9a5 5 0 0 1 0 10h-4l-5 4v-4"
              fill="none"
              stroke="white"
              strokeWidth="2.5"
              strokeLinejoin="round"
            />
          </svg>
          PeerDesk
        </Link>
        {/* No `order`: the header wraps in page order (logo, search, actions, links), so Tab follows what is seen. */}
        <HeaderSearch />
        {/* Wraps rather than widening the page (a phone at 200 % text); its last item, the account menu, stays rightmost. */}
        <div className="ml-auto flex flex-wrap items-center justify-end gap-1">
          <Link
            to="/ask"
            className="whitespace-nowrap rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white no-underline hover:bg-brand-700 hover:no-underline"
          >
            Ask
          </Link>
          {typeof data?.reviewCount === "number" ? <ReviewLink pending={data.reviewCount} /> : null}
          {user ? <NotificationsLink unread={data?.unreadNotifications ?? 0} /> : null}
          {user ? (
            <details ref={accountMenu} className="relative">
              <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800">
                <span
                  aria-hidden="true"
                  className="flex size-7 items-center justify-center rounded-full bg-brand-100 text-xs font-bold text-brand-700"
                >
                  {initialOf(user.name)}
                </span>
                <span className="hidden max-w-32 truncate sm:inline">{user.name}</span>
                <span className="sr-only sm:hidden">{user.name}</span>
              </summary>
              <div className="absolute right-0 z-20 mt-1 w-52 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                {user.handle ? (
                  <Link
                    to={`/u/${user.handle}`}
                    className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                  >
                    Your profile
                  </Link>
                ) : null}
                <Link
                  to="/saved"
                  className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  Saved for later
                </Link>
                <Link
                  to="/me/impact"
                  className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  My impact
                </Link>
                <Link
                  to="/settings/profile"
                  className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  Edit profile
                </Link>
                <Link
                  to="/settings/notifications"
                  className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  Email settings
                </Link>
                <Link
                  to="/settings/account"
                  className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  Password &amp; email
                </Link>
                {data?.isAdmin ? (
                  <Link
                    to="/admin"
                    className="block rounded px-3 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                  >
                    Admin
                  </Link>
                ) : null}
                <Form method="post" action="/signout">
                  <button
                    type="submit"
                    className="block w-full rounded px-3 py-2 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                  >
                    Sign out
                  </button>
                </Form>
              </div>
            </details>
          ) : (
            <>
              <NavLink to="/signin" className={linkClass}>
                Sign in
              </NavLink>
              <Link
                to="/signup"
                className="whitespace-nowrap rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white no-underline hover:bg-brand-700 hover:no-underline"
              >
                Join
              </Link>
            </>
          )}
        </div>
        {/* Its own row at every width, wrapping on a phone, so every link stays in view and the search box keeps its room. */}
        <nav aria-label="Main" className="-mx-1 flex w-full flex-wrap items-center gap-x-1">
          <NavLink to="/questions" className={linkClass}>
            Questions
          </NavLink>
          <NavLink to="/howtos" className={linkClass}>
            How-tos
          </NavLink>
          <NavLink to="/spaces" className={linkClass}>
            Spaces
          </NavLink>
          <NavLink to="/mentors" className={linkClass}>
            Mentors
          </NavLink>
          <NavLink to="/sessions" className={linkClass}>
            Sessions
          </NavLink>
          <NavLink to="/pulse" className={linkClass}>
            Pulse
          </NavLink>
        </nav>
      </div>
    </header>
  );
}

/**
 * The unread count from the page's loader, then live from /events (Server-Sent Events) while the page is open. A
 * new loader value (after any navigation or form) wins until the stream speaks again.
 */
function useLiveUnread(fromLoader: number): number {
  return useLiveCount("/events", "unread", fromLoader);
}

/** The review queue's size for moderators: from the loader, then live from /review/events while the page is open. */
function useLivePending(fromLoader: number): number {
  return useLiveCount("/review/events", "pending", fromLoader);
}

/** A count the stream at `url` sends as `{ count }` in `event`s (its current value on every (re)connect). */
function useLiveCount(url: string, event: string, fromLoader: number): number {
  const [live, setLive] = useState<{ count: number; base: number } | null>(null);
  const fromLoaderRef = useRef(fromLoader);
  fromLoaderRef.current = fromLoader;
  useEventSource(url, {
    events: {
      [event]: (data) => {
        try {
          const { count } = JSON.parse(data) as { count: number };
          if (Number.isInteger(count)) setLive({ count, base: fromLoaderRef.current });
        } catch {
          // ignore a malformed event
        }
      },
    },
  });
  return live && live.base === fromLoader ? live.count : fromLoader;
}

function ReviewLink({ pending: fromLoader }: { pending: number }) {
  const pending = useLivePending(fromLoader);
  const label = `Review queue, ${pending} waiting`;
  return (
    <NavLink
      to="/review"
      title={label}
      data-testid="review-count"
      className="flex min-h-11 items-center gap-1 whitespace-nowrap rounded-md px-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
    >
      {/* The name read out is the visible words and count plus hidden words: "Review queue, 3 waiting". */}
      Review<span className="sr-only"> queue,</span>
      <span
        className={`min-w-5 rounded-full px-1 text-center text-xs font-bold leading-5 ${pending > 0 ? "bg-amber-700 text-white" : "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-100"}`}
      >
        {pending > 99 ? "99+" : pending}
      </span>
      <span className="sr-only"> waiting</span>
    </NavLink>
  );
}

function NotificationsLink({ unread: fromLoader }: { unread: number }) {
  const unread = useLiveUnread(fromLoader);
  const label = unread === 0 ? "Notifications" : `Notifications, ${unread > 99 ? "more than 99" : unread} unread`;
  return (
    <NavLink
      to="/notifications"
      aria-label={label}
      title={label}
      className="relative flex min-h-11 min-w-11 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="size-6"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" />
        <path d="M10.3 20a1.9 1.9 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span
          aria-hidden="true"
          className="absolute right-0.5 top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-bold leading-5 text-white"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </NavLink>
  );
}

function SiteFooter() {
  return (
    <footer className="mt-12 print:hidden border-t border-slate-200 py-8 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
      <div className="mx-auto flex max-w-5xl flex-col gap-3 px-4 sm:flex-row sm:justify-between">
        <p>PeerDesk: IT answers from people who&apos;ve been there.</p>
        <nav aria-label="Footer" className="flex flex-wrap gap-4">
          <Link to="/spaces">All spaces</Link>
          <Link to="/glossary">IT glossary</Link>
          <Link to="/moderation">Moderation log</Link>
          <Link to="/status">Status</Link>
        </nav>
      </div>
    </footer>
  );
}

/**
 * The full Remix client runtime, or for a signed-out reader of a reading page (a route with `handle = readerPage`)
 * only the small reader script: the page works as plain HTML and a phone need not download ~100 KB to read it.
 * Decided while rendering on the server only; a page that hydrated keeps its runtime through client navigations.
 */
function PageScripts({ nonce }: { nonce: string }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const matches = useMatches();
  const reader =
    typeof document === "undefined" && data?.readerScript && matches.some((match) => isReaderPageHandle(match.handle))
      ? data.readerScript
      : null;
  if (reader) return <script src={reader.src} integrity={reader.integrity} nonce={nonce} defer />;
  return (
    <>
      <ScrollRestoration nonce={nonce} />
      <Scripts nonce={nonce} />
    </>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <SiteHeader />
        <UnconfirmedEmailNotice />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
          <TwoFactorReminder />
          {children}
        </main>
        <SiteFooter />
        <OfflineNotice />
        <PageScripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <>
      <UnsentPostNotice />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
