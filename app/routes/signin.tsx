/** Sign in with email and password; wrong passwords, suspended accounts and rate limits each get a clear message. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authCookies, callAuthEndpoint, getCurrentUser, readAuthError, safeRedirectPath } from "~/auth/session.server";
import { asksForSecondStep } from "~/auth/two-factor-sign-in.server";
import { signInSchema } from "~/auth/validation";
import { LocalTime } from "~/components/LocalTime";
import { PasskeySignIn } from "~/components/Passkeys";
import { OrDivider, SsoButtons } from "~/components/SsoButtons";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { aboutMinutes } from "~/lib/wait-time";
import { ssoErrorMessage } from "~/lib/sso-messages";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Sign in · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentUser(request, context)) throw redirect("/");
  // Single sign-on comes back here with ?error=<code> when it could not sign someone in.
  const url = new URL(request.url);
  const code = url.searchParams.get("error");
  return {
    // Checked here once: the passkey button navigates in the browser with whatever it is given.
    passkeyRedirectTo: safeRedirectPath(url.searchParams.get("redirectTo")),
    providers: context.services.env.ssoProviders.map(({ id, name }) => ({ id, name })),
    ssoError: ssoErrorMessage(code && code.length <= 100 ? code : code ? "unknown" : null),
  };
}

type ActionData = {
  fieldErrors: FieldErrors;
  values: Record<string, string>;
  formError?: string;
  /** When a paused sign-in may be tried again (ISO), so the page can say it in the reader's own time zone. */
  lockedUntil?: string;
};

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(signInSchema, formData);
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  const response = await callAuthEndpoint(request, context, "/sign-in/email", {
    email: parsed.data.email,
    password: parsed.data.password,
    rememberMe: true,
  });
  if (!response.ok) {
    const lockedUntil = await lockedUntilOf(response.clone());
    const error = await readAuthError(response);
    const values = submittedValues(formData);
    // Too many wrong passwords for this account (or, from a browser that signed in before, in this browser): the
    // message says until when, and what works meanwhile.
    if (error.code === "ACCOUNT_LOCKED")
      return data<ActionData>(
        { fieldErrors: {}, values, formError: error.message, ...(lockedUntil ? { lockedUntil } : {}) },
        { status: 429 },
      );
    const formError =
      error.status === 429
        ? `Too many sign-in attempts. Please wait ${aboutMinutes(error.retryAfter ?? 60)} and try again.`
        : error.code === "BANNED_USER" || error.status === 403
          ? error.message || "This account has been suspended."
          : error.status === 401
            ? "That email and password don't match an account. Check both and try again."
            : "We couldn't sign you in just now. Please try again.";
    return data<ActionData>(
      { fieldErrors: {}, values, formError },
      error.status === 429 ? tooManyRequests(error.retryAfter) : { status: 400 },
    );
  }
  const redirectTo = safeRedirectPath(parsed.data.redirectTo);
  // Two-step sign-in: better-auth set a short-lived challenge cookie instead of a session; the code comes next.
  if (await asksForSecondStep(response))
    return redirect(`/signin/two-factor?redirectTo=${encodeURIComponent(redirectTo)}`, {
      headers: authCookies(response),
    });
  return redirect(redirectTo, { headers: authCookies(response) });
}

/** The end of a sign-in pause, as the auth server sent it beside its message, or null. */
async function lockedUntilOf(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === "object" && "lockedUntil" in body && typeof body.lockedUntil === "string")
      return Number.isNaN(Date.parse(body.lockedUntil)) ? null : body.lockedUntil;
  } catch {
    // No JSON: the message alone is shown.
  }
  return null;
}

/** The auth server's "paused for 15 minutes (until 04:40 UTC)", which only reads right to someone living in UTC. */
const PAUSED_FOR = /paused for (\d+) minutes? \(until \d\d:\d\d UTC\)/;

/**
 * A pause's message with its end in the reader's own time zone (with JavaScript; UTC, said so, without) and "in about
 * N minutes", which reads right on any clock. A message in other words is shown as it came.
 */
function PauseMessage({ message, lockedUntil }: { message: string; lockedUntil?: string }) {
  const match = PAUSED_FOR.exec(message);
  if (!match || !lockedUntil) return <>{message}</>;
  const minutes = Number(match[1]);
  return (
    <>
      {message.slice(0, match.index)}paused until <LocalTime iso={lockedUntil} /> (in {aboutMinutes(minutes * 60)})
      {message.slice(match.index + match[0].length)}
    </>
  );
}

export default function SignIn() {
  const { providers, ssoError, passkeyRedirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {ssoError && !result ? (
        <div className="mt-6">
          <FormAlert>{ssoError}</FormAlert>
        </div>
      ) : null}
      <SsoButtons providers={providers} redirectTo={searchParams.get("redirectTo") ?? ""} />
      <PasskeySignIn redirectTo={passkeyRedirectTo} otherWay="Sign in with your email and password below." />
      <OrDivider />
      <Form method="post" className="mt-6 space-y-4" noValidate>
        {result?.formError ? (
          <FormAlert focusOn={result}>
            <PauseMessage message={result.formError} lockedUntil={result.lockedUntil} />
          </FormAlert>
        ) : null}
        {!result && searchParams.get("reset") === "1" ? (
          <FormAlert tone="success">Your password was changed. Sign in with your new password.</FormAlert>
        ) : null}
        {!result && searchParams.get("reset") === "first" ? (
          <FormAlert tone="success">Your password is set. You can now sign in with your email and password.</FormAlert>
        ) : null}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? values.redirectTo ?? ""} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={values.email}
          error={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <p className="text-sm">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </Button>
      </Form>
      <p className="mt-6 text-sm">
        New here? <Link to={`/signup${searchParams.toString() ? `?${searchParams}` : ""}`}>Create an account</Link>
      </p>
    </div>
  );
}
