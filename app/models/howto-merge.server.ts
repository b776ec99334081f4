/**
 * Accepting a suggested edit made before the how-to changed: a three-way merge of the version the suggestion started
 * from (`base`), the how-to as it is now (`current`) and the suggestion (`suggested`), so the later edits survive in
 * every part the suggestion did not touch. Text fields merge whole (a field changed on one side only takes that side);
 * steps merge as a list (node-diff3), so a step added or reworded later keeps its place beside the suggested ones; tags
 * merge as a set. Where both sides changed the same part differently, the suggestion's wording is taken (accepting it
 * is the reviewer's decision) and the part is named, so the review page can say which later edits it replaces.
 */
import { diff3Merge } from "node-diff3";
import type { RevisionContent } from "#db/schema";
import { HOWTO_LIMITS } from "~/lib/howtos";
import { composeBody } from "./howto-validation.server";

export type SuggestionMerge = {
  /** What the how-to becomes when the suggestion is accepted. */
  content: RevisionContent;
  /** The parts changed both later and by the suggestion, differently ("Summary", "Step 3"): accepting takes the suggestion's. */
  replacesLaterEdits: string[];
};

const SCALAR_FIELDS = [
  ["title", "Title"],
  ["summary", "Summary"],
  ["appliesTo", "Applies to"],
  ["difficulty", "Difficulty"],
  ["estimatedMinutes", "Time (minutes)"],
  ["prerequisitesMd", "Before you start"],
] as const satisfies readonly (readonly [keyof RevisionContent, string])[];

export function mergeSuggestion(
  base: RevisionContent,
  current: RevisionContent,
  suggested: RevisionContent,
): SuggestionMerge {
  const replacesLaterEdits: string[] = [];
  const merged: RevisionContent = { ...current };
  for (const [field, label] of SCALAR_FIELDS) {
    const [b, c, s] = [base[field] ?? null, current[field] ?? null, suggested[field] ?? null];
    if (s === b || s === c) continue;
    if (c !== b) replacesLaterEdits.push(label);
    Object.assign(merged, { [field]: s });
  }
  const steps = mergeSteps(base.steps ?? [], current.steps ?? [], suggested.steps ?? []);
  merged.steps = steps.steps;
  replacesLaterEdits.push(...steps.replaced);
  merged.tags = mergeTags(base.tags, current.tags, suggested.tags);
  merged.bodyMd = composeBody({
    summary: merged.summary ?? "",
    prerequisites: merged.prerequisitesMd ?? "",
    steps: merged.steps,
  });
  return { content: merged, replacesLaterEdits };
}

function mergeSteps(base: string[], current: string[], suggested: string[]): { steps: string[]; replaced: string[] } {
  const steps: string[] = [];
  const replaced: string[] = [];
  for (const region of diff3Merge(current, base, suggested)) {
    if (region.ok) steps.push(...region.ok);
    else if (region.conflict) {
      for (const step of region.conflict.b) {
        steps.push(step);
        replaced.push(`Step ${steps.length}`);
      }
      // A later edit removed or rewrote steps the suggestion deleted: nothing of the suggestion's stands in their place.
      if (region.conflict.b.length === 0) replaced.push(`Steps after step ${steps.length}`);
    }
  }
  // Steps added on both sides may pass the form's limit, or steps removed on both leave none: then the suggestion's list
  // is taken whole.
  if (steps.length < HOWTO_LIMITS.stepsMin || steps.length > HOWTO_LIMITS.stepsMax)
    return { steps: [...suggested], replaced: ["Steps"] };
  return { steps, replaced };
}

function mergeTags(base: string[], current: string[], suggested: string[]): string[] {
  const added = suggested.filter((tag) => !base.includes(tag));
  const removed = new Set(base.filter((tag) => !suggested.includes(tag)));
  const tags = [...current.filter((tag) => !removed.has(tag))];
  for (const tag of added) if (!tags.includes(tag)) tags.push(tag);
  // The form allows so many tags; past that, the suggestion's own list stands.
  return tags.length > HOWTO_LIMITS.tagsMax ? [...suggested] : tags;
}
