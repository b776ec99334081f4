/**
 * The Atom feeds' content on the real database: the newest public questions and how-tos, each with its stored HTML;
 * a title is shown as written (Atom reads titles as HTML), site-relative links become absolute, a deleted post and
 * a question in another space or tag are left out; the XML is well-formed whatever people write.
 */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { parseAtom } from "../../tests/fixtures/atom";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { FEED_SIZE, atomFeed, howtoFeedEntries, questionFeedEntries } from "./feeds.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const BASE = "https://help.example.org";

test("new questions: newest first, titles as written, links absolute, deleted ones and other tags left out", async () => {
  const author = await makePerson(database.db, { name: "Ana <Ops> & Co" });
  const spaceId = await makeSpace(database.db);
  const older = await makeQuestion(database.db, author, spaceId, {
    title: "Why does <br> break my ]]> signature & footer?",
    body: "See [the other one](/q/1) and ![shot](https://img.example/a.png).",
    tags: "email",
    now: new Date("2026-11-01T10:00:00Z"),
  });
  const newer = await makeQuestion(database.db, author, spaceId, {
    title: "Outlook signature missing on phone",
    tags: "email",
    now: new Date("2026-11-02T10:00:00Z"),
  });
  const gone = await makeQuestion(database.db, author, spaceId, { tags: "email" });
  await database.db.execute(sql`update posts set deleted_at = now() where id = ${gone}`);
  const elsewhere = await makeQuestion(database.db, author, spaceId, { tags: "printers" });

  const entries = await questionFeedEntries(database.db, { tag: "email" });
  expect(entries.map((entry) => entry.id)).toEqual([newer, older]);
  const xml = atomFeed({
    baseURL: BASE,
    title: "New questions tagged email · PeerDesk",
    description: "d",
    selfPath: "/questions.atom?tag=email",
    pagePath: "/questions?sort=newest&tag=email",
    entries,
  });
  const feed = parseAtom(xml);
  expect(feed.title).toBe("New questions tagged email · PeerDesk");
  const [first, second] = feed.entries;
  expect(first?.id).toBe(`${BASE}/q/${newer}`);
  expect(first?.link).toBe(`${BASE}/q/${newer}/outlook-signature-missing-on-phone`);
  // type="html": the reader decodes the escaped text back to exactly what the asker wrote.
  expect(second?.title).toBe("Why does &#60;br&#62; break my ]]&#62; signature &#38; footer?");
  expect(second?.content).toContain(`href="${BASE}/q/1"`);
  expect(second?.content).toContain('src="https://img.example/a.png"');
  expect(second?.categories).toContain("email");
  expect(xml).toContain("<name>Ana &lt;Ops&gt; &amp; Co</name>");
  expect(xml).not.toContain(`/q/${gone}`);
  expect(xml).not.toContain(`/q/${elsewhere}`);
});

test("what people type never makes a feed unreadable: control characters, and angle brackets in a space's name", async () => {
  const author = await makePerson(database.db, { name: "Bea\u0001 Ops" });
  const spaceId = await makeSpace(database.db, { name: "Tips <and> tricks" });
  const id = await makeQuestion(database.db, author, spaceId, { tags: "ctl" });
  // Stored before the forms dropped them (or by an import): the feed must cope with what is in the database.
  await database.db.execute(
    sql`update posts set title = ${"Printer\u0008 jams \u000bafter\ufffe update"}, body_html = ${"<p>Tray\u001b 2</p>"} where id = ${id}`,
  );
  const xml = atomFeed({
    baseURL: BASE,
    title: "t",
    description: "d",
    selfPath: "/questions.atom",
    pagePath: "/questions",
    entries: await questionFeedEntries(database.db, { tag: "ctl" }),
  });
  const [entry] = parseAtom(xml).entries;
  expect(entry?.title).toBe("Printer jams after update");
  expect(entry?.content).toBe("<p>Tray 2</p>");
  expect(entry?.categories).toContain("Tips <and> tricks");
  expect(xml).toContain('term="Tips &lt;and&gt; tricks"');
  expect(xml).toContain("<name>Bea Ops</name>");
});

test("a space's feed holds its own questions, at most thirty; how-tos come with their steps", async () => {
  const author = await makePerson(database.db);
  const spaceId = await makeSpace(database.db);
  const otherSpace = await makeSpace(database.db);
  // One asker each: a member may ask only so many questions an hour.
  for (let i = 0; i < FEED_SIZE + 2; i++)
    await makeQuestion(database.db, await makePerson(database.db), spaceId, { tags: "bulk" });
  const outside = await makeQuestion(database.db, author, otherSpace, { tags: "bulk" });
  const entries = await questionFeedEntries(database.db, { spaceId });
  expect(entries).toHaveLength(FEED_SIZE);
  expect(entries.map((entry) => entry.id)).not.toContain(outside);

  const howtoId = await makeHowto(database.db, author, spaceId, {
    title: "Reset the <VPN> password",
    steps: ["Open the portal.", "Choose **Forgot password**."],
  });
  await makeHowto(database.db, author, otherSpace);
  const howtos = await howtoFeedEntries(database.db, { spaceId });
  expect(howtos.map((entry) => entry.id)).toEqual([howtoId]);
  const feed = parseAtom(
    atomFeed({
      baseURL: BASE,
      title: "t",
      description: "d",
      selfPath: "/howtos.atom",
      pagePath: "/howtos",
      entries: howtos,
    }),
  );
  expect(feed.entries[0]?.id).toBe(`${BASE}/howtos/${howtoId}`);
  expect(feed.entries[0]?.title).toBe("Reset the &#60;VPN&#62; password");
  expect(feed.entries[0]?.content).toBe(
    "<ol><li><p>Open the portal.</p>\n</li><li><p>Choose <strong>Forgot password</strong>.</p>\n</li></ol>",
  );
});
