/** Sign-up, sign-in and profile rules as zod schemas, shared by forms and actions so messages match. */
import { z } from "zod";
import { ACCOUNT_LIMITS } from "~/lib/account-limits";
import { oneLineName } from "~/lib/plain-text";
import { parseTagList, tagListProblem } from "~/lib/tags";
import { isTimeZone } from "~/lib/time-zones";

export const LIMITS = {
  nameMin: 2,
  nameMax: 60,
  emailMax: ACCOUNT_LIMITS.emailMax,
  passwordMin: 10,
  passwordMax: ACCOUNT_LIMITS.passwordMax,
  bioMax: 280,
  expertiseMax: 10,
  pitchMax: 200,
  languagesMax: 100,
} as const;

/** The scripts whose letters look alike (Latin a, Cyrillic а, Greek α), as UTS #39 counts a "mixed script" word. */
const LOOK_ALIKE_SCRIPTS = [
  { name: "Latin", letter: /\p{Script=Latin}/u },
  { name: "Greek", letter: /\p{Script=Greek}/u },
  { name: "Cyrillic", letter: /\p{Script=Cyrillic}/u },
] as const;

/**
 * Why this name could pass for someone else's, or null: a word mixing Latin, Greek and Cyrillic letters ("Mаrcus" with
 * a Cyrillic а) looks like a name it isn't. Each alphabet alone, or one per word ("Anna Иванова"), is fine.
 */
export function lookAlikeNameProblem(name: string): string | null {
  for (const word of name.split(" ")) {
    const scripts = LOOK_ALIKE_SCRIPTS.filter((script) => script.letter.test(word)).map((script) => script.name);
    if (scripts.length > 1)
      return `“${word}” mixes ${scripts.join(" and ")} letters that look alike, so it could be mistaken for someone else's name. Please type each word in one alphabet.`;
  }
  return null;
}

/**
 * A person's name wherever it is set: the sign-up and profile forms, and every account better-auth creates or renames
 * (account-fields.server.ts), so the JSON API and single sign-on obey the same rule. What cannot be seen is dropped
 * rather than refused, as for all typed text (plain-text.ts), and a name is one line.
 */
export const displayName = z
  .string({ required_error: "Please enter your name.", invalid_type_error: "Please enter your name." })
  .transform(oneLineName)
  .pipe(
    z
      .string()
      .min(LIMITS.nameMin, `Your name needs at least ${LIMITS.nameMin} characters.`)
      .max(LIMITS.nameMax, `Please keep your name to ${LIMITS.nameMax} characters or fewer.`)
      .superRefine((name, ctx) => {
        const problem = lookAlikeNameProblem(name);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
  );

const email = z
  .string({ required_error: "Please enter your email address." })
  .trim()
  .min(1, "Please enter your email address.")
  .max(LIMITS.emailMax, `Email addresses can be at most ${LIMITS.emailMax} characters.`)
  .email("That doesn't look like an email address (for example: name@company.com).")
  .transform((v) => v.toLowerCase());

export const audienceSchema = z.enum(["it", "business"], {
  errorMap: () => ({ message: "Please choose the option that describes you best." }),
});

export const signUpSchema = z
  .object({
    name: displayName,
    email,
    password: z
      .string({ required_error: "Please choose a password." })
      .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters; a short sentence works well.`)
      .max(LIMITS.passwordMax, `Passwords can be at most ${LIMITS.passwordMax} characters.`),
    audience: audienceSchema,
    redirectTo: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    const password = value.password.toLowerCase();
    const local = value.email.split("@")[0] ?? "";
    if (local.length >= 4 && password.includes(local)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["password"],
        message: "Your password shouldn't contain your email address.",
      });
    }
  });

/** A new password's length; how guessable it is, is checked on the server (password-strength.server.ts). */
const newPassword = z
  .string({ required_error: "Please choose a new password." })
  .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters; a short sentence works well.`)
  .max(LIMITS.passwordMax, `Passwords can be at most ${LIMITS.passwordMax} characters.`);

const currentPassword = z
  .string({ required_error: "Please enter your current password." })
  .min(1, "Please enter your current password.")
  .max(LIMITS.passwordMax, "That password is too long.");

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z.object({
  token: z
    .string({ required_error: "This reset link is incomplete." })
    .min(1, "This reset link is incomplete.")
    .max(200, "This reset link is not valid."),
  newPassword,
});

export const changePasswordSchema = z.object({ currentPassword, newPassword });

export const changeEmailSchema = z.object({ newEmail: email, currentPassword });

export const signInSchema = z.object({
  email,
  password: z
    .string({ required_error: "Please enter your password." })
    .min(1, "Please enter your password.")
    .max(LIMITS.passwordMax, "That password is too long."),
  redirectTo: z.string().optional(),
});

export const profileSchema = z.object({
  name: displayName,
  bio: z
    .string()
    .trim()
    .max(LIMITS.bioMax, `Please keep your bio to ${LIMITS.bioMax} characters or fewer.`)
    .default(""),
  audience: audienceSchema,
  // Counted with the other fields, so too many areas is said in the same round as any other mistake.
  expertise: z
    .string()
    .max(600, "That's a lot of expertise! Please list at most 10 tags.")
    .superRefine((value, ctx) => {
      // An area longer than a tag can be is said, not cut short (as the question and how-to forms do).
      const tooLong = tagListProblem(value);
      if (tooLong) ctx.addIssue({ code: z.ZodIssueCode.custom, message: tooLong });
      const count = parseTagList(value).length;
      if (count > LIMITS.expertiseMax)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `Please pick your top ${LIMITS.expertiseMax} areas (you listed ${count}).`,
        });
    })
    .default(""),
  openToMentoring: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  invitationsPaused: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  mentorPitch: z
    .string()
    .trim()
    .max(LIMITS.pitchMax, `Please keep your pitch to ${LIMITS.pitchMax} characters or fewer.`)
    .default(""),
  languages: z
    .string()
    .trim()
    .max(LIMITS.languagesMax, `Please keep the languages to ${LIMITS.languagesMax} characters or fewer.`)
    .default(""),
  // Empty: not chosen yet (the browser's zone is used until then).
  timeZone: z
    .string()
    .default("")
    .refine((zone) => zone === "" || isTimeZone(zone), "Choose a time zone from the list."),
});
