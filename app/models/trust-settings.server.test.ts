/** The sensitivity settings form: checked whole, saved all or none, never changed silently. */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import {
  TRUST_SETTING_DEFAULTS,
  type TrustSettingKey,
  getTrustSettings,
  readTrustSettingsForm,
  setTrustSettings,
} from "./trust-settings.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const labels = Object.fromEntries(Object.keys(TRUST_SETTING_DEFAULTS).map((key) => [key, key.toUpperCase()])) as Record<
  TrustSettingKey,
  string
>;

describe("sensitivity settings", () => {
  test("every mistake is named at once: words, fractions and numbers out of range are refused, not clamped", () => {
    const read = readTrustSettingsForm(
      {
        hideThreshold: "5",
        newAccountDays: "three",
        newAccountDailyPosts: "-7",
        maxLinks: "99999",
        repeatedTextCount: "1.5",
      },
      labels,
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(Object.keys(read.fieldErrors).sort()).toEqual([
      "maxLinks",
      "newAccountDailyPosts",
      "newAccountDays",
      "repeatedTextCount",
    ]);
    expect(read.fieldErrors.maxLinks).toBe(
      "“MAXLINKS” must be a whole number from 1 to 100 (or empty for the default).",
    );
  });

  test("a valid form is saved whole; an empty field goes back to its default", async () => {
    const { db } = database;
    const read = readTrustSettingsForm({ hideThreshold: " 5 ", newAccountDays: "0", maxLinks: "" }, labels);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    await setTrustSettings(db, { settings: read.settings, by: null });
    expect(await getTrustSettings(db)).toEqual({ ...TRUST_SETTING_DEFAULTS, hideThreshold: 5, newAccountDays: 0 });
  });
});
