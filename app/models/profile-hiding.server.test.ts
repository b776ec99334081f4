/** Hiding a spammer's profile on the real database: fields gone everywhere at once, logged, told, kept for showing again. */
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson } from "../../tests/fixtures/people";
import { PAGE_CACHE_CHANNEL } from "~/server/page-cache-http.server";
import { flagContent } from "./flags.server";
import { listNotices } from "./holds.server";
import { getProfileHiding, hideProfile, showProfile } from "./profile-hiding.server";
import { CANNOT_MODERATE_PERSON_MESSAGE } from "./permissions.server";
import { decideReviewItem } from "./review-queue.server";
import { getProfileById, updateProfile } from "./users.server";

let database: Database;
let heard: string[][] = [];
let onBarrier: (id: string) => void = () => {};
let stop: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  stop = await database.listen(PAGE_CACHE_CHANNEL, (payload) => {
    const { tags, barrier } = JSON.parse(payload) as { tags?: string[]; barrier?: string };
    if (tags) heard.push(tags);
    if (barrier) onBarrier(barrier);
  });
});
afterAll(async () => {
  await stop();
  await database?.close();
});

/** Every page-cache tag announced by `write`, between two barriers (as in page-cache-invalidation.server.test.ts). */
async function tagsOf(write: () => Promise<unknown>): Promise<Set<string>> {
  const barrier = async () => {
    const marker = `barrier-${Math.random()}`;
    const heardBack = new Promise<void>((resolve) => {
      onBarrier = (id) => {
        if (id === marker) resolve();
      };
    });
    await database.db.execute(sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: marker })})`);
    await heardBack;
  };
  await barrier();
  heard = [];
  await write();
  await barrier();
  return new Set(heard.flat());
}

async function spammer() {
  const { db } = database;
  const person = await makePerson(db, { name: "Cheap Licences" });
  await db
    .update(users)
    .set({ bio: "Buy licences at example.test", image: "/avatars/x/abc", mentorPitch: "DM me for deals" })
    .where(eq(users.id, person.id));
  return person;
}

test("a moderator hides a spammer's profile: bio, picture and pitch leave every page at once, logged and told", async () => {
  const { db } = database;
  const person = await spammer();
  const moderator = await makePerson(db, { role: "moderator" });
  const tags = await tagsOf(() =>
    hideProfile(db, { actor: moderator, userId: person.id, reason: "Spam links in bio" }),
  );
  expect(tags.has("*")).toBe(true);
  expect(await getProfileById(db, person.id)).toMatchObject({ bio: "", image: null, mentorPitch: "" });
  expect(await getProfileHiding(db, person.id)).toMatchObject({ reason: "Spam links in bio" });
  const [entry] = await db.select().from(moderationLog).where(eq(moderationLog.targetId, person.id));
  expect(entry).toMatchObject({ action: "profile.hide", actorId: moderator.id, reason: "Spam links in bio" });
  expect((await listNotices(db, person.id)).map((n) => n.kind)).toEqual(["profile_hidden"]);
  // Hiding again changes nothing and logs nothing more.
  expect(await hideProfile(db, { actor: moderator, userId: person.id, reason: "Again" })).toEqual({ hidden: false });
  expect(await db.select().from(moderationLog).where(eq(moderationLog.targetId, person.id))).toHaveLength(1);
});

test("what the person edits while hidden stays hidden, and comes back when a moderator shows the profile", async () => {
  const { db } = database;
  const person = await spammer();
  const moderator = await makePerson(db, { role: "moderator" });
  await hideProfile(db, { actor: moderator, userId: person.id, reason: "Spam" });
  await updateProfile(db, person.id, {
    name: "Cheap Licences",
    bio: "Still selling",
    audience: "it",
    openToMentoring: false,
    expertise: [],
  });
  expect(await getProfileById(db, person.id)).toMatchObject({ bio: "", image: null });
  const tags = await tagsOf(() => showProfile(db, { actor: moderator, userId: person.id }));
  expect(tags.has("*")).toBe(true);
  expect(await getProfileById(db, person.id)).toMatchObject({
    bio: "Still selling",
    image: "/avatars/x/abc",
    mentorPitch: "DM me for deals",
  });
  expect(await getProfileHiding(db, person.id)).toBeNull();
  const actions = await db.select().from(moderationLog).where(eq(moderationLog.targetId, person.id));
  expect(actions.map((a) => a.action).sort()).toEqual(["profile.hide", "profile.show"]);
  expect(await showProfile(db, { actor: moderator, userId: person.id })).toEqual({ shown: false });
});

test("only moderators and admins hide profiles, never staff's, and always with a reason", async () => {
  const { db } = database;
  const person = await spammer();
  for (const role of ["member", "mentor"] as const) {
    const refused = await rejection(
      hideProfile(db, { actor: await makePerson(db, { role }), userId: person.id, reason: "x y z" }),
    );
    expect(refused.status).toBe(403);
  }
  expect((await rejection(hideProfile(db, { actor: null, userId: person.id, reason: "x y z" }))).status).toBe(401);
  const admin = await makePerson(db, { role: "admin" });
  const noReason = await rejection(hideProfile(db, { actor: admin, userId: person.id, reason: "  " }));
  expect(noReason.fieldErrors).toHaveProperty("reason");
  const moderator = await makePerson(db, { role: "moderator" });
  const staff = await rejection(hideProfile(db, { actor: admin, userId: moderator.id, reason: "Because" }));
  expect(staff.status).toBe(400);
  expect((await rejection(hideProfile(db, { actor: admin, userId: "nobody", reason: "Because" }))).status).toBe(404);
  expect(await getProfileHiding(db, person.id)).toBeNull();
});

test("a profile flag upheld in the review queue hides the profile", async () => {
  const { db } = database;
  const person = await spammer();
  const moderator = await makePerson(db, { role: "moderator" });
  await flagContent(db, { actor: await makePerson(db), targetType: "user", targetId: person.id, reason: "spam" });
  await decideReviewItem(db, { actor: moderator, ref: { type: "user", id: person.id }, decision: "hide" });
  expect(await getProfileById(db, person.id)).toMatchObject({ bio: "", image: null, mentorPitch: "" });
  expect(await getProfileHiding(db, person.id)).not.toBeNull();
});

test("nobody shows their own hidden profile, and a moderator can't hide or show a fellow moderator's or an admin's", async () => {
  const { db } = database;
  const person = await spammer();
  const admin = await makePerson(db, { role: "admin" });
  await hideProfile(db, { actor: admin, userId: person.id, reason: "Selling licences" });
  // Hidden as a member, then made a moderator: the profile stays hidden until someone else shows it.
  await db.update(users).set({ role: "moderator" }).where(eq(users.id, person.id));
  const self = { ...person, role: "moderator" as const };
  const own = await rejection(showProfile(db, { actor: self, userId: person.id }));
  expect([own.status, own.message]).toEqual([403, CANNOT_MODERATE_PERSON_MESSAGE]);
  const moderator = await makePerson(db, { role: "moderator" });
  expect((await rejection(showProfile(db, { actor: moderator, userId: person.id }))).status).toBe(403);
  expect(await getProfileHiding(db, person.id)).not.toBeNull();
  const byModerator = await rejection(hideProfile(db, { actor: moderator, userId: admin.id, reason: "Because" }));
  expect([byModerator.status, byModerator.message]).toEqual([403, CANNOT_MODERATE_PERSON_MESSAGE]);
  expect(await showProfile(db, { actor: admin, userId: person.id })).toEqual({ shown: true });
});
