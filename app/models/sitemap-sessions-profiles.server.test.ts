/**
 * The sitemap lists Q&A sessions and member profiles on the real database: a session unless it was cancelled, and the
 * profile of someone with something public under their name unless a moderator hid it, the account is suspended or
 * it was deleted. Each comes with when it last changed, and with files of a few addresses each is in exactly one file.
 */
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { T0, minutes, scheduled } from "../../tests/fixtures/sessions";
import { deleteAccount } from "./account-deletion.server";
import { cancelOfficeHours } from "./office-hours.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { hideProfile } from "./profile-hiding.server";
import { banUser } from "./users.server";
import { sitemapShape, sitemapUrls } from "./sitemap.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function handleOf(userId: string): Promise<string> {
  const [row] = await queryRows<{ handle: string }>(database.db, sql`select handle from users where id = ${userId}`);
  return row?.handle ?? "";
}

test("public sessions and the profiles of people with public posts or sessions are listed; the others are not", async () => {
  const { db } = database;
  const spaceId = await makeSpace(db);
  const moderator = await makePerson(db, { role: "moderator" });

  const asker = await makePerson(db);
  const question = await makeQuestion(db, asker, spaceId);
  const answerer = await makePerson(db);
  await makeAnswer(db, answerer, question);
  const kept = await scheduled(db);
  const cancelled = await scheduled(db);
  await cancelOfficeHours(db, { officeHoursId: cancelled.officeHoursId, actor: cancelled.host, now: T0 });

  const hidden = await makePerson(db);
  await makeQuestion(db, hidden, spaceId);
  await hideProfile(db, { actor: moderator, userId: hidden.id, reason: "Spam links in the bio" });
  const suspended = await makePerson(db);
  await makeQuestion(db, suspended, spaceId);
  await banUser(db, { userId: suspended.id, reason: "Spam", by: moderator.id });
  const leaver = await makePerson(db);
  await makeQuestion(db, leaver, spaceId);
  const leaverHandle = await handleOf(leaver.id);
  await deleteAccount(db, { userId: leaver.id, by: leaver.id, deleteUnansweredQuestions: false });
  const anonymous = await makePerson(db);
  await makeQuestion(db, anonymous, spaceId);
  await db.execute(sql`update posts set is_anonymous = true where author_id = ${anonymous.id}`);
  const quiet = await makePerson(db);

  const paths = (await sitemapUrls(db)).map((url) => url.path);
  expect(paths).toContain(`/sessions/${kept.officeHoursId}`);
  expect(paths).not.toContain(`/sessions/${cancelled.officeHoursId}`);
  for (const person of [asker, answerer, kept.host]) expect(paths).toContain(`/u/${await handleOf(person.id)}`);
  // The cancelled session's host has nothing else public; the moderator and the quiet member wrote nothing.
  for (const person of [cancelled.host, hidden, suspended, anonymous, quiet, moderator])
    expect(paths).not.toContain(`/u/${await handleOf(person.id)}`);
  expect(paths).not.toContain(`/u/${leaverHandle}`);
  expect(paths.filter((path) => path.startsWith("/u/"))).toHaveLength(3);
});

test("a session's date is its newest question; each session and profile is in exactly one file of an index", async () => {
  const { db } = database;
  const session = await scheduled(db);
  const attendee = await makePerson(db);
  const askedAt = minutes(30);
  await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: attendee,
    body: "How do I stop laptops sticking to the far access point?",
    now: askedAt,
  });
  await db.execute(sql`update qa_sessions set updated_at = ${T0} where id = ${session.officeHoursId}`);
  const single = await sitemapUrls(db);
  const entry = single.find((url) => url.path === `/sessions/${session.officeHoursId}`);
  expect(entry?.lastModified?.getTime()).toBe(askedAt.getTime());

  // The main pages and spaces, then two entries in the first file; the rest in the next.
  const fixed = single.filter((url) => !/^\/(q|howtos|sessions|u)\//.test(url.path));
  const perFile = fixed.length + 2;
  const shape = await sitemapShape(db, perFile);
  if (shape.kind !== "index") throw new Error("expected an index");
  const files = await Promise.all(shape.files.map((_, i) => sitemapUrls(db, { file: i + 1, perFile })));
  expect(await sitemapUrls(db, { file: shape.files.length + 1, perFile })).toEqual([]);
  expect(files.length).toBeGreaterThan(1);
  expect(files.every((urls) => urls.length > 0 && urls.length <= perFile)).toBe(true);
  const paged = files.flat().map((url) => url.path);
  expect(paged).toEqual(single.map((url) => url.path));
  expect(new Set(paged).size).toBe(paged.length);
});
