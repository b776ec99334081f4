/**
 * The database announces page cache tags for every kind of write a public page shows (the triggers of the page cache
 * migration): heard on the channel only once the write commits, never for a rolled-back one.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts, users, votes } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "~/models/answers.server";
import { addComment } from "~/models/comments.server";
import { thankAnswer } from "~/models/feedback.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import { editQuestion, moveQuestion } from "~/models/questions.server";
import { toggleVote } from "~/models/votes.server";
import { updateSpace } from "~/models/spaces.server";
import { updateProfile } from "~/models/users.server";
import { PAGE_CACHE_CHANNEL } from "~/server/page-cache-http.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
let heard: string[][] = [];
let onBarrier: (id: string) => void = () => {};
let stop: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  stop = await database.listen(PAGE_CACHE_CHANNEL, (payload) => {
    const { tags, barrier } = JSON.parse(payload) as { tags?: string[]; barrier?: string };
    if (tags) heard.push(tags);
    if (barrier) onBarrier(barrier);
  });
});

afterAll(async () => {
  await stop();
  await database.close();
});

/** Sends a barrier and waits for it to come back: every notification committed before it has then been heard. */
async function barrier(): Promise<void> {
  const marker = `barrier-${Math.random()}`;
  const heardBack = new Promise<void>((resolve) => {
    onBarrier = (id) => {
      if (id === marker) resolve();
    };
  });
  await database.db.execute(sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: marker })})`);
  await heardBack;
}

/**
 * Runs a write and returns every tag announced between a barrier before it (so the set-up's own announcements, which
 * PostgreSQL may deliver a moment after their commit, are not counted) and one after it (NOTIFYs arrive in commit order).
 */
async function tagsOf(write: () => Promise<unknown>): Promise<Set<string>> {
  await barrier();
  heard = [];
  await write();
  await barrier();
  return new Set(heard.flat());
}

test("questions, answers, comments, votes, accepting, edits, moves and deletions announce the thread and the lists", async () => {
  const db = database.db;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const otherSpaceId = await makeSpace(db);
  let questionId = 0;
  const onQuestion = await tagsOf(async () => (questionId = await makeQuestion(db, asker, spaceId)));
  expect([...onQuestion]).toEqual(
    expect.arrayContaining([`post:${questionId}`, "lists", "list-rows", `space:${spaceId}`]),
  );
  let answerId = 0;
  const onAnswer = await tagsOf(async () => (answerId = await makeAnswer(db, helper, questionId)));
  expect([...onAnswer]).toEqual(
    expect.arrayContaining([`post:${questionId}`, "lists", "list-rows", `space:${spaceId}`]),
  );
  expect([...onAnswer]).not.toContain(`space:${otherSpaceId}`);
  expect([...onAnswer].some((tag) => tag === `post:${answerId}`)).toBe(false);

  // Whether each write changes a list's rows (list-rows: home, /questions, spaces, /howtos) or only the thread and
  // activity numbers (lists: profiles, the pulse).
  const writes: [string, () => Promise<unknown>, boolean][] = [
    [
      "comment on the question",
      () => addComment(db, { postId: questionId, actor: asker, body: "Same here on the third floor, every Monday." }),
      false,
    ],
    [
      "comment on the answer",
      () => addComment(db, { postId: answerId, actor: asker, body: "Thanks, that was it: the lifetime differed." }),
      false,
    ],
    ["vote on the answer", () => toggleVote(db, { postId: answerId, actor: asker, direction: "up" }), false],
    ["vote on the question", () => toggleVote(db, { postId: questionId, actor: helper, direction: "up" }), true],
    ["accept", () => acceptAnswer(db, { answerId, actor: asker }), true],
    ["thanks", () => thankAnswer(db, { answerId, actor: asker }), false],
    [
      "edit",
      () =>
        editQuestion(db, {
          questionId,
          actor: asker,
          title: "The VPN drops every hour on the hour",
          body: "Still happening after the update, every 60 minutes.",
          tags: "vpn windows",
          isPlainLanguage: false,
        }),
      true,
    ],
    ["move", () => moveQuestion(db, { questionId, spaceId: otherSpaceId, actor: moderator }), true],
    [
      "moderator deletion of the answer",
      () => deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "spam" }),
      true,
    ],
  ];
  for (const [name, write, listRows] of writes) {
    const tags = await tagsOf(write);
    expect({
      name,
      hasThread: tags.has(`post:${questionId}`),
      hasLists: tags.has("lists"),
      hasListRows: tags.has("list-rows"),
      // The space pages it drops: the question's (both, for a move), only with the lists' rows.
      spaces: [...tags].filter((tag) => tag.startsWith("space:")).sort(),
    }).toEqual({
      name,
      hasThread: true,
      hasLists: true,
      hasListRows: listRows,
      spaces: !listRows
        ? []
        : name === "move"
          ? [`space:${spaceId}`, `space:${otherSpaceId}`].sort()
          : [`space:${name === "moderator deletion of the answer" ? otherSpaceId : spaceId}`],
    });
  }
  // An answer's score alone is no list's business; its deletion is (the answer count), even written directly.
  expect(await tagsOf(() => db.update(posts).set({ score: 7 }).where(eq(posts.id, answerId)))).not.toContain(
    "list-rows",
  );
  expect(await tagsOf(() => db.update(posts).set({ deletedAt: null }).where(eq(posts.id, answerId)))).toContain(
    "list-rows",
  );
});

test("a space rename or a profile change drops everything; a sign-in bookkeeping update drops nothing", async () => {
  const db = database.db;
  const person = await makePerson(db);
  const spaceId = await makeSpace(db);
  expect(
    await tagsOf(() =>
      updateSpace(db, { spaceId, name: "Renamed space", description: "", isPlainLanguage: false, by: person.id }),
    ),
  ).toContain("*");
  const profile = {
    name: "A new display name",
    bio: "",
    audience: "it" as const,
    openToMentoring: false,
    expertise: [],
  };
  expect(await tagsOf(() => updateProfile(db, person.id, profile))).toContain("*");
  expect([
    ...(await tagsOf(() => db.update(users).set({ updatedAt: new Date() }).where(eq(users.id, person.id)))),
  ]).toEqual([]);
});

test("a write that rolls back announces nothing", async () => {
  const db = database.db;
  const asker = await makePerson(db);
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId);
  const tags = await tagsOf(async () => {
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`update posts set score = score + 1 where id = ${questionId}`);
        throw new Error("changed my mind");
      })
      .catch(() => {});
  });
  expect([...tags]).toEqual([]);
});

test("a bulk write touching more than 100 threads announces everything, in one message", async () => {
  const db = database.db;
  const author = await makePerson(db);
  const spaceId = await makeSpace(db);
  const rows = Array.from({ length: 120 }, (_, i) => ({
    kind: "question" as const,
    spaceId,
    authorId: author.id,
    title: `Imported ${i}`,
    bodyMd: "x",
    bodyHtml: "<p>x</p>",
  }));
  let ids: number[] = [];
  expect([
    ...(await tagsOf(
      async () => (ids = (await db.insert(posts).values(rows).returning({ id: posts.id })).map((r) => r.id)),
    )),
  ]).toEqual(["*"]);
  const voter = await makePerson(db);
  expect([
    ...(await tagsOf(() => db.insert(votes).values(ids.map((postId) => ({ postId, userId: voter.id, value: 1 }))))),
  ]).toEqual(["*"]);
});
