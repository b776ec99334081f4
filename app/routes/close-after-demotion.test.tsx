/**
 * A moderator demoted in another tab who then presses "Close the question" on the page they had open: the close is
 * refused in words that say the role changed, and the chosen reason and typed note are shown to copy on the page that
 * comes back (no longer the moderators' form). Nothing is closed or voted. Real loader and action, real database.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { closeVotes, questionClosures, userTrust, users } from "#db/schema";
import { closeQuestion } from "~/models/close.server";
import { setUserRole } from "~/models/users.server";
import * as closeRoute from "~/routes/q.$id.close";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  adminId = (await makePerson(database.db, { role: "admin" })).id;
});
afterAll(() => database.close());

const note = "Please say which printer model and which office; the question can't be answered without them.";

let people = 0;

/** A moderator signed up through the real form, in their own browser, and the close page as they opened it. */
async function moderatorWithClosePage() {
  const { db } = database;
  people += 1;
  const email = `mo-close-${people}@example.com`;
  const mo = new Browser(testServices(database), `10.65.0.${people}`);
  await signUp(mo, { name: "Mo Derates", email, password: "mo closes off-topic things" });
  const [me] = await db
    .update(users)
    .set({ role: "moderator", emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!me) throw new Error("moderator not created");
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const path = `/q/${questionId}/close`;
  const params = { id: String(questionId) };
  // The moderators' form, whose button closes at once; its hidden fields are sent with what is typed.
  const opened = parseDocument(await renderRoute(mo, closeRoute, { path, pattern: "/q/:id/close", params }));
  expect(DomUtils.textContent(opened)).toContain("Close the question");
  const hidden = DomUtils.findAll((el) => el.name === "input" && el.attribs.type === "hidden", opened.children);
  const fields = Object.fromEntries(hidden.map((input) => [input.attribs.name ?? "", input.attribs.value ?? ""]));
  return { mo, userId: me.id, questionId, path, params, fields };
}

async function closedOrVoted(questionId: number) {
  const { db } = database;
  return [
    ...(await db.select().from(questionClosures).where(eq(questionClosures.questionId, questionId))),
    ...(await db.select().from(closeVotes).where(eq(closeVotes.questionId, questionId))),
  ];
}

test("a moderator demoted meanwhile is told the role changed, and keeps the reason and note", async () => {
  const { db } = database;
  const { mo, userId, questionId, path, params, fields } = await moderatorWithClosePage();
  // An admin makes Mo a member again in another tab; then Mo presses the button.
  await setUserRole(db, { userId, role: "member", by: adminId });
  const refused = payload<{ message: string; values: Record<string, string> }>(
    await mo.submit(
      closeRoute.action,
      path,
      { ...fields, reason: "needs_details", duplicateOf: "", details: note },
      params,
    ),
  );
  expect(refused.status).toBe(403);
  expect(refused.data.message).toBe(
    "Only moderators and admins can close questions, and your account is no longer a moderator (it is a member account now), so the question was not closed. Your reason and details are kept below, to copy.",
  );
  expect(refused.data.values).toMatchObject({ reason: "needs_details", details: note });
  expect(await closedOrVoted(questionId)).toEqual([]);

  const page = parseDocument(
    await renderRoute(mo, closeRoute, { path, pattern: "/q/:id/close", params, actionData: refused.data }),
  );
  const alerts = DomUtils.findAll((el) => el.attribs.role === "alert", page.children).map((el) =>
    DomUtils.textContent(el),
  );
  expect(alerts).toEqual([refused.data.message]);
  expect(DomUtils.textContent(page)).toContain("Your reason (not sent): It needs more details");
  const kept = DomUtils.findOne((el) => el.attribs.id === "unsent-close-details", page.children);
  expect(kept && DomUtils.textContent(kept)).toBe(note);
});

test("one who may still vote to close gets no vote in place of the close, and the vote form keeps what was typed", async () => {
  const { db } = database;
  const { mo, userId, questionId, path, params, fields } = await moderatorWithClosePage();
  await setUserRole(db, { userId, role: "mentor", by: adminId });
  // A member who has taken part for a while (trust level 2) may vote to close.
  await db
    .insert(userTrust)
    .values({ userId, level: 2 })
    .onConflictDoUpdate({ target: userTrust.userId, set: { level: 2, computedAt: new Date() } });
  const refused = payload<{ message: string; values: Record<string, string> }>(
    await mo.submit(
      closeRoute.action,
      path,
      { ...fields, reason: "off_topic", duplicateOf: "", details: note },
      params,
    ),
  );
  expect(refused.status).toBe(403);
  expect(refused.data.message).toBe(
    "Only moderators and admins can close questions, and your account is no longer a moderator (it is a mentor account now), so the question was not closed. You can vote to close it instead: your reason and details are still in the form.",
  );
  expect(await closedOrVoted(questionId)).toEqual([]);

  const page = parseDocument(
    await renderRoute(mo, closeRoute, { path, pattern: "/q/:id/close", params, actionData: refused.data }),
  );
  expect(DomUtils.textContent(page)).toContain("Vote to close");
  const checked = DomUtils.findOne(
    (el) => el.name === "input" && el.attribs.name === "reason" && el.attribs.checked !== undefined,
    page.children,
  );
  expect(checked?.attribs.value).toBe("off_topic");
  const details = DomUtils.findOne((el) => el.name === "textarea" && el.attribs.name === "details", page.children);
  expect(details && DomUtils.textContent(details)).toBe(note);
});

test("a moderator whose question another moderator closed meanwhile keeps the reason and note too", async () => {
  const { db } = database;
  const { mo, questionId, path, params, fields } = await moderatorWithClosePage();
  const other = await makePerson(db, { role: "moderator" });
  await closeQuestion(db, { actor: other, questionId, reason: "off_topic", duplicateOf: "", details: "" });
  const refused = payload<{ message: string; values: Record<string, string> }>(
    await mo.submit(
      closeRoute.action,
      path,
      { ...fields, reason: "needs_details", duplicateOf: "", details: note },
      params,
    ),
  );
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe("This question is already closed.");
  const page = parseDocument(
    await renderRoute(mo, closeRoute, { path, pattern: "/q/:id/close", params, actionData: refused.data }),
  );
  expect(DomUtils.textContent(page)).toContain("Your reason (not sent): It needs more details");
  const kept = DomUtils.findOne((el) => el.attribs.id === "unsent-close-details", page.children);
  expect(kept && DomUtils.textContent(kept)).toBe(note);
});

test("a member who never was a moderator and sends the moderators' form is told what their account is, not that it changed", async () => {
  const { db } = database;
  const { questionId, path, params, fields } = await moderatorWithClosePage();
  people += 1;
  const email = `never-staff-${people}@example.com`;
  const member = new Browser(testServices(database), `10.65.1.${people}`);
  await signUp(member, { name: "Nell Member", email, password: "nell only reads the forum" });
  await db.update(users).set({ emailVerified: true, createdAt: ESTABLISHED_SINCE }).where(eq(users.email, email));
  const refused = payload<{ message: string; values: Record<string, string> }>(
    await member.submit(
      closeRoute.action,
      path,
      { ...fields, reason: "needs_details", duplicateOf: "", details: note },
      params,
    ),
  );
  expect(refused.status).toBe(403);
  expect(refused.data.message).toBe(
    "Only moderators and admins can close questions, and your account is a member account, so the question was not closed. Your reason and details are kept below, to copy.",
  );
  expect(refused.data.values).toMatchObject({ reason: "needs_details", details: note });
  expect(await closedOrVoted(questionId)).toEqual([]);
});
