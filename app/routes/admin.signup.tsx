/**
 * Who may join: admins set the email domains that may sign up (empty: anyone), and make invitation links (with an
 * expiry and a number of uses) for people at other domains. Each link's secret is shown once, when it is made.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUserWith } from "~/auth/session.server";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextAreaField, TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { dayDate, fullDate } from "~/lib/time";
import {
  AllowedDomainsChangedError,
  createInvitation,
  getAllowedDomains,
  invitationRevocation,
  isDomain,
  listInvitations,
  normalizeDomain,
  revokeInvitation,
  setAllowedDomains,
} from "~/models/signup-policy.server";
import { INVITATION_LIMITS } from "~/lib/accounts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "signup.manageDomains");
  const { db, env } = context.services;
  const invitations = await listInvitations(db);
  const now = Date.now();
  return {
    domains: await getAllowedDomains(db),
    passwordSignUp: env.PASSWORD_SIGNUP,
    ssoProviders: env.ssoProviders.map((p) => p.name),
    invitations: invitations.map((i) => ({
      id: i.id,
      note: i.note,
      uses: i.uses,
      maxUses: i.maxUses,
      expires: dayDate(i.expiresAt),
      state: invitationState(i, now),
    })),
  };
}

function invitationState(i: { revokedAt: Date | null; expiresAt: Date; uses: number; maxUses: number }, now: number) {
  if (i.revokedAt) return "revoked";
  if (i.expiresAt.getTime() <= now) return "expired";
  if (i.uses >= i.maxUses) return "used up";
  return "active";
}

/** A list of domains as typed: one per line (or separated by commas, semicolons or spaces), tidied. */
function domainList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map(normalizeDomain)
    .filter(Boolean);
}

/** The message for a domains form from a page older than `baseDomains`: it can't say which list the admin saw. */
const DOMAINS_FORM_OUTDATED =
  "This form is from an older version of the page and doesn't say which list you saw, so nothing was saved. Reload the page, check the list, and save again.";

const domainsSchema = z.object({
  intent: z.literal("domains"),
  /** The list the page showed (one per line): a save made on an older list is refused, not written over the newer one. */
  baseDomains: z.string().max(5000).transform(domainList).optional(),
  domains: z
    .string()
    .max(5000, "That list is too long.")
    .transform(domainList)
    .superRefine((list, ctx) => {
      const bad = list.filter((d) => !isDomain(d));
      if (bad.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `These are not domains: ${bad.slice(0, 5).join(", ")}. Write them like example.org, one per line.`,
        });
      if (list.length > INVITATION_LIMITS.domainsMax)
        ctx.addIssue({ code: "custom", message: `At most ${INVITATION_LIMITS.domainsMax} domains.` });
    }),
});

const inviteSchema = z.object({
  intent: z.literal("invite"),
  maxUses: z.coerce
    .number({ invalid_type_error: "Give a number of people." })
    .int("Give a whole number of people.")
    .min(1, "At least one person.")
    .max(INVITATION_LIMITS.maxUses, `At most ${INVITATION_LIMITS.maxUses} people per link.`),
  days: z.coerce
    .number({ invalid_type_error: "Give a number of days." })
    .int("Give a whole number of days.")
    .min(1, "At least one day.")
    .max(INVITATION_LIMITS.maxDays, `At most ${INVITATION_LIMITS.maxDays} days.`),
  note: z
    .string()
    .trim()
    .max(INVITATION_LIMITS.noteMax, `Notes can be at most ${INVITATION_LIMITS.noteMax} characters.`),
});

const revokeSchema = z.object({
  intent: z.literal("revoke"),
  invitationId: z.string().uuid("That link doesn't exist."),
});

/** The forms on this page, by the intent each sends. */
const PAGE_INTENTS: ReadonlySet<string> = new Set(["domains", "invite", "revoke"]);

type ActionData = {
  intent: string;
  fieldErrors: FieldErrors;
  values?: Record<string, string>;
  message?: string;
  /** The message says why nothing was done (shown as an error), not what was done. */
  isRefusal?: boolean;
  /** The allowed domains as a refused save found them (newer than the page's): the base of the next save. */
  currentDomains?: string[];
  link?: string;
};

