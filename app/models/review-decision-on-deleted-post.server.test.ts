/**
 * A flagged post or comment deleted before a moderator decided it (by its author, or by staff from its own page):
 * the queue no longer lists it, and a decision sent from a page opened before is refused in words (409) that say who
 * deleted it. Nothing is decided: no hide or keep, no log entry, nobody told; its flags are closed (neither upheld nor
 * dismissed) and the moderator's typed note is kept on the page. Through the model and the /review action, on the real
 * database.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { flags, moderationLog, notifications, posts, users } from "#db/schema";
import { action as reviewAction, default as reviewPage, loader as reviewLoader } from "~/routes/review._index";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { addComment, deleteComment } from "./comments.server";
import { flagContent, flaggerHistory } from "./flags.server";
import { listNotices } from "./holds.server";
import { deleteHowto } from "./howto-writing.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import type { SignedInActor } from "./post-errors.server";
import { countFlaggedOrHeld, countPendingReview, decideReviewItem, listReviewQueue } from "./review-queue.server";

let database: Database;
let spaceId: number;
let mona: { browser: Browser; actor: SignedInActor };

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: the moderator signs up after, and is given the role.
  await makePerson(database.db, { role: "admin" });
  const browser = new Browser(testServices(database), "10.73.0.1");
  await signUp(browser, { name: "Mona Moderator", email: "mona-deleted@example.com", password: "Mona reads flags" });
  const [row] = await database.db
    .update(users)
    .set({ role: "moderator" })
    .where(eq(users.email, "mona-deleted@example.com"))
    .returning({ id: users.id });
  if (!row) throw new Error("no moderator");
  mona = { browser, actor: { id: row.id, role: "moderator", banned: false } };
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

/** `targetId` flagged as rude by a member, who is returned. */
async function flagged(targetType: "post" | "comment", targetId: number) {
  const flagger = await makePerson(database.db);
  await flagContent(database.db, { actor: flagger, targetType, targetId: String(targetId), reason: "rude" });
  return flagger;
}

const isListed = async (id: number) => (await listReviewQueue(database.db)).some((item) => item.ref.id === String(id));

const flagStatuses = async (targetId: number) =>
  (
    await database.db
      .select({ status: flags.status })
      .from(flags)
      .where(eq(flags.targetId, String(targetId)))
  ).map((flag) => flag.status);

const reviewLogged = async (targetId: number) =>
  database.db
    .select({ action: moderationLog.action })
    .from(moderationLog)
    .where(
      and(eq(moderationLog.targetId, String(targetId)), inArray(moderationLog.action, ["review.hide", "review.keep"])),
    );

/** Moderation notices and notifications of any kind these people have. */
async function toldAnything(...people: { id: string }[]) {
  const ids = people.map((person) => person.id);
  const notices = (await Promise.all(ids.map((id) => listNotices(database.db, id)))).flat();
  const notified = await database.db.select().from(notifications).where(inArray(notifications.userId, ids));
  return [...notices.map((notice) => notice.message), ...notified.map((row) => row.kind)];
}

