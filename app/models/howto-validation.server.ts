import { z } from "zod";
import { DIFFICULTIES, type HowtoStep, type RevisionContent } from "#db/schema";
import { HOWTO_LIMITS } from "~/lib/howtos";
import {
  HEADING_LEVEL,
  type PicturesShown,
  highlightAllowance,
  renderMarkdown,
  settlePictures,
} from "~/lib/markdown.server";
import { graphemeCount } from "~/lib/graphemes";
import { withoutControlCharacters } from "~/lib/plain-text";
import { tidyMarkdown, validate } from "./post-fields.server";
import { parseTagField } from "./tags.server";
import { idField } from "~/lib/id-field";

const L = HOWTO_LIMITS;

const oneLine = (text: string) => withoutControlCharacters(text).replace(/\s+/g, " ").trim();

function lengthRule({ min, max, what, missing }: { min: number; max: number; what: string; missing: string }) {
  return (text: string, ctx: z.RefinementCtx) => {
    const length = text.trim().length;
    if (length === 0) ctx.addIssue({ code: "custom", message: missing });
    else if (length < min)
      ctx.addIssue({ code: "custom", message: `${what} needs at least ${min} characters (it has ${length}).` });
    else if (text.length > max)
      ctx.addIssue({
        code: "custom",
        message: `${what} can be at most ${max.toLocaleString("en")} characters (it has ${text.length.toLocaleString("en")}).`,
      });
  };
}

const text = (missing: string) => z.string({ required_error: missing, invalid_type_error: missing });

export const contentSchema = z.object({
  title: text("Please give your how-to a title.")
    .transform(oneLine)
    .superRefine(
      lengthRule({
        min: L.titleMin,
        max: L.titleMax,
        what: "The title",
        missing: "Please give your how-to a title, for example “Set up a shared mailbox in Outlook”.",
      }),
    ),
  summary: text("Please write a short summary.")
    .transform(oneLine)
    .superRefine(
      lengthRule({
        min: L.summaryMin,
        max: L.summaryMax,
        what: "The summary",
        missing: "Please write a one-paragraph summary: what this achieves and who it is for.",
      }),
    ),
  appliesTo: text("Say which product and version this applies to.")
    .transform(oneLine)
    .superRefine(
      lengthRule({
        min: 1,
        max: L.appliesToMax,
        what: "“Applies to”",
        missing: "Say which product and version this applies to, for example “Windows 11 23H2”.",
      }),
    ),
  difficulty: z.enum(DIFFICULTIES, {
    errorMap: () => ({ message: "Choose how hard this is: beginner, intermediate or advanced." }),
  }),
  estimatedMinutes: z
    .union([z.number(), z.string()], {
      errorMap: () => ({
        message: `Enter roughly how many minutes this takes, as a whole number from ${L.minutesMin} to ${L.minutesMax}.`,
      }),
    })
    .transform((v, ctx) => {
      const n = typeof v === "number" ? v : v.trim() === "" ? Number.NaN : Number(v.trim());
      if (!Number.isInteger(n) || n < L.minutesMin || n > L.minutesMax) {
        ctx.addIssue({
          code: "custom",
          message: `Enter roughly how many minutes this takes, as a whole number from ${L.minutesMin} to ${L.minutesMax}.`,
        });
        return z.NEVER;
      }
      return n;
    }),
  prerequisites: z
    .string()
    .default("")
    .transform(tidyMarkdown)
    .superRefine((t, ctx) => {
      if (t.length > L.prerequisitesMax)
        ctx.addIssue({
          code: "custom",
          message: `Prerequisites can be at most ${L.prerequisitesMax.toLocaleString("en")} characters (they have ${t.length.toLocaleString("en")}).`,
        });
    }),
  steps: z
    .array(z.string(), { invalid_type_error: "Add at least one step." })
    .transform((list) => list.map(tidyMarkdown).filter((s) => s.trim() !== ""))
    .superRefine((list, ctx) => {
      if (list.length < L.stepsMin)
        ctx.addIssue({ code: "custom", message: "Add at least one step: what should the reader do first?" });
      if (list.length > L.stepsMax)
        ctx.addIssue({
          code: "custom",
          message: `A how-to can have at most ${L.stepsMax} steps (this one has ${list.length}). Combine small steps, or split it into two how-tos.`,
        });
      list.forEach((step, i) => {
        const length = step.trim().length;
        if (length < L.stepMin)
          ctx.addIssue({ code: "custom", path: [i], message: `Step ${i + 1} needs at least ${L.stepMin} characters.` });
        else if (step.length > L.stepMax)
          ctx.addIssue({
            code: "custom",
            path: [i],
            message:
              `Step ${i + 1} can be at most ${L.stepMax.toLocaleString("en")} characters ` +
              `(it has ${step.length.toLocaleString("en")}). Split it into two steps.`,
          });
      });
    }),
  tags: z
    .union([z.string(), z.array(z.string())])
    .default("")
    .transform(parseTagField)
    .superRefine((list, ctx) => {
      if (list.length > L.tagsMax)
        ctx.addIssue({
          code: "custom",
          message: `Use at most ${L.tagsMax} tags (you have ${list.length}). Keep the most specific ones.`,
        });
    }),
  isPlainLanguage: z.boolean().default(false),
});

