/**
 * The how-to case of api-drafts-after-posting.test.ts: an autosave of the how-to form still on its way when Publish is
 * pressed lands after the how-to is published, and must not bring it back as "the how-to you started earlier",
 * inviting it twice. A how-to of another title is still kept. On the real database, through the routes' own actions
 * and loaders, signed in.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { loadDraft } from "~/models/drafts.server";
import { action as draftsAction } from "~/routes/api.drafts";
import { action as newHowtoAction, loader as newHowtoLoader } from "~/routes/howtos.new";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let writer: Browser;
let writerId: string;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
  spaceId = await makeSpace(database.db);
  writer = new Browser(testServices(database), "10.61.4.3");
  await signUp(writer, { name: "Hal Howto", email: "hal-howtos@example.com", password: "hal publishes then reloads" });
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.email, "hal-howtos@example.com"));
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "hal-howtos@example.com"));
  if (!row) throw new Error("member not created");
  writerId = row.id;
});
afterAll(() => database.close());

/** What the editor's autosave sends (the form's fields as JSON), and what came back. */
async function autosave(content: Record<string, string>) {
  const request = writer.request("/api/drafts", {
    method: "POST",
    body: JSON.stringify({ draftKey: "howto:new", content }),
    headers: { "content-type": "application/json" },
  });
  const response = (await draftsAction({ request, params: {}, context: writer.context() })) as Response;
  return { status: response.status, reply: (await response.json()) as Record<string, unknown> };
}

/** The how-to form's fields as a person fills them in (steps as the form names them). */
function howtoForm(title: string): Record<string, string> {
  return {
    spaceId: String(spaceId),
    title,
    summary: "How to get the label printer at reception printing again after a paper jam.",
    appliesTo: "Zebra ZD421 at reception",
    difficulty: "beginner",
    estimatedMinutes: "10",
    prerequisites: "",
    "step-0": "Open the lid and take out the roll.",
    "step-1": "Pull the jammed labels out towards you, never backwards.",
    "step-2": "Put the roll back, close the lid and press the feed button once.",
    tags: "printing",
  };
}

/** The Publish button of the write-a-how-to page: the form as the page gave it; where it led. */
async function publish(form: Record<string, string>): Promise<string | null> {
  const page = payload<{ idempotencyKey: string }>(await writer.load(newHowtoLoader, "/howtos/new"));
  const published = await writer.submit(newHowtoAction, "/howtos/new", {
    ...form,
    intent: "publish",
    idempotencyKey: page.data.idempotencyKey,
  });
  expect(published).toBeInstanceOf(Response);
  expect((published as Response).status).toBe(303);
  return (published as Response).headers.get("Location");
}

/** What the write-a-how-to page, opened again, offers to restore. */
async function draftOffered() {
  const page = payload<{ hasDraft: boolean; initial: Record<string, string> }>(
    await writer.load(newHowtoLoader, "/howtos/new"),
  );
  return { hasDraft: page.data.hasDraft, title: page.data.initial.title ?? "" };
}

test("a how-to autosave arriving after the how-to was published keeps nothing: the page offers no draft of it", async () => {
  const form = howtoForm("Clear a paper jam in the reception label printer");
  expect(await publish(form)).toMatch(/^\/howtos\/\d+/);
  // A save that was on its way, as the browser sends it (the title as typed, spaces around it).
  expect(await autosave({ ...form, title: ` ${form.title} ` })).toEqual({
    status: 200,
    reply: { ok: true, discarded: true },
  });
  expect(await loadDraft(database.db, { userId: writerId, draftKey: "howto:new" })).toBeNull();
  expect(await draftOffered()).toEqual({ hasDraft: false, title: "" });

  // The next how-to started on the same page is the writer's new text: kept.
  const next = howtoForm("Change the ribbon of the reception label printer");
  expect(await autosave(next)).toMatchObject({ status: 200, reply: { ok: true, savedAt: expect.any(String) } });
  expect(await draftOffered()).toEqual({ hasDraft: true, title: next.title });
});
