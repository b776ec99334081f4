/**
 * "Forgot password?": asks for an email address and has better-auth email a one-time reset link. The answer is the
 * same whether or not the address has an account, so the form cannot be used to find out who is a member.
 */
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { callAuthEndpoint, readAuthError } from "~/auth/session.server";
import { forgotPasswordSchema } from "~/auth/validation";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { RESET_LINK_MINUTES } from "~/lib/accounts";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · PeerDesk" }];

type ActionData = { sentTo?: string; fieldErrors: FieldErrors; values: Record<string, string>; formError?: string };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(forgotPasswordSchema, formData);
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  const response = await callAuthEndpoint(request, context, "/request-password-reset", { email: parsed.data.email });
  if (!response.ok) {
    const error = await readAuthError(response);
    const values = submittedValues(formData);
    if (error.status === 429) {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
      return data<ActionData>(
        {
          fieldErrors: {},
          values,
          formError: `Too many reset requests from your network. Please try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
        },
        tooManyRequests(error.retryAfter),
      );
    }
    return data<ActionData>(
      { fieldErrors: {}, values, formError: "We couldn't send the link just now. Please try again." },
      { status: error.status >= 500 ? 502 : 400 },
    );
  }
  return data<ActionData>({ sentTo: parsed.data.email, fieldErrors: {}, values: {} });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  if (result?.sentTo) {
    return (
      <div className="mx-auto max-w-md space-y-4">
        <h1 className="text-2xl font-bold">Check your email</h1>
        <FormAlert tone="success">
          If an account uses {result.sentTo}, we've emailed it a link to choose a new password. The link works once,
          within {RESET_LINK_MINUTES} minutes.
        </FormAlert>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Nothing arrived after a few minutes? Check your spam folder and that the address is the one you signed up
          with, then <Link to="/forgot-password">ask for a new link</Link>.
        </p>
        <p className="text-sm">
          <Link to="/signin">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Forgot your password?</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-300">
        Enter the email address you sign in with. We'll email you a link to choose a new password.
      </p>
      <Form method="post" className="mt-6 space-y-4" noValidate>
        {result?.formError ? <FormAlert focusOn={result}>{result.formError}</FormAlert> : null}
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
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Sending…" : "Email me a reset link"}
        </Button>
      </Form>
      <p className="mt-6 text-sm">
        Remembered it? <Link to="/signin">Sign in</Link>
      </p>
    </div>
  );
}
