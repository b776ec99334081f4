/**
 * The one-time step after a first single sign-on: the provider told us who someone is, not whether they work in IT
 * or are a business colleague, which password sign-up asks; they choose here, then go where they were going.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser, safeRedirectPath } from "~/auth/session.server";
import { audienceSchema } from "~/auth/validation";
import { Button } from "~/components/ui/Button";
import { RadioGroup } from "~/components/ui/Field";
import { type FieldErrors, parseForm } from "~/lib/forms";
import { setAudience } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Welcome · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { name: user.name };
}

const welcomeSchema = z.object({ audience: audienceSchema, redirectTo: z.string().max(2048).optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = parseForm(welcomeSchema, await request.formData());
  if (!parsed.ok) return data<{ fieldErrors: FieldErrors }>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  await setAudience(context.services.db, user.id, parsed.data.audience);
  return redirect(safeRedirectPath(parsed.data.redirectTo, "/"));
}

export default function Welcome() {
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Welcome to PeerDesk</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-300">
        One question before you start, so answers and how-tos are written the way that suits you.
      </p>
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <RadioGroup
          label="Which describes you best?"
          name="audience"
          required
          error={result?.fieldErrors.audience}
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
          {navigation.state === "submitting" ? "Saving…" : "Continue"}
        </Button>
      </Form>
    </div>
  );
}
