/**
 * Sharing and crawlers on the real database: an answer's link on a question closed as a duplicate lands on the answer
 * (not on the original, which has no such answer), the way on to the original keeps the rest of the address, feed
 * entries say when they were last edited, and the lists' canonical addresses keep what changes what they list.
 */
import type { Database } from "#db/client.server";
import { loader as answerLinkLoader } from "~/routes/a.$id._index";
import { loader as howtosLoader } from "~/routes/howtos._index";
import { loader as questionsLoader } from "~/routes/questions";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { BASE, Browser, type TestServices, payload, testServices } from "../../tests/fixtures/routes";
import { answerLocation } from "./answer-links.server";
import { closeQuestion } from "./close.server";
import { closedDuplicateOf } from "./closure.server";
import { atomFeed, howtoFeedEntries, questionFeedEntries } from "./feeds.server";
import { editHowto } from "./howto-writing.server";
import { editQuestion } from "./questions.server";
import { howtoFields } from "../../tests/fixtures/howtos";

let database: Database;
let services: TestServices;
beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

/** Tom asks, Sofia answers, Marcus (a moderator) closes Tom's question as a duplicate of an older one. */
async function answeredDuplicate() {
  const { db } = database;
  const [tom, sofia, marcus] = [
    await makePerson(db),
    await makePerson(db),
    await makePerson(db, { role: "moderator" }),
  ];
  const spaceId = await makeSpace(db);
  const originalId = await makeQuestion(db, tom, spaceId, { title: "Teams keeps signing me out every morning" });
  const duplicateId = await makeQuestion(db, tom, spaceId, { title: "Why does Teams log me out each day?" });
  const answerId = await makeAnswer(db, sofia, duplicateId);
  await closeQuestion(db, {
    actor: marcus,
    questionId: duplicateId,
    reason: "duplicate",
    duplicateOf: String(originalId),
  });
  return { originalId, duplicateId, answerId };
}

test("an answer's link on a question closed as a duplicate stays on that question, at the answer", async () => {
  const { duplicateId, answerId } = await answeredDuplicate();
  const expected = `/q/${duplicateId}/why-does-teams-log-me-out-each-day?stay=1#answer-${answerId}`;
  expect(await answerLocation(database.db, answerId, { includeDeleted: false })).toBe(expected);
  // "Share" copies /a/:id: it leads there, and that address is not sent on to the original.
  const shared = await new Browser(services).load(answerLinkLoader, `/a/${answerId}`, { id: String(answerId) });
  expect(shared instanceof Response && shared.status).toBe(302);
  const location = (shared as Response).headers.get("location") ?? "";
  expect(location).toBe(expected);
  const { redirectTo } = await closedDuplicateOf(database.db, duplicateId, new URL(location, BASE));
  expect(redirectTo).toBeNull();
});

test("an answer's link on an open question has no ?stay=1", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "Outlook search finds nothing" });
  const answerId = await makeAnswer(db, await makePerson(db), questionId);
  expect(await answerLocation(db, answerId, { includeDeleted: false })).toBe(
    `/q/${questionId}/outlook-search-finds-nothing#answer-${answerId}`,
  );
});

test("a closed duplicate sends its reader on to the original with the rest of the address", async () => {
  const { originalId, duplicateId } = await answeredDuplicate();
  const url = new URL(`/q/${duplicateId}?ref=teams&duplicate=7&stay=0&utm_source=mail`, BASE);
  const { redirectTo } = await closedDuplicateOf(database.db, duplicateId, url);
  expect(redirectTo).toBe(
    `/q/${originalId}/teams-keeps-signing-me-out-every-morning?duplicate=${duplicateId}&ref=teams&utm_source=mail`,
  );
});

/** Each entry's <published> and <updated>, by the entry's id. */
function entryTimes(xml: string): Map<string, { published: string; updated: string }> {
  const times = new Map<string, { published: string; updated: string }>();
  for (const [, entry = ""] of xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)) {
    const id = /<id>([^<]*)<\/id>/.exec(entry)?.[1] ?? "";
    const published = /<published>([^<]*)<\/published>/.exec(entry)?.[1] ?? "";
    const updated = /<updated>([^<]*)<\/updated>/.exec(entry)?.[1] ?? "";
    times.set(id, { published, updated });
  }
  return times;
}

/** The feed's own <updated> (the one before the first entry). */
function feedUpdated(xml: string): string {
  return /<updated>([^<]*)<\/updated>/.exec(xml.split("<entry>")[0] ?? "")?.[1] ?? "";
}

const feedOf = (entries: Awaited<ReturnType<typeof questionFeedEntries>>) =>
  atomFeed({
    baseURL: BASE,
    title: "t",
    description: "d",
    selfPath: "/questions.atom",
    pagePath: "/questions",
    entries,
  });

