/**
 * Two-step sign-in settings: turn it on (scan a QR code or type the secret, confirm with a code, then save one-time
 * backup codes shown once), make new backup codes, or turn it off. Each step asks for the password when the account
 * has one. Plain forms, so it all works without JavaScript.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { TOTP_CODE_USED, TOTP_CODE_USED_MESSAGE } from "~/auth/totp-replay.server";
import { claimTwoFactorSetUp, releaseTwoFactorSetUp } from "~/auth/two-factor-setup.server";
import { asActor, authCookies, callAuthEndpoint, readAuthError, requireUser } from "~/auth/session.server";
import { SettingsNav } from "~/components/SettingsNav";
import { Button, buttonClass } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm } from "~/lib/forms";
import { requirePermission } from "~/models/permissions.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";
import {
  STAFF_ROLES,
  type TotpSetup,
  type TwoFactorState,
  backupCodesFile,
  describeTotpUri,
  getSecuritySettings,
  getTwoFactorState,
} from "~/models/two-factor.server";
import { getSignInMethods, signInInsteadOfPassword } from "~/models/account-sign-in.server";
import { formPageHeaders, tooManyRequests } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Two-step sign-in · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db } = context.services;
  const [state, settings, methods] = await Promise.all([
    getTwoFactorState(db, user.id),
    getSecuritySettings(db),
    getSignInMethods(db, user.id),
  ]);
  return {
    email: user.email,
    state,
    hasPassword: methods.hasPassword,
    /** Whether the account, having no password, signs in through single sign-on (the wording speaks of it then). */
    viaWorkplace: signInInsteadOfPassword(methods, []) !== null,
    requiredForRole: settings.requireTwoFactorForStaff && STAFF_ROLES.includes(user.role),
    role: user.role,
  };
}

const password = z.string().max(128, "That is longer than any password here.").default("");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("enable"), password }),
  z.object({
    intent: z.literal("verify"),
    code: z
      .string()
      .trim()
      .transform((value) => value.replace(/\s+/g, ""))
      .pipe(z.string().regex(/^\d{6}$/, "Enter the 6 digits your app shows.")),
    totpUri: z.string().max(1000).default(""),
  }),
  z.object({ intent: z.literal("backup-codes"), password }),
  z.object({ intent: z.literal("disable"), password }),
]);
type Intent = z.infer<typeof actionSchema>["intent"];

type ActionData = {
  intent: Intent | "unknown";
  ok: boolean;
  message?: string;
  fieldErrors: FieldErrors;
  setup?: TotpSetup;
  /** Shown once, right after they are made: never stored anywhere we could show them again. */
  backupCodes?: { codes: string[]; file: string };
  turnedOff?: boolean;
};

function failure(
  intent: ActionData["intent"],
  fieldErrors: FieldErrors,
  message?: string,
  init: number | ResponseInit = 400,
  extra = {},
) {
  const response = { intent, ok: false, fieldErrors, message, ...extra };
  return data<ActionData>(response, init);
}

