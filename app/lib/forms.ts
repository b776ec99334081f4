/** Form handling shared by routes: parse FormData with a zod schema, return per-field messages and what was typed. */
import { createContext, useContext } from "react";
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/**
 * How far past its limit a field lets a paste go: far enough that the server's message says what the limit is and the
 * text is kept, never so far that a form outgrows its request's size limit (and is refused whole, unreadably).
 */
export const FIELD_LEEWAY = 50;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; fieldErrors: FieldErrors; values: Record<string, string> };

/** What the user typed, as strings, so a failed form can be shown again exactly as it was (passwords never echoed). */
/**
 * The version an edit form opened on (its hidden `baseUpdatedAt`, an ISO time), or undefined when there is none or it
 * isn't a time: a form from before versions were kept saves as it always did.
 */
export function baseVersionOf(formData: FormData): Date | undefined {
  const value = formData.get("baseUpdatedAt");
  const date = typeof value === "string" && value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function submittedValues(
  formData: FormData,
  { omit = ["password", "currentPassword", "newPassword"] } = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || omit.includes(key)) continue;
    values[key] = key in values ? `${values[key]},${value}` : value;
  }
  return values;
}

/**
 * A form's fields for a schema: the first value of each name, as `formData.get` reads it. Not Object.fromEntries,
 * which keeps the last: a form sent with two `intent` fields would then be checked (rate limits, the answer's label)
 * as one intent by `formData.get` and carried out as the other.
 */
export function formFields(formData: FormData): Record<string, FormDataEntryValue> {
  const first = new Map<string, FormDataEntryValue>();
  for (const [key, value] of formData.entries()) if (!first.has(key)) first.set(key, value);
  // fromEntries defines own properties: a field named __proto__ stays a field.
  return Object.fromEntries(first);
}

export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const result = schema.safeParse(formFields(formData));
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
    // A field the schema splits into a list ("a, b<c" → ["a", "b<c"]) fails at `synonyms.1`; the form shows errors by
    // field name, so the message belongs to the field too.
    if (issue.path.length > 1) fieldErrors[String(issue.path[0])] ??= issue.message;
  }
  return { ok: false, fieldErrors, values: submittedValues(formData) };
}

/**
 * Whether a refused field's message is its own alert (role="alert"). A form whose summary above the fields is the alert
 * and takes focus (the ask form) provides false: each message is then read with its field (aria-describedby,
 * aria-invalid) instead of several alerts one after another. Forms without a summary, and fetcher forms, keep alerts.
 */
export const FieldMessagesAreAlerts = createContext(true);

/** The role a field's message takes: "alert", unless its form's summary announces the refusal (see above). */
export function useFieldMessageRole(): "alert" | undefined {
  return useContext(FieldMessagesAreAlerts) ? "alert" : undefined;
}
