/**
 * The server half of the glossary's add/edit forms: validates the form with the model's schema, runs the save, keeps
 * what was typed on any error, and hands the new synonyms to the search engine in the background.
 */
import { data } from "@remix-run/node";
import type { Db } from "#db/client.server";
import type { GlossaryActionData } from "~/components/GlossaryEntryForm";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import {
  GlossaryConflictError,
  type GlossaryEntryInput,
  GlossaryError,
  glossaryEntrySchema,
} from "~/models/glossary.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { applyGlossarySynonyms } from "~/search/synonyms.server";
import type { SearchEngine } from "~/search/types";

export async function saveGlossaryForm(
  formData: FormData,
  services: { db: Db; search: SearchEngine },
  save: (entry: GlossaryEntryInput) => Promise<Response>,
): Promise<Response | ReturnType<typeof data<GlossaryActionData>>> {
  const isDelete = formData.get("intent") === "delete";
  const parsed = isDelete ? null : parseForm(glossaryEntrySchema, formData);
  if (parsed && !parsed.ok)
    return data<GlossaryActionData>({ fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  try {
    const response = await save(parsed?.ok ? parsed.data : { term: "", explanation: "" });
    // Meilisearch confirms a settings change in its own time; the editor need not wait for it (it never throws).
    void applyGlossarySynonyms(services.db, services.search);
    return response;
  } catch (error) {
    const values = submittedValues(formData);
    if (error instanceof GlossaryConflictError) {
      const { current } = error;
      return data<GlossaryActionData>(
        {
          message: error.message,
          fieldErrors: {},
          values: { ...values, baseUpdatedAt: current.updatedAt.toISOString() },
          current: {
            term: current.term,
            expansion: current.expansion ?? "",
            explanation: current.explanation,
            synonyms: current.synonyms.join(", "),
            updatedByName: current.updatedByName,
            updatedAt: current.updatedAt.toISOString(),
          },
        },
        { status: 409 },
      );
    }
    if (error instanceof GlossaryError) {
      const fieldErrors: FieldErrors = error.field ? { [error.field]: error.message } : {};
      return data<GlossaryActionData>(
        { message: error.field ? undefined : error.message, fieldErrors, values },
        { status: error.status },
      );
    }
    if (error instanceof RateLimitedError) {
      return data<GlossaryActionData>(
        { message: error.message, fieldErrors: {}, values },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    throw error;
  }
}
