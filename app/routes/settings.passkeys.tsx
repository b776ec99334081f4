/**
 * Your passkeys: each one's name, when it was added and last used, and "Remove"; adding one runs the WebAuthn prompt
 * in the browser (components/Passkeys.tsx), which talks to better-auth's /api/auth/passkey/* endpoints.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { z } from "zod";
import { asActor, requireUser } from "~/auth/session.server";
import { AddPasskey } from "~/components/Passkeys";
import { RelativeTime } from "~/components/RelativeTime";
import { SettingsNav } from "~/components/SettingsNav";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { parseForm } from "~/lib/forms";
import { idField } from "~/lib/id-field";
import { listPasskeys, removePasskey } from "~/models/passkeys.server";
import { requirePermission } from "~/models/permissions.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { formPageHeaders } from "~/lib/route-headers.server";
import { writeFailureResponse } from "~/lib/write-failure.server";

export const meta: MetaFunction = () => [{ title: "Passkeys · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  return { passkeys: await listPasskeys(context.services.db, user.id) };
}

const removeSchema = z.object({ intent: z.literal("remove"), passkeyId: idField("Choose a passkey to remove.") });

type ActionData = { ok: boolean; message: string };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db } = context.services;
  const parsed = parseForm(removeSchema, await request.formData());
  if (!parsed.ok) return data<ActionData>({ ok: false, message: "Choose a passkey to remove." }, { status: 400 });
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "account" });
  } catch (error) {
    return writeFailureResponse<ActionData>(error, (failure) => ({ ok: false, message: failure.message }));
  }
  const removed = await removePasskey(db, { userId: user.id, passkeyId: parsed.data.passkeyId });
  if (!removed) return data<ActionData>({ ok: false, message: "That passkey is already removed." }, { status: 404 });
  return data<ActionData>({ ok: true, message: "The passkey is removed. It can't be used to sign in any more." });
}

export default function Passkeys() {
  const { passkeys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const busy = navigation.state === "submitting";
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Passkeys</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600 dark:text-slate-400">
        Sign in with your fingerprint, face or screen lock instead of a password and code. A passkey only works on this
        site, so it can't be phished.
      </p>
      <SettingsNav />
      {result ? (
        <FormAlert tone={result.ok ? "success" : "error"} focusOn={result}>
          {result.message}
        </FormAlert>
      ) : null}
      <section aria-labelledby="your-passkeys" className="mt-4">
        <h2 id="your-passkeys" className="text-lg font-semibold">
          Your passkeys
        </h2>
        {passkeys.length === 0 ? (
          <p className="mt-2 text-sm">You have no passkeys yet.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {passkeys.map((passkey) => (
              <li key={passkey.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
                <div>
                  <p className="font-semibold">{passkey.name}</p>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    Added <RelativeTime date={passkey.createdAt} />
                    {" · "}
                    <LastUsed date={passkey.lastUsedAt} />
                    {passkey.synced ? " · synced between your devices" : null}
                  </p>
                </div>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="passkeyId" value={passkey.id} />
                  <Button type="submit" variant="secondary" disabled={busy}>
                    Remove<span className="sr-only"> {passkey.name}</span>
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="add-passkey" className="mt-8">
        <h2 id="add-passkey" className="text-lg font-semibold">
          Add a passkey
        </h2>
        <AddPasskey onAdded={() => revalidator.revalidate()} />
      </section>
    </div>
  );
}

function LastUsed({ date }: { date: Date | string | null }) {
  if (!date) return <>never used yet</>;
  return (
    <>
      last used <RelativeTime date={date} />
    </>
  );
}
