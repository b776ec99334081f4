/**
 * Account settings: change the password (asks for the current one, signs out every other device) and the sign-in
 * email (asks for the password; the new address is used once a link sent to it is opened, and the old one is told).
 * An account made through single sign-on has no password: it is offered "Set a password" (a link emailed to its
 * address, as "Forgot password?" sends), and its address changes once it has one. Plain forms, so all work without
 * JavaScript.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  type CurrentUser,
  asActor,
  authCookies,
  callAuthEndpoint,
  readAuthError,
  requireUser,
} from "~/auth/session.server";
import { LIMITS, changeEmailSchema, changePasswordSchema } from "~/auth/validation";
import { SettingsNav } from "~/components/SettingsNav";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { EMAIL_CHANGE_LINK_MINUTES, RESET_LINK_MINUTES } from "~/lib/accounts";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { aboutMinutes } from "~/lib/wait-time";
import {
  confirmationEmailWait,
  confirmationEmailWaitMessage,
  passwordResetEmailWait,
  passwordResetEmailWaitMessage,
} from "~/models/account-email.server";
import { getSignInMethods, signInInsteadOfPassword } from "~/models/account-sign-in.server";
import { requirePermission } from "~/models/permissions.server";
import { RateLimitedError, checkCountingFailures, consumeWriteLimit, formatWait } from "~/models/rate-limits.server";
import { emailChangeRefusal } from "~/models/signup-policy.server";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Password & sign-in email · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const methods = await getSignInMethods(context.services.db, user.id);
  // Only a person without a password, who signs in through single sign-on, is told which sign-in they use instead.
  const signInName = signInInsteadOfPassword(methods, context.services.env.ssoProviders);
  return { email: user.email, hasPassword: methods.hasPassword, signInName };
}

type Intent = "password" | "email" | "set-password";
type ActionData = {
  /** "other" when the form named none of this page's forms (an old page, a hand-made request). */
  intent: Intent | "other";
  ok: boolean;
  message?: string;
  fieldErrors: FieldErrors;
  values: Record<string, string>;
};

function failure(
  intent: ActionData["intent"],
  formData: FormData,
  fieldErrors: FieldErrors,
  message?: string,
  init: number | ResponseInit = 400,
) {
  const values = submittedValues(formData);
  return data<ActionData>({ intent, ok: false, message, fieldErrors, values }, init);
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const formData = await request.formData();
  const intent = readIntent(formData.get("intent"));
  // Changing the password is never the default: a form naming none of this page's forms changes nothing.
  if (!intent)
    return failure(
      "other",
      formData,
      {},
      "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
    );
  const { db, auth } = context.services;
  const methods = await getSignInMethods(db, user.id);
  if (!methods.hasPassword) {
    const signInName = signInInsteadOfPassword(methods, context.services.env.ssoProviders);
    return actionWithoutPassword({ request, context, user, formData, intent, signInName });
  }
  if (intent === "set-password")
    return failure(
      intent,
      formData,
      {},
      'Your account already has a password. To choose a different one, use "Change your password".',
      409,
    );
  const parsed =
    intent === "email" ? parseForm(changeEmailSchema, formData) : parseForm(changePasswordSchema, formData);
  if (!parsed.ok) return failure(intent, formData, parsed.fieldErrors);
  const { currentPassword } = parsed.data;
  if ("newEmail" in parsed.data && parsed.data.newEmail === user.email.toLowerCase())
    return failure(intent, formData, { newEmail: "That's already the address you sign in with." });

  // Wrong passwords count against their own limit (against guessing), so a few typos never use up the changes.
  const isRight = () =>
    auth.api
      .verifyPassword({ body: { password: currentPassword }, headers: request.headers })
      .then(() => true)
      .catch(() => false);
  try {
    if (!(await checkCountingFailures(db, { userId: user.id, kind: "passwordCheck", check: isRight })))
      return failure(intent, formData, {
        currentPassword:
          intent === "email"
            ? "That isn't your password. Check it and try again."
            : "That isn't your current password. Check it and try again.",
      });
    if ("newPassword" in parsed.data && parsed.data.newPassword === currentPassword)
      return failure(intent, formData, { newPassword: "That's your current password. Choose a different one." });
    if ("newEmail" in parsed.data) {
      const refusal = await emailChangeRefusal(db, { currentEmail: user.email, newEmail: parsed.data.newEmail });
      if (refusal) return failure(intent, formData, { newEmail: refusal });
      // Past the hour's confirmation emails nothing would be sent: say so rather than "we sent a link".
      const wait = await confirmationEmailWait(db, user.id);
      if (wait !== null)
        return failure(intent, formData, {}, confirmationEmailWaitMessage(wait), tooManyRequests(wait));
    }
    await consumeWriteLimit(db, { userId: user.id, kind: "account" });
  } catch (error) {
    if (error instanceof RateLimitedError)
      return failure(intent, formData, {}, error.message, tooManyRequests(error.retryAfterSeconds));
    throw error;
  }

  if ("newPassword" in parsed.data) {
    const response = await callAuthEndpoint(request, context, "/change-password", {
      currentPassword,
      newPassword: parsed.data.newPassword,
      revokeOtherSessions: true,
    });
    // The session was replaced (every other one revoked): a redirect, so the page is loaded again with the new cookie.
    if (response.ok) return redirect("/settings/account?password=changed", { headers: authCookies(response) });
    const error = await readAuthError(response);
    if (error.code === "INVALID_PASSWORD")
      return failure(intent, formData, {
        currentPassword: "That isn't your current password. Check it and try again.",
      });
    if (error.code.startsWith("PASSWORD_TOO"))
      return failure(intent, formData, { newPassword: error.message || "Please choose a different password." });
    if (error.status === 429)
      return failure(
        intent,
        formData,
        {},
        `Too many attempts. Please wait ${formatWait(error.retryAfter ?? 60)} and try again.`,
        tooManyRequests(error.retryAfter),
      );
    return failure(
      intent,
      formData,
      {},
      "We couldn't change your password just now. Please try again.",
      error.status >= 500 ? 502 : 400,
    );
  }

  const { newEmail } = parsed.data;
  const response = await callAuthEndpoint(request, context, "/change-email", { newEmail });
  if (!response.ok) {
    const error = await readAuthError(response);
    if (error.status === 429)
      return failure(
        intent,
        formData,
        {},
        `Too many address changes. Please try again in ${aboutMinutes(error.retryAfter ?? 60)}.`,
        tooManyRequests(error.retryAfter),
      );
    return failure(
      intent,
      formData,
      {},
      "We couldn't start the change just now. Please try again.",
      error.status >= 500 ? 502 : 400,
    );
  }
  // The same answer whether or not another account already uses the address (better-auth then sends nothing).
  const message =
    `We sent a link to ${newEmail}. Open it within ${EMAIL_CHANGE_LINK_MINUTES} minutes to start signing in with that address. ` +
    `Until then you keep signing in with ${user.email}.`;
  return data<ActionData>({ intent, ok: true, message, fieldErrors: {}, values: {} });
}

