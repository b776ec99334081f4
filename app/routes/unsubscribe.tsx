/**
 * /unsubscribe?token=… — the link at the foot of every email. Works without signing in: the token is signed and
 * expires. Shows what will stop and asks to confirm (so a mail scanner following links changes nothing); a mail app's
 * one-click unsubscribe POSTs to the link itself (List-Unsubscribe-Post, set in email-sending.server.ts). A link whose
 * account was deleted since changes nothing and says so (410): no email goes to a deleted account anyway.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/Button";
import { readUnsubscribeLink, unsubscribe } from "~/models/email-preferences.server";
import { unsubscribeWording } from "~/models/email.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · PeerDesk" }, { name: "robots", content: "noindex" }];

const ACCOUNT_GONE =
  "The account this link was for no longer exists (it was deleted), so no more emails will come to it from PeerDesk. There is nothing to unsubscribe from.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const claim = await readUnsubscribeLink(context.services.db, context.services.secret, token);
  const headers = { "Cache-Control": "no-store" };
  if (!claim) return data({ token: null, question: null, accountGone: null }, { status: 400, headers });
  if (claim.isAccountDeleted)
    return data({ token: null, question: null, accountGone: ACCOUNT_GONE }, { status: 410, headers });
  return data({ token, question: unsubscribeWording(claim.kind).question, accountGone: null }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The page's form sends the token; a mail app's one-click POST (RFC 8058) sends only the link it was given.
  const token = String((await request.formData()).get("token") ?? new URL(request.url).searchParams.get("token") ?? "");
  const claim = await unsubscribe(context.services.db, context.services.secret, token);
  if (!claim) return data({ done: false, said: null }, { status: 400 });
  if (claim.isAccountDeleted) return data({ done: false, said: ACCOUNT_GONE }, { status: 410 });
  return data({ done: true, said: unsubscribeWording(claim.kind).done });
}

export default function Unsubscribe() {
  const { token, question, accountGone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Said by the action (a link posted to) or the page (a link opened): the account was deleted since the email.
  const goneMessage = (result && !result.done ? result.said : null) ?? accountGone;
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Unsubscribe</h1>
      {result?.done ? (
        <p role="status">{result.said} You can change this any time in your email settings.</p>
      ) : goneMessage ? (
        <p role="status">{goneMessage}</p>
      ) : token ? (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="token" value={token} />
          <p>{question}</p>
          <Button type="submit">Unsubscribe</Button>
        </Form>
      ) : (
        <p role="alert">
          This unsubscribe link is not valid any more (it may be old or cut short). Sign in to choose what PeerDesk
          emails you.
        </p>
      )}
      {goneMessage ? null : (
        <p>
          <Link to="/settings/notifications">Email settings</Link>
        </p>
      )}
    </div>
  );
}
