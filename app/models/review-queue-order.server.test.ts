/**
 * The review queue's page on the real database: the things that waited longest, flags and holds weighed together, each
 * with every field a moderator sees (author, link, kind, each flag's reason and its flagger's record).
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { flags } from "#db/schema";
import { questionPath } from "~/lib/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { addComment } from "./comments.server";
import { FLAG_REASON_LABELS, flagContent } from "./flags.server";
import { getPendingHold, silenceUser } from "./holds.server";
import { countFlaggedOrHeld, decideReviewItem, listReviewQueue } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

/** More links than anyone's comment may carry before it is held (maxLinks is 8). */
const elevenLinks = Array.from({ length: 11 }, (_, i) => `- <https://offers${i}.example/deal>`).join("\n");

test("the queue shows the 50 things that waited longest: a comment held before 55 posts were flagged comes first", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const veteran = await makePerson(db);
  const helper = await makePerson(db);
  const newcomer = await makePerson(db, { isNew: true });
  // Questions are limited to ten an hour each: enough askers for every question below.
  const askers = await Promise.all(Array.from({ length: 7 }, () => makePerson(db)));
  let asked = 0;
  const ask = (title?: string) => {
    const asker = askers[Math.floor(asked++ / 9)];
    if (!asker) throw new Error("more questions than askers");
    return makeQuestion(db, asker, space, title ? { title } : {});
  };

  // The veteran's record before anything below waits: one flag upheld, one dismissed.
  const upheld = await ask();
  const dismissed = await ask();
  await flagContent(db, { actor: veteran, targetType: "post", targetId: String(upheld), reason: "spam" });
  await flagContent(db, { actor: veteran, targetType: "post", targetId: String(dismissed), reason: "rude" });
  await decideReviewItem(db, { actor: moderator, ref: post(upheld), decision: "hide" });
  await decideReviewItem(db, { actor: moderator, ref: post(dismissed), decision: "keep" });

  // Held as it was written (too many links), before any of the flags below: it has waited longest. Its author is a
  // new account, silenced since.
  const thread = await ask("Which VPN client do we use on Linux laptops");
  const commenter = await makePerson(db, { isNew: true, name: "Casey Commenter" });
  const { commentId } = await addComment(db, {
    postId: thread,
    actor: commenter,
    body: `Here are the downloads.\n\n${elevenLinks}`,
  });
  const hold = await getPendingHold(db, { type: "comment", id: String(commentId) });
  expect(hold?.reason).toBe("new_account_links");
  await silenceUser(db, { userId: commenter.id, by: moderator.id, reason: "Link spam." });

  // Then 55 posts flagged, each a second after the one before (the veteran and the helper stay under their hourly limit).
  const heldAt = hold?.createdAt.getTime() ?? 0;
  const flagged: number[] = [];
  const firstAuthor = askers[0];
  if (!firstAuthor) throw new Error("no askers");
  for (let i = 0; i < 55; i++) {
    const questionId = await ask(i === 0 ? "Printer on floor 3 prints blank pages" : undefined);
    flagged.push(questionId);
    await flagContent(db, {
      actor: i < 28 ? veteran : helper,
      targetType: "post",
      targetId: String(questionId),
      reason: i === 0 ? "spam" : "needs_detail",
      details: i === 0 ? "Advertises a printer shop." : "",
      now: new Date(heldAt + (i + 1) * 1000),
    });
  }
  // The first flagged post has a newcomer's flag too (a new account's flag weighs less, and is marked).
  await flagContent(db, {
    actor: newcomer,
    targetType: "post",
    targetId: String(flagged[0]),
    reason: "rude",
    now: new Date(heldAt + 60_000),
  });

  expect(await countFlaggedOrHeld(db)).toBe(56);
  const items = await listReviewQueue(db);
  // Exactly the 50 oldest, oldest first: the held comment, then the first 49 flagged posts.
  expect(items.map((item) => `${item.ref.type}:${item.ref.id}`)).toEqual([
    `comment:${commentId}`,
    ...flagged.slice(0, 49).map((id) => `post:${id}`),
  ]);
  const oldest = items.map((item) => item.oldest.getTime());
  expect(oldest).toEqual([...oldest].sort((a, b) => a - b));

  const [heldItem, flaggedItem] = items;
  expect(heldItem).toEqual({
    ref: { type: "comment", id: String(commentId) },
    kindLabel: "comment",
    title: "Which VPN client do we use on Linux laptops",
    excerpt: `Here are the downloads.\n\n${elevenLinks}`,
    isWithdrawn: false,
    url: `${questionPath(thread, "Which VPN client do we use on Linux laptops")}#comment-${commentId}`,
    author: {
      isAnonymous: false,
      id: commenter.id,
      name: "Casey Commenter",
      handle: expect.any(String),
      role: "member",
      isNew: true,
      isSilenced: true,
    },
    flags: [],
    totalWeight: 0,
    hold: { reason: "new_account_links", message: hold?.message },
    oldest: hold?.createdAt,
  });

  const flagRows = await db
    .select()
    .from(flags)
    .where(eq(flags.targetId, String(flagged[0])));
  const flagOf = (flaggerId: string) => flagRows.find((row) => row.flaggerId === flaggerId);
  expect(flaggedItem).toEqual({
    ref: post(flagged[0] ?? 0),
    kindLabel: "question",
    title: "Printer on floor 3 prints blank pages",
    excerpt: expect.any(String),
    isWithdrawn: false,
    url: questionPath(flagged[0] ?? 0, "Printer on floor 3 prints blank pages"),
    author: {
      isAnonymous: false,
      id: firstAuthor.id,
      name: firstAuthor.name,
      handle: expect.any(String),
      role: "member",
      isNew: false,
      isSilenced: false,
    },
    flags: [
      {
        id: flagOf(veteran.id)?.id,
        reason: "spam",
        reasonLabel: FLAG_REASON_LABELS.spam,
        details: "Advertises a printer shop.",
        isNoteRemoved: false,
        duplicateOfId: null,
        createdAt: new Date(heldAt + 1000),
        // Upheld 1 of 2 decided: the flags waiting now don't count yet.
        flaggerUpheld: 1,
        flaggerDecided: 2,
        flaggerNewSince: null,
        weight: flagOf(veteran.id)?.weight,
      },
      {
        id: flagOf(newcomer.id)?.id,
        reason: "rude",
        reasonLabel: FLAG_REASON_LABELS.rude,
        details: "",
        isNoteRemoved: false,
        duplicateOfId: null,
        createdAt: new Date(heldAt + 60_000),
        flaggerUpheld: 0,
        flaggerDecided: 0,
        flaggerNewSince: expect.any(Date),
        weight: flagOf(newcomer.id)?.weight,
      },
    ],
    totalWeight: (flagOf(veteran.id)?.weight ?? 0) + (flagOf(newcomer.id)?.weight ?? 0),
    hold: null,
    oldest: new Date(heldAt + 1000),
  });
  expect(flaggedItem?.flags[1]?.flaggerNewSince?.getTime()).toBeGreaterThan(Date.now() - 86_400_000);

  // A smaller page is the oldest of the same list, and a page larger than the queue holds all of it.
  expect((await listReviewQueue(db, 3)).map((item) => item.ref.id)).toEqual(items.slice(0, 3).map((i) => i.ref.id));
  expect(await listReviewQueue(db, 1000)).toHaveLength(56);
});
