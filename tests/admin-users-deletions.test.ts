/** The admins' people list says how each deleted account on it was deleted, with the admin's note, as typed. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { deleteAccount } from "~/models/account-deletion.server";
import { loader as usersLoader } from "~/routes/admin.users";
import { createTestDatabase } from "./fixtures/db";
import { makePerson } from "./fixtures/people";
import { Browser, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let admin: { browser: Browser; id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  const browser = new Browser(testServices(database), "10.51.0.1");
  await signUp(browser, { name: "Ada Admin", email: "ada@example.com", password: "ada approves every request" });
  const [row] = await database.db.select().from(users).where(eq(users.email, "ada@example.com"));
  if (!row) throw new Error("no admin");
  await database.db.update(users).set({ role: "admin" }).where(eq(users.id, row.id));
  admin = { browser, id: row.id };
});
afterAll(() => database.close());

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