test("an edited question's feed entry is updated at its edit, and so is the feed; it was still published when asked", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const spaceId = await makeSpace(db);
  const edited = await makeQuestion(db, asker, spaceId, {
    title: "Printer prints blank pages",
    tags: "feed-edits",
    now: new Date("2026-03-01T09:00:00Z"),
  });
  await makeQuestion(db, asker, spaceId, { tags: "feed-edits", now: new Date("2026-03-02T09:00:00Z") });
  await editQuestion(db, {
    questionId: edited,
    actor: asker,
    title: "Printer on floor 3 prints blank pages",
    body: "Since Monday every page from the floor 3 printer comes out blank, from every laptop.",
    tags: "feed-edits",
    isPlainLanguage: false,
    now: new Date("2026-03-05T15:30:00Z"),
  });
  const xml = feedOf(await questionFeedEntries(db, { tag: "feed-edits" }));
  expect(xml).toContain("Printer on floor 3 prints blank pages");
  expect(entryTimes(xml).get(`${BASE}/q/${edited}`)).toEqual({
    published: "2026-03-01T09:00:00.000Z",
    updated: "2026-03-05T15:30:00.000Z",
  });
  // Newer than the newest question: an edit to an older one is news too.
  expect(feedUpdated(xml)).toBe("2026-03-05T15:30:00.000Z");
});

test("an edited how-to's feed entry is updated at its edit; one never edited at its creation", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const spaceId = await makeSpace(db);
  const fields = { tags: "feed-howto-edits" };
  const howtoId = await makeHowto(db, author, spaceId, { ...fields, now: new Date("2026-04-01T08:00:00Z") });
  const untouched = await makeHowto(db, author, spaceId, { ...fields, now: new Date("2026-04-02T08:00:00Z") });
  await editHowto(db, {
    ...howtoFields({ ...fields, title: "Reset a forgotten VPN password from home" }),
    howtoId,
    actor: author,
    now: new Date("2026-04-03T12:00:00Z"),
  });
  const xml = feedOf(await howtoFeedEntries(db, { tag: "feed-howto-edits" }));
  const times = entryTimes(xml);
  expect(times.get(`${BASE}/howtos/${howtoId}`)).toEqual({
    published: "2026-04-01T08:00:00.000Z",
    updated: "2026-04-03T12:00:00.000Z",
  });
  expect(times.get(`${BASE}/howtos/${untouched}`)).toEqual({
    published: "2026-04-02T08:00:00.000Z",
    updated: "2026-04-02T08:00:00.000Z",
  });
  expect(feedUpdated(xml)).toBe("2026-04-03T12:00:00.000Z");
});

/** The canonical address a list page's loader gives for `path`. */
async function canonicalOf(loader: typeof howtosLoader | typeof questionsLoader, path: string): Promise<string> {
  const result = await new Browser(services).load(loader, path);
  return payload<{ canonicalUrl: string }>(result).data.canonicalUrl;
}

test("a how-to list's canonical address keeps its tag, space, filters, order and page, and drops the rest", async () => {
  const { db } = database;
  const spaceId = await makeSpace(db);
  await makeHowto(db, await makePerson(db), spaceId, { tags: "mfa" });
  const [space] = await db.query.spaces.findMany({ where: (s, { eq }) => eq(s.id, spaceId) });
  const slug = space?.slug ?? "";
  expect(await canonicalOf(howtosLoader, "/howtos?tag=MFA&utm_source=teams")).toBe(`${BASE}/howtos?tag=mfa`);
  expect(await canonicalOf(howtosLoader, "/howtos?after=abc&deleted=1")).toBe(`${BASE}/howtos?after=abc`);
  expect(await canonicalOf(howtosLoader, `/howtos?space=${slug}&sort=helpful&plain=1&tag=mfa&after=abc`)).toBe(
    `${BASE}/howtos?space=${slug}&sort=helpful&plain=1&tag=mfa&after=abc`,
  );
  expect(await canonicalOf(howtosLoader, "/howtos?ref=mail")).toBe(`${BASE}/howtos`);
});

test("a question list's canonical address keeps its tag, order and page, and drops the rest", async () => {
  expect(await canonicalOf(questionsLoader, "/questions?tag=VPN&utm_source=teams")).toBe(`${BASE}/questions?tag=vpn`);
  expect(await canonicalOf(questionsLoader, "/questions?sort=top&period=week&after=abc&deleted=1")).toBe(
    `${BASE}/questions?sort=top&period=week&after=abc`,
  );
  expect(await canonicalOf(questionsLoader, "/questions?sort=newest&tag=vpn&before=abc")).toBe(
    `${BASE}/questions?sort=newest&tag=vpn&before=abc`,
  );
  expect(await canonicalOf(questionsLoader, "/questions?ref=mail")).toBe(`${BASE}/questions`);
});
