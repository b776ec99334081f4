/** Question lists: each sort order, tag and period filters, and keyset pages that never repeat or skip a question. */
import { eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts } from "#db/schema";
import type { QuestionSort, TopPeriod } from "~/lib/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { encodeListCursor } from "./list-cursors.server";
import type { SignedInActor } from "./post-errors.server";
import {
  type QuestionListOptions,
  decodeQuestionCursor,
  listQuestions,
  listRecentQuestions,
  listRelatedQuestions,
} from "./question-lists.server";
import { closeQuestion, reopenQuestion } from "./close.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import { getServiceLevels } from "./pulse.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
let spaceId: number;
let otherSpaceId: number;
const questionIds: number[] = [];
const NOW = new Date("2033-06-15T12:00:00.000Z");
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  spaceId = await makeSpace(db);
  otherSpaceId = await makeSpace(db);
  const people: SignedInActor[] = [];
  for (let i = 0; i < 6; i++) people.push(await makePerson(db));
  // 26 questions over 60 days; groups of three share the exact same time to exercise the id tie-breaker.
  for (let i = 0; i < 26; i++) {
    const author = people[i % people.length];
    if (!author) throw new Error("no author");
    const at = new Date(NOW.getTime() - Math.floor(i / 3) * 7 * DAY - (i % 2) * 1234);
    questionIds.push(
      await makeQuestion(database.db, author, spaceId, { now: at, tags: i % 2 === 0 ? "vpn, windows-11" : "dns" }),
    );
  }
  // Scores with ties; a few answers (which move those questions up in "active"); one question elsewhere.
  for (const [i, id] of questionIds.entries())
    await db
      .update(posts)
      .set({ score: (i * 7) % 5 })
      .where(eq(posts.id, id));
  const helper = await makePerson(db);
  for (const [n, i] of [3, 8, 15, 21].entries()) {
    const id = questionIds[i];
    if (id !== undefined) await makeAnswer(db, helper, id, { now: new Date(NOW.getTime() + (n + 1) * 60_000) });
  }
  const outsider = people[0];
  if (outsider) await makeQuestion(db, outsider, otherSpaceId, { now: NOW, tags: "vpn" });
});
afterAll(async () => {
  await database?.close();
});

/** The expected order, computed here from the rows themselves rather than by the code under test. */
async function expectedOrder(sort: QuestionSort, { tag, period }: { tag?: string; period?: TopPeriod } = {}) {
  const rows = await database.db
    .select({
      id: posts.id,
      createdAt: posts.createdAt,
      lastActivityAt: posts.lastActivityAt,
      score: posts.score,
      answerCount: posts.answerCount,
      deletedAt: posts.deletedAt,
    })
    .from(posts)
    .where(inArray(posts.id, questionIds));
  const tagged = tag ? new Set(questionIds.filter((_, i) => (tag === "dns" ? i % 2 === 1 : i % 2 === 0))) : null;
  const days = period === "week" ? 7 : period === "month" ? 30 : null;
  const key = (r: (typeof rows)[number]) =>
    sort === "top" ? r.score : sort === "active" ? r.lastActivityAt.getTime() : r.createdAt.getTime();
  return rows
    .filter(
      (r) =>
        !r.deletedAt &&
        (!tagged || tagged.has(r.id)) &&
        (sort !== "unanswered" || r.answerCount === 0) &&
        (days === null || r.createdAt.getTime() >= NOW.getTime() - days * DAY),
    )
    .sort((a, b) => key(b) - key(a) || b.id - a.id)
    .map((r) => r.id);
}

/** Reads every page forward, then every page back again from the last one. */
async function walk(options: QuestionListOptions) {
  const forward: number[][] = [];
  let after: string | null = null;
  let lastPage: Awaited<ReturnType<typeof listQuestions>> | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page = await listQuestions(database.db, { ...options, spaceId, after, limit: 4, now: NOW });
    forward.push(page.questions.map((q) => q.id));
    lastPage = page;
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  const backward: number[][] = [];
  let before = lastPage?.prevCursor ?? null;
  while (before) {
    const page = await listQuestions(database.db, { ...options, spaceId, before, limit: 4, now: NOW });
    backward.unshift(page.questions.map((q) => q.id));
    before = page.prevCursor;
  }
  return { forward, backward };
}

