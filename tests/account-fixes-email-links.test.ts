/**
 * Confirmation links are limited to a few an hour per account. Past the limit, changing the sign-in email and "Send
 * the link again" both say plainly that nothing was sent and when to try again, in the same words, and keep what was
 * typed: never a false "we sent a link". Through the routes, on the real database, with better-auth.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, users } from "#db/schema";
import {
  confirmationEmailWait,
  confirmationEmailWaitMessage,
  releaseConfirmationResend,
} from "~/models/account-email.server";
import { action as accountAction } from "~/routes/settings.account";
import { action as verifyAction } from "~/routes/verify-email";
import { createTestDatabase } from "./fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = Object.assign(testServices(database), { secret: "s".repeat(40) });
});
afterAll(() => database.close());

async function confirmationMails(userId: string) {
  return database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.userId, userId), inArray(emailOutbox.kind, ["email_verification", "email_change"])));
}

test("past the hour's confirmation links, a change of address says nothing was sent and keeps the address typed", async () => {
  const browser = new Browser(services, "10.62.0.1");
  await signUp(browser, { name: "Omar Quist", email: "omar@example.com", password: "omar quist tunes the pianos" });
  const [omar] = await database.db.select().from(users).where(eq(users.email, "omar@example.com"));
  if (!omar) throw new Error("no account");

  // Signing up sent the first link; "Send the link again" twice makes three this hour.
  for (let i = 0; i < 2; i++) {
    const sent = payload<{ outcome: string }>(
      await browser.submit(verifyAction, "/verify-email", { intent: "resend" }),
    );
    expect(sent.data.outcome).toBe("sent");
    // A minute later (one press a minute is answered "sent").
    await releaseConfirmationResend(database.db, omar.id);
  }
  expect(await confirmationMails(omar.id)).toHaveLength(3);
  const wait = await confirmationEmailWait(database.db, omar.id);
  expect(wait).toBeGreaterThan(59 * 60);
  expect(wait).toBeLessThanOrEqual(60 * 60);

  const change = payload<{ ok: boolean; message?: string; values: Record<string, string> }>(
    await browser.submit(accountAction, "/settings/account", {
      intent: "email",
      newEmail: "omar.quist@example.com",
      currentPassword: "omar quist tunes the pianos",
    }),
  );
  expect(change.status).toBe(429);
  expect(change.data.ok).toBe(false);
  expect(change.data.message).toBe(confirmationEmailWaitMessage(wait ?? 0));
  expect(change.data.message).toMatch(/can't send another just now\. Please try again in about 60 minutes/);
  expect(change.data.values.newEmail).toBe("omar.quist@example.com");

  // The resend button answers in the same words.
  const resend = payload<{ outcome: string; message?: string }>(
    await browser.submit(verifyAction, "/verify-email", { intent: "resend" }),
  );
  expect(resend).toEqual({ status: 429, data: { outcome: "wait", message: change.data.message } });
  expect(await confirmationMails(omar.id)).toHaveLength(3);
});

test("an hour after the first of them, another link may be sent", async () => {
  const browser = new Browser(services, "10.62.0.2");
  await signUp(browser, { name: "Pia Rask", email: "pia@example.com", password: "pia rask paints the harbour" });
  const [pia] = await database.db.select().from(users).where(eq(users.email, "pia@example.com"));
  if (!pia) throw new Error("no account");
  const [first] = await confirmationMails(pia.id);
  const inHalfAnHour = new Date((first?.createdAt.getTime() ?? 0) + 30 * 60_000);
  expect(await confirmationEmailWait(database.db, pia.id, inHalfAnHour)).toBeNull();
  for (let i = 0; i < 2; i++) {
    expect(
      payload<{ outcome: string }>(await browser.submit(verifyAction, "/verify-email", { intent: "resend" })).data
        .outcome,
    ).toBe("sent");
    // A minute later (one press a minute is answered "sent").
    await releaseConfirmationResend(database.db, pia.id);
  }
  const mails = await confirmationMails(pia.id);
  const oldest = Math.min(...mails.map((mail) => mail.createdAt.getTime()));
  expect(await confirmationEmailWait(database.db, pia.id, new Date(oldest + 45 * 60_000))).toBe(15 * 60);
  expect(await confirmationEmailWait(database.db, pia.id, new Date(oldest + 60 * 60_000))).toBeNull();
});
