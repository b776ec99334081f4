/**
 * Role changes from a page that showed an older role: the role the admin saw (`baseRole`) must still be the person's
 * role, or nothing changes and the admin is told the role it is now. Changes sent at the same moment don't overwrite
 * each other; the same change twice is one change; a caller that says no role changes it as before. On the real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { RoleChangedMeanwhileError, setUserRole } from "./users.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function roleOf(id: string) {
  const [row] = await database.db.select({ role: users.role }).from(users).where(eq(users.id, id));
  return row?.role;
}

async function roleChangesOf(id: string) {
  const rows = await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, id));
  return rows.filter((row) => row.action === "user.role").map((row) => row.details);
}

test("a change from a page showing an older role is refused, naming the role the person has now", async () => {
  const { db } = database;
  const [ada, ben] = [await makeUser(db, { role: "admin" }), await makeUser(db, { role: "admin" })];
  const alex = await makeUser(db, { name: "Alex Kim" });
  // Both pages show Alex as a member; Ben makes Alex a moderator first.
  await setUserRole(db, { userId: alex, role: "moderator", by: ben, baseRole: "member" });
  const refused = setUserRole(db, { userId: alex, role: "mentor", by: ada, baseRole: "member" });
  await expect(refused).rejects.toBeInstanceOf(RoleChangedMeanwhileError);
  await expect(refused).rejects.toMatchObject({
    status: 409,
    currentRole: "moderator",
    message:
      "Alex Kim is now a moderator (changed by someone else after you opened this page). Nothing was changed: choose again.",
  });
  expect(await roleOf(alex)).toBe("moderator");
  expect(await roleChangesOf(alex)).toEqual([{ from: "member", to: "moderator" }]);
  // From the page as it is now, Ada's change goes through; pressed twice, it is the same success, written once.
  await setUserRole(db, { userId: alex, role: "mentor", by: ada, baseRole: "moderator" });
  await expect(
    setUserRole(db, { userId: alex, role: "mentor", by: ada, baseRole: "moderator" }),
  ).resolves.toBeUndefined();
  expect(await roleOf(alex)).toBe("mentor");
  expect(await roleChangesOf(alex)).toEqual([
    { from: "member", to: "moderator" },
    { from: "moderator", to: "mentor" },
  ]);
});

test("six changes sent at once from pages showing the same role: one lands, the rest are refused or agree", async () => {
  const { db } = database;
  const admins = await Promise.all([0, 1, 2].map(() => makeUser(db, { role: "admin" })));
  const kai = await makeUser(db, { name: "Kai Berg" });
  const wanted = ["mentor", "moderator", "admin", "moderator", "mentor", "admin"] as const;
  const outcomes = await Promise.allSettled(
    wanted.map((role, i) => setUserRole(db, { userId: kai, role, by: admins[i % 3] ?? "", baseRole: "member" })),
  );
  const final = await roleOf(kai);
  expect(await roleChangesOf(kai)).toEqual([{ from: "member", to: final }]);
  outcomes.forEach((outcome, i) => {
    // Only a change to the role that landed can be a success (the one that landed, or the same one again).
    if (outcome.status === "fulfilled") expect(wanted[i]).toBe(final);
    else expect(outcome.reason).toMatchObject({ status: 409, currentRole: final });
  });
  expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(4);
  // A caller that doesn't say which role it saw changes the role whatever it is, as before.
  await setUserRole(db, { userId: kai, role: "member", by: admins[0] ?? "" });
  expect(await roleOf(kai)).toBe("member");
});
