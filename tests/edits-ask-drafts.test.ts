/**
 * The draft behind /ask on the real database: a draft with nothing typed in it is not "restored" (and is dropped), and
 * "Discard my changes" throws a restored draft away without JavaScript, coming back to the empty form as it was opened;
 * a search that found nothing hands its words to the title.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { DISCARD_DRAFT_INTENT } from "~/components/DraftAutosave";
import { loadDraft, saveDraft } from "~/models/drafts.server";
import { action as askAction, loader as askLoader } from "~/routes/ask";
import { createTestDatabase } from "./fixtures/db";
import { makeSpace } from "./fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

type AskPage = { hasDraft: boolean; wasDiscarded: boolean; initial: Record<string, string> };
const draftKey = "question:new";

/** A newly signed-up member in their own browser, with their user id. */
async function member(email: string): Promise<{ browser: Browser; userId: string }> {
  const browser = new Browser(services, `10.61.0.${Math.floor(Math.random() * 200) + 1}`);
  await signUp(browser, { name: "Grace Ode", email, password: "grace keeps her drafts tidy" });
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error("member not created");
  return { browser, userId: user.id };
}

test("a draft whose fields were all cleared again is not restored, and is not kept", async () => {
  const { db } = database;
  const { browser, userId } = await member("grace-cleared@example.com");
  const spaceId = await makeSpace(db);
  // What autosave sends after the title was typed and then cleared: choices, but no text.
  const content = { spaceId: String(spaceId), title: " ", body: "", tags: "", audience: "technical" };
  await saveDraft(db, { userId, draftKey, content });

  const page = payload<AskPage>(await browser.load(askLoader, "/ask"));
  expect(page.data.hasDraft).toBe(false);
  expect(page.data.initial.title).toBe("");
  expect(await loadDraft(db, { userId, draftKey })).toBeNull();

  // Anything typed in any field is restored as before.
  await saveDraft(db, { userId, draftKey, content: { ...content, tags: "vpn" } });
  const restored = payload<AskPage>(await browser.load(askLoader, "/ask"));
  expect(restored.data.hasDraft).toBe(true);
  expect(restored.data.initial.tags).toBe("vpn");
});

test("Discard my changes throws the draft away and comes back to the empty form, opened as it was", async () => {
  const { db } = database;
  const { browser, userId } = await member("grace-discards@example.com");
  await saveDraft(db, {
    userId,
    draftKey,
    content: { title: "Label printer prints blank pages", body: "Since the update.", tags: "printers" },
  });
  expect(payload<AskPage>(await browser.load(askLoader, "/ask?space=networking")).data.hasDraft).toBe(true);

  // Sent as a browser without JavaScript sends it: the whole form, with the discard button as the submitter.
  const discarded = await browser.submit(askAction, "/ask?space=networking&invite=ada", {
    intent: DISCARD_DRAFT_INTENT,
    title: "Label printer prints blank pages",
    body: "Since the update.",
    tags: "printers",
    audience: "technical",
  });
  expect(discarded).toBeInstanceOf(Response);
  expect((discarded as Response).status).toBe(303);
  expect((discarded as Response).headers.get("Location")).toBe("/ask?space=networking&invite=ada&discarded=1");
  expect(await loadDraft(db, { userId, draftKey })).toBeNull();

  const after = payload<AskPage>(await browser.load(askLoader, "/ask?space=networking&discarded=1"));
  expect(after.data).toMatchObject({ hasDraft: false, wasDiscarded: true });
  expect([after.data.initial.title, after.data.initial.body, after.data.initial.tags]).toEqual(["", "", ""]);
});

test("Ask the community from a search that found nothing starts the title with the search's words", async () => {
  const { browser } = await member("grace-searched@example.com");
  const page = payload<AskPage>(
    await browser.load(askLoader, `/ask?title=${encodeURIComponent(" label printer \u0007prints blank ")}`),
  );
  expect(page.data.initial.title).toBe("label printer prints blank");
  const long = payload<AskPage>(await browser.load(askLoader, `/ask?title=${"a".repeat(400)}`));
  expect(long.data.initial.title).toHaveLength(150);
});
