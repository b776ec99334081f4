/**
 * Edit your own profile: name, bio, who you are, expertise tags, and whether you're open to mentoring. Right after
 * sign-up (?welcome=1) it is the first screen: short for a business colleague (the IT and mentoring fields fold away),
 * with "Skip for now", and a reminder to confirm the email address while it isn't confirmed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { asActor, requireUser } from "~/auth/session.server";
import { LIMITS, profileSchema } from "~/auth/validation";
import { SettingsNav } from "~/components/SettingsNav";
import { Button } from "~/components/ui/Button";
import { CheckboxField, FormAlert, RadioGroup, TextAreaField, TextField } from "~/components/ui/Field";
import { type ReactNode, useEffect, useState } from "react";
import { FIELD_LEEWAY, type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { requirePermission } from "~/models/permissions.server";
import { parseTagList } from "~/models/tags.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { writeFailureResponse } from "~/lib/write-failure.server";
import {
  type Profile,
  type ProfileFormField,
  type ProfileFormValues,
  ProfileConflictError,
  getProfileById,
  isProfileVersion,
  profileFieldsChanged,
  profileVersion,
  updateProfile,
} from "~/models/users.server";
import { isSilenced } from "~/models/holds.server";
import { type TimeZoneChoice, timeZoneChoices } from "~/lib/time-zones";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { formPageHeaders } from "~/lib/route-headers.server";
import { TAG_MAX_LENGTH } from "~/lib/tags";

export const meta: MetaFunction = () => [{ title: "Edit profile · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "profile.editOwn");
  const profile = await getProfileById(context.services.db, user.id);
  if (!profile) throw new Response("Your account could not be found.", { status: 404 });
  return {
    profile: {
      name: profile.name,
      bio: profile.bio,
      audience: profile.audience,
      expertise: profile.expertise.join(", "),
      openToMentoring: profile.openToMentoring,
      mentorPitch: profile.mentorPitch,
      languages: profile.languages,
      invitationsPaused: profile.invitationsPaused,
      timeZone: profile.timeZone ?? "",
      handle: profile.handle,
      email: profile.email,
    },
    // What the form opened on: a save on top of a profile changed since (another tab or device) is refused.
    version: profileVersion(profile),
    isEmailConfirmed: user.emailVerified,
    isAccountSilenced: await isSilenced(context.services.db, user.id),
    timeZones: timeZoneChoices(),
  };
}

/** The fields others see (profile page, mentor directory, beside every post); a silenced account can't change them. */
const PUBLIC_FIELDS = ["name", "bio", "audience", "expertise", "openToMentoring", "mentorPitch", "languages"] as const;

const SILENCED_PROFILE_MESSAGE =
  "Your account is silenced while moderators review it, so you can't change what others see on your profile (name, bio, expertise and mentoring details) for now. Your time zone and invitation setting can still be changed. Nothing you typed was lost.";

/**
 * Which of the fields others see this save would change: expertise compared as the tags it would store, text with its
 * line endings alike (a browser sends a textarea's as CRLF).
 */
function publicChanges(
  profile: Profile,
  submitted: Record<Exclude<(typeof PUBLIC_FIELDS)[number], "expertise">, string | boolean>,
  expertise: string[],
): string[] {
  const comparable = (value: string | boolean) => (typeof value === "string" ? value.replace(/\r\n?/g, "\n") : value);
  const sameTags = [...expertise].sort().join(",") === [...profile.expertise].sort().join(",");
  return PUBLIC_FIELDS.filter((field) =>
    field === "expertise" ? !sameTags : comparable(submitted[field]) !== comparable(profile[field]),
  );
}

/**
 * Where the welcome screen leads, saved or skipped: the page it was given (`?redirectTo=`, on this site only), or the
 * spaces, whose pages have the Follow buttons the "Next" line speaks of.
 */
const AFTER_WELCOME = "/spaces";

function afterWelcome(redirectTo: unknown): string {
  return safeRedirectPath(redirectTo, AFTER_WELCOME);
}

/** What comes after the welcome screen, said beside its buttons. */
const NEXT_STEP =
  "Next: the spaces, one for each topic. Open the ones about your work and press Follow to hear about their new questions.";

/** `message`: a refusal of the whole form (too many saves) shown instead of the usual "fix the fields". */
/** A refused save's Retry-After (too many saves) reaches the browser; the page is otherwise private (entry.server). */
export const headers = formPageHeaders;

