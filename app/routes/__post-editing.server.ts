/**
 * The edit forms' common first step (a question's, an answer's): the signed-in editor, the post of that kind (404 when
 * it is another kind, missing or deleted), and the permission to edit it. Regulars (trust level 3) edit others' posts
 * directly, so the actor carries its trust level.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, requireUser } from "~/auth/session.server";
import { parseId } from "~/lib/ids";
import { requirePermission } from "~/models/permissions.server";
import { EditConflictError } from "~/models/post-errors.server";
import { getPostForEditing } from "~/models/questions.server";
import { withTrustLevel } from "~/models/trust-levels.server";

export async function loadEditablePost(
  kind: "question" | "answer",
  { params, request, context }: Pick<LoaderFunctionArgs, "params" | "request" | "context">,
) {
  const user = await requireUser(request, context);
  const id = parseId(params.id);
  const post = id === null ? null : await getPostForEditing(context.services.db, id);
  if (post?.kind !== kind || post.deletedAt)
    throw new Response(`This ${kind} doesn't exist or was deleted.`, { status: 404 });
  const actor = await withTrustLevel(context.services.db, asActor(user));
  requirePermission(actor, "post.edit", { ownerId: post.authorId });
  return { user, actor, post };
}

/** The version an edit form opened on (its hidden `baseRevision`); none from an old form or a script. */
export function baseRevisionOf(formData: FormData): number | undefined {
  const value = Number(formData.get("baseRevision"));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * After an edit conflict the form starts from the version saved meanwhile, so saving again replaces it knowingly; the
 * typed values stay as they were.
 */
export function valuesAfterConflict(error: unknown, values: Record<string, string>): Record<string, string> {
  return error instanceof EditConflictError ? { ...values, baseRevision: String(error.currentRevision) } : values;
}
