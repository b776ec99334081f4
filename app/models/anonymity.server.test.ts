/** Asking without your name, on the real database: no page, list, search document, notification, email or log names the asker. */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, moderationLog, posts } from "#db/schema";
import { loadSearchDocuments } from "~/search/documents.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeAnswer, sampleBody } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { ANONYMOUS_NAME, isAnonymousQuestion, revealAsker } from "./anonymity.server";
import { addComment } from "./comments.server";
import { queueNotificationEmails } from "./email.server";
import { getImpactSummary } from "./impact.server";
import { listModerationLog } from "./moderation.server";
import { follow, listNotifications } from "./notifications.server";
import type { SignedInActor } from "./post-errors.server";
import { listUnansweredOldestFirst } from "./pulse.server";
import { askQuestion } from "./questions.server";
import { getQuestionPage } from "./question-thread.server";
import { getRevisionHistory } from "./question-history.server";
import { listQuestions, listRecentQuestions } from "./question-lists.server";
import { RateLimitedError } from "./rate-limits.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const ASKER_NAME = "Shy Sam Quietly";

async function askAnonymously(
  actor: SignedInActor,
  spaceId: number,
  title = "Is it bad that I never restart my laptop?",
) {
  const { questionId } = await askQuestion(database.db, {
    actor,
    spaceId,
    title,
    body: `${sampleBody} @watcher-handle can you look?`,
    tags: "laptop",
    isPlainLanguage: true,
    isAnonymous: true,
  });
  return questionId;
}

/** Everything in `value`, as text: no surface may contain the asker's name or handle anywhere. */
function text(value: unknown): string {
  return JSON.stringify(value);
}