test("hiding an answer its author deleted meanwhile is refused in words, tells nobody, logs nothing and keeps the note", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const author = await makePerson(db, { name: "Ana Author" });
  const answerId = await makeAnswer(db, author, await makeQuestion(db, asker, spaceId));
  const flagger = await flagged("post", answerId);
  expect(await isListed(answerId)).toBe(true);
  const waitingBefore = [await countFlaggedOrHeld(db), await countPendingReview(db)];

  // Mona's queue is open; meanwhile Ana deletes her own answer.
  await deleteQuestionOrAnswer(db, { postId: answerId, actor: author });
  // Nothing left to decide: it leaves the queue and its counts.
  expect(await isListed(answerId)).toBe(false);
  expect([await countFlaggedOrHeld(db), await countPendingReview(db)]).toEqual(waitingBefore.map((n) => n - 1));

  const note = "Please keep it civil, the asker is new here";
  const refused = payload<{ message: string; values: Record<string, string> }>(
    await mona.browser.submit(reviewAction, "/review", {
      intent: "decide",
      targetType: "post",
      targetId: String(answerId),
      decision: "hide",
      note,
    }),
  );
  const message =
    "This answer was deleted by its author after you opened the queue, so there is nothing to decide: its flags were closed and it has left the queue.";
  expect([refused.status, refused.data.message, refused.data.values.note]).toEqual([409, message, note]);
  expect(await flagStatuses(answerId)).toEqual(["closed"]);
  expect(await reviewLogged(answerId)).toEqual([]);
  expect(await toldAnything(author, flagger)).toEqual([]);
  // A closed flag is neither upheld nor dismissed: the flagger's record is as it was.
  expect(await flaggerHistory(db, flagger.id)).toEqual({ upheld: 0, dismissed: 0, pending: 0 });

  const html = (
    await renderRoute(
      mona.browser,
      { loader: reviewLoader, default: reviewPage },
      { path: "/review", actionData: refused.data },
    )
  ).replaceAll("<!-- -->", "");
  expect(html).toContain(`${message} Your note was not saved:`);
  expect(html).toContain(note);

  // Sent again (the same old page): the same words, and still nothing done.
  const again = await rejection(
    decideReviewItem(db, { actor: mona.actor, ref: { type: "post", id: String(answerId) }, decision: "warn" }),
  );
  expect([again.status, again.message]).toEqual([409, message]);
  expect(await toldAnything(author, flagger)).toEqual([]);
});

test("keeping a how-to its author deleted does not publish it again, and says why", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const howtoId = await makeHowto(db, author, spaceId);
  const flagger = await flagged("post", howtoId);
  await deleteHowto(db, { howtoId, actor: author });

  const refused = await rejection(
    decideReviewItem(db, { actor: mona.actor, ref: { type: "post", id: String(howtoId) }, decision: "keep" }),
  );
  expect([refused.status, refused.message]).toEqual([
    409,
    "This how-to was deleted by its author after you opened the queue, so there is nothing to decide: its flags were closed and it has left the queue.",
  ]);
  const [howto] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, howtoId));
  expect(howto?.deletedAt).toBeInstanceOf(Date);
  expect(await flagStatuses(howtoId)).toEqual(["closed"]);
  expect(await reviewLogged(howtoId)).toEqual([]);
  expect(await toldAnything(author, flagger)).toEqual([]);
});

test("a post deleted by staff from its page names who deleted it, and a deleted comment is refused the same way", async () => {
  const { db } = database;
  const omar = { ...(await makePerson(db, { role: "moderator", name: "Omar Moderator" })), role: "moderator" as const };
  const byOmar = await makeQuestion(db, await makePerson(db), spaceId);
  const byMona = await makeQuestion(db, await makePerson(db), spaceId);
  await flagged("post", byOmar);
  await flagged("post", byMona);
  await deleteQuestionOrAnswer(db, { postId: byOmar, actor: omar, reason: "Off-topic" });
  await deleteQuestionOrAnswer(db, { postId: byMona, actor: mona.actor });
  const decide = (id: number, type: "post" | "comment" = "post") =>
    rejection(decideReviewItem(db, { actor: mona.actor, ref: { type, id: String(id) }, decision: "hide" }));
  expect((await decide(byOmar)).message).toBe(
    "This question was deleted by Omar Moderator after you opened the queue, so there is nothing to decide: its flags were closed and it has left the queue.",
  );
  expect((await decide(byMona)).message).toBe(
    "You deleted this question after you opened the queue, so there is nothing to decide: its flags were closed and it has left the queue.",
  );

  const commenter = await makePerson(db);
  const { commentId } = await addComment(db, {
    postId: await makeQuestion(db, await makePerson(db), spaceId),
    actor: commenter,
    body: "This is a rude comment that someone flagged.",
  });
  await flagged("comment", commentId);
  await deleteComment(db, { commentId, actor: commenter });
  expect(await isListed(commentId)).toBe(false);
  const refused = await decide(commentId, "comment");
  expect([refused.status, refused.message]).toEqual([
    409,
    "This comment was deleted after you opened the queue, so there is nothing to decide: its flags were closed and it has left the queue.",
  ]);
  expect(await flagStatuses(commentId)).toEqual(["closed"]);
  expect(await toldAnything(commenter)).toEqual([]);
});