/**
 * After a refused save or revoke (409, 404), the page loads again, so the domains or link changed meanwhile show as they
 * are now, as they do without JavaScript.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 404 || actionStatus === 409 || defaultShouldRevalidate;

export async function action({ request, context }: ActionFunctionArgs) {
  // A copy: if the admin was signed out meanwhile, requireUserWith hands what they typed back from the body.
  const formData = await request.clone().formData();
  const intent = String(formData.get("intent") ?? "");
  const user = await requireUserWith(request, context, intent === "domains" ? "signup.manageDomains" : "signup.invite");
  const { db, baseURL } = context.services;
  const fail = (fieldErrors: FieldErrors) =>
    data<ActionData>({ intent, fieldErrors, values: submittedValues(formData) }, { status: 400 });
  const refuse = (message: string, status: number, extra: Partial<ActionData> = {}) =>
    data<ActionData>(
      { intent, fieldErrors: {}, values: submittedValues(formData), message, isRefusal: true, ...extra },
      { status },
    );
  if (intent === "domains") {
    const parsed = parseForm(domainsSchema, formData);
    if (!parsed.ok) return fail(parsed.fieldErrors);
    const { baseDomains } = parsed.data;
    if (baseDomains === undefined) return refuse(DOMAINS_FORM_OUTDATED, 400);
    let domains: string[];
    try {
      domains = await setAllowedDomains(db, { domains: parsed.data.domains, by: user.id, baseDomains });
    } catch (error) {
      if (error instanceof AllowedDomainsChangedError)
        return refuse(error.message, error.status, { currentDomains: error.current });
      throw error;
    }
    return data<ActionData>({
      intent,
      fieldErrors: {},
      message: domains.length > 0 ? `Only ${domains.join(", ")} may sign up now.` : "Anyone may sign up now.",
    });
  }
  if (intent === "invite") {
    const parsed = parseForm(inviteSchema, formData);
    if (!parsed.ok) return fail(parsed.fieldErrors);
    const { token } = await createInvitation(db, { by: user.id, ...parsed.data });
    return data<ActionData>({ intent, fieldErrors: {}, link: `${baseURL}/signup?invite=${token}` });
  }
  // Revoking is never the default: a form naming none of this page's actions changes nothing.
  if (intent !== "revoke")
    return data<ActionData>(
      {
        intent,
        fieldErrors: {},
        message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
      },
      { status: 400 },
    );
  const parsed = parseForm(revokeSchema, formData);
  if (!parsed.ok) return fail(parsed.fieldErrors);
  const revoked = await revokeInvitation(db, { id: parsed.data.invitationId });
  if (!revoked) {
    // A made-up (or mistyped) id is not "already revoked": only a link that exists was.
    const link = await invitationRevocation(db, parsed.data.invitationId);
    if (!link) return refuse("There is no invitation link with that id; nothing was changed.", 404);
    const when = link.revokedAt ? ` on ${fullDate(link.revokedAt)}` : "";
    return refuse(`That link was already revoked${when}, so nothing was changed.`, 409);
  }
  return data<ActionData>({ intent, fieldErrors: {}, message: "The link no longer works." });
}

export default function AdminSignup() {
  const { domains, invitations, passwordSignUp, ssoProviders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errorsFor = (intent: string) => (result?.intent === intent ? result.fieldErrors : {});
  const valuesFor = (intent: string) => (result?.intent === intent ? (result.values ?? {}) : {});
  const messageFor = (intent: string) => (result?.intent === intent && result.message ? result : null);
  return (
    <div className="space-y-8">
      {result && !PAGE_INTENTS.has(result.intent) ? <FormAlert>{result.message}</FormAlert> : null}
      <section aria-labelledby="domains-heading" className="space-y-3">
        <h2 id="domains-heading" className="text-xl font-semibold">
          Who may sign up
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {ssoProviders.length > 0 ? `Single sign-on: ${ssoProviders.join(", ")}. ` : ""}
          {passwordSignUp ? "People can also sign up with a password." : "Password sign-up is turned off."} New accounts
          must confirm their email address before they post.
        </p>
        <ResultAlert result={messageFor("domains")} />
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="domains" />
          <input type="hidden" name="baseDomains" value={domainsShown(domains, result)} />
          <TextAreaField
            label="Allowed email domains"
            name="domains"
            rows={4}
            // Every allowed domain at a generous length (most are under 30 characters), one per line.
            maxLength={INVITATION_LIMITS.domainsMax * 80}
            defaultValue={valuesFor("domains").domains ?? domains.join("\n")}
            error={errorsFor("domains").domains}
            hint="One per line, like example.org. Leave empty to let anyone sign up. Others need an invitation link."
          />
          <Button type="submit" disabled={busy}>
            Save domains
          </Button>
        </Form>
      </section>

      <section aria-labelledby="invite-heading" className="space-y-3">
        <h2 id="invite-heading" className="text-xl font-semibold">
          Invitation links
        </h2>
        {result?.intent === "invite" && result.link ? (
          <FormAlert tone="success">
            Copy this link now; it is shown only once:{" "}
            <input
              readOnly
              aria-label="Invitation link"
              value={result.link}
              className="mt-2 block w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm text-slate-900"
            />
          </FormAlert>
        ) : null}
        <ResultAlert result={messageFor("revoke")} />
        {result?.intent === "revoke" && result.fieldErrors.invitationId ? (
          <FormAlert>{result.fieldErrors.invitationId}</FormAlert>
        ) : null}
        {/* noValidate: the server's messages show beside the fields, as on every other form, not the browser's bubbles. */}
        <Form method="post" className="grid gap-3 sm:grid-cols-3" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <TextField
            label="People who can use it"
            name="maxUses"
            type="number"
            inputMode="numeric"
            min={1}
            max={INVITATION_LIMITS.maxUses}
            defaultValue={valuesFor("invite").maxUses ?? "10"}
            error={errorsFor("invite").maxUses}
            hint={`1 to ${INVITATION_LIMITS.maxUses}`}
          />
          <TextField
            label="Works for (days)"
            name="days"
            type="number"
            inputMode="numeric"
            min={1}
            max={INVITATION_LIMITS.maxDays}
            defaultValue={valuesFor("invite").days ?? "14"}
            error={errorsFor("invite").days}
            hint={`1 to ${INVITATION_LIMITS.maxDays}`}
          />
          <TextField
            label="Note (for you)"
            name="note"
            maxLength={INVITATION_LIMITS.noteMax}
            defaultValue={valuesFor("invite").note}
            error={errorsFor("invite").note}
            hint="For example: contractors from Acme"
          />
          <div className="sm:col-span-3">
            <Button type="submit" disabled={busy}>
              Make an invitation link
            </Button>
          </div>
        </Form>
        {invitations.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No invitation links yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-700 dark:border-slate-700">
            {invitations.map((invitation) => (
              <li key={invitation.id} className="flex flex-wrap items-center gap-3 p-3 text-sm">
                <span className="flex-1">
                  <span className="block font-medium">{invitation.note || "Invitation link"}</span>
                  <span className="text-slate-600 dark:text-slate-400">
                    Used {invitation.uses} of {invitation.maxUses} · until {invitation.expires} · {invitation.state}
                  </span>
                </span>
                {invitation.state === "active" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <Button type="submit" variant="secondary" disabled={busy}>
                      Revoke
                    </Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** An action's words: a refusal in the page's error style (an alert), anything done as a success. */
function ResultAlert({ result }: { result: Pick<ActionData, "message" | "isRefusal"> | null }) {
  if (!result?.message) return null;
  return (
    <FormAlert tone={result.isRefusal ? "error" : "success"} focusOn={result}>
      {result.message}
    </FormAlert>
  );
}

/**
 * The list the domains form is based on, one per line: the list a refused save found, or the one a form sent back
 * with an error was based on, or else the list this page loaded.
 */
function domainsShown(loaded: string[], result: ActionData | undefined): string {
  if (result?.intent !== "domains") return loaded.join("\n");
  return result.currentDomains?.join("\n") ?? result.values?.baseDomains ?? loaded.join("\n");
}
