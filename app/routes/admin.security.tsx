/** Admins decide whether mentors, moderators and admins must use two-step sign-in before using their role's tools. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUserWith } from "~/auth/session.server";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import {
  TwoFactorRuleError,
  countStaffWithoutTwoFactor,
  getSecuritySettings,
  setStaffTwoFactorRequirement,
} from "~/models/two-factor.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "security.configure");
  const { db } = context.services;
  const [settings, staffWithout] = await Promise.all([getSecuritySettings(db), countStaffWithoutTwoFactor(db)]);
  return { ...settings, staffWithout };
}

type ActionData = { ok: boolean; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUserWith(request, context, "security.configure");
  const formData = await request.formData();
  // An unticked box sends nothing, so only this page's own form (its hidden intent) may read a missing box as "off".
  if (formData.get("intent") !== "save-sign-in-rules")
    return data<ActionData>(
      {
        ok: false,
        message: "That isn't something this page can do, so nothing was changed. Reload the page and try again.",
      },
      { status: 400 },
    );
  const required = formData.get("requireTwoFactorForStaff") === "on";
  try {
    const { staffWithout } = await setStaffTwoFactorRequirement(context.services.db, { required, by: admin.id });
    return data<ActionData>({
      ok: true,
      message: required
        ? `Saved. ${staffWithout} staff ${staffWithout === 1 ? "member is" : "members are"} asked to turn it on before using staff tools.`
        : "Saved. Staff may use their tools without two-step sign-in.",
    });
  } catch (error) {
    if (error instanceof TwoFactorRuleError)
      return data<ActionData>({ ok: false, message: error.message }, { status: 400 });
    throw error;
  }
}

export default function AdminSecurity() {
  const { requireTwoFactorForStaff, staffWithout } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="max-w-xl space-y-4">
      <h2 className="text-xl font-semibold">Sign-in rules</h2>
      {result ? <FormAlert tone={result.ok ? "success" : "error"}>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-4">
        <input type="hidden" name="intent" value="save-sign-in-rules" />
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="requireTwoFactorForStaff"
            defaultChecked={requireTwoFactorForStaff}
            className="mt-1 size-4 accent-brand-600"
          />
          <span>
            Require two-step sign-in for mentors, moderators and admins
            <span className="block text-sm text-slate-600 dark:text-slate-400">
              Until they turn it on, they can still read and post like any member, and are sent to set it up when they
              use a staff tool. Right now {staffWithout} of them {staffWithout === 1 ? "has" : "have"} not turned it on.
            </span>
          </span>
        </label>
        <Button type="submit" disabled={navigation.state === "submitting"}>
          Save
        </Button>
      </Form>
    </div>
  );
}
