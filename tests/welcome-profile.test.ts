/**
 * The first screen after sign-up (/settings/profile?welcome=1) on the real database: it knows whether the address is
 * confirmed yet, "Save and continue" goes on to the how-tos, and a refusal stays on the page with what was typed.
 */
import type { Database } from "#db/client.server";
import { action as profileAction, loader as profileLoader } from "~/routes/settings.profile";
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

test("a newcomer's welcome screen saves and goes on to the how-tos; a refusal keeps what they typed", async () => {
  const browser = new Browser(services, "10.44.0.1");
  await signUp(browser, { name: "Rosa Lind", email: "rosa@example.com", password: "rosa keeps the rota tidy" });
  const page = payload<{ isEmailConfirmed: boolean }>(await browser.load(profileLoader, "/settings/profile?welcome=1"));
  expect(page.data.isEmailConfirmed).toBe(false);

  const refused = payload<{ fieldErrors: Record<string, string>; values: Record<string, string> }>(
    await browser.submit(profileAction, "/settings/profile?welcome=1", {
      ...fields,
      welcome: "1",
      bio: "x".repeat(300),
    }),
  );
  expect(refused.status).toBe(400);
  expect(refused.data.fieldErrors.bio).toMatch(/280 characters/);
  expect(refused.data.values.welcome).toBe("1");
  expect(refused.data.values.timeZone).toBe("Europe/Stockholm");

  const saved = await browser.submit(profileAction, "/settings/profile?welcome=1", { ...fields, welcome: "1" });
  expect(saved).toBeInstanceOf(Response);
  expect((saved as Response).headers.get("Location")).toBe("/howtos");

  // Saved from the usual profile page, it stays there and says so.
  const again = payload<{ ok: boolean }>(await browser.submit(profileAction, "/settings/profile", fields));
  expect(again.data.ok).toBe(true);
});
