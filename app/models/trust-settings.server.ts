/** Sensitivity settings for flags, holds and new accounts: defaults here, admins' changes in the trust_settings table. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { trustSettings } from "#db/schema";

export const TRUST_SETTING_DEFAULTS = {
  /** Summed flag weight that hides a post until a moderator decides (a first-time flagger weighs 1). */
  hideThreshold: 3,
  /** An account is new (limits and link holds apply) for this many days after signing up. */
  newAccountDays: 1,
  /** Posts (questions, answers, how-tos, comments, session questions) a new account may write per 24 hours. */
  newAccountDailyPosts: 10,
  /** Links a new account's post may carry before it is held (new accounts' links are held from the first). */
  newAccountMaxLinks: 0,
  /** Links any member's post may carry before it is held as likely spam. */
  maxLinks: 8,
  /** A new account's text already posted this many times within the day (by anyone) is held. */
  repeatedTextCount: 1,
} as const;

export type TrustSettings = { -readonly [K in keyof typeof TRUST_SETTING_DEFAULTS]: number };
export type TrustSettingKey = keyof TrustSettings;

export const TRUST_SETTING_LIMITS: Record<TrustSettingKey, { min: number; max: number }> = {
  hideThreshold: { min: 1, max: 100 },
  newAccountDays: { min: 0, max: 365 },
  newAccountDailyPosts: { min: 1, max: 1000 },
  newAccountMaxLinks: { min: 0, max: 100 },
  maxLinks: { min: 1, max: 100 },
  repeatedTextCount: { min: 1, max: 100 },
};

export function isTrustSettingKey(value: unknown): value is TrustSettingKey {
  return typeof value === "string" && Object.hasOwn(TRUST_SETTING_DEFAULTS, value);
}

/** The settings in force: one small read, so every process sees an admin's change at once. */
export async function getTrustSettings(db: Db): Promise<TrustSettings> {
  const settings: TrustSettings = { ...TRUST_SETTING_DEFAULTS };
  for (const row of await db.select({ key: trustSettings.key, value: trustSettings.value }).from(trustSettings)) {
    if (isTrustSettingKey(row.key)) settings[row.key] = row.value;
  }
  return settings;
}

/**
 * Reads the settings form: each field empty (back to its default) or a whole number within its limits. Every mistake
 * is named at once, by the field's label, and nothing is saved while one remains.
 */
export function readTrustSettingsForm(
  values: Readonly<Record<string, string | undefined>>,
  labels: Readonly<Record<TrustSettingKey, string>>,
): { ok: true; settings: Record<TrustSettingKey, number | null> } | { ok: false; fieldErrors: Record<string, string> } {
  const settings = {} as Record<TrustSettingKey, number | null>;
  const fieldErrors: Record<string, string> = {};
  for (const key of Object.keys(TRUST_SETTING_DEFAULTS)) {
    if (!isTrustSettingKey(key)) continue;
    const raw = (values[key] ?? "").trim();
    const { min, max } = TRUST_SETTING_LIMITS[key];
    const value = raw === "" ? null : /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (value !== null && !(Number.isInteger(value) && value >= min && value <= max))
      fieldErrors[key] = `“${labels[key]}” must be a whole number from ${min} to ${max} (or empty for the default).`;
    settings[key] = value;
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, settings };
}

/** Saves every setting read from the form, all or none. */
export async function setTrustSettings(
  db: Db,
  { settings, by }: { settings: Record<TrustSettingKey, number | null>; by: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(settings))
      if (isTrustSettingKey(key)) await setTrustSetting(tx, { key, value, by });
  });
}

/** Sets one setting (clamped to its limits); null goes back to the default. */
export async function setTrustSetting(
  db: Db,
  { key, value, by }: { key: TrustSettingKey; value: number | null; by: string | null },
): Promise<void> {
  if (value === null) {
    await db.delete(trustSettings).where(eq(trustSettings.key, key));
    return;
  }
  const { min, max } = TRUST_SETTING_LIMITS[key];
  const clamped = Math.min(max, Math.max(min, value));
  await db
    .insert(trustSettings)
    .values({ key, value: clamped, updatedBy: by })
    .onConflictDoUpdate({ target: trustSettings.key, set: { value: clamped, updatedBy: by, updatedAt: new Date() } });
}
