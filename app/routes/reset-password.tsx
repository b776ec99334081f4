/**
 * Where a reset link leads: choose a new password (checked for strength, the reason shown beside the field while the
 * link stays usable), then sign in with it. A used, expired or mangled link says so and offers a new one.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { resetTokenOwner } from "~/auth/account-guards.server";
import { resetLinkIsValid } from "~/auth/account-links.server";
import { passwordWeakness } from "~/auth/password-strength.server";
import { callAuthEndpoint, readAuthError } from "~/auth/session.server";
import { LIMITS, resetPasswordSchema } from "~/auth/validation";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm } from "~/lib/forms";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";
import { hasPassword } from "~/models/two-factor.server";
import type { Db } from "#db/client.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.isFirstPassword ? "Choose your password · PeerDesk" : "Choose a new password · PeerDesk" },
  { name: "referrer", content: "same-origin" },
];

/** Whether the link sets the account's first password (one made by single sign-on or by an admin has none). */
async function isFirstPassword(db: Db, owner: { id: string } | null): Promise<boolean> {
  return owner !== null && !(await hasPassword(db, owner.id));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const valid = token.length > 0 && token.length <= 200 && (await resetLinkIsValid(request, context, token));
  const owner = valid ? await resetTokenOwner(context.services.db, token) : null;
  return { token: valid ? token : null, isFirstPassword: await isFirstPassword(context.services.db, owner) };
}

/** `token` comes back with a refused password, so the form stays on the page however the form was sent. */
type ActionData = {
  fieldErrors: FieldErrors;
  formError?: string;
  linkDead?: boolean;
  token?: string;
  isFirstPassword?: boolean;
};

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(resetPasswordSchema, formData);
  const typed = formData.get("token");
  const token = typeof typed === "string" && typed.length > 0 && typed.length <= 200 ? typed : null;
  // A dead link says so first: telling someone how to improve a password it can no longer set would waste their time.
  const owner = token ? await resetTokenOwner(context.services.db, token) : null;
  if (!token || !owner) return data<ActionData>({ fieldErrors: {}, linkDead: true }, { status: 400 });
  const first = await isFirstPassword(context.services.db, owner);
  if (!parsed.ok)
    return data<ActionData>({ fieldErrors: parsed.fieldErrors, token, isFirstPassword: first }, { status: 400 });
  const { newPassword } = parsed.data;
  // A guessable password is refused here, beside the field, as sign-up does (better-auth's hook refuses it too).
  const weakness = await passwordWeakness(newPassword, [owner.name, owner.email]);
  if (weakness)
    return data<ActionData>({ fieldErrors: { newPassword: weakness }, token, isFirstPassword: first }, { status: 400 });
  const response = await callAuthEndpoint(request, context, "/reset-password", { token, newPassword });
  // The sign-in page says which happened: a first password set, or a password changed.
  if (response.ok) return redirect(first ? "/signin?reset=first" : "/signin?reset=1");
  const error = await readAuthError(response);
  if (error.code.startsWith("PASSWORD_TOO"))
    return data<ActionData>(
      {
        fieldErrors: { newPassword: error.message || "Please choose a different password." },
        token,
        isFirstPassword: first,
      },
      { status: 400 },
    );
  if (error.code === "INVALID_TOKEN" || error.code === "USER_NOT_FOUND")
    return data<ActionData>({ fieldErrors: {}, linkDead: true }, { status: 400 });
  if (error.status === 429) {
    return data<ActionData>(
      {
        fieldErrors: {},
        formError: `Too many attempts from your network. Please wait ${error.retryAfter ?? 60} seconds and try again.`,
        token,
        isFirstPassword: first,
      },
      tooManyRequests(error.retryAfter),
    );
  }
  return data<ActionData>(
    {
      fieldErrors: {},
      formError: "We couldn't save your password just now. Please try again.",
      token,
      isFirstPassword: first,
    },
    { status: error.status >= 500 ? 502 : 400 },
  );
}

function DeadLink() {
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">This reset link no longer works</h1>
      <FormAlert>
        Reset links work once, for a short time. This one has expired, was already used, or was not copied completely.
      </FormAlert>
      <p>
        <Link to="/forgot-password">Ask for a new link</Link>. It will arrive at the same address.
      </p>
    </div>
  );
}

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const token = result?.token ?? loaded.token;
  if (!token || result?.linkDead) return <DeadLink />;
  const errors = result?.fieldErrors ?? {};
  const first = result?.isFirstPassword ?? loaded.isFirstPassword;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">{first ? "Choose your password" : "Choose a new password"}</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-300">
        {first
          ? "Your account has no password yet. After you choose one, every device signed in to your account is signed out, and you can sign in with it."
          : "After this, every device signed in to your account is signed out, and you sign in with the new password."}
      </p>
      <Form method="post" className="mt-6 space-y-4" noValidate>
        {result?.formError ? <FormAlert focusOn={result}>{result.formError}</FormAlert> : null}
        <input type="hidden" name="token" value={token} />
        <TextField
          label={first ? "Password" : "New password"}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          error={errors.newPassword}
          hint={`At least ${LIMITS.passwordMin} characters. A short sentence is easy to remember and hard to guess.`}
        />
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : first ? "Save password" : "Save new password"}
        </Button>
      </Form>
    </div>
  );
}
