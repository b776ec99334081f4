/**
 * The how-to forms publish, save or suggest only when a button says so: every button (and Enter, through the hidden
 * default button) sends its `intent`. A post with none, or one the page doesn't know (an old page, a hand-made request),
 * is refused with words, publishes and changes nothing, and the form comes back with everything typed. On the real
 * database, through the routes' actions and the pages as they render without JavaScript, signed in.
 */
import { count, eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { editSuggestions, posts, users } from "#db/schema";
import { getHowtoForEditing } from "~/models/howto-writing.server";
import * as editRoute from "~/routes/howtos.$id.edit";
import * as newRoute from "~/routes/howtos.new";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

/** A member for years with a confirmed address (so nothing they post waits for review), in their own browser. */
async function member(name: string, email: string, ip: string) {
  const browser = new Browser(services, ip);
  await signUp(browser, { name, email, password: `${name} documents the printers` });
  const [row] = await database.db
    .update(users)
    .set({ emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error("member not created");
  return { browser, actor: { id: row.id, role: "member" as const, banned: false } };
}

type FormResult = { formError?: string; values: Record<string, string>; minimumSteps: number };

const howtoCount = async () =>
  (await database.db.select({ n: count() }).from(posts).where(eq(posts.kind, "howto")))[0]?.n ?? 0;

/** The rendered page's alert text and the value of its title field. */
function shown(html: string): { alert: string; title: string | undefined; step: string } {
  const document = parseDocument(html);
  const alert = DomUtils.findOne((el) => el.attribs.role === "alert", document.children);
  const title = DomUtils.findOne((el) => el.name === "input" && el.attribs.name === "title", document.children);
  const step = DomUtils.findOne((el) => el.name === "textarea" && el.attribs.name === "step-1", document.children);
  return {
    alert: alert ? DomUtils.textContent(alert) : "",
    title: title?.attribs.value,
    step: step ? DomUtils.textContent(step).trim() : "",
  };
}

test("a new how-to sent without Publish is not published, says so, and keeps every field typed", async () => {
  const { browser } = await member("Hanna Howto", "hanna-howto@example.com", "10.60.2.1");
  const typed = {
    spaceId: String(spaceId),
    title: "Add a shared mailbox in Outlook",
    summary: "How to see the team mailbox beside your own, in the desktop app.",
    appliesTo: "Outlook for Windows",
    difficulty: "beginner",
    estimatedMinutes: "5",
    prerequisites: "",
    "step-0": "Open File, then Account settings.",
    "step-1": "Choose Change, More settings, Advanced, and add the mailbox.",
    tags: "outlook",
    idempotencyKey: "hanna-key-0001",
  };
  const before = await howtoCount();
  for (const intent of [undefined, "bogus", ""]) {
    const fields = intent === undefined ? typed : { ...typed, intent };
    const { data, status } = payload<FormResult>(await browser.submit(newRoute.action, "/howtos/new", fields));
    expect(status, String(intent)).toBe(400);
    expect(data.formError).toBe(
      "That isn't something this form can do, so nothing was published. What you typed is still here: press “Publish how-to” to publish it.",
    );
    expect(data.values).toMatchObject({ title: typed.title, "step-1": typed["step-1"], spaceId: typed.spaceId });
    expect(data.minimumSteps).toBe(2);
    expect(await howtoCount()).toBe(before);

    // The page shows the words where the form's alerts go, with what was typed still in its fields.
    const page = shown(await renderRoute(browser, newRoute, { path: "/howtos/new", actionData: data }));
    expect(page.alert).toBe(data.formError);
    expect(page.title).toBe(typed.title);
    expect(page.step).toBe(typed["step-1"]);
  }
  // The page's own Publish button (or Enter, through its hidden twin) still publishes.
  const published = await browser.submit(newRoute.action, "/howtos/new", { ...typed, intent: "publish" });
  expect((published as Response).status).toBe(303);
  expect(await howtoCount()).toBe(before + 1);
});

test("an edit sent without Save changes saves nothing, says so, and keeps the changes typed", async () => {
  const { browser, actor } = await member("Ivo Owner", "ivo-howto@example.com", "10.60.2.2");
  const howtoId = await makeHowto(database.db, actor, spaceId);
  const path = `/howtos/${howtoId}/edit`;
  const params = { id: String(howtoId) };
  const start = payload<{ initial: Record<string, string> }>(await browser.load(editRoute.loader, path, params)).data
    .initial;
  const changed = { ...start, title: "Reset a forgotten VPN password from home", note: "Clearer title" };
  for (const intent of [undefined, "bogus", "publish"]) {
    const fields = intent === undefined ? changed : { ...changed, intent };
    const { data, status } = payload<FormResult>(await browser.submit(editRoute.action, path, fields, params));
    expect(status, String(intent)).toBe(400);
    expect(data.formError).toBe(
      "That isn't something this form can do, so nothing was saved. Your changes are still here: press “Save changes” to save them.",
    );
    expect(data.values).toMatchObject({ title: changed.title, baseRevision: start.baseRevision });
    expect((await getHowtoForEditing(database.db, howtoId))?.title).toBe(start.title);

    const page = shown(
      await renderRoute(browser, editRoute, { path, pattern: "/howtos/:id/edit", params, actionData: data }),
    );
    expect(page.alert).toBe(data.formError);
    expect(page.title).toBe(changed.title);
  }
  const saved = await browser.submit(editRoute.action, path, { ...changed, intent: "save" }, params);
  expect((saved as Response).status).toBe(303);
  expect((await getHowtoForEditing(database.db, howtoId))?.title).toBe(changed.title);
});

test("a suggestion sent without Send suggestion is not sent", async () => {
  const { actor: owner } = await member("Jo Owner", "jo-howto@example.com", "10.60.2.3");
  const { browser } = await member("Kai Suggester", "kai-howto@example.com", "10.60.2.4");
  const howtoId = await makeHowto(database.db, owner, spaceId);
  const path = `/howtos/${howtoId}/edit`;
  const params = { id: String(howtoId) };
  const start = payload<{ initial: Record<string, string>; mode: string }>(
    await browser.load(editRoute.loader, path, params),
  ).data;
  expect(start.mode).toBe("suggest");
  const changed = { ...start.initial, summary: "Works from home too, over the VPN.", note: "From home" };
  const { data, status } = payload<FormResult>(await browser.submit(editRoute.action, path, changed, params));
  expect(status).toBe(400);
  expect(data.formError).toBe(
    "That isn't something this form can do, so nothing was sent. Your suggestion is still here: press “Send suggestion” to send it.",
  );
  expect(data.values.summary).toBe(changed.summary);
  const suggestions = await database.db.select().from(editSuggestions).where(eq(editSuggestions.postId, howtoId));
  expect(suggestions).toEqual([]);
});
