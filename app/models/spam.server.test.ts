/** The repeated-text spam check on the real database: re-typed copies are caught, and the lookup is served by its indexes. */
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeQuestion } from "../../tests/fixtures/qa";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { addComment } from "./comments.server";
import { getPendingHold } from "./holds.server";
import { earlierCopiesQuery } from "./spam.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("a new account's copy of text posted earlier today is held, however its spaces and capitals were re-typed", async () => {
  const { db } = database;
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const text = "Cheap licences for every office suite, write to me for the price list today.";
  await addComment(db, { postId: questionId, actor: await makePerson(db, { isNew: true }), body: text });
  const retyped = `  ${text.toUpperCase().replaceAll(" ", "   ")}\n`;
  const copy = await addComment(db, {
    postId: questionId,
    actor: await makePerson(db, { isNew: true }),
    body: retyped,
  });
  expect((await getPendingHold(db, { type: "comment", id: String(copy.commentId) }))?.reason).toBe("repeated_text");
  // Different words are never a copy.
  const other = await addComment(db, {
    postId: questionId,
    actor: await makePerson(db, { isNew: true }),
    body: "Cheap licences for every office suite? Our team buys them through the IT portal only.",
  });
  expect(await getPendingHold(db, { type: "comment", id: String(other.commentId) })).toBeNull();
});

test("the copy lookup reads the body-fingerprint indexes, not every post and comment ever written", async () => {
  const { db } = database;
  const query = earlierCopiesQuery(
    { type: "comment", id: "1" },
    "Any text at all, long enough to be checked.",
    new Date(),
  );
  // With a few rows the planner may rightly prefer a scan; forbidding it shows whether an index can serve the query.
  const plan = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return queryRows<{ "QUERY PLAN": string }>(tx, sql`explain ${query}`);
  });
  const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
  expect(text).toContain("posts_body_fingerprint_idx");
  expect(text).toContain("comments_body_fingerprint_idx");
  expect(text).not.toMatch(/Seq Scan/);
  // The fingerprint is the index's search key, not a filter over a walk of the whole index.
  expect(text.match(/Index Cond: \(\(md5\(lower\(btrim\(regexp_replace\(body_md, '\\s\+'/g)).toHaveLength(2);
});
