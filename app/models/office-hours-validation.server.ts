/** Reading a schedule or edit form of a hosted Q&A session: the fields, the time window rules and the columns they write. */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { spaces } from "#db/schema";
import { idField } from "~/lib/id-field";
import { HEADING_LEVEL, type PicturesShown, renderMarkdown, settlePictures } from "~/lib/markdown.server";
import { OFFICE_HOURS_LIMITS, latestSessionStart } from "~/lib/office-hours";
import { formatHours } from "~/lib/durations";
import { type ZonedTime, isTimeZone, readZonedTime, utcToZonedLocal } from "~/lib/time-zones";
import { PostingError } from "./post-errors.server";
import { markdownText } from "./post-fields.server";
import { parseTagField } from "./tags.server";

const CAP_MESSAGE = `Questions per person must be a whole number from 1 to ${OFFICE_HOURS_LIMITS.capMax}, or leave it empty for no limit.`;

const officeHoursSchema = z.object({
  title: z
    .string()
    .transform((t) => t.replace(/\s+/g, " ").trim())
    .refine(
      (t) => t.length >= OFFICE_HOURS_LIMITS.titleMin,
      `Give the session a title of at least ${OFFICE_HOURS_LIMITS.titleMin} characters.`,
    )
    .refine(
      (t) => t.length <= OFFICE_HOURS_LIMITS.titleMax,
      `Keep the title to ${OFFICE_HOURS_LIMITS.titleMax} characters or fewer.`,
    ),
  description: markdownText({
    min: OFFICE_HOURS_LIMITS.descriptionMin,
    max: OFFICE_HOURS_LIMITS.descriptionMax,
    what: "The description",
    missing: "Describe what people can ask about.",
    hint: "Say what people can ask about, so they know whether to join.",
  }),
  spaceId: idField("Choose a space."),
  tags: z
    .string()
    .default("")
    .transform(parseTagField)
    .refine((list) => list.length <= OFFICE_HOURS_LIMITS.tagsMax, `Use at most ${OFFICE_HOURS_LIMITS.tagsMax} tags.`),
  startsAt: z.date({ invalid_type_error: "Choose when it starts (date and time)." }),
  endsAt: z.date({ invalid_type_error: "Choose when it ends (date and time)." }),
  // Read by hand, not coerced: letters (a browser lets people type them) came back as zod's bare "Invalid input".
  maxQuestionsPerPerson: z
    .union([z.number(), z.string()], { errorMap: () => ({ message: CAP_MESSAGE }) })
    .optional()
    .transform((value, ctx) => {
      const typed = String(value ?? "").trim();
      if (typed === "") return null;
      const cap = /^\d+$/.test(typed) ? Number(typed) : Number.NaN;
      if (cap >= 1 && cap <= OFFICE_HOURS_LIMITS.capMax) return cap;
      ctx.addIssue({ code: "custom", message: CAP_MESSAGE });
      return z.NEVER;
    }),
});

/** How far in the past a typed start may be: a datetime-local field has whole minutes, and people take a moment to submit. */
const START_GRACE_MS = 15 * 60_000;

/** How the times are read: the form's zone; a live session's start (`fixedStart`); whether the form offers “Start now”. */
type TimeRules = { timeZone: string; fixedStart?: Date; canStartNow?: boolean };

/**
 * Problems with the times, checked even when other fields are wrong too, so every message shows at once. A live
 * session's start (`fixedStart`) can no longer move (only its end can); only the schedule form has “Start now” to offer.
 */
function timeErrors(start: ZonedTime, end: ZonedTime, now: Date, rules: TimeRules): Record<string, string> {
  const { fixedStart, canStartNow = false } = rules;
  const errors: Record<string, string> = {};
  const startsAt = start.instant;
  const endsAt = end.instant;
  const years = OFFICE_HOURS_LIMITS.maxYearsAhead;
  const orStartNow = canStartNow ? ", or tick “Start now”" : "";
  if (!startsAt) errors.startsAt = start.impossible ?? `Choose when it starts (date and time)${orStartNow}.`;
  else if (fixedStart && startsAt.getTime() !== fixedStart.getTime())
    errors.startsAt = "The session is live, so its start can't move. Change the end, or end it now.";
  else if (!fixedStart && startsAt.getTime() < now.getTime() - START_GRACE_MS)
    errors.startsAt = `The start is in the past. Choose a later time${orStartNow}.`;
  else if (!fixedStart && startsAt > latestSessionStart(now))
    errors.startsAt = `A session must start within the next ${years} years. Please check the year.`;
  if (!endsAt) errors.endsAt = end.impossible ?? "Choose when it ends (date and time).";
  else if (startsAt && endsAt <= startsAt) errors.endsAt = "The end must be after the start.";
  else if (fixedStart && endsAt <= now)
    errors.endsAt = "The end must be in the future. To finish now, use “End the session now”.";
  else if (startsAt && endsAt.getTime() - startsAt.getTime() > OFFICE_HOURS_LIMITS.maxHours * HOUR_MS)
    errors.endsAt = tooLongMessage(startsAt, endsAt, rules.timeZone);
  return errors;
}

