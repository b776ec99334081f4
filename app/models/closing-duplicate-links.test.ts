/** A "duplicate of" link must name a question on this site: another website's /q/98 is not our question 98. */
import { userTrust } from "#db/schema";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { closeQuestion } from "./close.server";
import { getClosure, questionRefOnSite } from "./closure.server";
import { closeFromReview } from "./review-actions.server";

const SITE = "https://peerdesk.example.org";
const ELSEWHERE = "That link is to another website. Paste a link to a question on this site, or its number.";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function setting() {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const originalId = await makeQuestion(db, await makePerson(db), spaceId, { title: "Printer queue stuck at home" });
  const duplicateId = await makeQuestion(db, await makePerson(db), spaceId, { title: "Home printer queue is stuck" });
  return { moderator, originalId, duplicateId };
}

describe("which question a duplicate link names", () => {
  test("a number, #number, a path or a link on this site name a question here", () => {
    for (const typed of [
      "98",
      " #98 ",
      "/q/98",
      "/q/98/printer-queue?stay=1",
      `${SITE}/q/98/printer`,
      "peerdesk.example.org/q/98",
    ])
      expect({ typed, ref: questionRefOnSite(typed, SITE) }).toEqual({ typed, ref: 98 });
  });

  test("links to other websites are told apart from text that names no question", () => {
    for (const typed of [
      "http://evil.com/q/98",
      "https://stackoverflow.com/q/98",
      "//evil.com/q/98",
      "evil.com/q/98/x",
    ])
      expect({ typed, ref: questionRefOnSite(typed, SITE) }).toEqual({ typed, ref: "elsewhere" });
    for (const typed of ["not a link", "", `${SITE}/howtos/98`, "/howtos/98", "javascript:alert(1)"])
      expect({ typed, ref: questionRefOnSite(typed, SITE) }).toEqual({ typed, ref: null });
  });
});

describe("closing as a duplicate", () => {
  test("a moderator's link to another website is refused on the field and nothing is closed", async () => {
    const { db } = database;
    const { moderator, originalId, duplicateId } = await setting();
    for (const duplicateOf of [`http://evil.com/q/${originalId}`, `https://stackoverflow.com/q/${originalId}`]) {
      const refused = await rejection(
        closeQuestion(db, {
          actor: moderator,
          questionId: duplicateId,
          reason: "duplicate",
          duplicateOf,
          siteUrl: SITE,
        }),
      );
      expect(refused.status).toBe(400);
      expect(refused.fieldErrors).toEqual({ duplicateOf: ELSEWHERE });
    }
    expect(await getClosure(db, duplicateId)).toBeNull();
  });

  test("a full link on this site closes it as a duplicate of that question", async () => {
    const { db } = database;
    const { moderator, originalId, duplicateId } = await setting();
    const duplicateOf = `${SITE}/q/${originalId}/printer-queue-stuck-at-home`;
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "duplicate",
      duplicateOf,
      siteUrl: SITE,
    });
    expect(await getClosure(db, duplicateId)).toMatchObject({ reason: "duplicate", original: { id: originalId } });
  });

  test("a trusted member's vote follows the same rule", async () => {
    const { db } = database;
    const { originalId, duplicateId } = await setting();
    const voter = await makePerson(db);
    await db.insert(userTrust).values({ userId: voter.id, level: 2 });
    const refused = await rejection(
      closeQuestion(db, {
        actor: voter,
        questionId: duplicateId,
        reason: "duplicate",
        duplicateOf: `http://evil.com/q/${originalId}`,
        siteUrl: SITE,
      }),
    );
    expect(refused.fieldErrors).toEqual({ duplicateOf: ELSEWHERE });
    const vote = { actor: voter, questionId: duplicateId, reason: "duplicate", siteUrl: SITE };
    expect(await closeQuestion(db, { ...vote, duplicateOf: `#${originalId}` })).toMatchObject({ votes: 1 });
  });

  test("closing from the review queue understands a full link on this site and refuses another website's", async () => {
    const { db } = database;
    const { moderator, originalId, duplicateId } = await setting();
    const fromQueue = { actor: moderator, questionId: duplicateId, reason: "duplicate", siteUrl: SITE };
    const refused = await rejection(
      closeFromReview(db, { ...fromQueue, duplicateOf: `http://evil.com/q/${originalId}` }),
    );
    expect(refused.fieldErrors).toEqual({ duplicateOf: ELSEWHERE });
    await closeFromReview(db, { ...fromQueue, duplicateOf: `${SITE}/q/${originalId}` });
    expect(await getClosure(db, duplicateId)).toMatchObject({ reason: "duplicate", original: { id: originalId } });
  });
});
