/** Form handling shared by routes: parse FormData with a zod schema, return per-field messages and what was typed. */
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; fieldErrors: FieldErrors; values: Record<string, string> };

/** What the user typed, as strings, so a failed form can be shown again exactly as it was (passwords never echoed). */
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

export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const raw: Record<string, FormDataEntryValue> = Object.fromEntries(formData.entries());
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors, values: submittedValues(formData) };
}
