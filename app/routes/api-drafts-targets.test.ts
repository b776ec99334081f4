/**
 * Autosave keeps a draft of an answer or a how-to edit only while that question or how-to is there for the writer:
 * one that never existed, was deleted or waits for review (held posts wait deleted) is refused with words, and nothing
 * is stored. Drafts of new questions and how-tos need no post. A body that is not a set of fields gets words too. On the
 * real database, through the route's action, signed in.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { drafts, posts, users } from "#db/schema";
import { DraftError, assertCanDraftFor, loadDraft } from "~/models/drafts.server";
import { action as draftsAction } from "~/routes/api.drafts";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let writer: Browser;
let writerId: string;
let spaceId: number;
let author: Awaited<ReturnType<typeof makePerson>>;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  author = await makePerson(database.db, { role: "admin" });
  spaceId = await makeSpace(database.db);
  writer = new Browser(services, "10.60.1.1");
  await signUp(writer, { name: "Wim Writer", email: "wim-drafts@example.com", password: "wim writes every morning" });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "wim-drafts@example.com"));
  if (!row) throw new Error("member not created");
  writerId = row.id;
});
afterAll(() => database.close());

/** What the editor's autosave sends (a JSON body), and what came back. */
async function send(body: string, browser = writer): Promise<{ status: number; reply: Record<string, unknown> }> {
  const request = browser.request("/api/drafts", {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
  });
  const response = (await draftsAction({ request, params: {}, context: browser.context() })) as Response;
  return { status: response.status, reply: (await response.json()) as Record<string, unknown> };
}

const autosave = (draftKey: string, content: Record<string, string>) => send(JSON.stringify({ draftKey, content }));

const deleteNow = (postId: number) =>
  database.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, postId));

const draftsOfWriter = async () =>
  (await database.db.select({ key: drafts.draftKey }).from(drafts).where(eq(drafts.userId, writerId))).map(
    (d) => d.key,
  );

test("an answer draft is kept for a question that is there, and refused for one missing or deleted", async () => {
  const questionId = await makeQuestion(database.db, author, spaceId);
  const typed = { body: "Turn the printer off and on, then clear the queue." };
  expect(await autosave(`answer:${questionId}`, typed)).toMatchObject({ status: 200, reply: { ok: true } });

  const gone = "This question doesn't exist or was deleted, so an answer to it can't be saved as a draft.";
  // Never there (and an id too large for any post, which the database itself would refuse to look up).
  for (const key of ["answer:987654", "answer:9999999999"])
    expect(await autosave(key, typed), key).toEqual({ status: 404, reply: { error: gone } });
  // A how-to is not a question: its id does not take answers.
  const howtoId = await makeHowto(database.db, author, spaceId);
  expect(await autosave(`answer:${howtoId}`, typed)).toEqual({ status: 404, reply: { error: gone } });

  const deletedId = await makeQuestion(database.db, author, spaceId);
  await deleteNow(deletedId);
  expect(await autosave(`answer:${deletedId}`, typed)).toEqual({ status: 404, reply: { error: gone } });
  expect(await loadDraft(database.db, { userId: writerId, draftKey: `answer:${deletedId}` })).toBeNull();
  expect(await draftsOfWriter()).toEqual([`answer:${questionId}`]);
});

test("a how-to edit draft is kept for a how-to that is there, someone else's included (a suggestion)", async () => {
  const howtoId = await makeHowto(database.db, author, spaceId);
  const typed = { title: "Reset a forgotten VPN password", "step-0": "Open the portal." };
  expect(await autosave(`howto:edit:${howtoId}`, typed)).toMatchObject({ status: 200, reply: { ok: true } });

  const gone = "This how-to doesn't exist or was deleted, so changes to it can't be saved as a draft.";
  const questionId = await makeQuestion(database.db, author, spaceId);
  for (const key of ["howto:edit:987654", `howto:edit:${questionId}`])
    expect(await autosave(key, typed), key).toEqual({ status: 404, reply: { error: gone } });
  const deletedId = await makeHowto(database.db, author, spaceId);
  await deleteNow(deletedId);
  expect(await autosave(`howto:edit:${deletedId}`, typed)).toEqual({ status: 404, reply: { error: gone } });
  expect(await loadDraft(database.db, { userId: writerId, draftKey: `howto:edit:${deletedId}` })).toBeNull();
});

test("drafts of a new question or how-to need no post and are kept", async () => {
  expect(await autosave("question:new", { title: "Scanner emails nothing" })).toMatchObject({ status: 200 });
  expect(await autosave("howto:new", { title: "Add a shared mailbox" })).toMatchObject({ status: 200 });
});

test("a suspended account's draft of an answer or how-to edit is refused by the draft rules themselves", async () => {
  const banned = await makePerson(database.db, { banned: true });
  const questionId = await makeQuestion(database.db, author, spaceId);
  const howtoId = await makeHowto(database.db, author, spaceId);
  for (const draftKey of [`answer:${questionId}`, `howto:edit:${howtoId}`]) {
    const refusal = await assertCanDraftFor(database.db, { actor: banned, draftKey }).catch((error: unknown) => error);
    expect(refusal, draftKey).toBeInstanceOf(DraftError);
    expect((refusal as DraftError).status).toBe(403);
  }
});

test("a body that is not a set of fields (a list, a number, text, null) gets words, not the validator's", async () => {
  for (const body of ["[]", '["question:new"]', "42", '"a draft"', "null", "true"])
    expect(await send(body), body).toEqual({ status: 400, reply: { error: "A draft is a set of text fields." } });
  expect(await send("{not json")).toEqual({ status: 400, reply: { error: "Send the draft as JSON." } });
});