type ActionData = { ok: boolean; fieldErrors: FieldErrors; values?: Record<string, string>; message?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), "profile.editOwn");
  const formData = await request.formData();
  const parsed = parseForm(profileSchema, formData);
  if (!parsed.ok)
    return data<ActionData>({ ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  const expertise = parseTagList(parsed.data.expertise);
  // A silenced account keeps what others see as it was (no new name, bio or links while moderators review it); the
  // settings only they see still save.
  let update = { ...parsed.data, expertise };
  if (await isSilenced(context.services.db, user.id)) {
    const profile = await getProfileById(context.services.db, user.id);
    if (!profile) throw new Response("Your account could not be found.", { status: 404 });
    const changed = publicChanges(profile, parsed.data, expertise);
    if (changed.length > 0)
      return data<ActionData>(
        {
          ok: false,
          fieldErrors: Object.fromEntries(
            changed.map((field) => [field, "This can't be changed while your account is silenced."]),
          ),
          values: submittedValues(formData),
          message: SILENCED_PROFILE_MESSAGE,
        },
        { status: 403 },
      );
    const { name, bio, audience, openToMentoring, mentorPitch, languages } = profile;
    update = { ...update, name, bio, audience, openToMentoring, mentorPitch, languages, expertise: profile.expertise };
  }
  try {
    await consumeWriteLimit(context.services.db, { userId: user.id, kind: "profile" });
  } catch (error) {
    const values = Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)]));
    return writeFailureResponse(
      error,
      (failure): ActionData => ({
        ok: false,
        fieldErrors: {},
        values,
        message: `${failure.message} Nothing you typed was lost.`,
      }),
    );
  }
  const base = String(formData.get("baseVersion") ?? "");
  const baseVersion = isProfileVersion(base) ? base : undefined;
  try {
    await updateProfile(context.services.db, user.id, update, { baseVersion });
  } catch (error) {
    if (error instanceof ProfileConflictError && baseVersion)
      return conflictResult(error, { base: baseVersion, sent: update, values: submittedValues(formData) });
    throw error;
  }
  // "Save and continue" continues: the saved fields are the welcome screen's answer (the app has no flash message
  // to carry a "saved" note to the next page), so it goes straight on to where the newcomer was going.
  if (formData.get("welcome") === "1") return redirect(afterWelcome(formData.get("redirectTo")), 303);
  return data<ActionData>({ ok: true, fieldErrors: {} });
}

/** How the profile's fields are named in words (the form's labels). */
const FIELD_NAMES: Record<ProfileFormField, string> = {
  name: "display name",
  bio: "bio",
  audience: "“Which describes you best”",
  expertise: "expertise",
  openToMentoring: "“Open to mentoring”",
  mentorPitch: "mentor pitch",
  languages: "languages",
  invitationsPaused: "“Pause invitations”",
  timeZone: "time zone",
};

/** "bio", "bio and languages", "name, bio and languages". */
function inWords(fields: readonly ProfileFormField[]): string {
  const names = fields.map((field) => FIELD_NAMES[field]);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}

/** The fields typed as text, whose value elsewhere can be quoted beside what was typed here. */
const TYPED_FIELDS: readonly ProfileFormField[] = ["name", "bio", "expertise", "mentorPitch", "languages"];

/** A field of the profile as the form holds it (a box ticked is "on", left empty it is not sent). */
function formValue(profile: ProfileFormValues, field: ProfileFormField): string | undefined {
  const value = profile[field];
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "on" : undefined;
  return value ?? "";
}

/**
 * A save refused because the profile was saved elsewhere (another tab or device) since this form was opened: nothing
 * is lost either way. The other save stays; the form keeps what was typed in it, takes the newer value of each field it
 * left as it was, and now stands on the profile as it is, so saving again replaces only what was changed here.
 */
function conflictResult(
  error: ProfileConflictError,
  { base, sent, values }: { base: string; sent: ProfileFormValues; values: Record<string, string> },
) {
  const changedHere = new Set(profileFieldsChanged(base, sent));
  const differsNow = new Set(profileFieldsChanged(error.currentVersion, sent));
  const taken = error.changed.filter((field) => !changedHere.has(field));
  const both = error.changed.filter((field) => changedHere.has(field) && differsNow.has(field));
  const kept: Record<string, string> = { ...values, baseVersion: error.currentVersion };
  for (const field of taken) {
    const value = formValue(error.current, field);
    if (value === undefined) delete kept[field];
    else kept[field] = value;
  }
  const fieldErrors: FieldErrors = {};
  for (const field of both) {
    const saved = TYPED_FIELDS.includes(field) ? formValue(error.current, field) : undefined;
    fieldErrors[field] = saved
      ? `This was changed elsewhere too, to “${saved}”. Saving again keeps what is here instead.`
      : "This was changed elsewhere too. Saving again keeps what is here instead.";
  }
  const changed = error.changed.length === 1 ? "was" : "were";
  const message = [
    `Your ${inWords(error.changed)} ${changed} changed somewhere else (another tab, window or device) after you opened this page, so this save was not made: it would have undone that change.`,
    taken.length > 0 ? `The form now shows the newer ${inWords(taken)}; everything else is as you typed it.` : "",
    "Check the form and save again.",
  ]
    .filter(Boolean)
    .join(" ");
  return data<ActionData>({ ok: false, fieldErrors, values: kept, message }, { status: 409 });
}

