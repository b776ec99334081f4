/**
 * /admin/mail — every message PeerDesk wrote, newest first, a page at a time (?before=id for older, ?after=id for
 * newer). Without SMTP_URL this is where they can be read.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWith } from "~/auth/session.server";
import { fullDate } from "~/lib/time";
import { getOutboxMessage, listOutbox } from "~/models/email-sending.server";
import { parseId } from "~/lib/ids";

export const meta: MetaFunction = () => [{ title: "Mail · Admin · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "admin.view");
  const { db, env } = context.services;
  const search = new URL(request.url).searchParams;
  const id = parseId(search.get("id"));
  // A cursor that isn't an id (typed, cut short) shows the newest page rather than an error.
  const before = parseId(search.get("before"));
  const after = before === null ? parseId(search.get("after")) : null;
  const open = id === null ? null : await getOutboxMessage(db, id);
  const page = await listOutbox(db, { before: before ?? undefined, after: after ?? undefined });
  return {
    ...page,
    // The page's own cursor, kept when a message is opened and closed.
    pageQuery: before !== null ? `before=${before}` : after !== null ? `after=${after}` : "",
    isPaged: before !== null || after !== null,
    open: open ? { id: open.id, to: open.toAddress, subject: open.subject, text: open.textBody } : null,
    hasSmtp: Boolean(env.SMTP_URL),
  };
}

/** Older and newer pages of the list; nothing when it all fits on one. */
function MailPager({ olderBefore, newerAfter }: { olderBefore: number | null; newerAfter: number | null }) {
  if (olderBefore === null && newerAfter === null) return null;
  return (
    <nav aria-label="Pages of mail" className="flex flex-wrap justify-between gap-3 text-sm">
      {newerAfter !== null ? <Link to={`/admin/mail?after=${newerAfter}`}>← Newer messages</Link> : <span />}
      {olderBefore !== null ? <Link to={`/admin/mail?before=${olderBefore}`}>Older messages →</Link> : null}
    </nav>
  );
}

export default function AdminMail() {
  const { messages, olderBefore, newerAfter, pageQuery, isPaged, open, hasSmtp } = useLoaderData<typeof loader>();
  const withPage = (query: string) => `/admin/mail?${[pageQuery, query].filter(Boolean).join("&")}`;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {hasSmtp
          ? "Messages are sent through SMTP (SMTP_URL); failed ones are retried with backoff."
          : "No SMTP_URL is set, so messages are kept here instead of being sent."}
      </p>
      {open ? (
        <article
          aria-labelledby="open-mail-subject"
          className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
        >
          <h2 id="open-mail-subject" className="font-semibold">
            {open.subject}
          </h2>
          <p className="text-sm">To: {open.to}</p>
          <pre className="whitespace-pre-wrap break-words text-sm">{open.text}</pre>
          <Link to={withPage("")}>Close</Link>
        </article>
      ) : null}
      {messages.length === 0 && isPaged ? (
        <p>
          There are no messages on this page: its link points past the oldest or the newest message.{" "}
          <Link to="/admin/mail">Go to the newest messages</Link>
        </p>
      ) : null}
      {messages.length === 0 && !isPaged ? <p>No mail yet.</p> : null}
      {messages.length > 0 ? (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {messages.map((message) => (
            <li key={message.id} className="py-2 text-sm">
              <Link to={withPage(`id=${message.id}`)} className="font-medium">
                {message.subject}
              </Link>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {message.toAddress} · {message.kind} · {message.status}
                {message.attempts > 0
                  ? ` · ${message.attempts} ${message.attempts === 1 ? "attempt" : "attempts"}`
                  : ""}{" "}
                · {fullDate(message.createdAt)}
                {message.lastError ? ` · last error: ${message.lastError}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <MailPager olderBefore={olderBefore} newerAfter={newerAfter} />
    </div>
  );
}
