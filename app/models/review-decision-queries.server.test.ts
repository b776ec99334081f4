/**
 * A moderator's decision in the review queue looks up what the thing is, where it is and whether its author is the
 * thread's anonymous asker once, on the real database, and still decides as before: a spam flag upheld on a new
 * account's post silences that account, and a kept question's flagger is sent back to it.
 */
import type { Database } from "#db/client.server";
import { questionPath } from "~/lib/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { countingDb } from "../../tests/fixtures/query-count";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { flagContent } from "./flags.server";
import { isSilenced, listNotices } from "./holds.server";
import { decideReviewItem } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The statements that read what a moderated thing is and where (describeModeratedThings' one query). */
const describing = (statements: string[]) => statements.filter((statement) => statement.includes("as kind_label"));

const post = (id: number) => ({ type: "post" as const, id: String(id) });

test("upholding a spam flag on a new account's question reads what it is, where and by whom once, and still silences the account", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const spammer = await makePerson(db, { isNew: true, name: "Sly Seller" });
  const space = await makeSpace(db);
  const question = await makeQuestion(db, spammer, space, {
    title: "Where do I renew the printer service contract",
    body: "Our printers keep asking for a service contract renewal that never finishes properly.",
  });
  await flagContent(db, {
    actor: await makePerson(db),
    targetType: "post",
    targetId: String(question),
    reason: "spam",
  });

  const statements: string[] = [];
  const { silenced } = await decideReviewItem(countingDb(database, statements), {
    actor: moderator,
    ref: post(question),
    decision: "hide",
  });
  expect(silenced).toBe(true);
  expect(await isSilenced(db, spammer.id)).toBe(true);
  expect(describing(statements)).toHaveLength(1);
});

test("keeping a flagged question reads what it is and where once, and sends its flagger back to it", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const asker = await makePerson(db);
  const flagger = await makePerson(db);
  const space = await makeSpace(db);
  const title = "Badge reader at the side door beeps twice";
  const question = await makeQuestion(db, asker, space, { title });
  await flagContent(db, { actor: flagger, targetType: "post", targetId: String(question), reason: "rude" });

  const statements: string[] = [];
  await decideReviewItem(countingDb(database, statements), { actor: moderator, ref: post(question), decision: "keep" });
  expect(describing(statements)).toHaveLength(1);
  const [notice] = await listNotices(db, flagger.id);
  expect(notice).toMatchObject({ kind: "flag_dismissed", url: questionPath(question, title) });
});
