/**
 * The second step of signing in for people with two-step sign-in: a code from their app, or one of their backup
 * codes, and optionally "trust this device" (30 days without codes on this browser). Rate limited by better-auth
 * per address, per sign-in attempt (5 tries) and per account (locked for 15 minutes after 10 wrong codes).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { authCookies, getCurrentUser, safeRedirectPath } from "~/auth/session.server";
import { PasskeySignIn } from "~/components/Passkeys";
import { hasSecondStepChallenge, verifySecondStep } from "~/auth/two-factor-sign-in.server";
import { TOTP_CODE_USED_MESSAGE } from "~/auth/totp-replay.server";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { parseForm } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Enter your code · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentUser(request, context)) throw redirect("/");
  if (!hasSecondStepChallenge(request)) throw redirect("/signin");
  // A passkey also finishes this sign-in (it is two factors by itself); its button navigates in the browser.
  return { passkeyRedirectTo: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")) };
}

const schema = z.object({
  code: z
    .string()
    .trim()
    .max(40, "That is longer than any code.")
    .transform((value) => value.replace(/\s+/g, ""))
    .pipe(z.string().min(1, "Enter the code from your app, or a backup code.")),
  trustDevice: z.string().max(10).optional(),
  redirectTo: z.string().max(2000).default(""),
});

type ActionData = { codeError?: string; formError?: string; expired?: boolean; trustDevice: boolean };

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const trustDevice = formData.get("trustDevice") === "on";
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) return data<ActionData>({ codeError: parsed.fieldErrors.code, trustDevice }, { status: 400 });
  const result = await verifySecondStep(request, context, { code: parsed.data.code, trustDevice });
  if (result.ok) return redirect(safeRedirectPath(parsed.data.redirectTo), { headers: authCookies(result.response) });
  const answer = (body: Omit<ActionData, "trustDevice">) =>
    data<ActionData>({ ...body, trustDevice }, { status: result.status });
  switch (result.reason) {
    case "wrong-code":
      return answer({
        codeError: "That code didn't work. Use the newest code from your app, or a backup code you haven't used.",
      });
    case "code-used":
      return answer({ codeError: TOTP_CODE_USED_MESSAGE });
    case "expired":
      return answer({ expired: true, formError: "This sign-in has expired or had too many wrong codes." });
    case "locked":
      return answer({
        formError: "Too many wrong codes for this account. Wait 15 minutes, then sign in again.",
      });
    case "rate-limited":
      return answer({ formError: `Too many tries. Please wait ${result.retryAfter ?? 60} seconds and try again.` });
    default:
      return answer({ formError: "We couldn't check the code just now. Please try again." });
  }
}

export default function TwoFactorSignIn() {
  const result = useActionData<typeof action>();
  const { passkeyRedirectTo } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Enter your code</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Open your authenticator app and type the 6-digit code it shows for PeerDesk. Lost your phone? Type one of your
        backup codes instead.
      </p>
      {result?.formError ? (
        <div className="mt-4">
          <FormAlert focusOn={result}>
            {result.formError}
            {result.expired ? (
              <>
                {" "}
                <Link to="/signin">Sign in again</Link>.
              </>
            ) : null}
          </FormAlert>
        </div>
      ) : null}
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField
          label="Code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={40}
          error={result?.codeError}
          hint="6 digits from your app, or a backup code such as abcde-12345."
        />
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="trustDevice"
            defaultChecked={result?.trustDevice ?? false}
            className="mt-1 size-4 accent-brand-600"
          />
          <span>
            Trust this device for 30 days
            <span className="block text-sm text-slate-600 dark:text-slate-400">
              Only on your own phone or computer, never a shared one.
            </span>
          </span>
        </label>
        <Button type="submit" className="w-full" disabled={submitting}>
          {submitting ? "Checking…" : "Sign in"}
        </Button>
      </Form>
      <PasskeySignIn
        redirectTo={passkeyRedirectTo}
        label="Use a passkey instead"
        otherWay="Type a code from your app, or a backup code, above."
      />
      <p className="mt-6 text-sm">
        <Link to="/signin">Start again</Link>
      </p>
    </div>
  );
}
