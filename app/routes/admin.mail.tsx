/** /admin/mail — every message PeerDesk wrote, newest first. Without SMTP_URL this is where they can be read. */
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
  const id = parseId(new URL(request.url).searchParams.get("id"));
  const open = id === null ? null : await getOutboxMessage(db, id);
  return {
    messages: await listOutbox(db),
    open: open ? { id: open.id, to: open.toAddress, subject: open.subject, text: open.textBody } : null,
    hasSmtp: Boolean(env.SMTP_URL),
  };
}

export default function AdminMail() {
  const { messages, open, hasSmtp } = useLoaderData<typeof loader>();
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
          <Link to="/admin/mail">Close</Link>
        </article>
      ) : null}
      {messages.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {messages.map((message) => (
            <li key={message.id} className="py-2 text-sm">
              <Link to={`/admin/mail?id=${message.id}`} className="font-medium">
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
      )}
    </div>
  );
}
