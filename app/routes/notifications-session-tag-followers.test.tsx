/**
 * The notifications page's words for a new Q&A session read right for someone told because they follow some of its
 * tags (not its space nor its host): which of those tags, who, what, where and when, the day said once. Rendered from
 * the real loader on the real database, as it reaches a browser without JavaScript (times in UTC until the page runs in
 * the browser).
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

test("someone who follows a session's tags reads which of them it is on, who hosts it, where and when", async () => {
  const { db } = database;
  const reader = new Browser(testServices(database), "10.66.0.2");
  await signUp(reader, { name: "Tess Reader", email: "tess.reader@example.com", password: "Tess reads her inbox" });
  const [me] = await db.select({ id: users.id }).from(users).where(eq(users.email, "tess.reader@example.com"));
  if (!me) throw new Error("not signed up");
  for (const tag of ["vpn", "printers", "outlook"]) await follow(db, me.id, { type: "tag", key: tag });
  const itHelp = await makeSpace(db, { name: "IT help" });
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  await scheduleOfficeHours(db, {
    actor: host,
    title: "Printing from home",
    description: "Bring the printer that won't see your laptop over the VPN.",
    spaceId: itHelp,
    tags: "printers, home-office, vpn",
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
    /^Priya Shah scheduled the Q&A session “Printing from home” on printers and vpn in IT help for Tue,? 1 Dec( 2026)?, 16:00–17:00 UTC /,
  );
  // Only the tags the reader follows; nothing claims they follow the host or the space.
  expect(words).not.toMatch(/home-office|outlook|you follow/i);
  const times = link ? DomUtils.findAll((el) => el.name === "time", link.children) : [];
  expect(times.slice(0, 2).map((el) => el.attribs.datetime)).toEqual([
    "2026-12-01T16:00:00.000Z",
    "2026-12-01T17:00:00.000Z",
  ]);
});
