/**
 * The notifications page's words for a new Q&A session read right for someone told because they follow its space (who
 * may not follow its host): who, what, where and when. Rendered from the real loader on the real database, as it
 * reaches a browser without JavaScript (times in UTC until the page runs in the browser).
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { follow } from "~/models/notifications.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import * as notificationsRoute from "~/routes/notifications._index";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";
import { T0, local } from "../../tests/fixtures/sessions";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(() => database.close());

test("someone who follows a space reads who will host a Q&A session there, where and when", async () => {
  const { db } = database;
  const reader = new Browser(testServices(database), "10.66.0.1");
  await signUp(reader, { name: "Sam Colleague", email: "sam.colleague@example.com", password: "Sam reads his inbox" });
  const [me] = await db.select({ id: users.id }).from(users).where(eq(users.email, "sam.colleague@example.com"));
  if (!me) throw new Error("not signed up");
  const security = await makeSpace(db, { name: "Security" });
  await follow(db, me.id, { type: "space", key: String(security) });
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  await scheduleOfficeHours(db, {
    actor: host,
    title: "Spotting phishing emails",
    description: "Bring the odd emails you were not sure about.",
    spaceId: security,
    startsAtLocal: local(60),
    endsAtLocal: local(120),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
    now: T0,
  });

  const html = await renderRoute(reader, notificationsRoute, { path: "/notifications" });
  const link = DomUtils.findOne(
    (el) => el.name === "a" && el.attribs.href?.startsWith("/notifications/") === true,
    parseDocument(html).children,
  );
  const words = link ? DomUtils.textContent(link).replace(/\s+/g, " ").trim() : "";
  expect(words).toMatch(
    /^Priya Shah scheduled the Q&A session “Spotting phishing emails” in Security for Tue 1 Dec( 2026)?, 16:00–17:00 UTC /,
  );
  // Nothing claims the reader follows the host.
  expect(words).not.toMatch(/you follow/i);
  const times = link ? DomUtils.findAll((el) => el.name === "time", link.children) : [];
  expect(times.slice(0, 2).map((el) => el.attribs.datetime)).toEqual([
    "2026-12-01T16:00:00.000Z",
    "2026-12-01T17:00:00.000Z",
  ]);
});
