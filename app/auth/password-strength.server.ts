/**
 * Refuses common and guessable passwords with zxcvbn-ts (its English and common dictionaries, loaded once on first use)
 * and says why in plain words. Every path that sets a password asks it: sign-up, reset, change, admin tools.
 */
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/** zxcvbn's scores run 0–4; 3 means "safely unguessable" (about 10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3;

/** What is said when the password holds the person's name or email address. */
export const USER_INPUTS_WARNING = "It contains your name or email address, which others can guess.";

let factory: Promise<ZxcvbnFactory> | undefined;

/** The dictionaries are a few megabytes: imported on the first check, then shared by every later one. */
function zxcvbn(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      // zxcvbn's wording for a password made of the person's own details speaks of "page related data".
      translations: {
        ...en.translations,
        warnings: { ...en.translations.warnings, userInputs: USER_INPUTS_WARNING },
      },
    });
  })();
  return factory;
}

/** Words of the person's own details (name, email and its parts), which make a password easy to guess for them. */
function personalWords(inputs: (string | null | undefined)[]): string[] {
  const words = new Set<string>();
  for (const input of inputs) {
    if (!input) continue;
    const value = input.trim().toLowerCase();
    if (!value) continue;
    words.add(value);
    for (const part of value.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/**
 * Null when the password is strong enough; otherwise a sentence saying why not and what would help, built from
 * zxcvbn's warning and suggestions. `userInputs` are the person's name, email and the like.
 */
export async function passwordWeakness(
  password: string,
  userInputs: (string | null | undefined)[] = [],
): Promise<string | null> {
  const result = (await zxcvbn()).check(password, personalWords(userInputs));
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const parts = ["This password is too easy to guess."];
  if (result.feedback.warning) parts.push(result.feedback.warning);
  const suggestions = result.feedback.suggestions.filter((s) => s.trim().length > 0);
  parts.push(...(suggestions.length > 0 ? suggestions : []));
  parts.push("A short sentence only you would think of works well.");
  return parts.join(" ");
}

/** Loads the dictionaries ahead of the first sign-up, so nobody waits for them (optional). */
export async function warmPasswordStrength(): Promise<void> {
  await zxcvbn();
}