/** The fields only IT people need: in the open for them, folded away (and optional) for business colleagues. */
function ItWorkFields({
  isFolded,
  hasErrors,
  children,
}: {
  isFolded: boolean;
  hasErrors: boolean;
  children: ReactNode;
}) {
  if (!isFolded) return <>{children}</>;
  return (
    <details open={hasErrors} className="rounded-lg border border-slate-300 p-3 dark:border-slate-600">
      <summary className="min-h-11 cursor-pointer py-2 font-medium">More about your IT work (optional)</summary>
      <div className="mt-3 space-y-5">{children}</div>
    </details>
  );
}

const IT_FIELDS = ["audience", "expertise", "mentorPitch", "languages"];

export default function EditProfile() {
  const { profile, isEmailConfirmed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const isWelcome = searchParams.get("welcome") === "1" || result?.values?.welcome === "1";
  const isShort = isWelcome && profile.audience === "business";
  if (isWelcome)
    return (
      <div className="mx-auto max-w-xl">
        <h1 className="text-2xl font-bold">Welcome to PeerDesk, {profile.name}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          A few details help people know who they're helping. Everything here is optional except your name, and you can
          change it any time in your profile.
        </p>
        {isEmailConfirmed ? null : (
          <p className="mt-3 rounded-lg bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
            We've sent a link to {profile.email}. Open it when you have a moment to confirm your address.
          </p>
        )}
        <ProfileForm isWelcome isShort={isShort} />
      </div>
    );
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Your profile</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Signed in as {profile.email}.{" "}
        {profile.handle ? (
          <>
            Public page: <Link to={`/u/${profile.handle}`}>/u/{profile.handle}</Link>
          </>
        ) : null}
      </p>
      <div className="mt-4">
        <SettingsNav />
      </div>
      <ProfileForm isWelcome={false} isShort={false} />
    </div>
  );
}

