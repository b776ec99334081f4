/**
 * Create an account with email and password (or with single sign-on); every problem is shown beside its field and
 * nothing typed is lost. An invitation link (?invite=…) lets people outside the allowed email domains join.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { INVITATION_HEADER, SIGNUP_NOT_ALLOWED } from "~/auth/join-guard.server";
import { passwordWeakness } from "~/auth/password-strength.server";
import { authCookies, callAuthEndpoint, getCurrentUser, readAuthError, safeRedirectPath } from "~/auth/session.server";
import { LIMITS, signUpSchema } from "~/auth/validation";
import { OrDivider, SsoButtons } from "~/components/SsoButtons";
import { Button } from "~/components/ui/Button";
import { FormAlert, RadioGroup, TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { aboutMinutes } from "~/lib/wait-time";
import { invitationIsUsable } from "~/models/signup-policy.server";
import { setAudience } from "~/models/users.server";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Join PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentUser(request, context)) throw redirect("/");
  const invite = new URL(request.url).searchParams.get("invite") ?? "";
  return {
    providers: context.services.env.ssoProviders.map(({ id, name }) => ({ id, name })),
    passwordSignUp: context.services.env.PASSWORD_SIGNUP,
    invitation: invite ? ((await invitationIsUsable(context.services.db, invite)) ? "usable" : "unusable") : null,
  };
}

type ActionData = { fieldErrors: FieldErrors; values: Record<string, string>; formError?: string };

const ADDRESS_TAKEN = "An account with this email already exists. Sign in instead, or use another address.";
/**
 * A sign-up that lost a race for its address to one made while it ran: nearly always the same person's other press of
 * "Create account" (or another tab). It says only that, and that the account exists, as ADDRESS_TAKEN does.
 */
const ADDRESS_JUST_TAKEN =
  "An account with this email was created just now, for example by pressing the button twice. Sign in with your email and password.";

/** Whether an account uses `email` now (asked of better-auth, which matches addresses as its sign-up does). */
async function hasAccount(context: ActionFunctionArgs["context"], email: string): Promise<boolean> {
  try {
    const auth = await context.services.auth.$context;
    return (await auth.internalAdapter.findUserByEmail(email)) !== null;
  } catch {
    return false;
  }
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (!context.services.env.PASSWORD_SIGNUP) {
    return data<ActionData>(
      {
        fieldErrors: {},
        values: submittedValues(formData),
        formError: "Accounts here are created with single sign-on.",
      },
      { status: 403 },
    );
  }
  const parsed = parseForm(signUpSchema, formData);
  // A guessable password is reported with the other mistakes at once (better-auth's hook refuses it too).
  const typed = formData.get("password");
  const checkable =
    typeof typed === "string" && typed.length >= LIMITS.passwordMin && typed.length <= LIMITS.passwordMax;
  const weakness = checkable
    ? await passwordWeakness(typed, [String(formData.get("name") ?? ""), String(formData.get("email") ?? "")])
    : null;
  if (!parsed.ok || weakness) {
    const fieldErrors = parsed.ok ? {} : parsed.fieldErrors;
    if (weakness) fieldErrors.password ??= weakness;
    return data<ActionData>({ fieldErrors, values: submittedValues(formData) }, { status: 400 });
  }
  const { name, email, password, audience } = parsed.data;
  const invite = formData.get("invite");
  const response = await callAuthEndpoint(
    request,
    context,
    "/sign-up/email",
    { name, email, password },
    typeof invite === "string" && /^[A-Za-z0-9_-]{1,200}$/.test(invite) ? { [INVITATION_HEADER]: invite } : {},
  );
  if (!response.ok) {
    const error = await readAuthError(response);
    const values = submittedValues(formData);
    if (error.status === 429) {
      return data<ActionData>(
        {
          fieldErrors: {},
          values,
          formError: `Too many sign-up attempts from your network. Please try again in ${aboutMinutes(error.retryAfter ?? 60)}.`,
        },
        tooManyRequests(error.retryAfter),
      );
    }
    if (error.code === SIGNUP_NOT_ALLOWED) {
      return data<ActionData>({ fieldErrors: { email: error.message }, values }, { status: 403 });
    }
    if (error.code.startsWith("USER_ALREADY_EXISTS")) {
      return data<ActionData>({ fieldErrors: { email: ADDRESS_TAKEN }, values }, { status: 400 });
    }
    if (error.code.startsWith("PASSWORD_TOO")) {
      return data<ActionData>(
        { fieldErrors: { password: error.message || "Please choose a different password." }, values },
        { status: 400 },
      );
    }
    // A sign-up that lost a race for the same address fails in the database (its insert), not as "already exists".
    if (await hasAccount(context, email)) {
      const taken = error.code === "FAILED_TO_CREATE_USER" ? ADDRESS_JUST_TAKEN : ADDRESS_TAKEN;
      return data<ActionData>({ fieldErrors: { email: taken }, values }, { status: 400 });
    }
    return data<ActionData>(
      { fieldErrors: {}, values, formError: "We couldn't create your account just now. Please try again." },
      { status: error.status >= 500 ? 502 : 400 },
    );
  }
  const body: unknown = await response.json();
  const userId =
    body &&
    typeof body === "object" &&
    "user" in body &&
    body.user &&
    typeof body.user === "object" &&
    "id" in body.user
      ? String(body.user.id)
      : null;
  if (userId) await setAudience(context.services.db, userId, audience);
  return redirect(safeRedirectPath(parsed.data.redirectTo, "/settings/profile?welcome=1"), {
    headers: authCookies(response),
  });
}

