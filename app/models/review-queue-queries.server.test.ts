/**
 * The review queue's cost on the real database: a page of cards is read with the same few queries whether it shows one
 * card or twelve of every kind (questions, answers, a how-to, comments, a held comment, a session question, a profile,
 * an anonymous asker's posts), and each card still shows what the one-at-a-time look-ups showed.
 */
import type { Database } from "#db/client.server";
import { howtoPath } from "~/lib/howtos";
import { answerAnchor, questionPath } from "~/lib/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { countingDb } from "../../tests/fixtures/query-count";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { ANONYMOUS_NAME } from "./anonymity.server";
import { addComment } from "./comments.server";
import { flagContent } from "./flags.server";
import { type ContentRef, contentUrl, describeContent, getPendingHold } from "./holds.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { askQuestion } from "./questions.server";
import { type ReviewItem, listReviewQueue } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function queueWithQueries(): Promise<{ items: ReviewItem[]; queries: number }> {
  const statements: string[] = [];
  const items = await listReviewQueue(countingDb(database, statements));
  return { items, queries: statements.length };
}

const keyOf = (ref: ContentRef) => `${ref.type}:${ref.id}`;
const post = (id: number): ContentRef => ({ type: "post", id: String(id) });
const comment = (id: number): ContentRef => ({ type: "comment", id: String(id) });

/** More links than a new account's comment may carry before it is held. */
const links = Array.from({ length: 3 }, (_, i) => `- <https://offers${i}.example/deal>`).join("\n");

