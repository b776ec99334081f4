/**
 * The first screen after sign-up (/settings/profile?welcome=1) on the real database: it knows whether the address is
 * confirmed yet, "Save and continue" saves and goes on to the spaces (or the page it was given), and a refusal stays on
 * the page with what was typed.
 */
import type { Database } from "#db/client.server";
import { action as profileAction, loader as profileLoader } from "~/routes/settings.profile";
import { action as signupAction } from "~/routes/signup";
import { createTestDatabase } from "./fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

const fields = { name: "Rosa Lind", bio: "", audience: "business", expertise: "", timeZone: "Europe/Stockholm" };

test("a newcomer's welcome screen saves and continues to the spaces or the page it was given; a refusal keeps what they typed", async () => {
  const browser = new Browser(services, "10.44.0.1");
  await signUp(browser, { name: "Rosa Lind", email: "rosa@example.com", password: "rosa keeps the rota tidy" });
  const page = payload<{ isEmailConfirmed: boolean }>(await browser.load(profileLoader, "/settings/profile?welcome=1"));
  expect(page.data.isEmailConfirmed).toBe(false);

  const refused = payload<{ fieldErrors: Record<string, string>; values: Record<string, string> }>(
    await browser.submit(profileAction, "/settings/profile?welcome=1", {
      ...fields,
      welcome: "1",
      redirectTo: "/questions",
      bio: "x".repeat(300),
    }),
  );
  expect(refused.status).toBe(400);
  expect(refused.data.fieldErrors.bio).toMatch(/280 characters/);
  expect(refused.data.values.welcome).toBe("1");
  expect(refused.data.values.timeZone).toBe("Europe/Stockholm");
  expect(refused.data.values.redirectTo).toBe("/questions");

  // "Save and continue" continues: to the spaces, or to the page it was given (on this site only), one click.
  const continued = async (redirectTo: string | undefined) => {
    const result = await browser.submit(profileAction, "/settings/profile?welcome=1", {
      ...fields,
      welcome: "1",
      bio: "Payroll team",
      ...(redirectTo === undefined ? {} : { redirectTo }),
    });
    expect(result).toBeInstanceOf(Response);
    const response = result as Response;
    expect(response.status).toBe(303);
    return response.headers.get("Location");
  };
  expect(await continued(undefined)).toBe("/spaces");
  expect(await continued("")).toBe("/spaces");
  expect(await continued("/questions?sort=newest")).toBe("/questions?sort=newest");
  expect(await continued("//evil.example/phish")).toBe("/spaces");
  const stored = payload<{ profile: { bio: string } }>(
    await browser.load(profileLoader, "/settings/profile?welcome=1"),
  );
  expect(stored.data.profile.bio).toBe("Payroll team");

  // Saved from the usual profile page, it stays there and says so.
  const again = payload<{ ok: boolean }>(await browser.submit(profileAction, "/settings/profile", fields));
  expect(again.data.ok).toBe(true);
});

test("three sign-ups for the same new address at once: one account; the others hear it exists, as a second try would", async () => {
  // The sign-up page also reads the password sign-up setting from the services.
  const withSignUp = { ...services, env: { PASSWORD_SIGNUP: true, ssoProviders: [] } } as TestServices;
  const form = { name: "Ines Kahl", email: "ines.race@example.com", password: "ines keeps the printers fed" };
  const tries = await Promise.allSettled(
    [1, 2, 3].map((n) =>
      new Browser(withSignUp, `10.44.1.${n}`).submit(signupAction, "/signup", { ...form, audience: "business" }),
    ),
  );
  const results = tries.map((tried) => (tried.status === "fulfilled" ? tried.value : tried.reason));
  const welcomed = results.filter((result) => result instanceof Response);
  expect(welcomed.map((response) => response.headers.get("Location"))).toEqual(["/settings/profile?welcome=1"]);
  const refused = results
    .filter((result) => !(result instanceof Response))
    .map((result) => payload<{ fieldErrors: Record<string, string>; values: Record<string, string> }>(result));
  expect(refused).toHaveLength(2);
  for (const { status, data } of refused) {
    expect(status).toBe(400);
    // Said as for an address taken before, or (a press that lost the race in the database) as one taken just now.
    expect(data.fieldErrors.email).toMatch(
      /^An account with this email (already exists|was created just now).* Sign in/,
    );
    expect(data.values.name).toBe("Ines Kahl");
  }
});