const cases: { name: string; sort: QuestionSort; tag?: string; period?: TopPeriod }[] = [
  { name: "newest first", sort: "newest" },
  { name: "recently active first (answers count as activity)", sort: "active" },
  { name: "unanswered, newest first", sort: "unanswered" },
  { name: "top of all time", sort: "top" },
  { name: "top this month", sort: "top", period: "month" },
  { name: "top this week", sort: "top", period: "week" },
  { name: "newest tagged dns", sort: "newest", tag: "dns" },
  { name: "top tagged vpn", sort: "top", tag: "vpn" },
];

describe.each(cases)("listing questions: $name", ({ sort, tag, period }) => {
  test("pages of four cover every matching question once, in order, forwards and backwards", async () => {
    const expected = await expectedOrder(sort, { tag, period });
    expect(expected.length).toBeGreaterThan(0);
    const { forward, backward } = await walk({ sort, tag, period });
    expect(forward.flat()).toEqual(expected);
    expect(forward.every((p) => p.length > 0)).toBe(true);
    expect(forward.slice(0, -1).every((p) => p.length === 4)).toBe(true);
    expect(backward).toEqual(forward.slice(0, -1));
  });
});

describe("list details", () => {
  test("rows show votes, answers, solved state, tags, author and space; questions from other spaces stay out", async () => {
    const page = await listQuestions(database.db, { spaceId, sort: "active", limit: 1, now: NOW });
    const [row] = page.questions;
    expect(row).toMatchObject({ id: questionIds[21], answerCount: 1, isSolved: false, tags: ["dns"] });
    expect(row?.author.name).toMatch(/^Person \d+$/);
    const everywhere = await listQuestions(database.db, { sort: "newest", tag: "vpn", limit: 100, now: NOW });
    expect(everywhere.questions.some((q) => q.space.name !== row?.space.name)).toBe(true);
  });

  test("a question asked while someone reads page one does not repeat on page two", async () => {
    const first = await listQuestions(database.db, { spaceId, sort: "newest", limit: 4, now: NOW });
    const asker = await makePerson(database.db);
    const fresh = await makeQuestion(database.db, asker, spaceId, { now: new Date(NOW.getTime() + 1000) });
    const second = await listQuestions(database.db, {
      spaceId,
      sort: "newest",
      after: first.nextCursor,
      limit: 4,
      now: NOW,
    });
    const seen = [...first.questions, ...second.questions].map((q) => q.id);
    expect(new Set(seen).size).toBe(8);
    expect(seen).not.toContain(fresh);
    await deleteQuestionOrAnswer(database.db, { postId: fresh, actor: asker });
  });

  test("cursors are opaque, exact to the microsecond, and ignored when tampered with or from another sort", async () => {
    const cursor = encodeListCursor({ sort: "newest", key: "2033-06-15T12:00:00.123456Z", id: 5 });
    expect(cursor).not.toContain("2033");
    expect(decodeQuestionCursor(cursor, "newest")).toEqual({
      sort: "newest",
      key: "2033-06-15T12:00:00.123456Z",
      id: 5,
    });
    expect(decodeQuestionCursor(cursor, "top")).toBeNull();
    expect(decodeQuestionCursor("not-base64-json", "newest")).toBeNull();
    expect(
      decodeQuestionCursor(encodeListCursor({ sort: "newest", key: "1; drop table posts", id: 1 }), "newest"),
    ).toBeNull();
    const firstPage = await listQuestions(database.db, { spaceId, sort: "newest", limit: 4, now: NOW });
    const tampered = await listQuestions(database.db, {
      spaceId,
      sort: "newest",
      after: "garbage",
      limit: 4,
      now: NOW,
    });
    expect(tampered.questions.map((q) => q.id)).toEqual(firstPage.questions.map((q) => q.id));
    expect(firstPage.prevCursor).toBeNull();
  });

  test("deleted questions leave the lists", async () => {
    const asker = await makePerson(database.db);
    const doomed = await makeQuestion(database.db, asker, spaceId, { now: new Date(NOW.getTime() + 5000) });
    expect((await listQuestions(database.db, { spaceId, sort: "newest", limit: 1, now: NOW })).questions[0]?.id).toBe(
      doomed,
    );
    await deleteQuestionOrAnswer(database.db, { postId: doomed, actor: asker });
    expect(
      (await listQuestions(database.db, { spaceId, sort: "newest", limit: 1, now: NOW })).questions[0]?.id,
    ).not.toBe(doomed);
  });
});

