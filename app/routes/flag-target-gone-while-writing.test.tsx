/**
 * A report written in a tab left open while its post went away (deleted by its author or a moderator, or hidden because
 * its author was banned): sending it says so in plain words and hands back what was typed, instead of "Page not found".
 * The page is the real route (loader, action and error page) on the real database, posted as a browser without
 * JavaScript posts it: the action, then the page's loaders as the server runs them.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import { banUser } from "~/models/users.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import {
  GONE_WHILE_REPORTING as gone,
  REPORT_DETAILS as details,
  flagPage as renderFlagPage,
  flagsOn as flagsOnPost,
} from "../../tests/fixtures/flag-page";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let reporter: Browser;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  reporter = new Browser(testServices(database), "10.61.4.1");
  await signUp(reporter, { name: "Rita Reporter", email: "rita-flag@example.com", password: "rita reports politely" });
  // A member who confirmed her address, so her reports are taken.
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.email, "rita-flag@example.com"));
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

const flagPage = (path: string, fields?: Record<string, string>) => renderFlagPage(reporter, path, fields);
const flagsOn = (postId: number) => flagsOnPost(database.db, postId);

test("a report on a question its author deleted meanwhile says so and keeps the reason and details to copy", async () => {
  const { db } = database;
  const author = await makePerson(db, { name: "Quentin Asker" });
  const questionId = await makeQuestion(db, author, spaceId);
  const path = `/flag?type=post&id=${questionId}&returnTo=${encodeURIComponent("/questions")}`;
  expect((await flagPage(path)).status).toBe(200);
  // The tab stays open while the author deletes the question; then the report is sent.
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: author });
  const page = await flagPage(path, {
    targetType: "post",
    targetId: String(questionId),
    reason: "other",
    details,
  });
  expect(page.status).toBe(404);
  expect(page.text).toContain(gone);
  expect(page.text).not.toContain("Page not found");
  expect(page.kept).toEqual([`What is wrong:\nSomething else\n\nAnything the moderators should know:\n${details}`]);
  expect(page.links).toContain("/questions");
  expect(await flagsOn(questionId)).toEqual([]);
  // Opening the address now is a plain 404, as before.
  const opened = await flagPage(path);
  expect(opened.status).toBe(404);
  expect(opened.text).toContain("There is nothing to flag at this address.");
});

test("a report on an answer a moderator deleted meanwhile says the same, even if the form was also incomplete", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const answerer = await makePerson(db, { name: "Anton Answerer" });
  const moderator = await makePerson(db, { role: "moderator" });
  const questionId = await makeQuestion(db, asker, spaceId);
  const answerId = await makeAnswer(db, answerer, questionId);
  const back = `/q/${questionId}`;
  const path = `/flag?type=post&id=${answerId}&returnTo=${encodeURIComponent(back)}`;
  expect((await flagPage(path)).status).toBe(200);
  await deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "Off topic" });
  // "Something else" needs details: the form would have asked for them, but there is no form to show any more.
  for (const fields of [
    { reason: "not_an_answer", details },
    { reason: "other", details: "" },
  ]) {
    const page = await flagPage(path, { targetType: "post", targetId: String(answerId), ...fields });
    expect(page.status, fields.reason).toBe(404);
    expect(page.text).toContain(gone);
    expect(page.links).toContain(back);
  }
  expect(await flagsOn(answerId)).toEqual([]);
});

test("a report on a question hidden because its author was banned says it was removed, and nothing about the ban", async () => {
  const { db } = database;
  const author = await makePerson(db, { name: "Sam Spammer" });
  const admin = await makePerson(db, { role: "admin" });
  const questionId = await makeQuestion(db, author, spaceId);
  const path = `/flag?type=post&id=${questionId}&returnTo=${encodeURIComponent("/questions")}`;
  expect((await flagPage(path)).status).toBe(200);
  await banUser(db, { userId: author.id, reason: "Advertising", by: admin.id, hidePosts: true });
  const page = await flagPage(path, { targetType: "post", targetId: String(questionId), reason: "spam", details });
  expect(page.status).toBe(404);
  expect(page.text).toContain(gone);
  expect(page.kept).toEqual([`What is wrong:\nSpam\n\nAnything the moderators should know:\n${details}`]);
  expect(page.text).not.toMatch(/ban|Advertising|Sam Spammer/i);
  expect(await flagsOn(questionId)).toEqual([]);
});

test("a report on a post that is still there is received, and an incomplete one keeps its form", async () => {
  const { db } = database;
  const questionId = await makeQuestion(db, await makePerson(db), spaceId);
  const path = `/flag?type=post&id=${questionId}&returnTo=${encodeURIComponent("/questions")}`;
  const incomplete = await flagPage(path, { targetType: "post", targetId: String(questionId), reason: "other" });
  expect(incomplete.status).toBe(400);
  expect(incomplete.text).toContain("Flag for moderators");
  const sent = await flagPage(path, { targetType: "post", targetId: String(questionId), reason: "other", details });
  expect(sent.status).toBe(200);
  expect(sent.text).toContain("Thanks, your flag was received");
  expect(await flagsOn(questionId)).toHaveLength(1);
});
