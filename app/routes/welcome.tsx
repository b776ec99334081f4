/**
 * The one-time step after a first single sign-on: the provider told us who someone is, not whether they work in IT
 * or are a business colleague, which password sign-up asks; they choose here, are told it was saved (and what it
 * changes), then go on to where they were going.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser, safeRedirectPath } from "~/auth/session.server";
import { audienceSchema } from "~/auth/validation";
import { Button, buttonClass } from "~/components/ui/Button";
import { FormAlert, RadioGroup } from "~/components/ui/Field";
import { type FieldErrors, parseForm } from "~/lib/forms";
import { setAudience } from "~/models/users.server";
import type { Audience } from "#db/schema";

export const meta: MetaFunction = () => [{ title: "Welcome · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { name: user.name };
}

const welcomeSchema = z.object({ audience: audienceSchema, redirectTo: z.string().max(2048).optional() });

/**
 * `saved`: the choice now stored, said on this page (the app has no flash message to carry it to the next one), with
 * `next`, the page they were going to (on this site only).
 */
type ActionData = { fieldErrors: FieldErrors; saved?: undefined } | { saved: Audience; next: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = parseForm(welcomeSchema, await request.formData());
  if (!parsed.ok) return data<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  await setAudience(context.services.db, user.id, parsed.data.audience);
  return data<ActionData>({ saved: parsed.data.audience, next: safeRedirectPath(parsed.data.redirectTo, "/") });
}

/** What the saved choice changes, in the words of the choice itself. */
const SAVED_TEXT: Record<Audience, string> = {
  it: "Saved: you work in IT. Your profile says so, and your questions ask for technical answers unless you choose otherwise.",
  business:
    "Saved: you're a business colleague. Your profile says so, and your questions ask for answers in plain language unless you choose otherwise.",
};

/** The saved choice, said as a status (read out where it appears, and first on the page without JavaScript). */
function SavedChoice({ result }: { result: { saved: Audience; next: string } }) {
  return (
    <div className="mt-6 space-y-4">
      <FormAlert tone="success" focusOn={result}>
        <p>{SAVED_TEXT[result.saved]}</p>
        <p className="mt-1">
          You can change this any time in <Link to="/settings/profile">your profile</Link>.
        </p>
      </FormAlert>
      <Link to={result.next} className={buttonClass("primary", "w-full")}>
        Continue
      </Link>
    </div>
  );
}

export default function Welcome() {
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  if (result?.saved) {
    return (
      <div className="mx-auto max-w-md">
        <h1 className="text-2xl font-bold">Welcome to PeerDesk</h1>
        <SavedChoice result={result} />
      </div>
    );
  }
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
