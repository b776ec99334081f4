/**
 * The fields of a hosted Q&A session, shared by scheduling and editing. The times are typed in the time zone the form
 * names ("Times in America/New_York — change"): the host's profile zone, or (not chosen yet) the one their browser
 * reports, filled in by script; without either the form says UTC, and the server reads the times in whatever it names.
 */
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { CheckboxField, TextAreaField, TextField } from "~/components/ui/Field";
import { OFFICE_HOURS_LIMITS, sessionTimeRange } from "~/lib/office-hours";
import { isTimeZone } from "~/lib/time-zones";
import { FIELD_LEEWAY } from "~/lib/forms";
import { TAG_MAX_LENGTH } from "~/lib/tags";

type Props = {
  spaces: { id: number; name: string; slug: string }[];
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The zone from the host's profile, null when they haven't chosen one. */
  profileTimeZone: string | null;
  /** When the server rendered the form (ISO), so the pickers offer only the dates a session may take. */
  renderedAt: string;
  /** A live session's start can't move, so the form doesn't offer to. */
  isLive?: boolean;
  /** Scheduling offers "Start now"; editing doesn't. */
  canStartNow?: boolean;
};

/** The zone the form reads times in: the one it last submitted, the profile's, the browser's (after hydration), or UTC. */
function useFormTimeZone(submitted: string | undefined, profileTimeZone: string | null): string {
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (isTimeZone(zone)) setBrowserZone(zone);
  }, []);
  if (submitted && isTimeZone(submitted)) return submitted;
  return profileTimeZone ?? browserZone ?? "UTC";
}

export function OfficeHoursFields({
  spaces,
  values,
  errors,
  profileTimeZone,
  renderedAt,
  isLive = false,
  canStartNow = false,
}: Props) {
  const timeZone = useFormTimeZone(values.timeZone, profileTimeZone);
  const range = sessionTimeRange(new Date(renderedAt), timeZone);
  return (
    <>
      <input type="hidden" name="timeZone" value={timeZone} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={OFFICE_HOURS_LIMITS.titleMax}
        defaultValue={values.title}
        error={errors.title}
        hint="For example: Wi-Fi in small offices"
      />
      <TextAreaField
        label="What people can ask about"
        name="description"
        rows={5}
        maxLength={OFFICE_HOURS_LIMITS.descriptionMax + FIELD_LEEWAY}
        defaultValue={values.description}
        error={errors.description}
        hint="A few sentences on the topics you'll cover. Lists, links and **bold** work."
      />
      <label className="block text-sm font-medium">
        Space
        <select
          name="spaceId"
          defaultValue={values.spaceId ?? ""}
          aria-invalid={errors.spaceId ? true : undefined}
          className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-2 dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">Choose a space</option>
          {spaces.map((space) => (
            <option key={space.slug} value={String(space.id)}>
              {space.name}
            </option>
          ))}
        </select>
        {errors.spaceId ? (
          <span role="alert" className="mt-1 block text-sm text-red-700 dark:text-red-400">
            {errors.spaceId}
          </span>
        ) : null}
      </label>
      <TextField
        label="Tags"
        name="tags"
        maxLength={OFFICE_HOURS_LIMITS.tagsMax * (TAG_MAX_LENGTH + 2) + FIELD_LEEWAY}
        defaultValue={values.tags}
        error={errors.tags}
        hint="Optional, comma-separated, up to 5."
      />
      {/* min-w-0 here and on the grid: a fieldset is as wide as its content, and chromium's date-time input is wide. */}
      <fieldset className="min-w-0 space-y-3">
        <legend className="text-sm font-medium">When</legend>
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="session-time-zone">
          Times in <strong>{timeZone}</strong> — <Link to="/settings/profile#time-zone">change</Link>
        </p>
        {canStartNow ? (
          <CheckboxField
            name="startNow"
            label="Start now"
            hint="Goes live as soon as you schedule it; the start time below is then ignored."
            defaultChecked={values.startNow === "on"}
          />
        ) : null}
        <div className="grid min-w-0 gap-4 sm:grid-cols-2">
          {isLive ? (
            <input type="hidden" name="startsAt" value={values.startsAt ?? ""} />
          ) : (
            <TextField
              label="Starts"
              name="startsAt"
              type="datetime-local"
              className="min-w-0"
              min={range.min}
              max={range.startMax}
              defaultValue={values.startsAt}
              error={errors.startsAt}
              hint={`Date and time in ${timeZone}.`}
            />
          )}
          <TextField
            label="Ends"
            name="endsAt"
            type="datetime-local"
            className="min-w-0"
            required
            min={range.min}
            max={range.endMax}
            defaultValue={values.endsAt}
            error={errors.endsAt}
            hint={`At most ${OFFICE_HOURS_LIMITS.maxHours} hours after the start.`}
          />
        </div>
        {isLive && errors.startsAt ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {errors.startsAt}
          </p>
        ) : null}
      </fieldset>
      {/* A text field with a number keypad, not type="number": that one shows a refused "abc" as empty. */}
      <TextField
        label="Questions per person"
        name="maxQuestionsPerPerson"
        inputMode="numeric"
        pattern="[0-9]*"
        defaultValue={values.maxQuestionsPerPerson}
        error={errors.maxQuestionsPerPerson}
        hint={`Optional: a whole number from 1 to ${OFFICE_HOURS_LIMITS.capMax}. Leave it empty for no limit.`}
      />
    </>
  );
}
