/**
 * A report written in a tab left open, by someone who meanwhile flagged the same post from another tab, sent after the
 * post went away (deleted by its author, or hidden with its banned author's posts): it is refused in the same words as
 * anyone's, with what was typed handed back, not answered with "You flagged this already" and the text lost. The real
 * route (loader, action and error page) on the real database, posted as a browser without JavaScript posts it.
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
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let reporter: Browser;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin (whose flag hides a post at once): Rita is a member.
  await makePerson(database.db, { role: "admin" });
  reporter = new Browser(testServices(database), "10.61.4.2");
  await signUp(reporter, {
    name: "Rita Reporter",
    email: "rita-flags-twice@example.com",
    password: "rita reports politely",
  });
  // A member who confirmed her address, so her reports are taken.
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.email, "rita-flags-twice@example.com"));
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

const flagPage = (path: string, fields?: Record<string, string>) => renderFlagPage(reporter, path, fields);
const flagsOn = (postId: number) => flagsOnPost(database.db, postId);

/** Rita opens the report form in one tab, then flags the same post from another (her first flag stands). */
async function flaggedFromAnotherTab(questionId: number) {
  const path = `/flag?type=post&id=${questionId}&returnTo=${encodeURIComponent("/questions")}`;
  const opened = await flagPage(path);
  expect(opened.status).toBe(200);
  expect(opened.text).not.toContain("You flagged this already");
  const other = await flagPage(path, { targetType: "post", targetId: String(questionId), reason: "spam" });
  expect(other.text).toContain("Thanks, your flag was received");
  expect(await flagsOn(questionId)).toHaveLength(1);
  return path;
}

test("sent after the author deleted the post, the report says it was removed and keeps what was typed", async () => {
  const { db } = database;
  const author = await makePerson(db, { name: "Quinn Asker" });
  const questionId = await makeQuestion(db, author, spaceId);
  const path = await flaggedFromAnotherTab(questionId);
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: author });

  const page = await flagPage(path, { targetType: "post", targetId: String(questionId), reason: "other", details });
  expect(page.status).toBe(404);
  expect(page.text).toContain(gone);
  expect(page.text).not.toContain("You flagged this already");
  expect(page.kept).toEqual([`What is wrong:\nSomething else\n\nAnything the moderators should know:\n${details}`]);
  expect(page.links).toContain("/questions");
  // Her first flag stands; nothing else was recorded.
  expect(await flagsOn(questionId)).toHaveLength(1);
});

test("sent after the post was hidden with its banned author's posts, the report says the same, and nothing about the ban", async () => {
  const { db } = database;
  const author = await makePerson(db, { name: "Sid Spammer" });
  const admin = await makePerson(db, { role: "admin" });
  const questionId = await makeQuestion(db, author, spaceId);
  const path = await flaggedFromAnotherTab(questionId);
  await banUser(db, { userId: author.id, reason: "Advertising", by: admin.id, hidePosts: true });

  const page = await flagPage(path, { targetType: "post", targetId: String(questionId), reason: "spam", details });
  expect(page.status).toBe(404);
  expect(page.text).toContain(gone);
  expect(page.text).not.toContain("You flagged this already");
  expect(page.kept).toEqual([`What is wrong:\nSpam\n\nAnything the moderators should know:\n${details}`]);
  expect(page.text).not.toMatch(/ban|Advertising|Sid Spammer/i);
});
