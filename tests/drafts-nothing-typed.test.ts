/**
 * Autosave on the real database, for every form that uses it (ask, answer, how-to): a form with nothing typed in it
 * (a letter typed and deleted, or only the choices the empty form had) is not kept as a draft, and clearing everything
 * removes the draft kept before, so nothing empty comes back as "the question you started earlier".
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { loadDraft } from "~/models/drafts.server";
import { action as draftsAction } from "~/routes/api.drafts";
import { createTestDatabase } from "./fixtures/db";
import { makePerson, makeSpace } from "./fixtures/people";
import { makeQuestion } from "./fixtures/qa";
import { Browser, type TestServices, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let browser: Browser;
let userId: string;
/** An answer draft is kept only for a question that is there: this one. */
let questionId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  const admin = await makePerson(database.db, { role: "admin" });
  questionId = await makeQuestion(database.db, admin, await makeSpace(database.db));
  browser = new Browser(services, "10.63.0.9");
  await signUp(browser, { name: "Dora Keep", email: "dora-drafts@example.com", password: "dora keeps what she types" });
  const [user] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "dora-drafts@example.com"));
  if (!user) throw new Error("member not created");
  userId = user.id;
});
afterAll(() => database.close());

/** What the autosave sends: the form's fields as JSON. */
async function autosave(draftKey: string, content: Record<string, string>): Promise<Record<string, unknown>> {
  const request = browser.request("/api/drafts", {
    method: "POST",
    body: JSON.stringify({ draftKey, content }),
    headers: { "content-type": "application/json" },
  });
  const response = (await draftsAction({ request, params: {}, context: browser.context() })) as Response;
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

// "answer:QUESTION" is the answer to the question made above.
const emptyForms: [string, Record<string, string>, Record<string, string>][] = [
  [
    "question:new",
    { spaceId: "3", title: "", body: "", tags: "", audience: "technical", invite: "" },
    { title: "Label printer prints blank pages" },
  ],
  ["answer:QUESTION", { body: "" }, { body: "Reinstall the driver from the vendor's site." }],
  [
    "howto:new",
    {
      spaceId: "",
      title: "",
      summary: "",
      appliesTo: "",
      estimatedMinutes: "",
      prerequisites: "",
      "step-0": "",
      tags: "",
    },
    { "step-0": "Open Settings." },
  ],
];

test.each(emptyForms)(
  "%s: an empty form is not kept, and clearing a kept draft removes it",
  async (key, empty, typed) => {
    const { db } = database;
    const draftKey = key.replace("QUESTION", String(questionId));
    // Focused and left, or the choices of the empty form only: nothing is stored.
    expect(await autosave(draftKey, empty)).toEqual({ ok: true, discarded: true });
    expect(await loadDraft(db, { userId, draftKey })).toBeNull();

    // A letter typed and deleted again: the draft kept for the letter goes.
    expect(await autosave(draftKey, { ...empty, ...typed })).toMatchObject({ ok: true, savedAt: expect.any(String) });
    expect((await loadDraft(db, { userId, draftKey }))?.content).toMatchObject(typed);
    const cleared = Object.fromEntries(Object.keys(typed).map((field) => [field, "  "]));
    expect(await autosave(draftKey, { ...empty, ...cleared })).toEqual({ ok: true, discarded: true });
    expect(await loadDraft(db, { userId, draftKey })).toBeNull();
  },
);
