/**
 * A session's live stream lasts as long as the session: one ending in a moment says "ended" and closes (the page then
 * reloads into the archive); one ending months ahead stays open (a timer that long would fire at once); one starting in
 * a moment says "started" (its open pages turn live).
 */
import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { officeHours } from "#db/schema";
import { CLIENT_IP_HEADER } from "~/auth/auth.server";
import { createRealtimeHub } from "~/lib/realtime.server";
import { EventStreamLimits } from "~/lib/sse.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { loader } from "./sessions.$id.events";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A live session (started five minutes ago) ending at `endsAt`, or starting at `startsAt` instead. */
async function liveSessionEnding(endsAt: Date, startsAt?: Date): Promise<number> {
  const { db } = database;
  const now = new Date();
  const local = (date: Date) => date.toISOString().slice(0, 16);
  const { officeHoursId } = await scheduleOfficeHours(db, {
    actor: await makePerson(db, { role: "mentor" }),
    title: "Printers and scanners, live",
    description: "Bring your error codes.",
    spaceId: await makeSpace(db),
    tags: "printers",
    startsAtLocal: local(new Date(now.getTime() - 5 * 60_000)),
    endsAtLocal: local(new Date(now.getTime() + 60 * 60_000)),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
    now,
  });
  await db
    .update(officeHours)
    .set({ endsAt, ...(startsAt ? { startsAt } : {}) })
    .where(eq(officeHours.id, officeHoursId));
  return officeHoursId;
}

async function openStream(officeHoursId: number, client: AbortController): Promise<Response> {
  const context = {
    services: {
      db: database.db,
      realtime: createRealtimeHub(database),
      eventStreams: new EventStreamLimits({ limit: 10, limitPerAddress: 10, log: () => {} }),
    },
  } as unknown as AppLoadContext;
  const request = new Request(`http://peerdesk.test/sessions/${officeHoursId}/events`, {
    headers: { Accept: "text/event-stream", [CLIENT_IP_HEADER]: "10.0.0.1" },
    signal: client.signal,
  });
  return (await loader({ request, params: { id: String(officeHoursId) }, context })) as Response;
}

/** Everything the stream says within `ms`, and whether it ended by then. */
async function readFor(response: Response, ms: number): Promise<{ text: string; isEnded: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("a stream without a body");
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return { text, isEnded: false };
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
    ]);
    if (chunk === null) return { text, isEnded: false };
    if (chunk.done) return { text, isEnded: true };
    text += decoder.decode(chunk.value, { stream: true });
  }
}

test("a session ending in a moment says it ended, then its stream closes", async () => {
  const officeHoursId = await liveSessionEnding(new Date(Date.now() + 1500));
  const client = new AbortController();
  const response = await openStream(officeHoursId, client);
  expect(response.status).toBe(200);
  const { text, isEnded } = await readFor(response, 10_000);
  client.abort();
  expect(text).toContain("retry: 5000");
  expect(text).toContain('event: change\ndata: {"type":"ended","questionId":null}');
  expect(isEnded).toBe(true);
});

test("a session ending months ahead keeps its stream open", async () => {
  const officeHoursId = await liveSessionEnding(new Date(Date.now() + 90 * 24 * 3_600_000));
  const client = new AbortController();
  const response = await openStream(officeHoursId, client);
  expect(response.status).toBe(200);
  const { text, isEnded } = await readFor(response, 1500);
  client.abort();
  expect(text).toContain("retry: 5000");
  expect(isEnded).toBe(false);
});

test("an upcoming session starting in a moment says it started, and its stream stays open until the end", async () => {
  const officeHoursId = await liveSessionEnding(new Date(Date.now() + 60 * 60_000), new Date(Date.now() + 1000));
  const client = new AbortController();
  const response = await openStream(officeHoursId, client);
  const { text, isEnded } = await readFor(response, 4000);
  client.abort();
  expect(text).toContain('event: change\ndata: {"type":"started","questionId":null}');
  expect(isEnded).toBe(false);
});
