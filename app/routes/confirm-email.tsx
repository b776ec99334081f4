/**
 * Where the link sent to a new email address leads. Opening it shows what will change; the change itself is a button
 * (a POST), so mail scanners that open links do not make it. Expired, used or mangled links say so.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { confirmEmailChange, readEmailChange } from "~/auth/account-links.server";
import { getCurrentUser } from "~/auth/session.server";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";

export const meta: MetaFunction = () => [
  { title: "Confirm your new email address · PeerDesk" },
  { name: "referrer", content: "same-origin" },
];

function tokenOf(value: FormDataEntryValue | string | null): string {
  return typeof value === "string" && value.length <= 2000 ? value : "";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenOf(new URL(request.url).searchParams.get("token"));
  const change = token ? await readEmailChange(context.services.secret, token) : null;
  return { token: change ? token : null, newEmail: change?.newEmail ?? null };
}

type ActionData = { done: boolean; newEmail?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const token = tokenOf((await request.formData()).get("token"));
  const change = token ? await readEmailChange(context.services.secret, token) : null;
  if (!change) return data<ActionData>({ done: false }, { status: 400 });
  const result = await confirmEmailChange(request, context, token);
  if (!result.ok) return data<ActionData>({ done: false }, { status: 400 });
  const headers = new Headers();
  for (const cookie of result.cookies) headers.append("set-cookie", cookie);
  if (await getCurrentUser(request, context)) return redirect("/settings/account?email=changed", { headers });
  return data<ActionData>({ done: true, newEmail: change.newEmail }, { headers });
}

export default function ConfirmEmail() {
  const { token, newEmail } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  if (result?.done) {
    return (
      <div className="mx-auto max-w-md space-y-4">
        <h1 className="text-2xl font-bold">Your new address is confirmed</h1>
        <FormAlert tone="success">
          From now on you sign in to PeerDesk with {result.newEmail}. Other devices were signed out.
        </FormAlert>
        <p>
          <Link to="/signin">Sign in</Link>
        </p>
      </div>
    );
  }
  if (!token || result) {
    return (
      <div className="mx-auto max-w-md space-y-4">
        <h1 className="text-2xl font-bold">This link no longer works</h1>
        <FormAlert>
          Links that confirm a new address work once, for a short time. This one has expired, was already used, or was
          not copied completely. If you are signed in to another account in this browser, sign out first.
        </FormAlert>
        <p>
          To try again, ask for a new link in <Link to="/settings/account">Password &amp; sign-in email</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">Confirm your new email address</h1>
      <p>
        Sign in to PeerDesk with <strong>{newEmail}</strong> from now on? Your old address will be told about the
        change.
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <Button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Confirming…" : "Yes, use this address"}
        </Button>
      </Form>
    </div>
  );
}
