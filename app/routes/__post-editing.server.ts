/**
 * The edit forms' common first step (a question's, an answer's): the signed-in editor, the post of that kind (404 when
 * it is another kind, missing or deleted), and the permission to edit it. Regulars (trust level 3) edit others' posts
 * directly, so the actor carries its trust level.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { submittedValues } from "~/lib/forms";
import { goneWhileWriting } from "~/lib/gone-while-writing.server";
import { asActor, getCurrentUser, requireUser } from "~/auth/session.server";
import { parseId } from "~/lib/ids";
import { heldPostOfAuthor } from "~/models/post-deletion.server";
import { getPostMeta, isInDeletedQuestion } from "~/models/posts.server";
import { type Actor, can, requirePermission } from "~/models/permissions.server";
import { getPendingHold } from "~/models/holds.server";
import type { Db } from "#db/client.server";
import { type WriteFailure, writeFailureResponse } from "~/lib/write-failure.server";
import { EditConflictError, PostingError } from "~/models/post-errors.server";
import { getPostForEditing } from "~/models/questions.server";
import { withTrustLevel } from "~/models/trust-levels.server";

type EditArgs = Pick<LoaderFunctionArgs, "params" | "request" | "context">;

export async function loadEditablePost(kind: "question" | "answer", { params, request, context }: EditArgs) {
  const user = await requireUser(request, context);
  const id = parseId(params.id);
  const post = id === null ? null : await getPostForEditing(context.services.db, id);
  // An answer leaves with its deleted question (its own row stays undeleted): it is gone for editing too.
  if (post?.kind !== kind || post.deletedAt || (await isInDeletedQuestion(context.services.db, post)))
    throw new Response(`This ${kind} doesn't exist or was deleted.`, { status: 404 });
  const actor = await withTrustLevel(context.services.db, asActor(user));
  try {
    requirePermission(actor, "post.edit", { ownerId: post.authorId });
  } catch (error) {
    // Said for this post, with what the person can do instead (a suspended account keeps its own words).
    if (error instanceof Response && error.status === 403 && !actor?.banned)
      throw new Response(EDIT_REFUSED[kind], { status: 403, statusText: "Forbidden" });
    throw error;
  }
  return { user, actor, post };
}

/**
 * loadEditablePost for an edit page's loader: its author's own post held for review is not missing, so instead of the
 * 404 they get `{ held }` (the question's title), for a page saying it waits and can't be edited meanwhile.
 */
export async function loadEditablePostOrHeld(kind: "question" | "answer", args: EditArgs) {
  try {
    return await loadEditablePost(kind, args);
  } catch (error) {
    const held = error instanceof Response && error.status === 404 ? await heldOwnPost(kind, args) : null;
    if (!held) throw error;
    return { held };
  }
}

/** The viewer's own post of this kind at `params.id` when it is held for review (its question's title), else null. */
async function heldOwnPost(kind: "question" | "answer", { params, request, context }: EditArgs) {
  const postId = parseId(params.id);
  const viewer = await getCurrentUser(request, context);
  const held =
    postId === null ? null : await heldPostOfAuthor(context.services.db, { postId, viewerId: viewer?.id ?? null });
  return held?.kind === kind ? { title: held.title } : null;
}

/** Why someone can't edit another person's post, in plain words, and what they can do now. */
const EDIT_REFUSED: Record<"question" | "answer", string> = {
  question:
    "Only the person who asked and experienced members can edit this question. You can suggest a change in a comment, or flag it if something's wrong. More in Trust levels, in the help.",
  answer:
    "Only the person who wrote this answer and experienced members can edit it. You can suggest a change in a comment, or flag it if something's wrong. More in Trust levels, in the help.",
};

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

const KEPT_LABELS: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^title$/, () => "Title"],
  [/^summary$/, () => "Summary"],
  [/^appliesTo$/, () => "Applies to"],
  [/^prerequisites$/, () => "Before you start"],
  [/^step-(\d+)$/, (m) => `Step ${Number(m[1]) + 1}`],
  [/^body$/, () => "Text"],
  [/^tags$/, () => "Tags"],
  [/^note$/, () => "Edit note"],
];

/** What a person typed into an edit form, as plain text with a label per field (for copying), in the form's order. */
export function keptText(values: Record<string, string>): string {
  const parts: string[] = [];
  for (const [pattern, label] of KEPT_LABELS)
    for (const [name, value] of Object.entries(values)) {
      const match = name.match(pattern);
      if (match && value.trim()) parts.push(`${label(match)}:\n${value.trim()}`);
    }
  return parts.join("\n\n");
}

/** What an edit form edits, as its messages name it. */
export type EditedNoun = "question" | "answer" | "how-to";

/** The post an edit was for and who sent it: what the words for a post gone meanwhile depend on. */
export type EditedPost = { db: Db; noun: EditedNoun; postId: number | null; actor: Actor };

/**
 * The post went while someone was editing it: their save cannot land, but what they typed must not be lost. Thrown from
 * the action, it renders the error page (404) with the text to copy, with or without JavaScript, saying what happened
 * as this editor may be told it (whyGoneWhileEditing): hidden is not called deleted.
 */
export async function goneWhileEditing(edited: EditedPost, values: Record<string, string>) {
  return goneWhileWriting(await whyGoneWhileEditing(edited), keptText(values));
}

