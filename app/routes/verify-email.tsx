/**
 * Where the link that confirms a new account's address leads, and the banner's "send the link again" button.
 * Opening the link shows a button (a POST), so mail scanners that open links do not confirm anything.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { confirmEmailChange } from "~/auth/account-links.server";
import { resendVerification, signupLinkState } from "~/auth/email-verification.server";
import { getCurrentUser, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";
import {
  claimConfirmationResend,
  confirmationEmailWait,
  confirmationEmailWaitMessage,
  confirmationJustSentMessage,
  releaseConfirmationResend,
} from "~/models/account-email.server";

export const meta: MetaFunction = () => [
  { title: "Confirm your email address · PeerDesk" },
  { name: "referrer", content: "same-origin" },
];

function tokenOf(value: FormDataEntryValue | string | null): string {
  return typeof value === "string" && value.length <= 2000 ? value : "";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenOf(new URL(request.url).searchParams.get("token"));
  const { db, secret } = context.services;
  const link = token ? await signupLinkState(db, secret, token) : null;
  const user = await getCurrentUser(request, context);
  return {
    token: link?.state === "pending" ? token : null,
    email: link?.email ?? null,
    // A link that would do nothing says why before anyone presses a button.
    linkState: link?.state ?? null,
    hadToken: token.length > 0,
    waiting: user && !user.emailVerified ? user.email : null,
    // Opened while someone else is signed in: said before they confirm an address that isn't theirs.
    signedInAsOther: user && link && user.email.toLowerCase() !== link.email.toLowerCase() ? user.name : null,
  };
}

type ActionData =
  /** signedInAsOther: the name of the person signed in when the link was another account's (null when their own). */
  | { outcome: "confirmed"; signedInAsOther: string | null }
  | { outcome: "broken" }
  | { outcome: "sent"; email: string }
  /** A second press while the first press's link is on its way. */
  | { outcome: "just-sent"; message: string }
  | { outcome: "wait"; message: string }
  /** A post naming neither of this page's buttons (an old page, a hand-made request): nothing was done. */
  | { outcome: "refused"; message: string };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const intent = formData.get("intent");
  // Confirming is never the default: the page's button says "confirm", the banner's "resend".
  if (intent !== "confirm" && intent !== "resend")
    return data<ActionData>(
      {
        outcome: "refused",
        message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
      },
      { status: 400 },
    );
  if (intent === "resend") {
    const user = await requireUser(request, context);
    if (user.emailVerified) return data<ActionData>({ outcome: "confirmed", signedInAsOther: null });
    // Past the hour's confirmation emails nothing would be sent: say so rather than "we sent a new link".
    const wait = await confirmationEmailWait(context.services.db, user.id);
    if (wait !== null)
      return data<ActionData>({ outcome: "wait", message: confirmationEmailWaitMessage(wait) }, tooManyRequests(wait));
    // Two presses at once would both pass the hour's count: only one of the short window sends and says "sent".
    if (!(await claimConfirmationResend(context.services.db, user.id)))
      return data<ActionData>({ outcome: "just-sent", message: confirmationJustSentMessage(user.email) });
    const result = await resendVerification(request, context, user.email);
    if (result.sent) return data<ActionData>({ outcome: "sent", email: user.email });
    await releaseConfirmationResend(context.services.db, user.id);
    const message =
      result.retryAfter !== null
        ? confirmationEmailWaitMessage(result.retryAfter)
        : "We couldn't send a new link just now. Please try again in a moment.";
    return data<ActionData>(
      { outcome: "wait", message },
      result.retryAfter !== null ? tooManyRequests(result.retryAfter) : { status: 502 },
    );
  }
  const token = tokenOf(formData.get("token"));
  const link = token ? await signupLinkState(context.services.db, context.services.secret, token) : null;
  // Someone signed in may open another person's link (a shared computer, a forwarded email): say whose it confirmed.
  const user = link ? await getCurrentUser(request, context) : null;
  const signedInAsOther = user && link && user.email.toLowerCase() !== link.email.toLowerCase() ? user.name : null;
  if (link?.state === "confirmed") return data<ActionData>({ outcome: "confirmed", signedInAsOther });
  if (link?.state !== "pending") return data<ActionData>({ outcome: "broken" }, { status: 400 });
  // The same better-auth endpoint confirms a new account's address and a changed one; the token says which.
  const result = await confirmEmailChange(request, context, token);
  if (!result.ok) return data<ActionData>({ outcome: "broken" }, { status: 400 });
  const headers = new Headers();
  for (const cookie of result.cookies) headers.append("set-cookie", cookie);
  return data<ActionData>({ outcome: "confirmed", signedInAsOther }, { headers });
}

