/**
 * Where you're signed in: each device (browser and system in plain words, its address, when it was last seen), with
 * "Sign out" per device and "Sign out everywhere else". Takes effect on the other device's very next request.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { asActor, requireUser } from "~/auth/session.server";
import { RelativeTime } from "~/components/RelativeTime";
import { SettingsNav } from "~/components/SettingsNav";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { parseForm } from "~/lib/forms";
import { listDevices, signOutDevice, signOutOtherDevices } from "~/models/devices.server";
import { requirePermission } from "~/models/permissions.server";
import { getSignInMethods, signInInsteadOfPassword } from "~/models/account-sign-in.server";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = () => [{ title: "Your devices · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db } = context.services;
  const [devices, methods] = await Promise.all([
    listDevices(db, { userId: user.id, currentSessionId: user.sessionId }),
    getSignInMethods(db, user.id),
  ]);
  return {
    devices,
    hasPassword: methods.hasPassword,
    viaWorkplace: signInInsteadOfPassword(methods, []) !== null,
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign-out"), sessionId: z.string().min(1).max(200) }),
  z.object({ intent: z.literal("sign-out-others") }),
]);

type ActionData = { ok: boolean; message: string };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "account.manageOwn");
  const { db } = context.services;
  const parsed = parseForm(actionSchema, await request.formData());
  if (!parsed.ok) return data<ActionData>({ ok: false, message: "Choose a device to sign out." }, { status: 400 });
  // No write limit: signing devices out only removes access, and someone defending their account may need it often.
  if (parsed.data.intent === "sign-out-others") {
    const count = await signOutOtherDevices(db, { userId: user.id, currentSessionId: user.sessionId });
    return data<ActionData>({
      ok: true,
      message:
        count === 0
          ? "You weren't signed in anywhere else."
          : `Signed out of ${count} other ${count === 1 ? "device" : "devices"}.`,
    });
  }
  if (parsed.data.sessionId === user.sessionId)
    return data<ActionData>(
      { ok: false, message: "That's this device: use Sign out in the menu instead." },
      { status: 400 },
    );
  const done = await signOutDevice(db, { userId: user.id, sessionId: parsed.data.sessionId });
  if (!done) return data<ActionData>({ ok: false, message: "That device is already signed out." }, { status: 404 });
  return data<ActionData>({ ok: true, message: "That device is signed out." });
}

/** What to do about a device you don't recognise, by how the account signs in. */
function devicesIntro(hasPassword: boolean, viaWorkplace: boolean): string {
  if (hasPassword) return "Everywhere you're signed in. Don't recognise one? Sign it out, then change your password.";
  if (viaWorkplace)
    return "Everywhere you're signed in. Don't recognise one? Sign out everywhere else, then tell your IT team: they look after your workplace sign-in.";
  return "Everywhere you're signed in. Don't recognise one? Sign out everywhere else.";
}

export default function Devices() {
  const { devices, hasPassword: passwordSet, viaWorkplace } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const others = devices.filter((d) => !d.isCurrent).length;
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Your devices</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600 dark:text-slate-400">{devicesIntro(passwordSet, viaWorkplace)}</p>
      <SettingsNav />
      {result ? (
        <FormAlert tone={result.ok ? "success" : "error"} focusOn={result}>
          {result.message}
        </FormAlert>
      ) : null}
      <ul className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {devices.map((device) => (
          <li key={device.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
            <div>
              <p className="font-semibold">
                {device.device}
                {/* Read aloud as "Chrome on Windows, this device", not run together. */}
                {device.isCurrent ? <span className="sr-only">, </span> : null}
                {device.isCurrent ? (
                  <span className="ml-2 rounded bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-900">
                    This device
                  </span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600 dark:text-slate-400">{device.place}</p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Last seen <RelativeTime date={device.lastSeenAt} /> · signed in{" "}
                <RelativeTime date={device.signedInAt} />
              </p>
            </div>
            {device.isCurrent ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="sign-out" />
                <input type="hidden" name="sessionId" value={device.id} />
                <Button type="submit" variant="secondary" disabled={busy} aria-label={`Sign out ${device.device}`}>
                  Sign out
                </Button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post" className="mt-4">
          <input type="hidden" name="intent" value="sign-out-others" />
          <Button type="submit" variant="danger" disabled={busy}>
            Sign out everywhere else
          </Button>
        </Form>
      ) : null}
    </div>
  );
}