/**
 * Why a save found its post gone, in words for this editor: their own question or answer held for review (it can be
 * edited again once looked at), an answer whose question was deleted or hidden, the post hidden (howPostWasHidden:
 * members aren't told of a ban, staff are told why), else deleted.
 */
async function whyGoneWhileEditing({ db, noun, postId, actor }: EditedPost): Promise<string> {
  const notSaved = "so your changes could not be saved.";
  const deleted = `This ${noun} was deleted while you were editing it, ${notSaved}`;
  const post = postId === null ? null : await getPostMeta(db, postId);
  if (!post) return deleted;
  if (await heldPostOfAuthor(db, { postId: post.id, viewerId: actor?.id ?? null }))
    return `Your ${noun} was hidden for a moderator's review while you were editing it, ${notSaved} It can be edited again once a moderator has looked at it.`;
  // An answer leaves with its question while its own row stays undeleted: what happened to the question is the news.
  if (!post.deletedAt && post.parentId !== null && (await isInDeletedQuestion(db, post))) {
    const questionHidden = await howPostWasHidden(db, { postId: post.parentId, actor });
    return questionHidden
      ? `While you were editing, the question this answer belongs to ${questionHidden}, ${notSaved}`
      : `The question this answer belongs to was deleted while you were editing, ${notSaved}`;
  }
  const hidden = await howPostWasHidden(db, { postId: post.id, actor });
  return hidden ? `While you were editing this ${noun}, it ${hidden}, ${notSaved}` : deleted;
}

/**
 * How a post that left every page was hidden, as the words after "this question" in a message ("was hidden by the
 * moderators"); null when it was not hidden (deleted, or still there). Staff are told why; anyone else is not told of a
 * ban or silence (a member's account is not every member's business), only who hid it or that it waits for review.
 */
export async function howPostWasHidden(db: Db, { postId, actor }: { postId: number; actor: Actor }) {
  const hold = await getPendingHold(db, { type: "post", id: String(postId) });
  if (!hold) return null;
  const isAccountHold = hold.reason === "banned_author" || hold.reason === "silenced_author";
  if (!can(actor, "review.view"))
    return isAccountHold ? "was hidden by the moderators" : "was hidden for a moderator's review";
  return HIDDEN_BECAUSE.get(hold.reason) ?? "was held for a moderator's review";
}

/**
 * What a how-to's pages (the how-to, its history) say to someone who may not see it any more: hidden, in words they may
 * read (howPostWasHidden), or removed.
 */
export async function howtoNotShownMessage(db: Db, { howtoId, actor }: { howtoId: number; actor: Actor }) {
  const hidden = await howPostWasHidden(db, { postId: howtoId, actor });
  return hidden ? `This how-to ${hidden}.` : "This how-to was removed.";
}

/** Why a post is hidden, as staff are told it (the rest were held by the spam checks, as posted or edited). */
const HIDDEN_BECAUSE = new Map<string, string>([
  ["banned_author", "was hidden when its author was banned"],
  ["silenced_author", "was hidden when its author was silenced"],
  ["flags", "was hidden for review after members flagged it"],
]);

/** loadEditablePost for a save: a post gone meanwhile answers with `goneWhileEditing`, keeping the typed text. */
export async function loadPostToSave(kind: "question" | "answer", args: EditArgs, formData: FormData) {
  try {
    return await loadEditablePost(kind, args);
  } catch (error) {
    if (!(error instanceof Response && error.status === 404)) throw error;
    const actor = asActor(await getCurrentUser(args.request, args.context));
    const edited = { db: args.context.services.db, noun: kind, postId: parseId(args.params.id), actor };
    throw await goneWhileEditing(edited, submittedValues(formData));
  }
}

/** What an edit form's action answers with when a save is refused (the fields each route adds come on top). */
export type RefusedEditData = {
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  formError: string;
  isConflict: boolean;
};

/**
 * The answer to a refused save of a question, answer or how-to, the same for all three: a post that went meanwhile
 * (deleted, or hidden: the model only knows it is not there) throws `goneWhileEditing` with what was typed; an edit
 * conflict keeps the typed values on the newer version (so saving again replaces it knowingly) and says so; a broken
 * rule or a rate limit answers with its message, and says the text is still there. Anything else (a bug, an outage) is
 * rethrown. `kept` is what the form shows again when it is not exactly what was sent (a how-to's steps, closed up); a
 * refused deletion (`isDeleting`) has no text to hand back.
 */
export async function refusedEdit<Extra extends object = Record<never, never>>(
  error: unknown,
  edited: EditedPost,
  typed: Record<string, string>,
  {
    kept = typed,
    extra,
    isDeleting = false,
  }: { kept?: Record<string, string>; extra?: Extra; isDeleting?: boolean } = {},
) {
  if (error instanceof PostingError && error.status === 404 && !isDeleting) throw await goneWhileEditing(edited, typed);
  return writeFailureResponse<RefusedEditData & Extra>(error, (failure) => ({
    fieldErrors: failure.fieldErrors ?? {},
    values: valuesAfterConflict(error, kept),
    formError: refusedEditMessage(failure),
    isConflict: error instanceof EditConflictError,
    ...(extra as Extra),
  }));
}

function refusedEditMessage(failure: WriteFailure): string {
  if (failure.isRateLimited) return `${failure.message} What you typed is still here.`;
  return failure.fieldErrors?.form ?? failure.message;
}
