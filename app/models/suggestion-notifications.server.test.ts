/**
 * Notifications about suggested edits to how-tos, on the real database: the author hears of every suggestion, the
 * suggester of every decision, each person once per how-to (a repeat re-arms it as new), never the actor, never the banned.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { notifications, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import {
  decideSuggestion,
  listPendingSuggestions,
  suggestHowtoEdit,
  withdrawSuggestion,
} from "./howto-suggestions.server";
import { follow, listNotifications, markAllRead, openNotification } from "./notifications.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

async function inbox(userId: string) {
  return (await listNotifications(database.db, userId)).items.map((item) => ({
    kind: item.kind,
    actor: item.actorName,
    title: item.title,
    url: item.url,
    isRead: item.isRead,
    ...(item.suggestionOutcome ? { outcome: item.suggestionOutcome } : {}),
  }));
}

async function setUp() {
  const { db } = database;
  const author = await makePerson(db, { name: "Priya Nair" });
  const sofia = await makePerson(db, { name: "Sofia Alvarez" });
  const marcus = await makePerson(db, { name: "Marcus Lee" });
  const fields = howtoFields({ title: "Set up the office printer on a Mac" });
  const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
  const suggest = (actor: Person, step: string) =>
    suggestHowtoEdit(db, { ...fields, steps: [...fields.steps, step], howtoId, actor });
  return { author, sofia, marcus, howtoId, suggest };
}

describe("the author hears of suggested edits", () => {
  test("a suggestion tells the author, leading to the review page; the suggester and others are not told", async () => {
    const { author, sofia, marcus, howtoId, suggest } = await setUp();
    await follow(database.db, marcus.id, { type: "howto", key: String(howtoId) });
    await suggest(sofia, "Print a test page to check it works.");
    expect(await inbox(author.id)).toEqual([
      {
        kind: "suggestion",
        actor: "Sofia Alvarez",
        title: "Set up the office printer on a Mac",
        url: `/howtos/${howtoId}/suggestions`,
        isRead: false,
      },
    ]);
    expect(await inbox(sofia.id)).toEqual([]);
    // Following the how-to is no reason to hear of a suggestion only its author decides on.
    expect(await inbox(marcus.id)).toEqual([]);
  });

  test("a second person's suggestion reaches the author again, as new: unread, listed first, one notification", async () => {
    const { db } = database;
    const { author, sofia, marcus, suggest } = await setUp();
    await suggest(sofia, "Print a test page to check it works.");
    await markAllRead(db, author.id);
    const [first] = (await listNotifications(db, author.id)).items;
    // Something else happens in between: the second suggestion must still be listed above it.
    await makeAnswer(db, sofia, await makeQuestion(db, author, await makeSpace(db)));
    await suggest(marcus, "Choose “Secure print” if the printer asks for a PIN.");
    const items = await inbox(author.id);
    expect(items.map((item) => [item.kind, item.actor, item.isRead])).toEqual([
      ["suggestion", "Marcus Lee", false],
      ["answer", "Sofia Alvarez", false],
    ]);
    const [rearmed] = (await listNotifications(db, author.id)).items;
    expect(rearmed?.id).toBeGreaterThan(first?.id ?? Number.POSITIVE_INFINITY);
    const rows = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, author.id), eq(notifications.kind, "suggestion")));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.mailedAt).toBeNull();
  });

  test("replacing one's own pending suggestion tells the author again", async () => {
    const { db } = database;
    const { author, sofia, suggest } = await setUp();
    await suggest(sofia, "Print a test page to check it works.");
    await markAllRead(db, author.id);
    const { replaced } = await suggest(sofia, "Print a test page from TextEdit to check it works.");
    expect(replaced).toBe(true);
    expect((await inbox(author.id)).map((item) => [item.kind, item.actor, item.isRead])).toEqual([
      ["suggestion", "Sofia Alvarez", false],
    ]);
  });

  test("a banned author is not told", async () => {
    const { db } = database;
    const { author, sofia, suggest } = await setUp();
    await db.update(users).set({ banned: true }).where(eq(users.id, author.id));
    await suggest(sofia, "Print a test page to check it works.");
    expect(await db.select().from(notifications).where(eq(notifications.userId, author.id))).toEqual([]);
  });

  test("after a withdrawal the notification still opens the review page, which then has nothing waiting", async () => {
    const { db } = database;
    const { author, sofia, howtoId, suggest } = await setUp();
    await suggest(sofia, "Print a test page to check it works.");
    expect(await withdrawSuggestion(db, { howtoId, actor: sofia })).toBe(true);
    const [item] = (await listNotifications(db, author.id)).items;
    expect(await openNotification(db, author.id, item?.id ?? 0)).toBe(`/howtos/${howtoId}/suggestions`);
    expect((await listPendingSuggestions(db, { howtoId, actor: author })).suggestions).toEqual([]);
  });
});

describe("the suggester hears of the decision", () => {
  test("accepted by the author: told so, leading to the how-to; the author, who decided, is told nothing new", async () => {
    const { db } = database;
    const { author, sofia, howtoId, suggest } = await setUp();
    const { suggestionId } = await suggest(sofia, "Print a test page to check it works.");
    await markAllRead(db, author.id);
    await decideSuggestion(db, { suggestionId, actor: author, decision: "accept" });
    expect(await inbox(sofia.id)).toEqual([
      {
        kind: "suggestion_decided",
        actor: "Priya Nair",
        title: "Set up the office printer on a Mac",
        url: `/howtos/${howtoId}`,
        isRead: false,
        outcome: "accepted",
      },
    ]);
    expect((await inbox(author.id)).filter((item) => !item.isRead)).toEqual([]);
  });

  test("rejected by a moderator: told it wasn't taken; the author is not told", async () => {
    const { db } = database;
    const { author, sofia, howtoId, suggest } = await setUp();
    const moderator = await makePerson(db, { role: "moderator", name: "Dana Okafor" });
    const { suggestionId } = await suggest(sofia, "Print a test page to check it works.");
    await markAllRead(db, author.id);
    await decideSuggestion(db, { suggestionId, actor: moderator, decision: "reject" });
    expect(await inbox(sofia.id)).toEqual([
      {
        kind: "suggestion_decided",
        actor: "Dana Okafor",
        title: "Set up the office printer on a Mac",
        url: `/howtos/${howtoId}`,
        isRead: false,
        outcome: "rejected",
      },
    ]);
    expect((await inbox(author.id)).filter((item) => !item.isRead)).toEqual([]);
  });

  test("a later decision on a new suggestion re-arms the notification with the new outcome", async () => {
    const { db } = database;
    const { author, sofia, suggest } = await setUp();
    const first = await suggest(sofia, "Print a test page to check it works.");
    await decideSuggestion(db, { suggestionId: first.suggestionId, actor: author, decision: "reject" });
    await markAllRead(db, sofia.id);
    const second = await suggest(sofia, "Print a test page from TextEdit to check it works.");
    await decideSuggestion(db, { suggestionId: second.suggestionId, actor: author, decision: "accept" });
    expect((await inbox(sofia.id)).map((item) => [item.kind, item.outcome, item.isRead])).toEqual([
      ["suggestion_decided", "accepted", false],
    ]);
  });

  test("a suggester already told of the how-to itself (they follow its author) still hears the decision", async () => {
    const { db } = database;
    const author = await makePerson(db, { name: "Priya Nair" });
    const sofia = await makePerson(db, { name: "Sofia Alvarez" });
    await follow(db, sofia.id, { type: "user", key: author.id });
    const fields = howtoFields({ title: "Share a calendar with a colleague" });
    const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
    expect((await inbox(sofia.id)).map((item) => item.kind)).toEqual(["new_post"]);
    const { suggestionId } = await suggestHowtoEdit(db, {
      ...fields,
      steps: [...fields.steps, "Choose “Can view all details”."],
      howtoId,
      actor: sofia,
    });
    await decideSuggestion(db, { suggestionId, actor: author, decision: "reject" });
    expect((await inbox(sofia.id)).map((item) => item.kind)).toEqual(["suggestion_decided", "new_post"]);
  });

  test("a suggester banned before the decision is not told", async () => {
    const { db } = database;
    const { author, sofia, suggest } = await setUp();
    const { suggestionId } = await suggest(sofia, "Print a test page to check it works.");
    await db.update(users).set({ banned: true }).where(eq(users.id, sofia.id));
    await decideSuggestion(db, { suggestionId, actor: author, decision: "reject" });
    expect(await db.select().from(notifications).where(eq(notifications.userId, sofia.id))).toEqual([]);
  });
});
