/**
 * /me/moderation's cost on the real database: a person's page of posts waiting for review is read with the same
 * queries whether one thing of theirs is held or twelve of every kind (questions, answers, a how-to, comments on
 * questions and answers, session questions, an anonymous question), and each card still says what it is and links where it will appear.
 * Profiles are never held (only flagged), so none is among them.
 */
import type { AppLoadContext } from "@remix-run/node";
import { DomUtils, parseDocument } from "htmlparser2";
import { eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { answerAnchor, questionPath } from "~/lib/qa";
import { addComment } from "~/models/comments.server";
import { type ContentRef, decideHold, holdContent } from "~/models/holds.server";
import { askInOfficeHours } from "~/models/office-hours-queue.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { askQuestion } from "~/models/questions.server";
import MyModeration, { loader } from "~/routes/me.moderation";
import { createTestDatabase } from "../../tests/fixtures/db";
import { countingDb } from "../../tests/fixtures/query-count";
import { makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { minutes, scheduled } from "../../tests/fixtures/sessions";

let database: Database;
let browser: Browser;
let me: SignedInActor;

beforeAll(async () => {
  database = await createTestDatabase();
  browser = new Browser(testServices(database), "10.60.4.1");
  await signUp(browser, { name: "Mina Member", email: "mina-held@example.com", password: "mina waits for review" });
  // A member for years, so the screening holds nothing of hers by itself: the test holds what it means to.
  const [row] = await database.db
    .update(users)
    .set({ createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "mina-held@example.com"))
    .returning({ id: users.id });
  if (!row) throw new Error("member not created");
  me = { id: row.id, role: "member", banned: false };
});
afterAll(() => database.close());

type Card = { id: number; message: string; kind: string; url: string | null; postedAt: Date | null; heldAt: Date };
type Page = { waiting: Card[]; notices: unknown[] };

/** Mina's /me/moderation through its loader (signed in), and how many statements the page's own reads sent. */
async function myPageWithQueries(): Promise<{ page: Page; queries: number }> {
  const statements: string[] = [];
  const context = {
    ...browser.context(),
    services: { ...browser.services, db: countingDb(database, statements) },
  } as unknown as AppLoadContext;
  const result = await loader({ request: browser.request("/me/moderation"), params: {}, context });
  return { page: payload<Page>(result).data, queries: statements.length };
}

/** The page as it renders: each waiting card's heading and message, and its "Where it will appear" link. */
async function renderedCards(page: Page): Promise<{ text: string; href: string | null }[]> {
  const handler = createStaticHandler([
    {
      id: "routes/me.moderation",
      path: "/me/moderation",
      // Through JSON, as Remix sends it.
      loader: () => JSON.parse(JSON.stringify(page)),
      Component: MyModeration,
    },
  ]);
  const context = await handler.query(new Request("http://forum.test/me/moderation"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  const waiting = DomUtils.findOne(
    (el) => el.attribs["aria-labelledby"] === "waiting-heading",
    parseDocument(html).children,
  );
  if (!waiting) throw new Error("no waiting section");
  return DomUtils.findAll((el) => el.name === "li", [waiting]).map((card) => {
    const [heading, message] = DomUtils.findAll((el) => el.name === "p", [card]);
    const link = DomUtils.findOne((el) => el.name === "a", [card]);
    return {
      text: `${heading ? DomUtils.textContent(heading) : ""} | ${message ? DomUtils.textContent(message) : ""}`,
      href: link?.attribs.href ?? null,
    };
  });
}

const post = (id: number): ContentRef => ({ type: "post", id: String(id) });
const comment = (id: number): ContentRef => ({ type: "comment", id: String(id) });

async function hold(ref: ContentRef, message: string) {
  expect(await holdContent(database.db, { ref, authorId: me.id, reason: "flags", message }), message).toBe(true);
}

test("a person's page of posts waiting for review reads twelve of every kind with as many queries as one, each card saying what it is and linking where it will appear", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const other = await makePerson(db, { name: "Olu Other" });

  // Everything of hers first (an answer needs its question visible), then held one at a time.
  const printer = "Printer on floor 3 prints blank pages";
  const question = await makeQuestion(db, me, space, { title: printer });

  const badge = "Badge reader at the side door beeps twice";
  const othersQuestion = await makeQuestion(db, other, space, { title: badge });
  const othersAnswer = await makeAnswer(db, other, othersQuestion, { body: "Hold the badge flat, it beeps once." });
  const answer = await makeAnswer(db, me, othersQuestion, { body: "Mine beeps twice when the battery is low." });
  const ownAnswer = await makeAnswer(db, me, question, { body: "Update: it happens only with the draft setting." });
  const howto = await makeHowto(db, me, space, { title: "Clear a paper jam on the floor 3 printer" });
  const onQuestion = await addComment(db, { postId: othersQuestion, actor: me, body: "Same at the front door." });
  const onAnswer = await addComment(db, { postId: othersAnswer, actor: me, body: "Holding it flat did not help." });
  const onOwnQuestion = await addComment(db, { postId: question, actor: me, body: "Same on floor 4 today." });
  const onOwnAnswer = await addComment(db, { postId: ownAnswer, actor: me, body: "Only in colour mode, too." });
  const session = await scheduled(db);
  const { questionId: sessionQuestion } = await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: me,
    body: "Why is the Wi-Fi so bad in room 12?",
    now: minutes(61),
  });
  const chat = "Can my manager read my chat messages?";
  const { questionId: anonymous } = await askQuestion(db, {
    actor: me,
    spaceId: space,
    title: chat,
    body: "I saw my manager quote a private chat of mine in a meeting. Can they read them?",
    tags: "chat",
    isPlainLanguage: true,
    isAnonymous: true,
  });
  await hold(post(question), "Held: your question about the printer.");

  const one = await myPageWithQueries();
  expect(one.page.waiting).toEqual([
    expect.objectContaining({
      message: "Held: your question about the printer.",
      kind: "post",
      url: questionPath(question, printer),
    }),
  ]);
  expect(await renderedCards(one.page)).toEqual([
    {
      text: "Your post is waiting for review | Held: your question about the printer.",
      href: questionPath(question, printer),
    },
  ]);

  // Decided already: a removed post is an outcome, not a card waiting for review.
  const removed = await makeQuestion(db, me, space, { title: "Cheap toner from my cousin's shop" });
  await hold(post(removed), "Held: the toner offer.");
  await decideHold(db, { ref: post(removed), by: other.id, outcome: "removed" });

  // Eleven more, of every kind and place, the newest held last (the page lists the newest first).
  const held: [ContentRef, string][] = [
    [post(answer), "Held: your answer about the badge reader."],
    [post(ownAnswer), "Held: your update on the printer."],
    [post(howto), "Held: your paper jam how-to."],
    [comment(onQuestion.commentId), "Held: your comment on the badge question."],
    [comment(onAnswer.commentId), "Held: your comment on an answer."],
    [comment(onOwnQuestion.commentId), "Held: your comment on your own question."],
    [comment(onOwnAnswer.commentId), "Held: your comment on your own answer."],
    [{ type: "session_question", id: String(sessionQuestion) }, "Held: your session question."],
    [post(anonymous), "Held: your question asked without your name."],
  ];
  for (const [ref, message] of held) await hold(ref, message);
  const badgeFlagged = await makeQuestion(db, me, space, { title: "Who resets a locked badge after hours" });
  await hold(post(badgeFlagged), "Held: your question about locked badges.");
  const secondSessionQuestion = await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: me,
    body: "Does the guest network reach the car park?",
    now: minutes(62),
  });
  await hold(
    { type: "session_question", id: String(secondSessionQuestion.questionId) },
    "Held: your second session question.",
  );

  const twelve = await myPageWithQueries();
  expect(twelve.page.waiting).toHaveLength(12);
  expect(twelve.queries).toBe(one.queries);

  // Each card by hand: the newest hold first, what kind of thing it is, and where it will appear once approved.
  const sessionPage = `/sessions/${session.officeHoursId}`;
  expect(await renderedCards(twelve.page)).toEqual([
    {
      text: "Your post is waiting for review | Held: your second session question.",
      href: `${sessionPage}#q-${secondSessionQuestion.questionId}`,
    },
    {
      text: "Your post is waiting for review | Held: your question about locked badges.",
      href: questionPath(badgeFlagged, "Who resets a locked badge after hours"),
    },
    {
      text: "Your post is waiting for review | Held: your question asked without your name.",
      href: questionPath(anonymous, chat),
    },
    {
      text: "Your post is waiting for review | Held: your session question.",
      href: `${sessionPage}#q-${sessionQuestion}`,
    },
    {
      text: "Your comment is waiting for review | Held: your comment on your own answer.",
      href: `${questionPath(question)}#comment-${onOwnAnswer.commentId}`,
    },
    {
      text: "Your comment is waiting for review | Held: your comment on your own question.",
      href: `${questionPath(question, printer)}#comment-${onOwnQuestion.commentId}`,
    },
    {
      text: "Your comment is waiting for review | Held: your comment on an answer.",
      href: `${questionPath(othersQuestion)}#comment-${onAnswer.commentId}`,
    },
    {
      text: "Your comment is waiting for review | Held: your comment on the badge question.",
      href: `${questionPath(othersQuestion, badge)}#comment-${onQuestion.commentId}`,
    },
    { text: "Your post is waiting for review | Held: your paper jam how-to.", href: howtoPath(howto) },
    {
      text: "Your post is waiting for review | Held: your update on the printer.",
      href: `${questionPath(question)}#${answerAnchor(ownAnswer)}`,
    },
    {
      text: "Your post is waiting for review | Held: your answer about the badge reader.",
      href: `${questionPath(othersQuestion)}#${answerAnchor(answer)}`,
    },
    {
      text: "Your post is waiting for review | Held: your question about the printer.",
      href: questionPath(question, printer),
    },
  ]);
}, 120_000);
