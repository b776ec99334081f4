/**
 * Choosing a new password from a reset link: a guessable one is refused beside the field, in the words sign-up uses,
 * and the link keeps working for a better one. Through the route, on the real database, with better-auth.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { passwordWeakness } from "~/auth/password-strength.server";
import { action as resetAction } from "~/routes/reset-password";
import { createTestDatabase } from "./fixtures/db";
import { BASE, Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database, { rateLimit: true });
});
afterAll(() => database.close());

type ResetData = { fieldErrors: Record<string, string>; formError?: string; linkDead?: boolean; token?: string };

async function resetToken(browser: Browser, email: string): Promise<string> {
  const response = await services.auth.handler(
    browser.request("/api/auth/request-password-reset", {
      method: "POST",
      body: JSON.stringify({ email }),
      headers: { "content-type": "application/json" },
    }),
  );
  expect(response.status).toBe(200);
  const [mail] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.kind, "password_reset")))
    .orderBy(desc(emailOutbox.id))
    .limit(1);
  const match = new RegExp(`${BASE}/reset-password\\?token=([^\\s]+)`).exec(mail?.textBody ?? "");
  if (!match?.[1]) throw new Error("no reset link in the email");
  return decodeURIComponent(match[1]);
}

test("a guessable new password is refused beside the field, and the same link then works with a better one", async () => {
  const browser = new Browser(services, "10.61.0.1");
  await signUp(browser, { name: "Rita Lopez", email: "rita@example.com", password: "rita lopez sorts the invoices" });
  const token = await resetToken(new Browser(services, "10.61.0.2"), "rita@example.com");
  const visitor = new Browser(services, "10.61.0.3");

  for (const weak of ["password1234", "rita@example.com1", "aaaaaaaaaaaa"]) {
    const refused = payload<ResetData>(
      await visitor.submit(resetAction, "/reset-password", { token, newPassword: weak }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.linkDead).toBeFalsy();
    // The form stays on the page, with the link, even when the page's address no longer carries it.
    expect(refused.data.token).toBe(token);
    expect(refused.data.fieldErrors.newPassword).toBe(await passwordWeakness(weak, ["Rita Lopez", "rita@example.com"]));
    expect(refused.data.fieldErrors.newPassword).toMatch(/^This password is too easy to guess\./);
  }

  const saved = await visitor.submit(resetAction, "/reset-password", {
    token,
    newPassword: "rita now files receipts by colour",
  });
  expect(saved).toBeInstanceOf(Response);
  expect((saved as Response).headers.get("location")).toBe("/signin?reset=1");

  // Used once: now the link is dead, whatever password comes with it.
  for (const newPassword of ["aaaaaaaaaaaa", "rita then labels every folder"]) {
    const again = payload<ResetData>(await visitor.submit(resetAction, "/reset-password", { token, newPassword }));
    expect(again).toEqual({ status: 400, data: { fieldErrors: {}, linkDead: true } });
  }
});