function readIntent(value: FormDataEntryValue | null): Intent | null {
  return value === "password" || value === "email" || value === "set-password" ? value : null;
}

/**
 * An account without a password (made through single sign-on) can ask for a link to set one. It can't change its
 * address yet: with no password, a stolen session alone could move the account to another address and then take a
 * password there, so the first password comes through a link to the address the account has now.
 */
async function actionWithoutPassword({
  request,
  context,
  user,
  formData,
  intent,
  signInName,
}: {
  request: Request;
  context: ActionFunctionArgs["context"];
  user: CurrentUser;
  formData: FormData;
  intent: Intent;
  /** The single sign-on the account uses instead; null when it has none either (an account an admin made). */
  signInName: string | null;
}) {
  if (intent === "email")
    return failure(
      intent,
      formData,
      {},
      `${signInName ? `Your account has no password yet (you sign in with ${signInName}).` : "Your account has no password yet."} To change the address you sign in with, first use "Set a password" above: the link we email to ${user.email} shows it's you. Then come back here.`,
      403,
    );
  if (intent === "password")
    return failure(
      intent,
      formData,
      {},
      `${signInName ? `Your account has no password yet: you sign in with ${signInName}.` : "Your account has no password yet."} Use "Set a password" to get a link for choosing one.`,
      409,
    );
  // Past the hour's password links nothing would be sent: say so rather than "we sent a link".
  const wait = await passwordResetEmailWait(context.services.db, user.id);
  if (wait !== null) return failure(intent, formData, {}, passwordResetEmailWaitMessage(wait), tooManyRequests(wait));
  const response = await callAuthEndpoint(request, context, "/request-password-reset", { email: user.email });
  if (!response.ok) {
    const error = await readAuthError(response);
    if (error.status === 429)
      return failure(
        intent,
        formData,
        {},
        `Too many requests just now. Please wait ${aboutMinutes(error.retryAfter ?? 60)} and try again.`,
        tooManyRequests(error.retryAfter),
      );
    return failure(
      intent,
      formData,
      {},
      "We couldn't send the link just now. Please try again.",
      error.status >= 500 ? 502 : 400,
    );
  }
  const message =
    `We sent a link to ${user.email}. Open it within ${RESET_LINK_MINUTES} minutes to choose your password.` +
    (signInName ? ` You can keep signing in with ${signInName} as well.` : "");
  return data<ActionData>({ intent, ok: true, message, fieldErrors: {}, values: {} });
}

