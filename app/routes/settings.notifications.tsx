/** Choose, per kind of notification, whether PeerDesk emails it at once, in a daily digest, or never. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EMAIL_DELIVERIES, type EmailDelivery, NOTIFICATION_KINDS } from "#db/schema";
import { requireUser } from "~/auth/session.server";
import { SettingsNav } from "~/components/SettingsNav";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { EMAIL_KIND_LABELS } from "~/lib/email";
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

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  for (const kind of NOTIFICATION_KINDS) {
    const value = formData.get(kind);
    const delivery = EMAIL_DELIVERIES.find((d) => d === value);
    if (value !== null && !delivery)
      return data({ ok: false, message: "That choice isn't one of the options. Please pick again." }, { status: 400 });
    if (delivery) await setEmailPreference(context.services.db, user.id, kind, delivery);
  }
  return data({ ok: true, message: "Saved. Your email settings apply from now on." });
}

export default function EmailSettings() {
  const { preferences, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Email settings</h1>
      <p className="text-slate-600 dark:text-slate-300">
        What PeerDesk emails to {email}. Everything also shows in your notifications on the site.
      </p>
      <SettingsNav />
      {result ? <FormAlert tone={result.ok ? "success" : "error"}>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-3">
        {NOTIFICATION_KINDS.map((kind) => (
          <fieldset key={kind} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <legend className="px-1 font-medium">{EMAIL_KIND_LABELS[kind]}</legend>
            <div className="flex flex-wrap gap-4">
              {EMAIL_DELIVERIES.map((delivery) => (
                <label key={delivery} className="flex min-h-11 items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name={kind}
                    value={delivery}
                    defaultChecked={preferences[kind] === delivery}
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
