/**
 * Your data: download everything PeerDesk keeps by and about you, or delete your account after reading, in plain
 * words, what goes and what stays. Deleting asks you to type your handle (and your password, if you have one).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { asActor, authCookies, callAuthEndpoint, requireUser } from "~/auth/session.server";
import { SettingsNav } from "~/components/SettingsNav";
import { AccountDeletionForm, type AccountDeletionResult } from "~/components/AccountDeletionForm";
import { TextField } from "~/components/ui/Field";
import { buttonClass } from "~/components/ui/Button";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { AccountDataError, whatStays } from "~/models/account-data.server";
import { deleteAccount, describeDeletion } from "~/models/account-deletion.server";
import { requirePermission } from "~/models/permissions.server";
import { RateLimitedError, checkCountingFailures } from "~/models/rate-limits.server";
import { hasPassword } from "~/models/two-factor.server";
import { loaderAndRetryAfterHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Your data · PeerDesk" }];

/** What to type to confirm: the handle, or these words for an account without one. */
const CONFIRM_WORDS = "delete my account";

/** The account is gone (deleted by this request, or by the same button pressed twice): sign out, and say so. */
async function goodbye(request: Request, context: LoaderFunctionArgs["context"]) {
  // The sessions are gone already; signing out clears this browser's cookies.
  const signedOut = await callAuthEndpoint(request, context, "/sign-out", {});
  return redirect("/goodbye", { headers: authCookies(signedOut) });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db } = context.services;
  const passwordSet = await hasPassword(db, user.id);
  let summary: Awaited<ReturnType<typeof describeDeletion>>;
  try {
    summary = await describeDeletion(db, user.id);
  } catch (error) {
    if (error instanceof AccountDataError && error.status === 404) throw await goodbye(request, context);
    throw error;
  }
  return data(
    {
      summary,
      hasWritten: summary.questions + summary.answers + summary.howtos > 0,
      whatStays: whatStays(summary, "your"),
      hasPassword: passwordSet,
      confirmWith: summary.handle ?? CONFIRM_WORDS,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** The loader's `private, no-store`: the page shows the person's email address and what they wrote; no cache keeps it. */
export const headers = loaderAndRetryAfterHeaders;

/** A form that names no action (an older page, a hand-made request) gets plain words, not the validator's. */
const NO_INTENT =
  'This form didn\'t say what to do. To delete your account, fill in the form below and press "Delete my account".';

const schema = z.object({
  intent: z.literal("delete", { errorMap: () => ({ message: NO_INTENT }) }),
  confirm: z.string().trim().max(200).default(""),
  password: z.string().max(128).default(""),
  deleteQuestions: z.string().max(10).optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db, auth } = context.services;
  const formData = await request.formData();
  const values = submittedValues(formData);
  const fail = (fieldErrors: FieldErrors, message?: string, init: number | ResponseInit = 400) =>
    data<AccountDeletionResult>({ fieldErrors, values, message }, init);
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) {
    const { intent, ...fieldErrors } = parsed.fieldErrors;
    return fail(fieldErrors, intent);
  }
  const expected = user.handle ?? CONFIRM_WORDS;
  if (parsed.data.confirm.toLowerCase() !== expected.toLowerCase())
    return fail({ confirm: `Type ${expected} exactly to confirm.` });
  if (await hasPassword(db, user.id)) {
    // Only wrong passwords are counted (against guessing); a right one uses up nothing.
    const isRight = () =>
      auth.api
        .verifyPassword({ body: { password: parsed.data.password }, headers: request.headers })
        .then(() => true)
        .catch(() => false);
    try {
      if (!(await checkCountingFailures(db, { userId: user.id, kind: "passwordCheck", check: isRight })))
        return fail({ password: "That isn't your password. Check it and try again." });
    } catch (error) {
      if (error instanceof RateLimitedError) return fail({}, error.message, tooManyRequests(error.retryAfterSeconds));
      throw error;
    }
  }
  try {
    await deleteAccount(db, {
      userId: user.id,
      by: user.id,
      deleteUnansweredQuestions: parsed.data.deleteQuestions === "on",
    });
  } catch (error) {
    // Already deleted: the same button pressed twice (a double click without JavaScript) ends where the first did.
    if (error instanceof AccountDataError && error.status === 404) return goodbye(request, context);
    if (error instanceof AccountDataError) return fail({}, error.message, error.status);
    throw error;
  }
  return goodbye(request, context);
}

export default function YourData() {
  const {
    summary,
    hasWritten,
    whatStays: stays,
    hasPassword: askPassword,
    confirmWith,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Your data</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600 dark:text-slate-400">
        Take a copy of what you wrote and what we keep about you, or delete your account.
      </p>
      <SettingsNav />

      <section aria-labelledby="download" className="mt-6">
        <h2 id="download" className="text-lg font-semibold">
          Download your data
        </h2>
        <p className="mt-1 text-sm">
          One file (JSON, a format other programs can read) with your profile, everything you wrote (questions, answers,
          how-tos, comments, drafts), your votes, follows, the flags you filed, notifications, email settings, your
          passkeys' names, the devices you're signed in on, and links to your profile picture. The zip holds the same
          file and your profile picture in each size. Passwords and sign-in secrets are never included.
        </p>
        <a href="/me/data.json" download className={buttonClass("primary", "mt-3")}>
          Download my data
        </a>
        <a href="/me/data.zip" download className={buttonClass("secondary", "mt-3 ml-2")}>
          Download my data and pictures (zip file)
        </a>
      </section>

      <section aria-labelledby="delete" className="mt-10 rounded-lg border border-red-300 p-4 dark:border-red-800">
        <h2 id="delete" className="text-lg font-semibold">
          Delete your account
        </h2>
        <p className="mt-2 text-sm font-medium">What happens:</p>
        <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
          <li>
            Your name, email address, profile, picture, expertise, sign-in details, devices, follows, notifications,
            drafts and email settings are deleted. You can't undo this.
          </li>
          {hasWritten ? (
            <li>
              {stays} The conversations others joined still make sense, and nothing links to your profile any more.
            </li>
          ) : null}
          <li>You can sign up again later with the same email address, as a new member.</li>
        </ul>
        <AccountDeletionForm
          result={result}
          confirmWith={confirmWith}
          deleteQuestionsLabel={
            summary.unansweredQuestions > 0 ? (
              <>
                Also delete my questions that nobody else answered ({summary.unansweredQuestions})
                <span className="block text-sm text-slate-600 dark:text-slate-400">
                  Questions someone else answered always stay, so their answers keep their context.
                </span>
              </>
            ) : undefined
          }
          fieldsAfterConfirm={
            askPassword ? (
              <TextField
                label="Your password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                error={errors.password}
              />
            ) : null
          }
          submitLabel={busy ? "Deleting…" : "Delete my account"}
          isBusy={busy}
        />
      </section>
    </div>
  );
}
