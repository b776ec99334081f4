/**
 * Posts stored by an older renderer (before `<kbd>`, `<sup>`, `<sub>`, `http://` images as links and `ftp:` links were
 * kept) get the current rendering from their Markdown, announce their pages to the page cache, and are searched anew.
 */
import { eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "#db/client.server";
import { POST_RENDER_VERSION, posts } from "#db/schema";
import { PAGE_CACHE_CHANNEL, parseAnnouncement } from "~/lib/page-cache.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { countStalePosts, rerenderStalePosts } from "./post-rendering.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const OLD_STYLE_BODY = [
  "Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>, then pick Task Manager.",
  "",
  "The quota is 10<sup>6</sup> files; H<sub>2</sub>O is not involved.",
  "",
  "![the error dialog](http://example.org/dialog.png) and the share at [the old server](ftp://files.example.org/drivers).",
].join("\n");

/** What the renderer before version 1 stored for OLD_STYLE_BODY: the keys as text, the image gone, the ftp address lost. */
const OLD_HTML =
  '<p>Press &lt;kbd&gt;Ctrl&lt;/kbd&gt;+&lt;kbd&gt;Alt&lt;/kbd&gt;+&lt;kbd&gt;Del&lt;/kbd&gt;, then pick Task Manager.</p>\n<p>The quota is 10&lt;sup&gt;6&lt;/sup&gt; files.</p>\n<p><img alt="the error dialog" /> and the share at <a>the old server</a>.</p>';

describe("rendering stored posts again", () => {
  test("new posts are stored with the current rendering's version, so nothing is done twice", async () => {
    const author = await makePerson(database.db);
    const questionId = await makeQuestion(database.db, author, await makeSpace(database.db), { body: OLD_STYLE_BODY });
    const [row] = await database.db.select({ v: posts.renderVersion }).from(posts).where(eq(posts.id, questionId));
    expect(row?.v).toBe(POST_RENDER_VERSION);
    expect(await countStalePosts(database.db)).toBe(0);
  });

  test("an old row gets the new rendering of its body, prerequisites and steps; its page is announced and it is searched anew", async () => {
    const author = await makePerson(database.db);
    const spaceId = await makeSpace(database.db);
    const questionId = await makeQuestion(database.db, author, spaceId, { body: OLD_STYLE_BODY });
    const howtoId = await makeHowto(database.db, author, spaceId, {
      prerequisites: "Know the <kbd>Win</kbd> key.",
      steps: ["Press <kbd>Win</kbd>+<kbd>L</kbd> to lock the screen.", "Walk away."],
    });
    const [howtoBefore] = await database.db.select().from(posts).where(eq(posts.id, howtoId));
    // As an older release stored them.
    await database.db.execute(
      sql`update posts set body_html = ${OLD_HTML}, render_version = 0 where id = ${questionId}`,
    );
    await database.db.execute(sql`update posts set prerequisites_html = '<p>Know the &lt;kbd&gt;Win&lt;/kbd&gt; key.</p>',
      steps = jsonb_set(steps, '{0,bodyHtml}', '"<p>Press &lt;kbd&gt;Win&lt;/kbd&gt;+&lt;kbd&gt;L&lt;/kbd&gt; to lock the screen.</p>"'),
      render_version = 0 where id = ${howtoId}`);
    await database.db.execute(sql`delete from search_outbox`);
    expect(await countStalePosts(database.db)).toBe(2);

    const announced: string[] = [];
    const stop = await database.listen(PAGE_CACHE_CHANNEL, (payload) =>
      announced.push(...(parseAnnouncement(payload)?.tags ?? [])),
    );
    const progress: number[] = [];
    const result = await rerenderStalePosts(database.db, { onProgress: ({ done }) => progress.push(done) });
    expect(result).toEqual({ done: 2, total: 2, changed: 2 });
    expect(progress.at(-1)).toBe(2);

    const [question] = await database.db.select().from(posts).where(eq(posts.id, questionId));
    expect(question?.bodyHtml).toContain("<kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>");
    expect(question?.bodyHtml).toContain("10<sup>6</sup>");
    expect(question?.bodyHtml).toContain("H<sub>2</sub>O");
    expect(question?.bodyHtml).toMatch(/<a href="http:\/\/example\.org\/dialog\.png"[^>]*>/);
    expect(question?.bodyHtml).toContain('href="ftp://files.example.org/drivers"');
    expect(question?.renderVersion).toBe(POST_RENDER_VERSION);
    const [howto] = await database.db.select().from(posts).where(eq(posts.id, howtoId));
    expect(howto?.prerequisitesHtml).toBe(howtoBefore?.prerequisitesHtml);
    expect(howto?.steps).toEqual(howtoBefore?.steps);
    expect(howto?.steps?.[0]?.bodyHtml).toContain("<kbd>Win</kbd>+<kbd>L</kbd>");
    // Shown as edited? No: only the stored HTML changed, not the post.
    expect(question?.updatedAt).toEqual(question?.createdAt);

    await expect.poll(() => announced).toEqual(expect.arrayContaining([`post:${questionId}`, `post:${howtoId}`]));
    await stop();
    const queued = await queryRows<{ post_id: number }>(
      database.db,
      sql`select post_id from search_outbox order by post_id`,
    );
    expect(queued.map((row) => row.post_id)).toEqual([questionId, howtoId].sort((a, b) => a - b));
    expect(await countStalePosts(database.db)).toBe(0);
  });

  test("headings stored before version 2 nest under the page's own: a question's from h2, an answer's from h3, a step's from h4", async () => {
    const author = await makePerson(database.db);
    const spaceId = await makeSpace(database.db);
    const questionId = await makeQuestion(database.db, author, spaceId, { body: "# What I tried\n\nRebooted twice." });
    const answerId = await makeAnswer(database.db, author, questionId, {
      body: "# Cause\n\nAn old driver.\n\n## Fix\n\nUpdate it.",
    });
    const howtoId = await makeHowto(database.db, author, spaceId, {
      prerequisites: "# You need\n\nAn admin account.",
      steps: ["# Open Settings\n\nPress Win+I.", "Done."],
    });
    const stored = async (id: number) => (await database.db.select().from(posts).where(eq(posts.id, id)))[0];
    // New posts are stored so already.
    expect((await stored(questionId))?.bodyHtml).toContain("<h2>What I tried</h2>");
    expect((await stored(answerId))?.bodyHtml).toContain("<h3>Cause</h3>");
    expect((await stored(answerId))?.bodyHtml).toContain("<h4>Fix</h4>");
    expect((await stored(howtoId))?.prerequisitesHtml).toContain("<h3>You need</h3>");
    expect((await stored(howtoId))?.steps?.[0]?.bodyHtml).toContain("<h4>Open Settings</h4>");
    // As version 1 stored them: the writer's levels as written.
    await database.db.execute(sql`update posts set body_html = '<h1>What I tried</h1><p>Rebooted twice.</p>',
      render_version = 1 where id = ${questionId}`);
    await database.db.execute(sql`update posts set body_html = '<h1>Cause</h1><p>An old driver.</p><h2>Fix</h2>',
      render_version = 1 where id = ${answerId}`);
    await database.db.execute(sql`update posts set prerequisites_html = '<h1>You need</h1><p>An admin account.</p>',
      steps = jsonb_set(steps, '{0,bodyHtml}', '"<h1>Open Settings</h1><p>Press Win+I.</p>"'),
      render_version = 1 where id = ${howtoId}`);
    expect(await countStalePosts(database.db)).toBe(3);
    expect(await rerenderStalePosts(database.db)).toEqual({ done: 3, total: 3, changed: 3 });
    expect((await stored(questionId))?.bodyHtml).toBe("<h2>What I tried</h2>\n<p>Rebooted twice.</p>\n");
    expect((await stored(answerId))?.bodyHtml).toBe(
      "<h3>Cause</h3>\n<p>An old driver.</p>\n<h4>Fix</h4>\n<p>Update it.</p>\n",
    );
    expect((await stored(howtoId))?.prerequisitesHtml).toBe("<h3>You need</h3>\n<p>An admin account.</p>\n");
    expect((await stored(howtoId))?.steps?.[0]?.bodyHtml).toBe("<h4>Open Settings</h4>\n<p>Press Win+I.</p>\n");
  });

  test("an old row whose HTML is already right is only marked, and running again does nothing", async () => {
    const author = await makePerson(database.db);
    const questionId = await makeQuestion(database.db, author, await makeSpace(database.db));
    await database.db.execute(sql`update posts set render_version = 0 where id = ${questionId}`);
    await database.db.execute(sql`delete from search_outbox`);
    expect(await rerenderStalePosts(database.db)).toEqual({ done: 1, total: 1, changed: 0 });
    expect(await rerenderStalePosts(database.db)).toEqual({ done: 0, total: 0, changed: 0 });
    const [queued] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from search_outbox`);
    expect(queued?.n).toBe(0);
  });
});