function Confirmed({ signedInAsOther }: { signedInAsOther: string | null }) {
  if (signedInAsOther !== null)
    return (
      <>
        <h1 className="text-2xl font-bold">Another account's email address is confirmed</h1>
        <FormAlert tone="success">
          {`The email address for another account was confirmed. You're signed in as ${signedInAsOther}, so nothing changed for your own account; that account's owner can now sign in and post.`}
        </FormAlert>
        <p>
          <Link to="/">Go to PeerDesk</Link>
        </p>
      </>
    );
  return (
    <>
      <h1 className="text-2xl font-bold">Your email address is confirmed</h1>
      <FormAlert tone="success">Thank you. You can now ask, answer and comment.</FormAlert>
      <p>
        <Link to="/">Go to PeerDesk</Link>
      </p>
    </>
  );
}

function AlreadyConfirmed({ email }: { email: string }) {
  return (
    <>
      <h1 className="text-2xl font-bold">This address is already confirmed</h1>
      <FormAlert tone="success">{email} is confirmed, so there is nothing more to do with this link.</FormAlert>
      <p>
        <Link to="/">Go to PeerDesk</Link>
      </p>
    </>
  );
}

function ResendForm({ label }: { label: string }) {
  const navigation = useNavigation();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="resend" />
      <Button type="submit" disabled={navigation.state === "submitting"}>
        {navigation.state === "submitting" ? "Sending…" : label}
      </Button>
    </Form>
  );
}

export default function VerifyEmail() {
  const { token, email, linkState, hadToken, waiting, signedInAsOther } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  let body: JSX.Element;
  if (result?.outcome === "confirmed") body = <Confirmed signedInAsOther={result.signedInAsOther} />;
  else if (result?.outcome === "sent")
    body = (
      <>
        <h1 className="text-2xl font-bold">Check your email</h1>
        <FormAlert tone="success">
          We sent a new link to {result.email}. It works for an hour; open it on any device.
        </FormAlert>
      </>
    );
  else if (result?.outcome === "just-sent")
    body = (
      <>
        <h1 className="text-2xl font-bold">Check your email</h1>
        <FormAlert tone="success">{result.message}</FormAlert>
      </>
    );
  else if (linkState === "confirmed" && !result) body = <AlreadyConfirmed email={email ?? ""} />;
  else if (token && result?.outcome !== "broken")
    body = (
      <>
        <h1 className="text-2xl font-bold">Confirm your email address</h1>
        {signedInAsOther !== null ? (
          <FormAlert>
            {`This link is for another account than the one signed in here (${signedInAsOther}). If ${email} is your address, confirming it makes that account ready to post; your own account doesn't change.`}
          </FormAlert>
        ) : (
          <p>
            Is <strong>{email}</strong> your address? Confirm it to start posting.
          </p>
        )}
        {result?.outcome === "refused" ? <FormAlert>{result.message}</FormAlert> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="token" value={token} />
          <Button type="submit" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting"
              ? "Confirming…"
              : signedInAsOther !== null
                ? "Confirm that account's address"
                : "Yes, this is my address"}
          </Button>
        </Form>
      </>
    );
  else
    body = (
      <>
        <h1 className="text-2xl font-bold">
          {hadToken || (result && result.outcome !== "refused")
            ? "This link no longer works"
            : "Confirm your email address"}
        </h1>
        {result?.outcome === "wait" || result?.outcome === "refused" ? <FormAlert>{result.message}</FormAlert> : null}
        {linkState === "retired" ? (
          <FormAlert>
            This link is for an address this account no longer uses ({email}). Nothing needs confirming there.
          </FormAlert>
        ) : hadToken || result?.outcome === "broken" ? (
          <FormAlert>
            Confirmation links work once, for an hour. This one has expired, was already used, or was not copied
            completely.
          </FormAlert>
        ) : null}
        {waiting ? (
          <>
            <p>We can send a new link to {waiting}.</p>
            <ResendForm label="Send a new link" />
          </>
        ) : (
          <p>
            <Link to="/signin?redirectTo=%2Fverify-email">Sign in</Link> to get a new link.
          </p>
        )}
      </>
    );
  return <div className="mx-auto max-w-md space-y-4">{body}</div>;
}
