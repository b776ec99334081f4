/** The mentor directory on the real database: who is listed, the filters, and the "helped solve" count. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { spaces, tags, userExpertise, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { listMentorTags, listMentors } from "./mentors.server";
import { ensureTags } from "./tags.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function setMentor(userId: string, { open = true, expertise = [] as string[], pitch = "" } = {}) {
  const { db } = database;
  await db.update(users).set({ openToMentoring: open, mentorPitch: pitch }).where(eq(users.id, userId));
  const rows = await ensureTags(db, expertise);
  if (rows.length) await db.insert(userExpertise).values(rows.map((t) => ({ userId, tagId: t.id })));
}

test("lists people open to mentoring and mentors by role, most helpful first; filters by expertise and space", async () => {
  const { db } = database;
  const networking = await makeSpace(db);
  const security = await makeSpace(db);
  const [netSlug, secSlug] = await Promise.all(
    [networking, security].map(
      async (id) => (await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, id)))[0]!.slug,
    ),
  );
  const open = await makePerson(db, { name: "Open Olga" });
  const byRole = await makePerson(db, { name: "Role Rita", role: "mentor" });
  const notOpen = await makePerson(db, { name: "Quiet Quinn" });
  const banned = await makePerson(db, { name: "Banned Bob", banned: true });
  await setMentor(open.id, { expertise: ["vpn", "wi-fi"], pitch: "VPNs are my thing." });
  await setMentor(byRole.id, { open: false, expertise: ["mfa"] });
  await setMentor(banned.id, { expertise: ["vpn"] });

  // Olga solves two questions for others in Networking; her accepted answer to her own question does not count.
  const asker = await makePerson(db);
  for (const title of ["VPN drops when the laptop sleeps overnight", "Wi-Fi roams badly between two access points"]) {
    const questionId = await makeQuestion(db, asker, networking, { title });
    await acceptAnswer(db, { answerId: await makeAnswer(db, open, questionId), actor: asker });
  }
  const own = await makeQuestion(db, open, networking, { title: "My own question about split tunnelling rules" });
  await acceptAnswer(db, { answerId: await makeAnswer(db, open, own), actor: open });
  await makeAnswer(
    db,
    byRole,
    await makeQuestion(db, asker, security, { title: "Which MFA method should the finance team use?" }),
  );

  const all = await listMentors(db);
  expect(all.map((m) => m.name)).toEqual(["Open Olga", "Role Rita"]);
  expect(all[0]).toMatchObject({ helpedSolve: 2, pitch: "VPNs are my thing.", expertise: ["vpn", "wi-fi"] });
  expect(all[1]).toMatchObject({ helpedSolve: 0, role: "mentor" });
  expect(all.some((m) => m.name === "Quiet Quinn" || m.name === "Banned Bob")).toBe(false);
  void notOpen;

  expect((await listMentors(db, { tag: "mfa" })).map((m) => m.name)).toEqual(["Role Rita"]);
  expect((await listMentors(db, { tag: "no-such-tag" })).map((m) => m.name)).toEqual([]);
  expect((await listMentors(db, { spaceSlug: netSlug })).map((m) => m.name)).toEqual(["Open Olga"]);
  expect((await listMentors(db, { spaceSlug: secSlug, tag: "vpn" })).map((m) => m.name)).toEqual([]);
  expect(await listMentorTags(db)).toEqual(["mfa", "vpn", "wi-fi"]);
  expect((await db.select().from(tags)).length).toBeGreaterThan(0);
});
