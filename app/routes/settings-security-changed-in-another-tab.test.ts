/**
 * The two-step sign-in page left open in one tab while the setting changes in another: each button then says what is
 * true now (off, on, half set up) instead of "That didn't work just now", which no retry could fix. Through the page's
 * action and better-auth's real two-factor plugin on the real database, with codes worked out here (RFC 6238).
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { securitySettings, users } from "#db/schema";
import { action as securityAction, loader as securityLoader, shouldRevalidate } from "~/routes/settings.security";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { totp } from "../../tests/fixtures/totp";

let database: Database;
let services: TestServices;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

type SecurityData = {
  ok: boolean;
  message?: string;
  fieldErrors: Record<string, string>;
  setup?: { uri: string; secretForHumans: string };
  backupCodes?: { codes: string[] };
  turnedOff?: boolean;
};

/** One person's browser (their tabs share its cookies), signed up with a password. */
async function person(name: string, password: string) {
  ipCounter += 1;
  const browser = new Browser(services, `10.62.9.${ipCounter}`);
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`;
  await signUp(browser, { name, email, password });
  const press = async (fields: Record<string, string>) =>
    payload<SecurityData>(await browser.submit(securityAction, "/settings/security", fields));
  const state = async () =>
    payload<{ state: string }>(await browser.load(securityLoader, "/settings/security")).data.state;
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("not signed up");
  return { id: row.id, browser, press, state };
}

/** Starts the set-up ("pending" until a code confirms it); returns the set-up the page shows. */
async function startSetUp(
  press: (fields: Record<string, string>) => Promise<{ data: SecurityData }>,
  password: string,
) {
  const started = await press({ intent: "enable", password });
  const setup = started.data.setup;
  if (!setup) throw new Error(`no set-up: ${started.data.message}`);
  return setup;
}

async function turnOn(press: (fields: Record<string, string>) => Promise<{ data: SecurityData }>, password: string) {
  const setup = await startSetUp(press, password);
  const done = await press({
    intent: "verify",
    code: totp(setup.secretForHumans.replace(/\s/g, "")),
    totpUri: setup.uri,
  });
  expect(done.data.ok).toBe(true);
}

const OFF_NO_CODES =
  "Two-step sign-in is off for your account (it was turned off in another tab or device), so there are no backup codes to make. Turn it on first.";

test("making new backup codes after two-step sign-in was turned off in another tab says it is off, not 'try again'", async () => {
  const password = "lena files the expense reports";
  const lena = await person("Lena Park", password);
  await turnOn(lena.press, password);
  // The other tab turns it off.
  expect((await lena.press({ intent: "disable", password })).data.ok).toBe(true);

  // This tab still shows "Make new backup codes".
  const refused = await lena.press({ intent: "backup-codes", password });
  expect(refused).toEqual({
    status: 409,
    data: { intent: "backup-codes", ok: false, fieldErrors: {}, message: OFF_NO_CODES },
  });
  // Pressing again says the same: no retry could help.
  expect(await lena.press({ intent: "backup-codes", password })).toEqual(refused);
  expect(await lena.state()).toBe("off");
  // With JavaScript the page loads again after this refusal, so it shows two-step sign-in as off.
  expect(
    shouldRevalidate({ actionStatus: 409, defaultShouldRevalidate: false } as Parameters<typeof shouldRevalidate>[0]),
  ).toBe(true);
});

test("making backup codes while the set-up was only started (in another tab) says to finish turning it on", async () => {
  const password = "omar orders the coffee beans";
  const omar = await person("Omar Haddad", password);
  await turnOn(omar.press, password);
  expect((await omar.press({ intent: "disable", password })).data.ok).toBe(true);
  await startSetUp(omar.press, password);
  expect(await omar.state()).toBe("pending");

  const refused = await omar.press({ intent: "backup-codes", password });
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe(
    "Two-step sign-in isn't on yet: it was set up but no code from your app was confirmed. Finish turning it on below; you get backup codes then.",
  );
});

test("turning it off when another tab already did says it was already off, even where staff must use it", async () => {
  const password = "pia updates the wiki pages";
  const pia = await person("Pia Lund", password);
  await turnOn(pia.press, password);
  expect((await pia.press({ intent: "disable", password })).data.ok).toBe(true);
  // Meanwhile Pia became a moderator, and the admins require two-step sign-in for staff.
  await database.db.update(users).set({ role: "moderator" }).where(eq(users.id, pia.id));
  await database.db.insert(securitySettings).values({ id: 1, requireTwoFactorForStaff: true });

  const again = await pia.press({ intent: "disable", password });
  expect(again).toEqual({
    status: 200,
    data: {
      intent: "disable",
      ok: true,
      fieldErrors: {},
      turnedOff: true,
      message:
        "Two-step sign-in was already off (it was turned off in another tab or device), so nothing changed. Signing in asks only for your password.",
    },
  });
  expect(await pia.state()).toBe("off");
});

test("turning it on, or confirming a code, when another tab already turned it on says it is on", async () => {
  const password = "quinn tests the fire alarms";
  const quinn = await person("Quinn Moss", password);
  const staleSetUp = await startSetUp(quinn.press, password);
  await turnOn(quinn.press, password);

  const enable = await quinn.press({ intent: "enable", password });
  expect(enable.status).toBe(409);
  expect(enable.data.message).toBe("Two-step sign-in is already on. There is nothing to set up.");
  const verify = await quinn.press({
    intent: "verify",
    code: totp(staleSetUp.secretForHumans.replace(/\s/g, ""), Date.now() + 30_000),
    totpUri: staleSetUp.uri,
  });
  expect(verify.status).toBe(409);
  expect(verify.data.message).toBe("Two-step sign-in is already on. There is nothing to confirm.");
  // Backup codes can still be made: it is on.
  const codes = await quinn.press({ intent: "backup-codes", password });
  expect(codes.data.ok).toBe(true);
  expect(codes.data.backupCodes?.codes.length).toBeGreaterThan(0);
});
