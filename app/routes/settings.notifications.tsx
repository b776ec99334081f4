/** Choose, per kind of notification, whether PeerDesk emails it at once, in a daily digest, or never. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type EmailDelivery, NOTIFICATION_KINDS, type NotificationKind } from "#db/schema";
import { requireUser } from "~/auth/session.server";
import { SettingsNav } from "~/components/SettingsNav";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { EMAIL_KIND_LABELS, emailDeliveriesOf } from "~/lib/email";
import { getEmailPreferences, setEmailPreference } from "~/models/email-preferences.server";

export const meta: MetaFunction = () => [{ title: "Email settings · PeerDesk" }];

const DELIVERY_LABELS: Record<EmailDelivery, string> = {
  immediate: "Right away",
  digest: "Daily digest",
  never: "Never",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { preferences: await getEmailPreferences(context.services.db, user.id), email: user.email };
}

/**
 * Every choice is checked before any is saved: one that isn't an option refuses the whole form, saving nothing, and
 * the form comes back with what was picked so it can be corrected.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const chosen: Partial<Record<NotificationKind, EmailDelivery>> = {};
  const refused: NotificationKind[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    const value = formData.get(kind);
    const delivery = emailDeliveriesOf(kind).find((d) => d === value);
    if (delivery) chosen[kind] = delivery;
    else if (value !== null) refused.push(kind);
  }
  // Only this page's form (its hidden intent) saves; anything else, or a form with no choice in it, changes nothing.
  const isOwnForm = formData.get("intent") === "save-email-settings";
  if (!isOwnForm || Object.keys(chosen).length + refused.length === 0) {
    const message = isOwnForm
      ? "No choice was sent, so nothing was saved. Pick how each kind of email should come, then save."
      : "That isn't something this page can do, so nothing was saved. Reload the page and try again.";
    return data({ ok: false, message, chosen }, { status: 400 });
  }
  if (refused.length > 0) {
    const names = refused.map((kind) => `“${EMAIL_KIND_LABELS[kind]}”`).join(", ");
    return data(
      {
        ok: false,
        message: `The choice for ${names} isn't one of the options, so nothing was saved. Please pick again.`,
        chosen,
      },
      { status: 400 },
    );
  }
  for (const kind of NOTIFICATION_KINDS) {
    const delivery = chosen[kind];
    if (delivery) await setEmailPreference(context.services.db, user.id, kind, delivery);
  }
  return data({ ok: true, message: "Saved. Your email settings apply from now on.", chosen });
}

export default function EmailSettings() {
  const { preferences, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  // After a refused save, what was picked (the refused kind keeps its saved choice); otherwise what is saved.
  const shown = { ...preferences, ...(result && !result.ok ? result.chosen : {}) };
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Email settings</h1>
      <p className="text-slate-600 dark:text-slate-300">
        What PeerDesk emails to {email}. Everything also shows in your notifications on the site.
      </p>
      <SettingsNav />
      {result ? <FormAlert tone={result.ok ? "success" : "error"}>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="save-email-settings" />
        {NOTIFICATION_KINDS.map((kind) => (
          <fieldset key={kind} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <legend className="px-1 font-medium">{EMAIL_KIND_LABELS[kind]}</legend>
            <div className="flex flex-wrap gap-4">
              {emailDeliveriesOf(kind).map((delivery) => (
                <label key={delivery} className="flex min-h-11 items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name={kind}
                    value={delivery}
                    // A digest chosen for a kind that no longer offers it is what it now does: nothing by email.
                    defaultChecked={
                      (emailDeliveriesOf(kind).includes(shown[kind]) ? shown[kind] : "never") === delivery
                    }
                    className="size-5"
                  />
                  {DELIVERY_LABELS[delivery]}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <Button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : "Save email settings"}
        </Button>
      </Form>
    </div>
  );
}
