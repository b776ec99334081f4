/**
 * A host's edit saved while the session is being cancelled (another tab, or a moderator) doesn't bring a cancelled
 * session's details back to life: the edit looks again under the session's lock and is refused in words. On PGlite
 * transactions take turns, so the edit always starts after the cancel; on PostgreSQL (CI's second pass) the edit's first
 * look really sees the session still upcoming and waits for the cancel's lock.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { officeHours } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { minutes, moveSession, scheduled } from "../../tests/fixtures/sessions";
import { whileOpen } from "../../tests/fixtures/while-open";
import { cancelOfficeHours } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("an edit sent while the session is being cancelled is refused, and the session stays cancelled as it was", async () => {
  const { db } = database;
  const session = await scheduled(db);
  const { other } = await whileOpen(
    db,
    (tx) => cancelOfficeHours(tx, { officeHoursId: session.officeHoursId, actor: session.host, now: minutes(10) }),
    () => moveSession(db, session, { startsAt: 90, endsAt: 150, at: 11 }),
  );
  expect(other.status).toBe("rejected");
  const refused = await rejection(other.status === "rejected" ? Promise.reject(other.reason) : Promise.resolve());
  expect([refused.status, refused.message]).toEqual([
    409,
    "This session has been cancelled; it can no longer be changed.",
  ]);
  const [row] = await db
    .select({ startsAt: officeHours.startsAt, cancelledAt: officeHours.cancelledAt })
    .from(officeHours)
    .where(eq(officeHours.id, session.officeHoursId));
  expect(row?.startsAt).toEqual(minutes(60));
  expect(row?.cancelledAt).not.toBeNull();
});
