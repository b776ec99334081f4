import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { sessions, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { listModerationLog } from "./moderation.server";
import {
  UserRuleError,
  assignHandleAndFirstAdmin,
  banUser,
  getProfileById,
  hasAdmin,
  setUserRole,
  unbanUser,
  updateProfile,
} from "./users.server";
import { makeUser } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function roleOf(id: string) {
  const [row] = await database.db
    .select({ role: users.role, handle: users.handle })
    .from(users)
    .where(eq(users.id, id));
  return row;
}

describe("people", () => {
  test("in production the very first account stays a member (its admin comes from user:create-admin)", async () => {
    const first = await makeUser(database.db, { name: "Mallory Early", handle: null });
    const account = { userId: first, name: "Mallory Early", email: "mallory@example.com" };
    await assignHandleAndFirstAdmin(database.db, account, { firstSignUpIsAdmin: false });
    expect(await roleOf(first)).toEqual({ role: "member", handle: "mallory-early" });
    expect(await hasAdmin(database.db)).toBe(false);
  });

  test("the first account to sign up becomes admin outside production; later ones stay members; handles are unique", async () => {
    const outsideProduction = { firstSignUpIsAdmin: true };
    expect(await hasAdmin(database.db)).toBe(false);
    const first = await makeUser(database.db, { name: "Ada Lovelace", handle: null });
    await assignHandleAndFirstAdmin(
      database.db,
      { userId: first, name: "Ada Lovelace", email: "ada@example.com" },
      outsideProduction,
    );
    const second = await makeUser(database.db, { name: "Ada Lovelace", handle: null });
    await assignHandleAndFirstAdmin(
      database.db,
      { userId: second, name: "Ada Lovelace", email: "ada2@example.com" },
      outsideProduction,
    );
    expect(await roleOf(first)).toEqual({ role: "admin", handle: "ada-lovelace" });
    expect(await roleOf(second)).toEqual({ role: "member", handle: "ada-lovelace-2" });
    expect(await hasAdmin(database.db)).toBe(true);
  });

  test("a profile saves name, bio, audience, mentoring and normalised, de-duplicated expertise", async () => {
    const id = await makeUser(database.db, { name: "Tom" });
    await updateProfile(database.db, id, {
      name: "  Tom Becker ",
      bio: "Office manager",
      audience: "business",
      openToMentoring: true,
      expertise: ["Office Printers", "teams", "TEAMS", "office_printers"],
    });
    const profile = await getProfileById(database.db, id);
    expect(profile).toMatchObject({
      name: "Tom Becker",
      bio: "Office manager",
      audience: "business",
      openToMentoring: true,
      expertise: ["office-printers", "teams"],
    });
    await updateProfile(database.db, id, {
      name: "Tom Becker",
      bio: "",
      audience: "it",
      openToMentoring: false,
      expertise: [],
    });
    expect((await getProfileById(database.db, id))?.expertise).toEqual([]);
  });

  test("admins change roles, but cannot remove their own admin role", async () => {
    const admin = await makeUser(database.db, { role: "admin" });
    const member = await makeUser(database.db);
    await setUserRole(database.db, { userId: member, role: "mentor", by: admin });
    expect((await roleOf(member))?.role).toBe("mentor");
    await expect(setUserRole(database.db, { userId: admin, role: "member", by: admin })).rejects.toBeInstanceOf(
      UserRuleError,
    );
    const log = await listModerationLog(database.db);
    expect(log.find((e) => e.action === "user.role")?.details).toEqual({ from: "member", to: "mentor" });
  });

  test("banning signs the person out everywhere; nobody can ban themselves; a ban can be lifted", async () => {
    const admin = await makeUser(database.db, { role: "admin" });
    const member = await makeUser(database.db);
    await database.db
      .insert(sessions)
      .values({ id: "s1", token: "t1", userId: member, expiresAt: new Date(Date.now() + 60_000) });
    await banUser(database.db, { userId: member, reason: "spam", by: admin });
    const [row] = await database.db
      .select({ banned: users.banned, reason: users.banReason })
      .from(users)
      .where(eq(users.id, member));
    expect(row).toEqual({ banned: true, reason: "spam" });
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, member))).toEqual([]);
    await expect(banUser(database.db, { userId: admin, reason: "", by: admin })).rejects.toBeInstanceOf(UserRuleError);
    await expect(banUser(database.db, { userId: "nobody-has-this-id", reason: "", by: admin })).rejects.toMatchObject({
      status: 404,
    });
    await expect(unbanUser(database.db, { userId: "nobody-has-this-id", by: admin })).rejects.toMatchObject({
      status: 404,
    });
    await unbanUser(database.db, { userId: member, by: admin });
    const [after] = await database.db.select({ banned: users.banned }).from(users).where(eq(users.id, member));
    expect(after?.banned).toBe(false);
    const actions = (await listModerationLog(database.db)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.ban", "user.unban"]));
  });
});
