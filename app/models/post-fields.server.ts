/** What a post's form fields must hold: zod fields for titles, Markdown bodies, tags, spaces and notes, and `validate`. */
import { z } from "zod";
import { graphemeCount } from "~/lib/graphemes";
import { idField } from "~/lib/id-field";
import { withoutControlCharacters } from "~/lib/plain-text";
import { QA_LIMITS } from "~/lib/qa";
import { PostingError } from "./post-errors.server";
import { parseTagField } from "./tags.server";

/** Parses with a zod schema or throws a PostingError carrying one message per field. */
export function validate<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) fieldErrors[issue.path.join(".") || "form"] ??= issue.message;
  throw new PostingError("Please fix the highlighted fields; nothing you typed was lost.", fieldErrors);
}

/**
 * How many characters a person sees in `text` when that is more than `max`, else null. Text no longer than `max` in
 * code units, what a browser's maxlength counts, is never over: a character is at least one code unit.
 */
function lengthOver(text: string, max: number): number | null {
  if (text.length <= max) return null;
  const length = graphemeCount(text);
  return length > max ? length : null;
}

/**
 * Markdown as typed, with Windows line endings, trailing blank space and invisible control characters removed
 * (leading indentation can be code), composed to NFC: "Café" typed with a separate accent (as on a Mac) is stored as
 * the same text as "Café" typed in one, so a search for either finds it.
 */
export function tidyMarkdown(text: string): string {
  return withoutControlCharacters(text)
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/^(\s*\n)+/, "")
    .trimEnd();
}

/**
 * `hint`: why more is worth writing, said after "needs at least N characters" (from the reader's side of the form).
 * Lengths are characters a person sees (an emoji is one), never more than a browser's maxlength counts.
 */
export function markdownText({
  min,
  max,
  what,
  missing,
  hint = "A little more detail helps people help you.",
}: {
  min: number;
  max: number;
  what: string;
  missing: string;
  hint?: string;
}) {
  return z
    .string({ required_error: missing, invalid_type_error: missing })
    .transform(tidyMarkdown)
    .superRefine((text, ctx) => {
      const length = graphemeCount(text.trim(), min);
      const tooLong = lengthOver(text, max);
      if (length === 0) ctx.addIssue({ code: "custom", message: missing });
      else if (length < min)
        ctx.addIssue({
          code: "custom",
          message: `${what} needs at least ${min} characters (it has ${length}). ${hint}`,
        });
      else if (tooLong !== null)
        ctx.addIssue({
          code: "custom",
          message: `${what} can be at most ${max.toLocaleString("en")} characters (it has ${tooLong.toLocaleString("en")}).`,
        });
    });
}

export const titleField = z
  .string({
    required_error: "Please give your question a title.",
    invalid_type_error: "Please give your question a title.",
  })
  .transform((t) => withoutControlCharacters(t).normalize("NFC").replace(/\s+/g, " ").trim())
  .superRefine((title, ctx) => {
    const length = graphemeCount(title, QA_LIMITS.titleMin);
    const tooLong = lengthOver(title, QA_LIMITS.titleMax);
    if (length === 0) ctx.addIssue({ code: "custom", message: "Please give your question a title." });
    else if (length < QA_LIMITS.titleMin)
      ctx.addIssue({
        code: "custom",
        message: `Titles need at least ${QA_LIMITS.titleMin} characters (yours has ${length}). Say what goes wrong, and where.`,
      });
    else if (tooLong !== null)
      ctx.addIssue({
        code: "custom",
        message: `Please keep the title to ${QA_LIMITS.titleMax} characters (yours has ${tooLong}); details belong in the body.`,
      });
  });

export const questionBodyField = markdownText({
  min: QA_LIMITS.bodyMin,
  max: QA_LIMITS.bodyMax,
  what: "Your question",
  missing: "Please describe your problem: what you tried and what happened.",
});
export const answerBodyField = markdownText({
  min: QA_LIMITS.bodyMin,
  max: QA_LIMITS.bodyMax,
  what: "Your answer",
  missing: "Please write your answer.",
  hint: "Say what to do and why it works, so the asker can follow it.",
});
export const commentBodyField = z
  .string({ required_error: "Please write a comment.", invalid_type_error: "Please write a comment." })
  .transform((t) => withoutControlCharacters(t).normalize("NFC").replace(/\r\n?/g, "\n").trim())
  .superRefine((text, ctx) => {
    const length = graphemeCount(text, QA_LIMITS.commentMin);
    const tooLong = lengthOver(text, QA_LIMITS.commentMax);
    if (length === 0) ctx.addIssue({ code: "custom", message: "Please write a comment." });
    else if (length < QA_LIMITS.commentMin)
      ctx.addIssue({ code: "custom", message: `Comments need at least ${QA_LIMITS.commentMin} characters.` });
    else if (tooLong !== null)
      ctx.addIssue({
        code: "custom",
        message: `Comments can be at most ${QA_LIMITS.commentMax} characters (yours has ${tooLong}). Longer thoughts make a good answer.`,
      });
  });

/** Free text ("VPN, Windows 11") or a list, normalised to unique tags; 1 to 5 of them. */
const TAGS_MISSING = "Add at least one tag, for example vpn or windows-11, so the right people see your question.";

/** Up to the maximum of tags, none required: plain-language questions may leave tagging to the people who answer. */
export const optionalTagsField = z
  .union([z.string(), z.array(z.string())])
  .default("")
  .transform(parseTagField)
  .superRefine((list, ctx) => {
    if (list.length > QA_LIMITS.tagsMax)
      ctx.addIssue({
        code: "custom",
        message: `Use at most ${QA_LIMITS.tagsMax} tags (you have ${list.length}). Keep the most specific ones.`,
      });
  });

export const tagsField = z
  .union([z.string(), z.array(z.string())], {
    errorMap: () => ({ message: "Add at least one tag so the right people see your question." }),
  })
  .transform(parseTagField)
  .superRefine((list, ctx) => {
    if (list.length < QA_LIMITS.tagsMin) ctx.addIssue({ code: "custom", message: TAGS_MISSING });
    else if (list.length > QA_LIMITS.tagsMax)
      ctx.addIssue({
        code: "custom",
        message: `Use at most ${QA_LIMITS.tagsMax} tags (you have ${list.length}). Keep the most specific ones.`,
      });
  });

/** Technical questions need a tag; plain-language ones may go without (the form suggests some). */
export function tagsFieldFor(isPlainLanguage: boolean) {
  return isPlainLanguage ? optionalTagsField : tagsField;
}

export const spaceIdField = idField("Choose the space your question belongs in.");

/** One line, counted in the characters a person sees, as titles are (an emoji or an accented letter is one). */
export const editNoteField = z
  .string()
  .transform((t) => withoutControlCharacters(t).normalize("NFC").replace(/\s+/g, " ").trim())
  .superRefine((note, ctx) => {
    const tooLong = lengthOver(note, QA_LIMITS.noteMax);
    if (tooLong !== null)
      ctx.addIssue({
        code: "custom",
        message: `Keep the edit note to ${QA_LIMITS.noteMax} characters (yours has ${tooLong}).`,
      });
  })
  .default("");
