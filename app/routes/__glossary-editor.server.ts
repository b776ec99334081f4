/**
 * The server half of the glossary's add/edit forms: checks the sender may still keep the glossary, validates the form
 * with the model's schema, runs the save, keeps what was typed on any error, and hands the new synonyms to the search
 * engine in the background.
 */
import { type AppLoadContext, data } from "@remix-run/node";
import type { Db } from "#db/client.server";
import { type CurrentUser, asActor, requireUser } from "~/auth/session.server";
import type { GlossaryActionData } from "~/components/GlossaryEntryForm";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import {
  GlossaryConflictError,
  type GlossaryEntryInput,
  GlossaryError,
  glossaryEntrySchema,
} from "~/models/glossary.server";
import { can, formerRoleAllowing } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { applyGlossarySynonyms } from "~/search/synonyms.server";
import type { SearchEngine } from "~/search/types";
import { refusedAfterRoleChange } from "./__review-actions.server";

/** The form's fields as "What you typed" lists them, in the form's order. */
const KEPT_FIELDS: [name: string, label: string][] = [
  ["term", "Term"],
  ["expansion", "Full name"],
  ["explanation", "Plain-language explanation"],
  ["synonyms", "Synonyms"],
];

/**
 * The signed-in person sending a glossary form, who may still keep the glossary. Someone whose role changed after the
 * form was opened (an admin made them a member in another tab) is refused in words that say so, with what they typed
 * on the error page to copy: the form's own page refuses them now, so it can't show it. (The pages' loaders keep their
 * plain 403.)
 */
export async function requireGlossaryEditor(
  request: Request,
  context: AppLoadContext,
  formData: FormData,
): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  const actor = asActor(user);
  if (!actor || can(actor, "glossary.edit")) return user;
  const isDelete = formData.get("intent") === "delete";
  const values = submittedValues(formData);
  throw refusedAfterRoleChange(
    actor,
    "glossary.edit",
    {
      doing: "edit the glossary",
      outcome: isDelete ? "so the term was not removed" : "so this wasn't saved",
      formerRole: await formerRoleAllowing(context.services.db, actor.id, "glossary.edit"),
    },
    isDelete ? [] : KEPT_FIELDS.map(([name, label]) => [label, values[name] ?? ""]),
    { path: "/glossary", label: "Back to the glossary" },
  );
}

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
    // A silenced account, or one banned meanwhile: the model's words, with the form as it was sent.
    if (error instanceof PostingError)
      return data<GlossaryActionData>(
        { message: error.message, fieldErrors: error.fieldErrors, values },
        { status: error.status },
      );
    if (error instanceof RateLimitedError) {
      return data<GlossaryActionData>(
        { message: error.message, fieldErrors: {}, values },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    throw error;
  }
}