/** The profile's fields; `isShort`: IT and mentoring fields folded away; `isWelcome`: saving goes on to the forum. */
function ProfileForm({ isWelcome, isShort }: { isWelcome: boolean; isShort: boolean }) {
  const { profile, version, timeZones, isAccountSilenced } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const errors = result?.fieldErrors ?? {};
  const values = result?.values;
  // Where the welcome screen goes on to, kept through a refusal with the rest of what was sent.
  const redirectTo = values?.redirectTo ?? searchParams.get("redirectTo") ?? "";
  const isOpen = values ? values.openToMentoring === "on" : profile.openToMentoring;
  const submitLabel = isWelcome ? "Save and continue" : "Save profile";
  return (
    /* Remounted after a save so the fields show the stored (normalised) values. */
    <Form key={JSON.stringify(profile)} method="post" className="mt-6 space-y-5" noValidate>
      {result?.ok ? (
        <FormAlert tone="success" focusOn={result}>
          Your profile was saved.
        </FormAlert>
      ) : null}
      {result && !result.ok ? (
        <FormAlert focusOn={result}>
          {result.message ?? "Please fix the highlighted fields; nothing you typed was lost."}
        </FormAlert>
      ) : null}
      {isAccountSilenced && !result ? (
        <p className="rounded-lg bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
          Your account is silenced while moderators review it: your name, bio, expertise and mentoring details stay as
          they are for now. You can still change your time zone and invitation setting.
        </p>
      ) : null}
      <input type="hidden" name="baseVersion" value={values?.baseVersion ?? version} />
      {isWelcome ? (
        <>
          <input type="hidden" name="welcome" value="1" />
          <input type="hidden" name="redirectTo" value={redirectTo} />
        </>
      ) : null}
      <TextField
        label={isWelcome ? "Your name, as others see it" : "Display name"}
        name="name"
        required
        defaultValue={values?.name ?? profile.name}
        error={errors.name}
        autoComplete="name"
        maxLength={LIMITS.nameMax + FIELD_LEEWAY}
      />
      <TextAreaField
        label={isWelcome ? "A line about you (optional)" : "Short bio"}
        name="bio"
        rows={3}
        defaultValue={values?.bio ?? profile.bio}
        error={errors.bio}
        maxLength={LIMITS.bioMax + FIELD_LEEWAY}
        hint={
          isShort
            ? `Up to ${LIMITS.bioMax} characters. For example, your team and what you use every day.`
            : `Up to ${LIMITS.bioMax} characters. What you work on, what you like helping with.`
        }
      />
      <TimeZoneField zones={timeZones} defaultValue={values?.timeZone ?? profile.timeZone} error={errors.timeZone} />
      <ItWorkFields isFolded={isShort} hasErrors={IT_FIELDS.some((field) => errors[field])}>
        <RadioGroup
          label="Which describes you best?"
          name="audience"
          defaultValue={values?.audience ?? profile.audience}
          error={errors.audience}
          options={[
            { value: "it", label: "I am an IT professional" },
            { value: "business", label: "I am a business colleague" },
          ]}
        />
        <TextField
          label="Expertise"
          name="expertise"
          defaultValue={values?.expertise ?? profile.expertise}
          error={errors.expertise}
          maxLength={LIMITS.expertiseMax * (TAG_MAX_LENGTH + 2) + FIELD_LEEWAY}
          hint="Comma-separated, up to 10. For example: networking, intune, exchange-online"
        />
        <CheckboxField
          name="openToMentoring"
          label="Open to mentoring"
          hint="Members can find you in the mentor directory and invite you to questions."
          defaultChecked={isOpen}
        />
        <TextField
          label="Mentor pitch"
          name="mentorPitch"
          defaultValue={values?.mentorPitch ?? profile.mentorPitch}
          error={errors.mentorPitch}
          maxLength={LIMITS.pitchMax + FIELD_LEEWAY}
          hint={`Shown in the mentor directory, up to ${LIMITS.pitchMax} characters. For example: "Happy to walk you through your first Intune rollout."`}
        />
        <CheckboxField
          name="invitationsPaused"
          label="Pause invitations"
          hint="While paused, nobody can invite you to answer a question (your profile stays in the mentor directory)."
          defaultChecked={values ? values.invitationsPaused === "on" : profile.invitationsPaused}
        />
        <TextField
          label="Languages you help in"
          name="languages"
          defaultValue={values?.languages ?? profile.languages}
          error={errors.languages}
          maxLength={LIMITS.languagesMax + FIELD_LEEWAY}
          hint={`For example: English, Spanish. Up to ${LIMITS.languagesMax} characters.`}
        />
      </ItWorkFields>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Saving…" : submitLabel}
        </Button>
        {isWelcome ? (
          <Link to={afterWelcome(redirectTo)} className="inline-flex min-h-11 items-center">
            Skip for now
          </Link>
        ) : null}
      </div>
      {/* A page it was given (redirectTo) is where it goes instead of the spaces. */}
      {isWelcome && !redirectTo ? <p className="text-sm text-slate-600 dark:text-slate-400">{NEXT_STEP}</p> : null}
    </Form>
  );
}

/**
 * Your time zone: the one forms read typed times in, listed west to east by their offset from UTC today and the place
 * they are named after ("(UTC+01:00) Berlin"). Not chosen yet: the browser's is offered (after hydration).
 */
function TimeZoneField({
  zones,
  defaultValue,
  error,
}: {
  zones: TimeZoneChoice[];
  defaultValue: string;
  error?: string;
}) {
  const [browserZone, setBrowserZone] = useState("");
  useEffect(() => setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? ""), []);
  const selected = defaultValue || (zones.some(({ zone }) => zone === browserZone) ? browserZone : "");
  return (
    <label id="time-zone" className="block text-sm font-medium">
      Time zone
      <select
        key={selected}
        name="timeZone"
        defaultValue={selected}
        aria-invalid={error ? true : undefined}
        aria-describedby="time-zone-hint"
        className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-2 dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="">Not chosen (your browser's, or UTC)</option>
        {zones.map(({ zone, label }) => (
          <option key={zone} value={zone}>
            {label}
          </option>
        ))}
      </select>
      <span id="time-zone-hint" className="mt-1 block font-normal text-slate-600 dark:text-slate-400">
        Times you type (for example when scheduling a Q&amp;A session) are read in this zone.
      </span>
      {error ? (
        <span role="alert" className="mt-1 block text-red-700 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </label>
  );
}
