/**
 * /unsubscribe?token=… — the link at the foot of every email. Works without signing in: the token is signed and
 * expires. Shows what will stop and asks to confirm (so a mail scanner following links changes nothing); a mail app's
 * one-click unsubscribe POSTs to the link itself (List-Unsubscribe-Post, set in email-sending.server.ts).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/Button";
import { unsubscribe, verifyUnsubscribeToken } from "~/models/email-preferences.server";
import { unsubscribeWording } from "~/models/email.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const claim = verifyUnsubscribeToken(context.services.secret, token);
  if (!claim) return data({ token: null, question: null }, { status: 400, headers: { "Cache-Control": "no-store" } });
  return data(
    { token, question: unsubscribeWording(claim.kind).question },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The page's form sends the token; a mail app's one-click POST (RFC 8058) sends only the link it was given.
  const token = String((await request.formData()).get("token") ?? new URL(request.url).searchParams.get("token") ?? "");
  const claim = await unsubscribe(context.services.db, context.services.secret, token);
  if (!claim) return data({ done: false, said: null }, { status: 400 });
  return data({ done: true, said: unsubscribeWording(claim.kind).done });
}

export default function Unsubscribe() {
  const { token, question } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Unsubscribe</h1>
      {result?.done ? (
        <p role="status">{result.said} You can change this any time in your email settings.</p>
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
      <p>
        <Link to="/settings/notifications">Email settings</Link>
      </p>
    </div>
  );
}