describe("related questions", () => {
  test("questions in the same space sharing the most tags come first; the question itself, other spaces and deleted ones never", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const relatedSpace = await makeSpace(db);
    const subject = await makeQuestion(db, asker, relatedSpace, { tags: "exchange, certificates, hybrid" });
    const sharesTwo = await makeQuestion(db, asker, relatedSpace, { tags: "exchange, hybrid" });
    const sharesOne = await makeQuestion(db, asker, relatedSpace, { tags: "certificates" });
    await makeQuestion(db, asker, relatedSpace, { tags: "printers" });
    const deleted = await makeQuestion(db, asker, relatedSpace, { tags: "exchange, certificates, hybrid" });
    await deleteQuestionOrAnswer(db, { postId: deleted, actor: asker });
    await makeQuestion(db, asker, await makeSpace(db), { tags: "exchange, certificates, hybrid" });
    expect((await listRelatedQuestions(db, subject)).map((q) => q.id)).toEqual([sharesTwo, sharesOne]);
  });
});

describe("closed questions", () => {
  /** A space with an original, a duplicate of it, an off-topic question and an open one, none answered yet. */
  async function closedSetting() {
    const { db } = database;
    const asker = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const closedSpace = await makeSpace(db);
    const ask = (title: string) => makeQuestion(db, asker, closedSpace, { title, tags: "closing-lists" });
    const original = await ask("How do I reset my VPN password from home?");
    const duplicate = await ask("VPN password reset at home: how?");
    const offTopic = await ask("Which pizza place near the office is best?");
    const open = await ask("Why does Outlook ask for my password every morning?");
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicate,
      reason: "duplicate",
      duplicateOf: String(original),
    });
    await closeQuestion(db, { actor: moderator, questionId: offTopic, reason: "off_topic" });
    return { moderator, closedSpace, original, duplicate, offTopic, open };
  }

  test("every list shows a closed question as closed, and a duplicate with the original its link leads to", async () => {
    const { db } = database;
    const { closedSpace, original, duplicate, offTopic, open } = await closedSetting();
    const pages = [
      (await listQuestions(db, { spaceId: closedSpace, sort: "newest" })).questions,
      (await listQuestions(db, { spaceId: closedSpace, sort: "active" })).questions,
      (await listQuestions(db, { spaceId: closedSpace, sort: "top" })).questions,
      (await listQuestions(db, { tag: "closing-lists", sort: "newest" })).questions,
      await listRecentQuestions(db, { spaceId: closedSpace }),
    ];
    for (const rows of pages) {
      const closureOf = (id: number) => rows.find((row) => row.id === id)?.closure;
      expect(closureOf(duplicate)).toEqual({
        reason: "duplicate",
        original: { id: original, title: "How do I reset my VPN password from home?" },
      });
      expect(closureOf(offTopic)).toEqual({ reason: "off_topic", original: null });
      expect(closureOf(open)).toBeNull();
      expect(closureOf(original)).toBeNull();
    }
  });

  test("the unanswered list leaves closed questions out, agreeing with the pulse's count; reopened, one is back", async () => {
    const { db } = database;
    const { moderator, closedSpace, original, duplicate, offTopic, open } = await closedSetting();
    const unanswered = async () =>
      (await listQuestions(db, { spaceId: closedSpace, sort: "unanswered" })).questions.map((row) => row.id);
    expect(await unanswered()).toEqual([open, original]);
    const pulse = await getServiceLevels(
      db,
      { kind: "space", spaceId: closedSpace },
      { days: 30, now: new Date(Date.now() + 60_000) },
    );
    expect(pulse.unansweredBacklog).toBe(2);
    await reopenQuestion(db, { actor: moderator, questionId: offTopic });
    expect(await unanswered()).toEqual([open, offTopic, original]);
    expect(await unanswered()).not.toContain(duplicate);
  });
});