export default function AccountSettings() {
  const { email, hasPassword, signInName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const password = result?.intent === "password" || result?.intent === "set-password" ? result : undefined;
  const change = result?.intent === "email" ? result : undefined;
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Password &amp; sign-in email</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600 dark:text-slate-400">You sign in as {email}.</p>
      <SettingsNav />
      {result?.intent === "other" ? <ResultAlert result={result} /> : null}
      {searchParams.get("email") === "changed" && !result ? (
        <FormAlert tone="success">
          Your new address is confirmed. Sign in with {email} from now on. Other devices were signed out; this one stays
          signed in.
        </FormAlert>
      ) : null}
      {searchParams.get("password") === "changed" && !result ? (
        <FormAlert tone="success">
          Your password was changed. Other devices where you were signed in are signed out; this one stays signed in.
        </FormAlert>
      ) : null}

      {hasPassword ? (
        <ChangePassword email={email} result={password} busy={busy === "password"} />
      ) : (
        <SetPassword email={email} signInName={signInName} result={password} busy={busy === "set-password"} />
      )}

      <section aria-labelledby="change-email" className="mt-10">
        <h2 id="change-email" className="text-lg font-semibold">
          Change your sign-in email
        </h2>
        {hasPassword ? (
          <ChangeEmail result={change} busy={busy === "email"} />
        ) : (
          <EmailNeedsPassword email={email} result={change} />
        )}
      </section>
    </div>
  );
}

type Result = ActionData | undefined;

/** What a form's last post came to (saved or refused), focused when it arrives; nothing before a post. */
function ResultAlert({ result }: { result: Result }) {
  if (!result?.message) return null;
  return (
    <FormAlert tone={result.ok ? "success" : "error"} focusOn={result}>
      {result.message}
    </FormAlert>
  );
}

function ChangePassword({ email, result, busy }: { email: string; result: Result; busy: boolean }) {
  return (
    <section aria-labelledby="change-password" className="mt-6">
      <h2 id="change-password" className="text-lg font-semibold">
        Change your password
      </h2>
      <Form key={result?.ok ? "saved" : "editing"} method="post" className="mt-3 space-y-4" noValidate>
        <ResultAlert result={result} />
        <input type="hidden" name="intent" value="password" />
        <input type="hidden" name="username" autoComplete="username" value={email} />
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={result?.fieldErrors.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          error={result?.fieldErrors.newPassword}
          hint={`At least ${LIMITS.passwordMin} characters. Every other device signed in to your account will be signed out.`}
        />
        <Button type="submit" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </Button>
      </Form>
    </section>
  );
}

function ChangeEmail({ result, busy }: { result: Result; busy: boolean }) {
  return (
    <>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        We'll email a link to the new address; the change happens when you open it. We'll also let your current address
        know.
      </p>
      <Form key={result?.ok ? "sent" : "editing"} method="post" className="mt-3 space-y-4" noValidate>
        <ResultAlert result={result} />
        <input type="hidden" name="intent" value="email" />
        <TextField
          label="New email address"
          name="newEmail"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={result?.ok ? "" : result?.values.newEmail}
          error={result?.fieldErrors.newEmail}
        />
        <TextField
          label="Your password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={result?.fieldErrors.currentPassword}
          hint="To make sure it's you."
        />
        <Button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Send confirmation link"}
        </Button>
      </Form>
    </>
  );
}

/** Instead of "Change your password" for an account without one: a link to set it, sent to the account's address. */
function SetPassword({
  email,
  signInName,
  result,
  busy,
}: {
  email: string;
  signInName: string | null;
  result: Result;
  busy: boolean;
}) {
  return (
    <section aria-labelledby="set-password" className="mt-6">
      <h2 id="set-password" className="text-lg font-semibold">
        Set a password
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        {signInName ? (
          <>
            You sign in with {signInName}, so your account has no password, and you don't need one. A password is a
            second way in, for example when {signInName} isn't available. We'll email a link to {email}; open it to
            choose your password. You can keep signing in with {signInName} as well.
          </>
        ) : (
          <>Your account has no password yet. We'll email a link to {email}; open it to choose your password.</>
        )}{" "}
        Choosing the password signs you out on every device, so you sign in again afterwards.
      </p>
      <Form method="post" className="mt-3 space-y-4" noValidate>
        <ResultAlert result={result} />
        <input type="hidden" name="intent" value="set-password" />
        <Button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Email me a link to set a password"}
        </Button>
      </Form>
    </section>
  );
}

/** Why an account without a password can't change its address yet, and what to do first. */
function EmailNeedsPassword({ email, result }: { email: string; result: Result }) {
  return (
    <>
      <ResultAlert result={result} />
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        To change the address you sign in with, set a password first (above). The link we email to {email} for that
        shows it's really you; once you have a password, you can change your address here.
      </p>
    </>
  );
}