test("the review queue reads a page of twelve cards of every kind with as many queries as a page of one, and shows the same cards", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const [asker, helper, writer, commenter] = [
    await makePerson(db, { name: "Asha Asker" }),
    await makePerson(db, { name: "Hugo Helper" }),
    await makePerson(db, { name: "Wren Writer" }),
    await makePerson(db, { name: "Cleo Commenter" }),
  ];
  const flaggers = await Promise.all(Array.from({ length: 4 }, () => makePerson(db)));
  const base = Date.now() - 3_600_000;
  let flagged = 0;
  const flag = async (ref: ContentRef, details = "") => {
    const flagger = flaggers[flagged % flaggers.length];
    if (!flagger) throw new Error("no flaggers");
    await flagContent(db, {
      actor: flagger,
      targetType: ref.type,
      targetId: ref.id,
      reason: "rude",
      details,
      now: new Date(base + ++flagged * 1000),
    });
  };

  const question = await makeQuestion(db, asker, space, { title: "Printer on floor 3 prints blank pages" });
  await flag(post(question), "Insults the facilities team.");

  const one = await queueWithQueries();
  expect(one.items.map((item) => keyOf(item.ref))).toEqual([`post:${question}`]);
  expect(one.items[0]).toMatchObject({
    kindLabel: "question",
    title: "Printer on floor 3 prints blank pages",
    url: questionPath(question, "Printer on floor 3 prints blank pages"),
    author: { isAnonymous: false, id: asker.id, name: "Asha Asker" },
    flags: [{ details: "Insults the facilities team.", flaggerUpheld: 0, flaggerDecided: 0 }],
    hold: null,
  });

  // Eleven more, one of each kind and place.
  const answer = await makeAnswer(db, helper, question, { body: "Swap the toner cartridge, it is empty." });
  const howto = await makeHowto(db, writer, space, { title: "Clear a paper jam on the floor 3 printer" });
  const onQuestion = await addComment(db, { postId: question, actor: commenter, body: "Same on floor 4." });
  const onAnswer = await addComment(db, { postId: answer, actor: commenter, body: "That fixed it, thanks." });
  const badge = await makeQuestion(db, writer, space, { title: "Badge reader at the side door beeps twice" });
  const newcomer = await makePerson(db, { name: "Nico Newcomer", isNew: true });
  const held = await addComment(db, { postId: question, actor: newcomer, body: `Cheap toner here:\n\n${links}` });
  expect((await getPendingHold(db, comment(held.commentId)))?.reason).toBe("new_account_links");
  const session = await scheduled(db);
  const sessionAsker = await makePerson(db, { name: "Sami Session" });
  const { questionId: sessionQuestion } = await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: sessionAsker,
    body: "Why is the Wi-Fi so bad in room 12?",
    now: minutes(61),
  });
  const profileOwner = await makePerson(db, { name: "Pat Profile" });
  const quiet = await makePerson(db, { name: "Quinn Quiet" });
  const { questionId: anonymous } = await askQuestion(db, {
    actor: quiet,
    spaceId: space,
    title: "Can my manager read my chat messages?",
    body: "I saw my manager quote a private chat of mine in a meeting. Can they read them?",
    tags: "chat",
    isPlainLanguage: true,
    isAnonymous: true,
  });
  const ownAnswer = await makeAnswer(db, quiet, anonymous, { body: "Adding: this is on my work laptop only." });
  const ownComment = await addComment(db, { postId: anonymous, actor: quiet, body: "It is the Teams app." });
  for (const ref of [
    post(answer),
    post(howto),
    comment(onQuestion.commentId),
    comment(onAnswer.commentId),
    post(badge),
    { type: "session_question", id: String(sessionQuestion) } as const,
    { type: "user", id: profileOwner.id } as const,
    post(anonymous),
    post(ownAnswer),
    comment(ownComment.commentId),
  ])
    await flag(ref);

  const twelve = await queueWithQueries();
  expect(twelve.items).toHaveLength(12);
  expect(twelve.queries).toBe(one.queries);

  // Each card as a moderator sees it: its kind, its thread's title, where it is, and who wrote it.
  const questionUrl = questionPath(question, "Printer on floor 3 prints blank pages");
  const anonymousUrl = questionPath(anonymous, "Can my manager read my chat messages?");
  const cards = Object.fromEntries(
    twelve.items.map((item) => [
      keyOf(item.ref),
      [item.kindLabel, item.title, item.url, item.author.name, item.hold?.reason ?? null, item.flags.length],
    ]),
  );
  const printer = "Printer on floor 3 prints blank pages";
  const chat = "Can my manager read my chat messages?";
  const jam = "Clear a paper jam on the floor 3 printer";
  expect(cards).toEqual({
    [`post:${question}`]: ["question", printer, questionUrl, "Asha Asker", null, 1],
    [`post:${answer}`]: [
      "answer",
      printer,
      `${questionPath(question)}#${answerAnchor(answer)}`,
      "Hugo Helper",
      null,
      1,
    ],
    [`post:${howto}`]: ["how-to", jam, howtoPath(howto), "Wren Writer", null, 1],
    [`comment:${onQuestion.commentId}`]: [
      "comment",
      printer,
      `${questionUrl}#comment-${onQuestion.commentId}`,
      "Cleo Commenter",
      null,
      1,
    ],
    [`comment:${onAnswer.commentId}`]: [
      "comment",
      printer,
      `${questionPath(question)}#comment-${onAnswer.commentId}`,
      "Cleo Commenter",
      null,
      1,
    ],
    [`post:${badge}`]: [
      "question",
      "Badge reader at the side door beeps twice",
      questionPath(badge, "Badge reader at the side door beeps twice"),
      "Wren Writer",
      null,
      1,
    ],
    [`comment:${held.commentId}`]: [
      "comment",
      printer,
      `${questionUrl}#comment-${held.commentId}`,
      "Nico Newcomer",
      "new_account_links",
      0,
    ],
    [`session_question:${sessionQuestion}`]: [
      "session question",
      "Ask me anything about Wi-Fi roaming",
      `/sessions/${session.officeHoursId}#q-${sessionQuestion}`,
      "Sami Session",
      null,
      1,
    ],
    [`user:${profileOwner.id}`]: ["profile", "Pat Profile", null, "Pat Profile", null, 1],
    [`post:${anonymous}`]: ["question", chat, anonymousUrl, ANONYMOUS_NAME, null, 1],
    [`post:${ownAnswer}`]: [
      "answer",
      chat,
      `${questionPath(anonymous)}#${answerAnchor(ownAnswer)}`,
      ANONYMOUS_NAME,
      null,
      1,
    ],
    [`comment:${ownComment.commentId}`]: [
      "comment",
      chat,
      `${anonymousUrl}#comment-${ownComment.commentId}`,
      ANONYMOUS_NAME,
      null,
      1,
    ],
  });
  const byKey = new Map(twelve.items.map((item) => [keyOf(item.ref), item]));
  expect(byKey.get(`comment:${onAnswer.commentId}`)?.excerpt).toBe("That fixed it, thanks.");
  expect(byKey.get(`comment:${held.commentId}`)?.author).toMatchObject({ isAnonymous: false, isNew: true });
  expect(byKey.get(`session_question:${sessionQuestion}`)?.excerpt).toBe("Why is the Wi-Fi so bad in room 12?");
  // The anonymous asker's cards name nobody: the thread's question is all that is said.
  for (const ref of [post(anonymous), post(ownAnswer), comment(ownComment.commentId)])
    expect(byKey.get(keyOf(ref))?.author).toEqual({
      isAnonymous: true,
      name: ANONYMOUS_NAME,
      handle: null,
      questionId: anonymous,
    });
  expect(JSON.stringify(twelve.items)).not.toContain(quiet.id);
  // And every card says what the one-at-a-time look-ups (the flag form's, the notices') say of the same thing.
  for (const item of twelve.items) {
    const described = await describeContent(db, item.ref);
    expect(item).toMatchObject({
      kindLabel: described?.kindLabel,
      title: described?.title,
      excerpt: described?.excerpt,
      isWithdrawn: described?.isWithdrawn,
      url: await contentUrl(db, item.ref),
    });
  }
}, 120_000);
