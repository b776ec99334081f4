/** What the office-hours schedule and edit forms share on the server: reading the submitted fields, and answering a refused save. */
import { submittedValues } from "~/lib/forms";
import { isTimeZone } from "~/lib/time-zones";
import { writeFailureResponse } from "~/lib/write-failure.server";
import type { ScheduleInput } from "~/models/office-hours-validation.server";

export type OfficeHoursFormResult = {
  message: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  /** The session as it is now (label, text), after a save refused because someone else saved it meanwhile. */
  current?: [string, string][];
};

/** The form's fields as the model takes them; the zone is the one the form showed, else `fallbackTimeZone`. */
export function readOfficeHoursForm(formData: FormData, fallbackTimeZone: string | null | undefined): ScheduleInput {
  const field = (name: string) => String(formData.get(name) ?? "");
  return {
    title: field("title"),
    description: field("description"),
    spaceId: field("spaceId"),
    tags: field("tags"),
    startsAtLocal: field("startsAt"),
    endsAtLocal: field("endsAt"),
    timeZone: isTimeZone(field("timeZone")) ? field("timeZone") : (fallbackTimeZone ?? "UTC"),
    maxQuestionsPerPerson: field("maxQuestionsPerPerson"),
  };
}

/** A refused save (bad input, a rate limit) as the form's result with everything typed kept; anything else rethrows. */
export function officeHoursFormFailure(error: unknown, formData: FormData) {
  const values = submittedValues(formData, {});
  return writeFailureResponse<OfficeHoursFormResult>(error, (failure) => ({
    message: failure.message,
    fieldErrors: failure.fieldErrors ?? {},
    values,
  }));
}
