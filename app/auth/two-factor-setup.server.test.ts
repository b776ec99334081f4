/**
 * "Set up two-step sign-in" pressed twice (two identical requests at once, through the settings page's action and
 * better-auth's real handler on the real database): both presses show the one secret that works, signing in later
 * takes its codes, and a press meanwhile waits for the first instead of making a second secret.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { twoFactors, users } from "#db/schema";
import { action as securityAction, loader as securityLoader } from "~/routes/settings.security";
import { action as signInAction } from "~/routes/signin";
import { action as secondStepAction } from "~/routes/signin_.two-factor";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { claimTwoFactorSetUp, releaseTwoFactorSetUp } from "./two-factor-setup.server";
import { totp } from "../../tests/fixtures/totp";

let database: Database;
let services: TestServices;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

function newBrowser() {
  ipCounter += 1;
  return new Browser(services, `10.93.0.${ipCounter}`);
}

type SecurityData = {
  ok: boolean;
  message?: string;
  fieldErrors: Record<string, string>;
  setup?: { uri: string; secretForHumans: string };
};

async function person(name: string, email: string, password: string) {
  const browser = newBrowser();
  await signUp(browser, { name, email, password });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("no user");
  return { browser, id: row.id };
}

/** "Set up two-step sign-in" pressed `times` times at once in one browser: what each press showed. */
async function pressSetUp(browser: Browser, password: string, times = 2) {
  const results = await Promise.all(
    Array.from({ length: times }, () =>
      browser.submit(securityAction, "/settings/security", { intent: "enable", password }),
    ),
  );
  return results.map((result) => payload<SecurityData>(result));
}

async function rowsOf(userId: string) {
  return database.db.select().from(twoFactors).where(eq(twoFactors.userId, userId));
}

