/**
 * An autosave still on its way when Post is pressed lands after the post: it must not bring the posted text back as
 * "the answer (or question) you started earlier", inviting the same post twice. The other order (the draft saved just
 * before the post) is removed by the post. Text that differs from the post is still kept. On the real database, through
 * the routes' own actions and loaders, signed in.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { loadDraft } from "~/models/drafts.server";
import { updateSpace } from "~/models/spaces.server";
import { action as draftsAction } from "~/routes/api.drafts";
import { action as askAction, loader as askLoader } from "~/routes/ask";
import { action as questionAction, loader as questionLoader } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let writer: Browser;
let writerId: string;
let asker: Awaited<ReturnType<typeof makePerson>>;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  asker = await makePerson(database.db, { role: "admin" });
  spaceId = await makeSpace(database.db);
  writer = new Browser(services, "10.61.4.2");
  await signUp(writer, { name: "Pia Poster", email: "pia-posts@example.com", password: "pia posts then reloads" });
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.email, "pia-posts@example.com"));
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "pia-posts@example.com"));
  if (!row) throw new Error("member not created");
  writerId = row.id;
});
afterAll(() => database.close());

/** What the editor's autosave sends (the form's text fields as JSON), and what came back. */
async function autosave(draftKey: string, content: Record<string, string>) {
  const request = writer.request("/api/drafts", {
    method: "POST",
    body: JSON.stringify({ draftKey, content }),
    headers: { "content-type": "application/json" },
  });
  const response = (await draftsAction({ request, params: {}, context: writer.context() })) as Response;
  return { status: response.status, reply: (await response.json()) as Record<string, unknown> };
}

/** The Post button of the question page's answer box, without JavaScript: where it led. */
async function postAnswer(questionId: number, body: string): Promise<string | null> {
  const path = `/q/${questionId}`;
  const page = payload<{ idempotencyKey: string }>(await writer.load(questionLoader, path, { id: String(questionId) }));
  const posted = await writer.submit(
    questionAction,
    path,
    { intent: "answer", body, idempotencyKey: page.data.idempotencyKey },
    { id: String(questionId) },
  );
  expect(posted).toBeInstanceOf(Response);
  expect((posted as Response).status).toBe(303);
  return (posted as Response).headers.get("Location");
}

/** The answer draft the question page, opened again, puts back in the answer box (null: none). */
async function answerDraftOffered(questionId: number): Promise<string | null> {
  const page = payload<{ viewer: { answerDraft: string | null; canAnswer: boolean } | null }>(
    await writer.load(questionLoader, `/q/${questionId}`, { id: String(questionId) }),
  );
  expect(page.data.viewer?.canAnswer).toBe(true);
  return page.data.viewer?.answerDraft ?? null;
}

/** Ask's Post button: the question asked with the form as the page gave it; where it led. */
async function askQuestion(fields: { title: string; body: string }, inSpace = spaceId): Promise<string | null> {
  const form = payload<{ idempotencyKey: string }>(await writer.load(askLoader, "/ask"));
  const asked = await writer.submit(askAction, "/ask", {
    spaceId: String(inSpace),
    ...fields,
    tags: "printing",
    audience: "technical",
    idempotencyKey: form.data.idempotencyKey,
  });
  expect(asked).toBeInstanceOf(Response);
  expect((asked as Response).status).toBe(303);
  return (asked as Response).headers.get("Location");
}

/** What the ask page, opened again, offers to restore. */
async function askDraftOffered() {
  const page = payload<{ hasDraft: boolean; initial: { title: string; body: string } }>(
    await writer.load(askLoader, "/ask"),
  );
  return { hasDraft: page.data.hasDraft, title: page.data.initial.title, body: page.data.initial.body };
}

const NOTHING_KEPT = { status: 200, reply: { ok: true, discarded: true } };

