/**
 * A review decision sent twice (a double tap, a retried request, two tabs), through the model and the /review action
 * on the real database: the moderator who decided gets the same outcome again and nothing is done twice, while a
 * different decision, or another moderator's, is refused naming who decided it, with the typed note kept to copy.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, users } from "#db/schema";
import { action as reviewAction, default as reviewPage, loader as reviewLoader } from "~/routes/review._index";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { flagContent } from "./flags.server";
import { listNotices } from "./holds.server";
import type { SignedInActor } from "./post-errors.server";
import { decideReviewItem } from "./review-queue.server";

let database: Database;
let spaceId: number;

/** A moderator signed in through better-auth (their browser) and as the actor the model sees. */
async function signedInModerator(name: string, email: string, ip: string) {
  const browser = new Browser(testServices(database), ip);
  await signUp(browser, { name, email, password: `${name} reads every flag` });
  const [row] = await database.db
    .update(users)
    .set({ role: "moderator" })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error("no moderator");
  const actor: SignedInActor = { id: row.id, role: "moderator", banned: false };
  return { browser, actor };
}

let mona: Awaited<ReturnType<typeof signedInModerator>>;
let omar: Awaited<ReturnType<typeof signedInModerator>>;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: the moderators sign up after, and are given the role.
  await makePerson(database.db, { role: "admin" });
  mona = await signedInModerator("Mona Moderator", "mona-twice@example.com", "10.72.0.1");
  omar = await signedInModerator("Omar Moderator", "omar-twice@example.com", "10.72.0.2");
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

/** A question flagged as rude by a member: its id, and its author's. */
async function flaggedQuestion() {
  const author = await makePerson(database.db);
  const questionId = await makeQuestion(database.db, author, spaceId);
  await flagContent(database.db, {
    actor: await makePerson(database.db),
    targetType: "post",
    targetId: String(questionId),
    reason: "rude",
  });
  return { questionId, author };
}

const decisionsLogged = async (questionId: number) =>
  (
    await database.db
      .select({ action: moderationLog.action })
      .from(moderationLog)
      .where(and(eq(moderationLog.targetId, String(questionId)), eq(moderationLog.targetType, "question")))
  ).map((row) => row.action);

const decideForm = (questionId: number, decision: string, note = "") => ({
  intent: "decide",
  targetType: "post",
  targetId: String(questionId),
  decision,
  note,
});

test("a moderator's double-tapped Hide hides once, and both taps land on the same outcome", async () => {
  const { questionId, author } = await flaggedQuestion();
  const taps = await Promise.all([
    mona.browser.submit(reviewAction, "/review", decideForm(questionId, "hide", "rude words")),
    mona.browser.submit(reviewAction, "/review", decideForm(questionId, "hide", "rude words")),
  ]);
  expect(taps.map((tap) => (tap instanceof Response ? [tap.status, tap.headers.get("location")] : tap))).toEqual([
    [303, "/review?decided=hide"],
    [303, "/review?decided=hide"],
  ]);
  expect(await decisionsLogged(questionId)).toEqual(["review.hide"]);
  expect((await listNotices(database.db, author.id)).filter((notice) => notice.kind === "removed")).toHaveLength(1);
});

test("sent again later, the same decision is done already; a different one says this moderator decided it, and how", async () => {
  const { questionId, author } = await flaggedQuestion();
  const ref = { type: "post" as const, id: String(questionId) };
  await decideReviewItem(database.db, { actor: mona.actor, ref, decision: "keep", note: "fine" });
  await decideReviewItem(database.db, { actor: mona.actor, ref, decision: "keep", note: "fine" });
  const changedMind = await rejection(decideReviewItem(database.db, { actor: mona.actor, ref, decision: "hide" }));
  expect([changedMind.status, changedMind.message]).toEqual([409, "You already decided this one: you kept it."]);
  expect(await decisionsLogged(questionId)).toEqual(["review.keep"]);
  expect(await listNotices(database.db, author.id)).toEqual([]);
});

test("another moderator deciding after is refused naming who decided it, and the page keeps their note to copy", async () => {
  const { questionId } = await flaggedQuestion();
  const ref = { type: "post" as const, id: String(questionId) };
  // At once: one decides, the other is told who did.
  const outcomes = await Promise.allSettled([
    decideReviewItem(database.db, { actor: mona.actor, ref, decision: "keep" }),
    decideReviewItem(database.db, { actor: omar.actor, ref, decision: "keep" }),
  ]);
  expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
  const winner = outcomes[0]?.status === "fulfilled" ? "Mona Moderator" : "Omar Moderator";
  const loser = winner === "Mona Moderator" ? omar : mona;
  const refused = outcomes.find((outcome) => outcome.status === "rejected");
  expect(refused?.status === "rejected" ? refused.reason.message : null).toBe(
    `${winner} already decided this one: they kept it.`,
  );

  // Through the page, with a note typed: 409, the words, and the note kept.
  const answer = payload<{ message: string }>(
    await loser.browser.submit(reviewAction, "/review", decideForm(questionId, "hide", "Please read the guidelines")),
  );
  expect([answer.status, answer.data.message]).toEqual([409, `${winner} already decided this one: they kept it.`]);
  const html = (
    await renderRoute(
      loser.browser,
      { loader: reviewLoader, default: reviewPage },
      {
        path: "/review",
        actionData: answer.data,
      },
    )
  ).replaceAll("<!-- -->", "");
  expect(html).toContain(`${winner} already decided this one: they kept it. Your note was not saved:`);
  expect(html).toContain("Please read the guidelines");
  expect(html).not.toContain("Another moderator already decided");
});