describe("pressing Set up two-step sign-in twice", () => {
  test("both presses show the same QR code; its code turns two-step sign-in on, and signing in later takes the app's codes", async () => {
    const password = "lina keeps the visitor badges";
    const lina = await person("Lina Berg", "lina@example.com", password);
    const presses = await pressSetUp(lina.browser, password);
    expect(presses.map((press) => press.status)).toEqual([200, 200]);
    const [first, second] = presses.map((press) => press.data.setup?.secretForHumans);
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(await rowsOf(lina.id)).toHaveLength(1);

    // Whichever page the browser shows, its code turns it on.
    const secret = (second ?? "").replace(/\s/g, "");
    const done = payload<SecurityData>(
      await lina.browser.submit(securityAction, "/settings/security", {
        intent: "verify",
        code: totp(secret),
        totpUri: presses[1]?.data.setup?.uri ?? "",
      }),
    );
    expect(done.data.ok).toBe(true);

    // Signing in on another device asks for a code, and the app's next one lets her in.
    const phone = newBrowser();
    const signedIn = await phone.submit(signInAction, "/signin", {
      email: "lina@example.com",
      password,
      redirectTo: "/questions",
    });
    expect((signedIn as Response).headers.get("location")).toBe("/signin/two-factor?redirectTo=%2Fquestions");
    const secondStep = await phone.submit(secondStepAction, "/signin/two-factor", {
      code: totp(secret, Date.now() + 30_000),
      redirectTo: "/questions",
    });
    expect((secondStep as Response).status).toBe(302);
    expect((secondStep as Response).headers.get("location")).toBe("/questions");
  });

  test("two presses with a mistyped password are both refused and leave nothing half set up", async () => {
    const password = "mats waters the office plants";
    const mats = await person("Mats Ek", "mats@example.com", password);
    const presses = await pressSetUp(mats.browser, "not his password");
    for (const press of presses) {
      expect(press.status).toBe(400);
      expect(press.data.fieldErrors.password).toMatch(/isn't your password/);
    }
    expect(await rowsOf(mats.id)).toEqual([]);
    expect(payload<{ state: string }>(await mats.browser.load(securityLoader, "/settings/security")).data.state).toBe(
      "off",
    );
    const [again] = await pressSetUp(mats.browser, password, 1);
    expect(again?.data.setup).toBeDefined();
  });

  test("turned off, it can be set up again, with a new secret", async () => {
    const password = "nora books the meeting rooms";
    const nora = await person("Nora Vik", "nora@example.com", password);
    const [started] = await pressSetUp(nora.browser, password, 1);
    const secret = (started?.data.setup?.secretForHumans ?? "").replace(/\s/g, "");
    await nora.browser.submit(securityAction, "/settings/security", {
      intent: "verify",
      code: totp(secret),
      totpUri: started?.data.setup?.uri ?? "",
    });
    const off = payload<SecurityData>(
      await nora.browser.submit(securityAction, "/settings/security", { intent: "disable", password }),
    );
    expect(off.data.ok).toBe(true);
    const presses = await pressSetUp(nora.browser, password);
    const [first, second] = presses.map((press) => press.data.setup?.secretForHumans);
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(first).not.toBe(started?.data.setup?.secretForHumans);
    expect(await rowsOf(nora.id)).toHaveLength(1);
  });
});

describe("claiming the set-up", () => {
  test("a set-up another press is still making is waited for; one left by a request that never finished is taken over", async () => {
    const { id } = await person("Olle Dahl", "olle@example.com", "olle fixes the coffee machine");
    const claimed = await claimTwoFactorSetUp(database.db, id);
    if (claimed.kind !== "claimed") throw new Error(`expected a claim, got ${claimed.kind}`);
    // Still being made: a second press waits, then says so rather than making a second secret.
    expect(await claimTwoFactorSetUp(database.db, id, { waitMs: 300 })).toEqual({ kind: "busy" });
    await releaseTwoFactorSetUp(database.db, id, claimed.placeholder);
    expect(await rowsOf(id)).toEqual([]);

    // A placeholder from two minutes ago: its request is gone.
    await database.db.insert(twoFactors).values({
      id: randomUUID(),
      userId: id,
      secret: `setting-up:${Date.now() - 120_000}`,
      backupCodes: "",
      verified: false,
    });
    const takenOver = await claimTwoFactorSetUp(database.db, id, { waitMs: 0 });
    expect(takenOver.kind).toBe("claimed");
    expect(await rowsOf(id)).toHaveLength(1);
  });
});

describe("the migration to one two-factor row per person", () => {
  test("keeps the confirmed row of someone who had two, else the newest, and then allows only one", async () => {
    const db = database.db;
    // The table as it was before migration 0054, holding the duplicates two presses at once could leave.
    await db.execute(sql`drop index two_factors_user_unique`);
    await db.execute(sql`create index two_factors_user_idx on two_factors (user_id)`);
    await db.execute(sql`alter table signup_invitations drop column email_hashes`);
    const [pendingTwice, onAndPending, onByDefault, once] = await Promise.all(
      ["pending-twice", "on-and-pending", "on-by-default", "once"].map((name) =>
        makeUser(db, { email: `${name}@example.com` }),
      ),
    );
    const row = (id: string, userId: string | undefined, verified: boolean | null) => ({
      id,
      userId: userId ?? "",
      secret: `secret of ${id}`,
      backupCodes: "",
      verified,
    });
    // One at a time, in this order: "newest" is the row stored last.
    for (const value of [
      row("older-pending", pendingTwice, false),
      row("newer-pending", pendingTwice, false),
      row("confirmed", onAndPending, true),
      row("pending-after-confirmed", onAndPending, false),
      row("pending-before-null", onByDefault, false),
      row("confirmed-as-null", onByDefault, null),
      row("only-row", once, false),
    ])
      await db.insert(twoFactors).values(value);

    // The migration's statements, as the migrator sends them.
    const migration = readFileSync(
      new URL("../../db/migrations/0054_two_factor_one_per_person.sql", import.meta.url),
      "utf8",
    );
    for (const statement of migration.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));

    const kept = await db
      .select({ id: twoFactors.id })
      .from(twoFactors)
      .where(
        inArray(twoFactors.id, [
          "older-pending",
          "newer-pending",
          "confirmed",
          "pending-after-confirmed",
          "pending-before-null",
          "confirmed-as-null",
          "only-row",
        ]),
      );
    expect(kept.map((k) => k.id).sort()).toEqual(["confirmed", "confirmed-as-null", "newer-pending", "only-row"]);
    const second = await db
      .insert(twoFactors)
      .values(row("second-row", once, false))
      .catch((error: unknown) => error);
    expect(String((second as Error).cause)).toMatch(/two_factors_user_unique/);
  });
});