async function authFailure(intent: Intent, response: Response, extra: Partial<ActionData> = {}) {
  const error = await readAuthError(response);
  if (error.code === "INVALID_PASSWORD")
    return failure(intent, { password: "That isn't your password. Check it and try again." }, undefined, 400, extra);
  // The code that was just used (a second press, or typed again): its own words, as at sign-in.
  if (error.code === TOTP_CODE_USED) return failure(intent, { code: TOTP_CODE_USED_MESSAGE }, undefined, 400, extra);
  if (error.code === "INVALID_CODE" || error.code === "INVALID_TWO_FACTOR_AUTHENTICATION")
    return failure(
      intent,
      { code: "That code didn't match. Check the time on your phone is right, then try the newest code." },
      undefined,
      400,
      extra,
    );
  if (error.status === 429)
    return failure(
      intent,
      {},
      `Too many attempts. Please wait ${error.retryAfter ?? 60} seconds and try again.`,
      tooManyRequests(error.retryAfter),
      extra,
    );
  return failure(intent, {}, "That didn't work just now. Please try again.", error.status >= 500 ? 502 : 400, extra);
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

/**
 * After a refusal because the state changed in another tab (409), the page loads again, so it shows two-step sign-in
 * as it is now (no "Make new backup codes" for an account where it is off), as it does without JavaScript.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db, auth } = context.services;
  const formData = await request.formData();
  const parsed = parseForm(actionSchema, formData);
  if (!parsed.ok) {
    const intent = actionSchema.options.map((o) => o.shape.intent.value).find((i) => i === formData.get("intent"));
    // A wrong code keeps the QR code on the page, so the person can simply try again.
    const setup = intent === "verify" ? await describeTotpUri(String(formData.get("totpUri") ?? "")) : null;
    return failure(intent ?? "unknown", parsed.fieldErrors, undefined, 400, setup ? { setup } : {});
  }
  const input = parsed.data;
  // Making backup codes or turning it off needs it on: turned off (or never finished) in another tab, that is said.
  if (input.intent === "backup-codes") {
    const notOn = notOnForBackupCodes(await getTwoFactorState(db, user.id));
    if (notOn) return failure(input.intent, {}, notOn, 409);
  }
  if (input.intent === "disable" && (await getTwoFactorState(db, user.id)) === "off") return alreadyOff(db, user.id);
  if (input.intent === "verify") {
    // A code only confirms a set-up in progress: an old page (or a set-up finished or cancelled in another tab) says so.
    const state = await getTwoFactorState(db, user.id);
    if (state === "on")
      return failure(input.intent, {}, "Two-step sign-in is already on. There is nothing to confirm.", 409);
    if (state === "off")
      return failure(
        input.intent,
        {},
        'Two-step sign-in isn\'t being set up right now, so there is no code to check. Start again with "Set up two-step sign-in" below.',
        409,
      );
  }
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "twoStep" });
  } catch (error) {
    if (error instanceof RateLimitedError)
      return failure(input.intent, {}, error.message, tooManyRequests(error.retryAfterSeconds));
    throw error;
  }

  if (input.intent === "enable") {
    // Set-up already started (in another tab, by a second press, or before a break) goes on with the same secret: making
    // a new one would silently break the QR code the person may have scanned already, and the codes their app now shows.
    const claim = await claimTwoFactorSetUp(db, user.id);
    if (claim.kind === "on")
      return failure(input.intent, {}, "Two-step sign-in is already on. There is nothing to set up.", 409);
    if (claim.kind === "busy")
      return failure(
        input.intent,
        {},
        "Two-step sign-in is being set up in another tab or window right now. Wait a few seconds, then press the button again.",
        409,
      );
    let response: Response | null = null;
    try {
      response = await callAuthEndpoint(
        request,
        context,
        claim.kind === "claimed" ? "/two-factor/enable" : "/two-factor/get-totp-uri",
        { password: input.password || undefined },
      );
    } finally {
      if (claim.kind === "claimed" && !response?.ok) await releaseTwoFactorSetUp(db, user.id, claim.placeholder);
    }
    if (!response.ok) return authFailure(input.intent, response);
    const body = (await response.json()) as { totpURI?: unknown };
    const setup = typeof body.totpURI === "string" ? await describeTotpUri(body.totpURI) : null;
    if (!setup) return failure(input.intent, {}, "We couldn't start the set-up just now. Please try again.", 502);
    return data<ActionData>({ intent: input.intent, ok: true, fieldErrors: {}, setup });
  }

  if (input.intent === "verify") {
    const setup = (await describeTotpUri(input.totpUri)) ?? undefined;
    const response = await callAuthEndpoint(request, context, "/two-factor/verify-totp", { code: input.code });
    if (!response.ok) {
      // Pressed twice: the first press turned it on with this code, and this one found the code used.
      if ((await getTwoFactorState(db, user.id)) === "on")
        return failure(
          input.intent,
          {},
          "Two-step sign-in is on: that code was already used to turn it on. If you didn't see your backup codes, make new ones below.",
          409,
        );
      return authFailure(input.intent, response, setup ? { setup } : {});
    }
    // The codes were made with the secret; better-auth keeps them encrypted and lets the server read them once here.
    const { backupCodes } = await auth.api.viewBackupCodes({ body: { userId: user.id } });
    return data<ActionData>(
      {
        intent: input.intent,
        ok: true,
        fieldErrors: {},
        message: "Two-step sign-in is on. From now on, signing in asks for a code from your app.",
        backupCodes: {
          codes: backupCodes,
          file: backupCodesFile(backupCodes, { email: user.email, date: new Date() }),
        },
      },
      // Turning it on replaces the session (better-auth signs the person in again with the new setting).
      { headers: authCookies(response) },
    );
  }

  if (input.intent === "backup-codes") {
    const response = await callAuthEndpoint(request, context, "/two-factor/generate-backup-codes", {
      password: input.password || undefined,
    });
    if (!response.ok) {
      // Turned off in another tab between the check above and now.
      const notOn = notOnForBackupCodes(await getTwoFactorState(db, user.id));
      if (notOn) return failure(input.intent, {}, notOn, 409);
      return authFailure(input.intent, response);
    }
    const body = (await response.json()) as { backupCodes?: unknown };
    const codes = Array.isArray(body.backupCodes) ? body.backupCodes.filter((c) => typeof c === "string") : [];
    return data<ActionData>({
      intent: input.intent,
      ok: true,
      fieldErrors: {},
      message: "New backup codes are ready. Your old ones no longer work.",
      backupCodes: { codes, file: backupCodesFile(codes, { email: user.email, date: new Date() }) },
    });
  }

  const settings = await getSecuritySettings(db);
  if (settings.requireTwoFactorForStaff && STAFF_ROLES.includes(user.role))
    return failure(
      input.intent,
      {},
      `Two-step sign-in is required for your role (${user.role}), so it can't be turned off. Make new backup codes if you lost them.`,
      403,
    );
  const response = await callAuthEndpoint(request, context, "/two-factor/disable", {
    password: input.password || undefined,
  });
  if (!response.ok) return authFailure(input.intent, response);
  return data<ActionData>(
    {
      intent: input.intent,
      ok: true,
      fieldErrors: {},
      turnedOff: true,
      message: `Two-step sign-in is off.${await signsInWith(db, user.id)}`,
    },
    { headers: authCookies(response) },
  );
}

/** Why no backup codes can be made in this state, or null when two-step sign-in is on. */
function notOnForBackupCodes(state: TwoFactorState): string | null {
  if (state === "off")
    return "Two-step sign-in is off for your account (it was turned off in another tab or device), so there are no backup codes to make. Turn it on first.";
  if (state === "pending")
    return "Two-step sign-in isn't on yet: it was set up but no code from your app was confirmed. Finish turning it on below; you get backup codes then.";
  return null;
}

/** "Turn off" pressed when it is off already (turned off in another tab or device): nothing to do, and nothing done. */
async function alreadyOff(db: Db, userId: string) {
  return data<ActionData>({
    intent: "disable",
    ok: true,
    fieldErrors: {},
    turnedOff: true,
    message: `Two-step sign-in was already off (it was turned off in another tab or device), so nothing changed.${await signsInWith(db, userId)}`,
  });
}

/** How signing in goes once two-step sign-in is off, as a sentence after the news (empty when neither applies). */
async function signsInWith(db: Db, userId: string): Promise<string> {
  const methods = await getSignInMethods(db, userId);
  if (methods.hasPassword) return " Signing in asks only for your password.";
  if (signInInsteadOfPassword(methods, []) !== null) return " Signing in asks only for your workplace sign-in.";
  return "";
}

function PasswordField({ show, error }: { show: boolean; error?: string }) {
  if (!show) return null;
  return (
    <TextField
      label="Your password"
      name="password"
      type="password"
      autoComplete="current-password"
      required
      error={error}
      hint="To make sure it's you."
    />
  );
}

function BackupCodes({ codes, file }: { codes: string[]; file: string }) {
  return (
    <section aria-labelledby="backup-codes" className="mt-6 rounded-lg border border-amber-400 p-4">
      <h2 id="backup-codes" className="text-lg font-semibold">
        Save your backup codes now
      </h2>
      <p className="mt-1 text-sm">
        If you lose your phone, each code lets you sign in once instead of a code from the app. We show them only this
        once: download them or write them down, and keep them away from your phone.
      </p>
      <ul className="mt-3 grid grid-cols-2 gap-2 font-mono text-base" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code} className="rounded bg-slate-100 px-2 py-1 dark:bg-slate-800">
            {code}
          </li>
        ))}
      </ul>
      <p className="mt-3 flex flex-wrap gap-3">
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`}
          download="peerdesk-backup-codes.txt"
          className={buttonClass("primary")}
        >
          Download the codes (text file)
        </a>
        <Link to="/settings/security" className="inline-flex min-h-11 items-center">
          I've saved them
        </Link>
      </p>
    </section>
  );
}

function SetupSteps({ setup, error }: { setup: TotpSetup; error?: string }) {
  const navigation = useNavigation();
  return (
    <section aria-labelledby="set-up" className="mt-6">
      <h2 id="set-up" className="text-lg font-semibold">
        Connect your authenticator app
      </h2>
      <ol className="mt-2 list-decimal space-y-3 pl-5">
        <li>
          Open an authenticator app on your phone (for example Microsoft Authenticator, Google Authenticator or
          1Password) and add an account by scanning this code:
          <img
            src={setup.qrDataUrl}
            width={200}
            height={200}
            alt="QR code for your authenticator app"
            className="mt-2 rounded bg-white p-1"
          />
        </li>
        <li>
          Can't scan? Choose "enter a key" in the app and type this key:
          <code className="mt-1 block rounded bg-slate-100 px-2 py-1 font-mono break-all dark:bg-slate-800">
            {setup.secretForHumans}
          </code>
        </li>
        <li>Type the 6-digit code the app now shows for PeerDesk.</li>
      </ol>
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="intent" value="verify" />
        <input type="hidden" name="totpUri" value={setup.uri} />
        <TextField
          label="Code from your app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={8}
          required
          error={error}
        />
        <Button type="submit" disabled={navigation.state === "submitting"}>
          Turn on two-step sign-in
        </Button>
      </Form>
    </section>
  );
}

const INTRO = {
  password:
    "With two-step sign-in, signing in needs your password and a code from an app on your phone, so a stolen password alone is not enough.",
  workplace:
    "With two-step sign-in, after your workplace sign-in we also ask for a code from an app on your phone (unless your workplace sign-in already asked for a second step), so a stolen workplace password alone is not enough.",
  neither:
    "With two-step sign-in, signing in also needs a code from an app on your phone, so a stolen password alone is not enough.",
};

/** What two-step sign-in adds: to a password, to the workplace sign-in, or (an account with neither yet) in general. */
function Intro({ hasPassword, viaWorkplace }: { hasPassword: boolean; viaWorkplace: boolean }) {
  const kind = hasPassword ? "password" : viaWorkplace ? "workplace" : "neither";
  return <p className="mt-1 mb-4 text-sm text-slate-600 dark:text-slate-400">{INTRO[kind]}</p>;
}

export default function SecuritySettings() {
  const { state, hasPassword: askPassword, viaWorkplace, requiredForRole, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const errors = result?.fieldErrors ?? {};
  const isOn = state === "on" && !result?.turnedOff;
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Two-step sign-in</h1>
      <Intro hasPassword={askPassword} viaWorkplace={viaWorkplace} />
      <SettingsNav />
      {searchParams.get("required") === "1" && !isOn ? (
        <FormAlert>
          Your role ({role}) needs two-step sign-in before you can use its tools. Turn it on below; it takes a minute.
        </FormAlert>
      ) : null}
      {result?.message ? (
        <FormAlert tone={result.ok ? "success" : "error"} focusOn={result}>
          {result.message}
        </FormAlert>
      ) : null}
      {result?.backupCodes ? <BackupCodes codes={result.backupCodes.codes} file={result.backupCodes.file} /> : null}
      {result?.setup ? <SetupSteps setup={result.setup} error={errors.code} /> : null}

      {!result?.setup && !isOn ? (
        <section aria-labelledby="turn-on" className="mt-6">
          <h2 id="turn-on" className="text-lg font-semibold">
            {state === "pending" ? "Finish turning it on" : "Turn on two-step sign-in"}
          </h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {state === "pending"
              ? "You started setting it up but didn't confirm a code. Carry on to see the same QR code again."
              : "You'll need an authenticator app on your phone."}
          </p>
          <Form method="post" className="mt-3 space-y-4" noValidate>
            <input type="hidden" name="intent" value="enable" />
            <PasswordField show={askPassword} error={result?.intent === "enable" ? errors.password : undefined} />
            <Button type="submit" disabled={busy === "enable"}>
              {busy === "enable" ? "Starting…" : "Set up two-step sign-in"}
            </Button>
          </Form>
        </section>
      ) : null}

      {isOn && !result?.backupCodes ? (
        <>
          <p className="mt-6 rounded-lg bg-green-50 px-3 py-2 text-green-900 dark:bg-green-950 dark:text-green-100">
            Two-step sign-in is on.
          </p>
          <section aria-labelledby="new-codes" className="mt-6">
            <h2 id="new-codes" className="text-lg font-semibold">
              Make new backup codes
            </h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              Used some, or lost them? New codes replace all the old ones.
            </p>
            <Form method="post" className="mt-3 space-y-4" noValidate>
              <input type="hidden" name="intent" value="backup-codes" />
              <PasswordField
                show={askPassword}
                error={result?.intent === "backup-codes" ? errors.password : undefined}
              />
              <Button type="submit" variant="secondary" disabled={busy === "backup-codes"}>
                Make new backup codes
              </Button>
            </Form>
          </section>
          {requiredForRole ? (
            <p className="mt-6 text-sm text-slate-600 dark:text-slate-400">
              Your role ({role}) requires two-step sign-in, so it can't be turned off.
            </p>
          ) : (
            <section aria-labelledby="turn-off" className="mt-10">
              <h2 id="turn-off" className="text-lg font-semibold">
                Turn off two-step sign-in
              </h2>
              <Form method="post" className="mt-3 space-y-4" noValidate>
                <input type="hidden" name="intent" value="disable" />
                <PasswordField show={askPassword} error={result?.intent === "disable" ? errors.password : undefined} />
                <Button type="submit" variant="danger" disabled={busy === "disable"}>
                  Turn off two-step sign-in
                </Button>
              </Form>
            </section>
          )}
        </>
      ) : null}
    </div>
  );
}
