/**
 * The same write sent twice at once (a double tap, two tabs, two people together): nothing fails, nothing is counted
 * twice, and a threshold reached by votes arriving together is reached. On PGlite the transactions queue by nature;
 * CI runs this file on PostgreSQL with a pool too, where they really do overlap.
 */
import { and, count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { answerThanks, closeVotes, helpRatings, moderationLog, notifications, userTrust } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { getCloseVotesNeeded } from "./close-settings.server";
import { closeQuestion, reopenQuestion } from "./close.server";
import { getClosure } from "./closure.server";
import { rateHelp, thankAnswer } from "./feedback.server";
import { editQuestion } from "./questions.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function trusted() {
  const person = await makePerson(database.db);
  await database.db.insert(userTrust).values({ userId: person.id, level: 2 });
  return person;
}

function fulfilled<T>(results: PromiseSettledResult<T>[]): T[] {
  const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
  expect(failures).toEqual([]);
  return results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
}

describe("the same write twice at once", () => {
  test("the last close votes arriving together close the question, once; reopen votes together reopen it, once", async () => {
    const { db } = database;
    const needed = await getCloseVotesNeeded(db);
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const voters = await Promise.all(Array.from({ length: needed }, () => trusted()));
    for (const voter of voters.slice(0, needed - 2))
      await closeQuestion(db, { actor: voter, questionId, reason: "off_topic" });
    const outcomes = fulfilled(
      await Promise.allSettled(
        voters.slice(needed - 2, needed).map((actor) => closeQuestion(db, { actor, questionId, reason: "off_topic" })),
      ),
    );
    expect(outcomes.filter((o) => o.isClosed)).toHaveLength(1);
    expect(await getClosure(db, questionId)).toMatchObject({ reason: "off_topic", byVote: true });
    const closings = await db
      .select({ n: count() })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.close"), eq(moderationLog.targetId, String(questionId))));
    expect(closings[0]?.n).toBe(1);

    // A vote that arrives after it closed is told so; none is left waiting.
    const late = await rejection(closeQuestion(db, { actor: await trusted(), questionId, reason: "off_topic" }));
    expect(late.message).toMatch(/already closed/);
    const waiting = await db.select({ n: count() }).from(closeVotes).where(eq(closeVotes.questionId, questionId));
    expect(waiting[0]?.n).toBe(0);

    // The question is edited (reopen votes judge an edit), then the last reopen votes arrive together.
    const moderator = await makePerson(db, { role: "moderator" });
    await editQuestion(db, {
      questionId,
      actor: moderator,
      title: "A clearer title for the question that was closed",
      body: "The question, now with the details it was closed for lacking: which app, which error, since when.",
      tags: "vpn",
      isPlainLanguage: false,
    });
    for (const voter of voters.slice(0, needed - 2)) await reopenQuestion(db, { actor: voter, questionId });
    const reopenings = fulfilled(
      await Promise.allSettled(
        voters.slice(needed - 2, needed).map((actor) => reopenQuestion(db, { actor, questionId })),
      ),
    );
    expect(reopenings.filter((o) => !o.isClosed)).toHaveLength(1);
    expect(await getClosure(db, questionId)).toBeNull();
    const reopenLog = await db
      .select({ n: count() })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.reopen"), eq(moderationLog.targetId, String(questionId))));
    expect(reopenLog[0]?.n).toBe(1);
  });

  test("the asker's first rating sent twice at once is stored once", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const answerId = await makeAnswer(db, await makePerson(db), questionId);
    await acceptAnswer(db, { answerId, actor: asker });
    const results = fulfilled(
      await Promise.allSettled(
        [5, 4].map((rating) =>
          rateHelp(db, { questionId, actor: asker, rating, comment: "Fixed it in five minutes." }),
        ),
      ),
    );
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    const rows = await db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId));
    expect(rows).toHaveLength(1);
  });

  test("thanks sent twice at once counts once and tells the helper once", async () => {
    const { db } = database;
    const helper = await makePerson(db);
    const answerId = await makeAnswer(db, helper, await makeQuestion(db, await makePerson(db), await makeSpace(db)));
    const reader = await makePerson(db);
    const results = fulfilled(await Promise.allSettled([1, 2].map(() => thankAnswer(db, { answerId, actor: reader }))));
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    const [thanks] = await db.select({ n: count() }).from(answerThanks).where(eq(answerThanks.answerId, answerId));
    expect(thanks?.n).toBe(1);
    const [told] = await db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, helper.id), eq(notifications.kind, "thanks")));
    expect(told?.n).toBe(1);
  });
});
