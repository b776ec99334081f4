/**
 * Account pages that answer in plain words: "Delete my account" pressed twice ends at the goodbye page, never an error;
 * an account with nothing written is not told about "0 questions"; a form that names no action says what to do; a
 * set-up code sent when no set-up is under way says so; and a ban is asked twice. Through the routes, on the real
 * database, with better-auth.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { whatStays } from "~/models/account-data.server";
import { action as adminAccountAction } from "~/routes/admin.account.$userId";
import { action as usersAction } from "~/routes/admin.users";
import { action as dataAction, loader as dataLoader } from "~/routes/settings.data";
import { action as securityAction } from "~/routes/settings.security";
import { createTestDatabase } from "./fixtures/db";
import { makePerson } from "./fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

async function member(name: string, email: string, password: string) {
  ipCounter += 1;
  const browser = new Browser(services, `10.63.0.${ipCounter}`);
  await signUp(browser, { name, email, password });
  const [row] = await database.db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error("no user");
  return { browser, id: row.id, handle: row.handle ?? "" };
}

type DataPage = {
  summary: { questions: number; unansweredQuestions: number };
  hasWritten: boolean;
  whatStays: string;
};

describe("deleting your own account", () => {
  test("an account with nothing written hears nothing about posts, and no choice about questions is offered", async () => {
    const kai = await member("Kai Lund", "kai@example.com", "kai lund waters the ferns");
    const page = payload<DataPage>(await kai.browser.load(dataLoader, "/settings/data"));
    expect(page.data.hasWritten).toBe(false);
    expect(page.data.summary.unansweredQuestions).toBe(0);
    expect(JSON.stringify(page.data)).not.toMatch(/\b0 (questions|answers|how-tos)/);
  });

  test("the words for what stays fit the numbers, for the person and for an admin", () => {
    expect(whatStays({ questions: 0, answers: 1, howtos: 0 }, "your")).toBe(
      'Your 1 answer stays, shown as "Former member".',
    );
    expect(whatStays({ questions: 2, answers: 0, howtos: 1 }, "your")).toBe(
      'Your 2 questions and 1 how-to stay, shown as "Former member".',
    );
    expect(whatStays({ questions: 1, answers: 3, howtos: 2 }, "their")).toBe(
      'Their 1 question, 3 answers and 2 how-tos stay, shown as "Former member".',
    );
    expect(whatStays({ questions: 0, answers: 0, howtos: 0 }, "their")).toBe(
      "They haven't written any questions, answers or how-tos.",
    );
  });

  test("the delete button pressed twice ends at the goodbye page both times, never at an error", async () => {
    const lea = await member("Lea Moss", "lea@example.com", "lea moss patches the cables");
    // The second press was checked as signed in before the first one deleted the account: its account is gone by the
    // time it runs. (Marking the account deleted while its session stays is that moment.)
    await database.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, lea.id));
    const second = await lea.browser.submit(dataAction, "/settings/data", {
      intent: "delete",
      confirm: lea.handle,
      password: "lea moss patches the cables",
    });
    expect(second).toBeInstanceOf(Response);
    expect((second as Response).headers.get("location")).toBe("/goodbye");
  });

  test("the page itself, opened for an account deleted a moment ago, leads to the goodbye page", async () => {
    const max = await member("Max Berg", "max@example.com", "max berg labels the routers");
    await database.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, max.id));
    const page = await max.browser.load(dataLoader, "/settings/data");
    expect(page).toBeInstanceOf(Response);
    expect((page as Response).headers.get("location")).toBe("/goodbye");
  });

  test("a form naming no action says what to do, keeping what was typed", async () => {
    const noa = await member("Noa Falk", "noa@example.com", "noa falk sorts the spare parts");
    const refused = payload<{ message?: string; fieldErrors: Record<string, string>; values: Record<string, string> }>(
      await noa.browser.submit(dataAction, "/settings/data", { confirm: noa.handle }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.message).toMatch(/^This form didn't say what to do\. To delete your account/);
    expect(refused.data.fieldErrors).toEqual({});
    expect(refused.data.values.confirm).toBe(noa.handle);
  });
});

describe("admins", () => {
  let admin: { browser: Browser; id: string };
  beforeAll(async () => {
    const ada = await member("Ada Admin", "ada@example.com", "ada approves every request");
    await database.db.update(users).set({ role: "admin" }).where(eq(users.id, ada.id));
    admin = ada;
  });

  test("a data-request form without an action says what to choose, in plain words", async () => {
    const person = await makePerson(database.db, { name: "Oli Park" });
    const refused = payload<{ message?: string; fieldErrors: Record<string, string>; values: Record<string, string> }>(
      await admin.browser.submit(
        adminAccountAction,
        `/admin/account/${person.id}`,
        { reason: "Ticket 12" },
        { userId: person.id },
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.message).toMatch(/^This form didn't say what to do\. To delete this account/);
    expect(JSON.stringify(refused.data)).not.toContain("Required");
    expect(refused.data.values.reason).toBe("Ticket 12");
  });

  test("a ban is asked twice: the first press opens the confirmation with the reason kept, the second bans", async () => {
    const person = await makePerson(database.db, { name: "Pat Quinn" });
    const asked = payload<{ ok: boolean; askBan?: { userId: string; reason: string } }>(
      await admin.browser.submit(usersAction, "/admin/users", {
        intent: "ban",
        userId: person.id,
        reason: "Spam links",
      }),
    );
    expect(asked.status).toBe(200);
    expect(asked.data.askBan).toEqual({ userId: person.id, reason: "Spam links", hidePosts: true });
    const [before] = await database.db.select().from(users).where(eq(users.id, person.id));
    expect(before?.banned).toBe(false);

    const banned = payload<{ ok: boolean; message: string }>(
      await admin.browser.submit(usersAction, "/admin/users", {
        intent: "ban",
        userId: person.id,
        reason: "Spam links",
        confirm: "yes",
      }),
    );
    expect(banned.data).toMatchObject({
      ok: true,
      message: "Account banned and signed out everywhere. They had no public posts to hide.",
    });
    const [after] = await database.db.select().from(users).where(eq(users.id, person.id));
    expect(after).toMatchObject({ banned: true, banReason: "Spam links" });
  });
});

test("a set-up code sent while two-step sign-in isn't being set up says to start again", async () => {
  const ria = await member("Ria Holt", "ria@example.com", "ria holt tests the backups");
  const refused = payload<{ ok: boolean; message?: string; setup?: unknown }>(
    await ria.browser.submit(securityAction, "/settings/security", { intent: "verify", code: "123456" }),
  );
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe(
    'Two-step sign-in isn\'t being set up right now, so there is no code to check. Start again with "Set up two-step sign-in" below.',
  );
  expect(refused.data.setup).toBeUndefined();
});