export default function SignUp() {
  const { providers, passwordSignUp, invitation } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const invite = invitation === "usable" ? searchParams.get("invite") : null;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Join PeerDesk</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-300">
        Ask questions, share what you know, and follow the topics you care about.
      </p>
      {invitation === "usable" ? (
        <div className="mt-6">
          <FormAlert tone="success">You were invited: create your account below.</FormAlert>
        </div>
      ) : null}
      {invitation === "unusable" ? (
        <div className="mt-6">
          <FormAlert>
            This invitation link has expired or been used up. Ask the person who invited you for a new one.
          </FormAlert>
        </div>
      ) : null}
      <SsoButtons providers={providers} redirectTo={searchParams.get("redirectTo") ?? ""} invite={invite} />
      {providers.length > 0 && passwordSignUp ? <OrDivider /> : null}
      {passwordSignUp ? <PasswordSignUpForm /> : null}
      <p className="mt-6 text-sm">
        Already have an account? <Link to={`/signin${searchParams.toString() ? `?${searchParams}` : ""}`}>Sign in</Link>
      </p>
    </div>
  );
}

/** The email-and-password form (left out when PASSWORD_SIGNUP=false). */
function PasswordSignUpForm() {
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  const invite = searchParams.get("invite") ?? values.invite ?? "";
  return (
    <Form method="post" className="mt-6 space-y-4" noValidate>
      {result?.formError ? <FormAlert focusOn={result}>{result.formError}</FormAlert> : null}
      <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
      {invite ? <input type="hidden" name="invite" value={invite} /> : null}
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        required
        maxLength={LIMITS.nameMax + 20}
        defaultValue={values.name}
        error={errors.name}
        hint="Shown with your posts. Your real name or a nickname."
      />
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
        autoComplete="new-password"
        required
        error={errors.password}
        hint={`At least ${LIMITS.passwordMin} characters. A short sentence is easy to remember and hard to guess.`}
      />
      <RadioGroup
        label="Which describes you best?"
        name="audience"
        defaultValue={values.audience}
        required
        error={errors.audience}
        options={[
          { value: "it", label: "I work in IT", hint: "Admin, engineer, helpdesk, security, developer…" },
          {
            value: "business",
            label: "I'm a business colleague",
            hint: "I use the technology and want clear, jargon-free help.",
          },
        ]}
      />
      <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
        {navigation.state === "submitting" ? "Creating your account…" : "Create account"}
      </Button>
    </Form>
  );
}