const HOUR_MS = 3_600_000;

/**
 * Why a session is too long. When the clocks go back during it, the times on the clock look short enough but the
 * session really lasts longer: say so, and by when it must end (as the message for a time the clocks skip explains).
 */
function tooLongMessage(startsAt: Date, endsAt: Date, timeZone: string): string {
  const maxHours = OFFICE_HOURS_LIMITS.maxHours;
  const tooLong = `A session can last at most ${maxHours} hours.`;
  const startWall = utcToZonedLocal(startsAt, timeZone);
  const endWall = utcToZonedLocal(endsAt, timeZone);
  // The wall-clock times read as if in UTC: their difference is what the clock shows, without the hour it repeats.
  const onTheClock = Date.parse(`${endWall}Z`) - Date.parse(`${startWall}Z`);
  if (onTheClock > maxHours * HOUR_MS) return tooLong;
  const hours = (endsAt.getTime() - startsAt.getTime()) / HOUR_MS;
  const length = Number.isInteger(hours) ? `${hours} hours` : formatHours(hours);
  const latestEnd = utcToZonedLocal(new Date(startsAt.getTime() + maxHours * HOUR_MS), timeZone);
  return (
    `${tooLong} The clocks go back during this session, so ${startWall.slice(11)}–${endWall.slice(11)} is really ` +
    `${length} long. Please end it at ${latestEnd.slice(11)} or earlier.`
  );
}

export type ScheduleInput = {
  title: string;
  description: string;
  spaceId: number | string;
  tags?: string;
  /** Wall-clock times as a datetime-local field sends them, in `timeZone`. */
  startsAtLocal: string;
  endsAtLocal: string;
  /** "Start now": the start is the moment of submitting, whatever `startsAtLocal` says. */
  startNow?: boolean;
  timeZone: string;
  maxQuestionsPerPerson?: string | number;
};

export type ValidOfficeHours = z.infer<typeof officeHoursSchema>;

/**
 * Validates a schedule or edit form: the typed times are read in `timeZone` (the one the form showed). `fixedStart`: a
 * live session's start; `canStartNow`: the form offers “Start now” (the schedule form does, the edit form doesn't).
 */
export async function validOfficeHours(
  db: Db,
  input: ScheduleInput,
  now: Date,
  { fixedStart, canStartNow = false }: { fixedStart?: Date; canStartNow?: boolean } = {},
): Promise<ValidOfficeHours> {
  const timeZone = isTimeZone(input.timeZone) ? input.timeZone : "UTC";
  const typed: ZonedTime =
    input.startNow && !fixedStart ? { instant: now } : readZonedTime(input.startsAtLocal ?? "", timeZone);
  // A live session's start is shown to the minute; an unchanged field means the unchanged start.
  const isUnchangedStart =
    fixedStart && typed.instant && Math.abs(typed.instant.getTime() - fixedStart.getTime()) < 60_000;
  const start: ZonedTime = isUnchangedStart ? { instant: fixedStart } : typed;
  const end = readZonedTime(input.endsAtLocal ?? "", timeZone);
  const errors = timeErrors(start, end, now, { timeZone, fixedStart, canStartNow });
  const parsed = officeHoursSchema.safeParse({ ...input, startsAt: start.instant ?? now, endsAt: end.instant ?? now });
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  if (!parsed.success || Object.keys(errors).length > 0)
    throw new PostingError("Please fix the highlighted fields; nothing you typed was lost.", errors);
  const [space] = await db
    .select({ id: spaces.id, archivedAt: spaces.archivedAt })
    .from(spaces)
    .where(eq(spaces.id, parsed.data.spaceId))
    .limit(1);
  if (!space || space.archivedAt)
    throw new PostingError("Please fix the highlighted fields; nothing you typed was lost.", {
      spaceId: "Choose an open space.",
    });
  return parsed.data;
}

/**
 * The columns a schedule or an edit writes from the validated form (the description also rendered to HTML, its stored
 * pictures settled: `pictures`, from picturesShownIn).
 */
export function storedColumns(fields: ValidOfficeHours, pictures: PicturesShown) {
  return {
    spaceId: fields.spaceId,
    title: fields.title,
    descriptionMd: fields.description,
    descriptionHtml: settlePictures(renderMarkdown(fields.description, HEADING_LEVEL.sessionDescription), pictures),
    tags: fields.tags,
    startsAt: fields.startsAt,
    endsAt: fields.endsAt,
    maxQuestionsPerPerson: fields.maxQuestionsPerPerson,
  };
}