test("an answer autosave arriving after the answer was posted keeps nothing: the page offers no draft of it", async () => {
  const questionId = await makeQuestion(database.db, asker, spaceId, { title: "The printer prints blank pages" });
  const body = "Check the toner cartridge, then print a test page from the printer's own menu.";
  await postAnswer(questionId, body);
  // Two saves that were on their way, as the browser sends them (its line endings, spaces left at the end).
  expect(await autosave(`answer:${questionId}`, { body: `${body}\n` })).toEqual(NOTHING_KEPT);
  expect(await autosave(`answer:${questionId}`, { body: `${body}  ` })).toEqual(NOTHING_KEPT);

  expect(await loadDraft(database.db, { userId: writerId, draftKey: `answer:${questionId}` })).toBeNull();
  expect(await answerDraftOffered(questionId)).toBeNull();
});

test("an answer draft saved just before the answer was posted is removed by the post", async () => {
  const questionId = await makeQuestion(database.db, asker, spaceId, { title: "The scanner sends empty emails" });
  const body = "Set the scanner's attachment size to 10 MB; larger scans are dropped by the mail server.";
  const saved = await autosave(`answer:${questionId}`, { body });
  expect(saved).toMatchObject({ status: 200, reply: { ok: true, savedAt: expect.any(String) } });
  expect(await answerDraftOffered(questionId)).toBe(body);

  await postAnswer(questionId, body);
  expect(await answerDraftOffered(questionId)).toBeNull();
});

test("after posting an answer, new different text in the answer box is still kept as a draft", async () => {
  const questionId = await makeQuestion(database.db, asker, spaceId, { title: "The copier jams on thick paper" });
  await postAnswer(questionId, "Use the bypass tray for thick paper and set the paper type to heavy.");
  const more = "Also: the rollers wear out after about 200,000 pages; the service contract covers new ones.";
  expect(await autosave(`answer:${questionId}`, { body: more })).toMatchObject({ status: 200, reply: { ok: true } });
  expect(await answerDraftOffered(questionId)).toBe(more);
});

test("a question autosave arriving after the question was asked keeps nothing: the ask page offers no draft", async () => {
  const fields = {
    title: "Outlook asks for my password every morning",
    body: "Every morning Outlook asks for my password again, although I ticked remember me yesterday.",
  };
  await askQuestion(fields);
  // As the form sends it: its choices too, and the title as typed (spaces around it).
  expect(
    await autosave("question:new", { ...fields, title: ` ${fields.title} `, spaceId: String(spaceId), tags: "" }),
  ).toEqual(NOTHING_KEPT);
  expect(await askDraftOffered()).toEqual({ hasDraft: false, title: "", body: "" });
});

test("a question draft saved just before the question was asked is removed by the post", async () => {
  const fields = {
    title: "Teams shows me as away while I type",
    body: "Teams switches me to away after five minutes even while I am typing in a chat window.",
  };
  expect(await autosave("question:new", fields)).toMatchObject({ status: 200, reply: { ok: true } });
  expect(await askDraftOffered()).toMatchObject({ hasDraft: true, title: fields.title });

  await askQuestion(fields);
  expect(await askDraftOffered()).toEqual({ hasDraft: false, title: "", body: "" });
});

test("a question waiting for review counts as asked: a late autosave of it keeps no draft either", async () => {
  const admin = await makePerson(database.db, { role: "admin" });
  const name = "First questions reviewed";
  const reviewed = await makeSpace(database.db, { name });
  await updateSpace(database.db, {
    spaceId: reviewed,
    name,
    description: "",
    isPlainLanguage: false,
    holdFirstQuestions: true,
    by: admin.id,
  });
  const fields = {
    title: "The badge reader at the side door beeps red",
    body: "Since Monday the badge reader at the side door beeps red for me, the front door still works.",
  };
  expect(await askQuestion(fields, reviewed)).toBe("/me/moderation?held=1");
  expect(await autosave("question:new", fields)).toEqual(NOTHING_KEPT);
  expect(await askDraftOffered()).toEqual({ hasDraft: false, title: "", body: "" });
});
