/** Moderators' panel on a profile: hide a spammer's bio, picture and mentoring note (with a reason for the log), or show them again. */
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "~/components/ui/Button";
import { TextAreaField } from "~/components/ui/Field";

export type ProfileModerationResult =
  | { ok: true; message: string }
  | { ok: false; message: string; fieldErrors: Record<string, string>; values: { reason: string } };

export function ProfileModeration({
  name,
  hiddenReason,
  result,
}: {
  name: string;
  /** Null while the profile shows. */
  hiddenReason: string | null;
  result: ProfileModerationResult | undefined;
}) {
  const navigation = useNavigation();
  const isBusy = navigation.state === "submitting";
  const failed = result && !result.ok ? result : null;
  return (
    <section
      aria-labelledby="profile-moderation-heading"
      className="space-y-2 rounded-lg border border-amber-300 p-3 dark:border-amber-700"
    >
      <h2 id="profile-moderation-heading" className="font-semibold">
        Moderation
      </h2>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className="text-sm">
          {result.message}
        </p>
      ) : null}
      {hiddenReason === null ? (
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="hide" />
          <TextAreaField
            label={`Why hide ${name}'s profile?`}
            name="reason"
            rows={2}
            maxLength={300}
            required
            hint="Hides their bio, picture and mentoring note from everyone. Shown in the public moderation log."
            defaultValue={failed?.values.reason ?? ""}
            error={failed?.fieldErrors.reason}
          />
          <Button type="submit" variant="danger" disabled={isBusy}>
            Hide profile
          </Button>
        </Form>
      ) : (
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="show" />
          <p className="text-sm">{`Hidden: ${hiddenReason}`}</p>
          <Button type="submit" variant="secondary" disabled={isBusy}>
            Show profile again
          </Button>
        </Form>
      )}
    </section>
  );
}
