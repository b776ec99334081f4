/** "Sign in with <provider>" buttons: each a small form posting to /sso, so they work without JavaScript. */
import { Form } from "@remix-run/react";
import { cx } from "~/lib/cx";

export type SsoChoice = { id: string; name: string };

export function SsoButtons({
  providers,
  redirectTo,
  invite,
}: {
  providers: SsoChoice[];
  redirectTo: string;
  invite?: string | null;
}) {
  if (providers.length === 0) return null;
  return (
    <div className="mt-6 space-y-3">
      {providers.map((provider) => (
        <Form key={provider.id} method="post" action="/sso">
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          {invite ? <input type="hidden" name="invite" value={invite} /> : null}
          <button
            type="submit"
            className={cx(
              "flex min-h-11 w-full items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2",
              "text-base font-semibold text-slate-900 hover:bg-slate-50",
              "dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
            )}
          >
            Sign in with {provider.name}
          </button>
        </Form>
      ))}
    </div>
  );
}

/** The line between single sign-on and the password form. */
export function OrDivider() {
  return (
    <p className="mt-6 flex items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
      <span aria-hidden="true" className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
      or with your email and password
      <span aria-hidden="true" className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
    </p>
  );
}