export const spaceIdField = idField("Choose the space your how-to belongs in.");

export const noteField = z
  .string()
  .default("")
  .transform(oneLine)
  .superRefine((t, ctx) => {
    // Characters a person sees, as question titles and notes count them (an emoji is one, not two).
    const length = graphemeCount(t);
    if (length > L.noteMax)
      ctx.addIssue({ code: "custom", message: `Keep the note to ${L.noteMax} characters (it has ${length}).` });
  });

type HowtoFields = z.output<typeof contentSchema>;

/** The content fields of a how-to as typed in the form (strings), or already typed values. */
export type HowtoInput = {
  title: string;
  summary: string;
  appliesTo: string;
  difficulty: string;
  estimatedMinutes: number | string;
  prerequisites?: string;
  steps: string[];
  tags?: string | string[];
  isPlainLanguage?: boolean;
};

/** Checks a how-to's fields without saving anything (the form's rules, for tests and previews). */
export function validateHowto(input: HowtoInput) {
  return validate(contentSchema, input);
}

// ---------- storing content ----------

/** One Markdown document of the whole how-to: what search indexes and what posts.body_md holds. */
export function composeBody(f: Pick<HowtoFields, "summary" | "prerequisites" | "steps">): string {
  const parts = [f.summary];
  if (f.prerequisites) parts.push(`## Before you start\n\n${f.prerequisites}`);
  for (const [i, step] of f.steps.entries()) parts.push(`## Step ${i + 1}\n\n${step}`);
  return parts.join("\n\n");
}

export function toRevisionContent(f: HowtoFields): RevisionContent {
  return {
    title: f.title,
    bodyMd: composeBody(f),
    tags: f.tags,
    summary: f.summary,
    appliesTo: f.appliesTo,
    difficulty: f.difficulty,
    estimatedMinutes: f.estimatedMinutes,
    prerequisitesMd: f.prerequisites || null,
    steps: f.steps,
    isPlainLanguage: f.isPlainLanguage,
  };
}

/** Every Markdown text of a how-to's content: what picturesShownIn looks through before contentColumns. */
export function markdownOf(c: RevisionContent): (string | null | undefined)[] {
  return [c.bodyMd, c.prerequisitesMd, ...(c.steps ?? [])];
}

/**
 * The columns a how-to's content sets, every Markdown field rendered now (reads never re-render), its stored pictures
 * settled (`pictures`, from picturesShownIn: those a moderator took down taken out, the others' sizes written in).
 */
export function contentColumns(c: RevisionContent, pictures: PicturesShown) {
  // One allowance of coloured code for the whole how-to, spent in reading order (as post-rendering.server.ts does).
  const highlight = highlightAllowance();
  const render = (source: string, headingLevel: number) =>
    settlePictures(renderMarkdown(source, headingLevel, highlight), pictures);
  const bodyHtml = render(c.bodyMd, HEADING_LEVEL.howto);
  const prerequisitesHtml = c.prerequisitesMd ? render(c.prerequisitesMd, HEADING_LEVEL.prerequisites) : null;
  const steps: HowtoStep[] = (c.steps ?? []).map((bodyMd) => ({
    bodyMd,
    bodyHtml: render(bodyMd, HEADING_LEVEL.step),
  }));
  return {
    title: c.title,
    bodyMd: c.bodyMd,
    bodyHtml,
    summary: c.summary ?? null,
    appliesTo: c.appliesTo ?? null,
    difficulty: c.difficulty ?? null,
    estimatedMinutes: c.estimatedMinutes ?? null,
    prerequisitesMd: c.prerequisitesMd ?? null,
    prerequisitesHtml,
    steps,
  };
}

/**
 * The how-to page's own forms: feedback, delete, restore. Here rather than in the route module, whose top-level code
 * ships to every reader of a how-to (a schema built at module level would bring zod with it).
 */
export const howtoPageActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("feedback"),
    answer: z.enum(["yes", "no"], { errorMap: () => ({ message: "Choose “Yes, it helped” or “No”." }) }),
    comment: z.string().default(""),
  }),
  z.object({ intent: z.literal("delete") }),
  z.object({ intent: z.literal("restore") }),
]);
