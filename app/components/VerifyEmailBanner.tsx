/** The banner people see until they confirm their address: what is waiting, and a button to send the link again. */
import { Form } from "@remix-run/react";
import { cx } from "~/lib/cx";

export function VerifyEmailBanner() {
  return (
    <section
      aria-label="Confirm your email address"
      className="border-b border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
    >
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm">
        <p className="flex-1">
          Please confirm your email address with the link we sent you. Until then you can read and write drafts, but not
          post.
        </p>
        <Form method="post" action="/verify-email">
          <input type="hidden" name="intent" value="resend" />
          <button
            type="submit"
            className={cx(
              "min-h-11 rounded-md border border-amber-400 bg-white px-3 py-2 font-semibold text-amber-950",
              "hover:bg-amber-100 dark:border-amber-600 dark:bg-amber-900 dark:text-amber-50",
            )}
          >
            Send the link again
          </button>
        </Form>
      </div>
    </section>
  );
}
