/**
 * Admins and the accounts they manage: a deleted account has no role or ban to change, a form that names no known
 * action gets a plain answer, and a deletion's note never reaches the public moderation log (older rows included) but
 * is shown to admins in the people list, as typed.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, users } from "#db/schema";
import { deleteAccount } from "~/models/account-deletion.server";
import { UserRuleError, banUser, setUserRole } from "~/models/users.server";
import { action as usersAction, loader as usersLoader } from "~/routes/admin.users";
import { loader as moderationLoader } from "~/routes/moderation";
import { createTestDatabase } from "./fixtures/db";
import { makePerson } from "./fixtures/people";
import { type Browser, type TestServices, payload, signedInAdmin, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let admin: { browser: Browser; id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  admin = await signedInAdmin(services, "10.50.0.1");
});
afterAll(() => database.close());

type Answer = { ok: boolean; message: string };

test("a deleted account's role and ban can't be changed, by the page or the model", async () => {
  const former = await makePerson(database.db, { name: "Bea Business" });
  await deleteAccount(database.db, {
    userId: former.id,
    by: admin.id,
    deleteUnansweredQuestions: false,
    reason: "T-1",
  });
  const role = payload<Answer>(
    await admin.browser.submit(usersAction, "/admin/users", { intent: "role", userId: former.id, role: "mentor" }),
  );
  expect(role).toEqual({
    status: 400,
    data: { ok: false, message: "That account was deleted, so it has no role or ban to change.", userId: former.id },
  });
  const ban = payload<Answer>(
    await admin.browser.submit(usersAction, "/admin/users", { intent: "ban", userId: former.id, reason: "spam" }),
  );
  expect(ban.status).toBe(400);
  expect(ban.data.message).toMatch(/was deleted/);
  await expect(setUserRole(database.db, { userId: former.id, role: "moderator", by: admin.id })).rejects.toThrow(
    UserRuleError,
  );
  await expect(banUser(database.db, { userId: former.id, reason: "", by: admin.id })).rejects.toThrow(/was deleted/);
  const [row] = await database.db.select().from(users).where(eq(users.id, former.id));
  expect(row).toMatchObject({ role: "member", banned: false });
  const logged = await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, former.id));
  expect(logged.map((entry) => entry.action)).toEqual(["user.delete"]);
});

test("a form naming no action this page knows gets a plain answer, not the validator's words", async () => {
  const bogus = payload<Answer>(
    await admin.browser.submit(usersAction, "/admin/users", { intent: "bogus", userId: admin.id }),
  );
  expect(bogus).toEqual({
    status: 400,
    data: { ok: false, message: "That isn't something this page can do. Reload the page and try again." },
  });
});

test("an account deletion recorded with its note before this fix shows no note on the public log", async () => {
  const person = await makePerson(database.db, { name: "Cy Older" });
  await database.db.insert(moderationLog).values({
    actorId: admin.id,
    action: "user.delete",
    targetType: "user",
    targetId: person.id,
    reason: "Cy Older (cy@example.com) asked by email on 6 Dec",
    details: { onRequest: true },
  });
  await banUser(database.db, { userId: person.id, reason: "Posted spam links", by: admin.id });
  const log = (await admin.browser.load(moderationLoader, "/moderation")) as {
    entries: { action: string; reason: string }[];
  };
  expect(JSON.stringify(log)).not.toContain("cy@example.com");
  expect(log.entries.find((entry) => entry.action === "user.delete")?.reason).toBe("");
  // Other actions keep their public reasons.
  expect(log.entries.find((entry) => entry.action === "user.ban")?.reason).toBe("Posted spam links");
});

type Listed = {
  users: {
    id: string;
    deletion: { isByAdmin: boolean; adminName: string | null; note: string } | null;
  }[];
};

test("a deleted account shows the admin's deletion note as typed; one deleted by its owner says so; others show none", async () => {
  const { db } = database;
  const byAdmin = await makePerson(db, { name: "Bea Business" });
  const bySelf = await makePerson(db, { name: "Cy Self" });
  const living = await makePerson(db, { name: "Di Living" });
  const note = "Ticket <b>4412</b> & asked by phone";
  await deleteAccount(db, { userId: byAdmin.id, by: admin.id, deleteUnansweredQuestions: false, reason: note });
  await deleteAccount(db, { userId: bySelf.id, by: bySelf.id, deleteUnansweredQuestions: false });

  const { data, status } = payload<Listed>(await admin.browser.load(usersLoader, "/admin/users"));

  expect(status).toBe(200);
  const listed = (id: string) => data.users.find((u) => u.id === id)?.deletion;
  expect(listed(byAdmin.id)).toMatchObject({ isByAdmin: true, adminName: "Ada Admin", note });
  expect(listed(bySelf.id)).toMatchObject({ isByAdmin: false, note: "" });
  expect(listed(living.id)).toBeNull();
  expect(listed(admin.id)).toBeNull();
});