describe("a question asked as someone from the community", () => {
  test("its page, lists, revisions, search documents and pulse show no name, no handle", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: ASKER_NAME });
    const [row] = await db.select().from(posts).where(eq(posts.authorId, asker.id));
    expect(row).toBeUndefined();
    const spaceId = await makeSpace(db);
    const questionId = await askAnonymously(asker, spaceId);
    expect(await isAnonymousQuestion(db, questionId)).toBe(true);
    // The asker answers their own question and comments in it: still unnamed there.
    const ownAnswer = await makeAnswer(db, asker, questionId);
    await addComment(db, { postId: questionId, actor: asker, body: "I use a Windows laptop from 2021." });
    const helper = await makePerson(db, { name: "Helpful Hana" });
    const helperAnswer = await makeAnswer(db, helper, questionId);
    await addComment(db, { postId: helperAnswer, actor: asker, body: "Thanks, that explains the updates!" });

    const page = await getQuestionPage(db, questionId);
    expect(page?.question.authorName).toBe(ANONYMOUS_NAME);
    expect(page?.question.authorHandle).toBeNull();
    expect(page?.answers.find((a) => a.id === ownAnswer)?.authorName).toBe(ANONYMOUS_NAME);
    expect(page?.answers.find((a) => a.id === helperAnswer)?.authorName).toBe("Helpful Hana");
    expect(page?.questionComments[0]?.authorName).toBe(ANONYMOUS_NAME);
    expect(page?.answers.find((a) => a.id === helperAnswer)?.comments[0]?.authorName).toBe(ANONYMOUS_NAME);
    const surfaces = [
      page,
      await listRecentQuestions(db, { spaceId }),
      await listQuestions(db, { spaceId }),
      await getRevisionHistory(db, questionId),
      await getRevisionHistory(db, ownAnswer),
      (await loadSearchDocuments(db, [questionId, ownAnswer, helperAnswer])).documents,
    ];
    for (const surface of surfaces) {
      expect(text(surface)).not.toContain(ASKER_NAME);
      expect(text(surface)).not.toContain(asker.id);
    }
    const { documents } = await loadSearchDocuments(db, [questionId, ownAnswer]);
    expect(documents.map((d) => d.authorName)).toEqual([ANONYMOUS_NAME, ANONYMOUS_NAME]);
    const unanswered = await listUnansweredOldestFirst(db, spaceId, { now: new Date(Date.now() + 60_000) });
    expect(text(unanswered)).not.toContain(ASKER_NAME);
  });

  test("notifications and emails to others don't name the asker; the asker still hears of answers and accepts", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: ASKER_NAME });
    const spaceId = await makeSpace(db);
    const fan = await makePerson(db, { name: "Fan Of Sam" });
    const tagWatcher = await makePerson(db, { name: "Tag Watcher" });
    await follow(db, fan.id, { type: "user", key: asker.id });
    await follow(db, tagWatcher.id, { type: "tag", key: "laptop" });
    const questionId = await askAnonymously(asker, spaceId, "Why does my laptop fan spin all the time?");

    // Following the asker must not reveal that they asked it; following the tag announces it without a name.
    expect((await listNotifications(db, fan.id)).items).toEqual([]);
    const announced = (await listNotifications(db, tagWatcher.id)).items;
    expect(announced.map((n) => [n.kind, n.actorName])).toEqual([["new_post", ANONYMOUS_NAME]]);

    const helper = await makePerson(db, { name: "Helpful Hana" });
    const answerId = await makeAnswer(db, helper, questionId);
    const askerHears = (await listNotifications(db, asker.id)).items;
    expect(askerHears.map((n) => [n.kind, n.actorName])).toEqual([["answer", "Helpful Hana"]]);

    await addComment(db, { postId: answerId, actor: asker, body: "Does that work on battery power too?" });
    await acceptAnswer(db, { answerId, actor: asker });
    const helperHears = (await listNotifications(db, helper.id)).items;
    expect(helperHears.map((n) => n.kind).sort()).toEqual(["accepted", "comment"]);
    expect(helperHears.every((n) => n.actorName === ANONYMOUS_NAME)).toBe(true);
    expect((await getImpactSummary(db, helper.id)).acceptedAnswers).toBe(1);

    await queueNotificationEmails({ db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) });
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.userId, helper.id));
    const watcherMails = await db.select().from(emailOutbox).where(eq(emailOutbox.userId, tagWatcher.id));
    expect(mails.length + watcherMails.length).toBeGreaterThan(0);
    expect(text([mails, watcherMails])).not.toContain(ASKER_NAME);
  });

  test("rate limits and bans still apply to the real account", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: ASKER_NAME });
    const spaceId = await makeSpace(db);
    for (let i = 0; i < 10; i++) await askAnonymously(asker, spaceId, `Anonymous question number ${i} about laptops`);
    const limited = await askAnonymously(asker, spaceId, "One question too many about laptops").then(
      () => null,
      (error: unknown) => error,
    );
    expect(limited).toBeInstanceOf(RateLimitedError);
    const banned = await makePerson(db, { banned: true });
    const refused = await rejection(askAnonymously(banned, spaceId));
    expect(refused.status).toBe(403);
  });

  test("moderators can reveal the asker, with a reason; the public log says who looked, never who asked", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: ASKER_NAME });
    const moderator = await makePerson(db, { role: "moderator", name: "Mod Mia" });
    const questionId = await askAnonymously(asker, await makeSpace(db));
    const member = await rejection(revealAsker(db, { actor: await makePerson(db), questionId, reason: "curious" }));
    expect(member.status).toBe(403);
    const noReason = await rejection(revealAsker(db, { actor: moderator, questionId, reason: "" }));
    expect(noReason.fieldErrors.reason).toBeTruthy();
    const revealed = await revealAsker(db, { actor: moderator, questionId, reason: "Flagged as abusive" });
    expect(revealed.name).toBe(ASKER_NAME);
    const entries = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.revealAsker"), eq(moderationLog.targetId, String(questionId))));
    expect(entries.map((e) => [e.actorId, e.reason])).toEqual([[moderator.id, "Flagged as abusive"]]);
    const log = await listModerationLog(db);
    expect(text(log)).not.toContain(ASKER_NAME);
    expect(text(log)).not.toContain(asker.id);
  });

  test("a question asked with a name shows it as before", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Open Olga" });
    const { questionId } = await askQuestion(db, {
      actor: asker,
      spaceId: await makeSpace(db),
      title: "Where do I find the printer settings?",
      body: sampleBody,
      tags: "printer",
      isPlainLanguage: false,
    });
    expect((await getQuestionPage(db, questionId))?.question.authorName).toBe("Open Olga");
    expect(await isAnonymousQuestion(db, questionId)).toBe(false);
  });
});
