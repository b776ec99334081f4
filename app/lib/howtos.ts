/** How-to limits, addresses and form-field names, shared by the forms in the browser and the rules on the server. */
import type { Difficulty } from "#db/schema";

export const HOWTO_LIMITS = {
  titleMin: 15,
  titleMax: 150,
  summaryMin: 20,
  summaryMax: 500,
  appliesToMax: 120,
  minutesMin: 1,
  minutesMax: 600,
  prerequisitesMax: 5_000,
  stepsMin: 1,
  stepsMax: 30,
  stepMin: 3,
  stepMax: 5_000,
  tagsMax: 5,
  noteMax: 300,
  feedbackCommentMax: 1_000,
  /** Blank step fields offered without JavaScript, and how many "add more steps" adds. */
  blankSteps: 5,
} as const;

export const DIFFICULTY_OPTIONS: readonly Difficulty[] = ["beginner", "intermediate", "advanced"];

export const DIFFICULTY_LABELS: Record<Difficulty, string> = {
  beginner: "Beginner",
  intermediate: "Intermediate",
  advanced: "Advanced",
};

export const HOWTO_SORTS = ["newest", "helpful"] as const;
export type HowtoSort = (typeof HOWTO_SORTS)[number];

export function howtoPath(id: number): string {
  return `/howtos/${id}`;
}

/** "45 min", "1 h", "2 h 30 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Step fields are named step-0, step-1, … so drafts (flat string maps) keep every step, in order. */
export const STEP_FIELD = /^step-(\d{1,2})$/;
export const stepFieldName = (index: number) => `step-${index}`;

/** The steps of a submitted form or draft, in field order; blank fields (unused no-JS slots) are dropped. */
export function stepsFromValues(values: Record<string, string>): string[] {
  return Object.entries(values)
    .flatMap(([key, value]) => {
      const match = STEP_FIELD.exec(key);
      return match ? [{ index: Number(match[1]), value }] : [];
    })
    .sort((a, b) => a.index - b.index)
    .map((s) => s.value)
    .filter((s) => s.trim() !== "");
}

/** How many step fields a form sent (blank ones included): "add more steps" adds to this. */
export function stepFieldCount(values: Record<string, string>): number {
  return Object.keys(values).filter((k) => STEP_FIELD.test(k)).length;
}

/** The how-to fields of a form post as the model's input (strings only; the model validates and converts). */
export type HowtoFormInput = {
  title: string;
  summary: string;
  appliesTo: string;
  difficulty: string;
  estimatedMinutes: string;
  prerequisites: string;
  steps: string[];
  tags: string;
  isPlainLanguage: boolean;
};

export function howtoInputFromValues(values: Record<string, string>): HowtoFormInput {
  return {
    title: values.title ?? "",
    summary: values.summary ?? "",
    appliesTo: values.appliesTo ?? "",
    difficulty: values.difficulty ?? "",
    estimatedMinutes: values.estimatedMinutes ?? "",
    prerequisites: values.prerequisites ?? "",
    steps: stepsFromValues(values),
    tags: values.tags ?? "",
    isPlainLanguage: values.plainLanguage === "on",
  };
}

/** Form values (as typed) with the steps renumbered densely, so error keys `steps.N` match the fields shown again. */
export function compactStepValues(values: Record<string, string>): Record<string, string> {
  const rest = Object.fromEntries(Object.entries(values).filter(([key]) => !STEP_FIELD.test(key)));
  for (const [i, step] of stepsFromValues(values).entries()) rest[stepFieldName(i)] = step;
  return rest;
}

/** Local storage key of the "I've done this step" ticks: a new revision starts a fresh checklist. */
export function stepProgressKey(howtoId: number, revision: number): string {
  return `peerdesk:howto-steps:${howtoId}:r${revision}`;
}
