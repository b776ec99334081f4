/**
 * Hosted Q&A sessions on the real database, where two people act on one thing at once: a co-host's answer, an asker's
 * withdrawal and a question of another session are refused with who did what; an edit form saved unchanged changes
 * nothing; and the calendar file says a session moved or was cancelled.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { officeHours } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson } from "../../tests/fixtures/people";
import { T0, local, minutes, scheduled as scheduledIn } from "../../tests/fixtures/sessions";
import { listNotifications } from "./notifications.server";
import { foldIcsLine, officeHoursIcs } from "./office-hours-calendar.server";
import { getOfficeHours } from "./office-hours-lists.server";
import {
  answerInOfficeHours,
  askInOfficeHours,
  editOfficeHoursQuestion,
  getQueue,
  toggleOfficeHoursVote,
  withdrawOfficeHoursQuestion,
} from "./office-hours-queue.server";
import { cancelOfficeHours, endOfficeHoursNow, getOfficeHoursForEdit, updateOfficeHours } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function sessionWithQuestion() {
  const { db } = database;
  const session = await scheduledIn(db);
  const asker = await makePerson(db, { name: "Tom Berg" });
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: asker,
    body: "Why does my laptop keep the weak access point?",
    now: minutes(5),
  });
  return { ...session, asker, questionId };
}

test("a co-host's answer is never overwritten: the later answer or skip is refused naming who answered", async () => {
  const { db } = database;
  const { host, officeHoursId, questionId } = await sessionWithQuestion();
  const moderator = await makePerson(db, { role: "moderator", name: "Marcus Lee" });
  await answerInOfficeHours(db, {
    questionId,
    actor: moderator,
    answer: "Lower the minimum RSSI on the access points.",
    now: minutes(70),
  });

  const late = await rejection(
    answerInOfficeHours(db, { questionId, actor: host, answer: "Turn on 802.11k and v.", now: minutes(71) }),
  );
  expect(late.status).toBe(409);
  expect(late.message).toBe("Marcus Lee answered this question while you were writing, so your answer was not posted.");
  const skip = await rejection(answerInOfficeHours(db, { questionId, actor: host, skip: true, now: minutes(71) }));
  expect(skip.message).toBe("Marcus Lee answered this question while you were writing, so it was not skipped.");
  // The host's own second tab is told it was them.
  const again = await rejection(
    answerInOfficeHours(db, { questionId, actor: moderator, answer: "Also: 802.11r.", now: minutes(72) }),
  );
  expect(again.message).toBe("You answered this question while you were writing, so your answer was not posted.");

  const [question] = await getQueue(db, officeHoursId, { phase: "live" });
  expect(question).toMatchObject({ state: "answered" });
  expect(question?.answerHtml).toContain("Lower the minimum RSSI");
});

test("a skipped question takes no answer, and a withdrawn one is neither answered nor skipped: the host is told why", async () => {
  const { db } = database;
  const { host, asker, officeHoursId, questionId } = await sessionWithQuestion();
  await answerInOfficeHours(db, { questionId, actor: host, skip: true, now: minutes(70) });
  const onSkipped = await rejection(
    answerInOfficeHours(db, {
      questionId,
      actor: host,
      answer: "After all: roaming aggressiveness.",
      now: minutes(71),
    }),
  );
  expect(onSkipped.message).toBe("You skipped this question while you were writing, so your answer was not posted.");
  expect((await rejection(answerInOfficeHours(db, { questionId, actor: host, skip: true }))).message).toBe(
    "This session is over; its archive is read-only.",
  );
  expect(
    (await rejection(answerInOfficeHours(db, { questionId, actor: host, skip: true, now: minutes(72) }))).message,
  ).toBe("You already skipped this question.");

  const { questionId: withdrawnId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Should the guest network roam too?",
    now: minutes(73),
  });
  await withdrawOfficeHoursQuestion(db, { questionId: withdrawnId, actor: asker, now: minutes(74) });
  const onWithdrawn = await rejection(
    answerInOfficeHours(db, { questionId: withdrawnId, actor: host, answer: "No, keep it apart.", now: minutes(75) }),
  );
  expect(onWithdrawn.status).toBe(409);
  expect(onWithdrawn.message).toBe(
    "Tom Berg withdrew this question, so your answer was not posted. It is no longer in the session.",
  );
  expect(
    (await rejection(answerInOfficeHours(db, { questionId: withdrawnId, actor: host, skip: true, now: minutes(75) })))
      .message,
  ).toBe("Tom Berg withdrew this question, so it was not skipped. It is no longer in the session.");
  // A stranger learns nothing of who did what.
  const stranger = await makePerson(db);
  expect(
    (await rejection(answerInOfficeHours(db, { questionId, actor: stranger, answer: "Me!", now: minutes(75) }))).status,
  ).toBe(403);
  const queue = await getQueue(db, officeHoursId, { phase: "live" });
  expect(queue.map((q) => [q.id, q.state, q.answerHtml])).toEqual([[questionId, "skipped", null]]);
});

test("a vote, edit, withdrawal, answer or skip naming a question of another session is refused, and changes nothing", async () => {
  const { db } = database;
  const one = await sessionWithQuestion();
  const other = await sessionWithQuestion();
  const voter = await makePerson(db);
  const notHere = "That question isn't part of this session.";
  // One at a time: started together, the later refusals would be unhandled while the first is awaited.
  const attempts = [
    () => toggleOfficeHoursVote(db, { officeHoursId: one.officeHoursId, questionId: other.questionId, actor: voter }),
    () =>
      editOfficeHoursQuestion(db, {
        officeHoursId: one.officeHoursId,
        questionId: other.questionId,
        actor: other.asker,
        body: "Reworded somewhere it doesn't belong.",
        now: minutes(6),
      }),
    () =>
      withdrawOfficeHoursQuestion(db, {
        officeHoursId: one.officeHoursId,
        questionId: other.questionId,
        actor: other.asker,
        now: minutes(6),
      }),
    () =>
      answerInOfficeHours(db, {
        officeHoursId: one.officeHoursId,
        questionId: other.questionId,
        actor: one.host,
        answer: "An answer in the wrong session.",
        now: minutes(70),
      }),
    () =>
      answerInOfficeHours(db, {
        officeHoursId: one.officeHoursId,
        questionId: other.questionId,
        actor: one.host,
        skip: true,
        now: minutes(70),
      }),
  ];
  for (const attempt of attempts) {
    const refused = await rejection(attempt());
    expect([refused.status, refused.message]).toEqual([404, notHere]);
  }
  const [question] = await getQueue(db, other.officeHoursId, { phase: "live" });
  expect(question).toMatchObject({ state: "open", votes: 0, editedAt: null });
  // In its own session it is answered as usual.
  await answerInOfficeHours(db, {
    officeHoursId: other.officeHoursId,
    questionId: other.questionId,
    actor: other.host,
    answer: "Enable band steering.",
    now: minutes(70),
  });
});

test("the edit form saved unchanged (upcoming or live, any zone, tags in another order) changes nothing and tells nobody", async () => {
  const { db } = database;
  const { host, asker, officeHoursId } = await sessionWithQuestion();
  const before = await getOfficeHours(db, officeHoursId);
  for (const [zone, now] of [
    ["America/New_York", minutes(10)],
    ["Asia/Kolkata", minutes(65)],
  ] as const) {
    const opened = await getOfficeHoursForEdit(db, officeHoursId, zone);
    if (!opened) throw new Error("no session");
    // The form names the zone its times are written in, so it reads them back in that zone.
    expect(opened.values.timeZone).toBe(zone);
    await updateOfficeHours(db, {
      ...opened.values,
      startsAtLocal: opened.values.startsAt,
      endsAtLocal: opened.values.endsAt,
      officeHoursId,
      actor: host,
      baseUpdatedAt: new Date(opened.updatedAt),
      now,
    });
  }
  // The same tags typed in another order are not a change either.
  const opened = await getOfficeHoursForEdit(db, officeHoursId, "UTC");
  if (!opened) throw new Error("no session");
  const tags = opened.values.tags.split(", ");
  expect(tags.length).toBeGreaterThan(1);
  await updateOfficeHours(db, {
    ...opened.values,
    tags: tags.reverse().join(", "),
    startsAtLocal: opened.values.startsAt,
    endsAtLocal: opened.values.endsAt,
    officeHoursId,
    actor: host,
    baseUpdatedAt: new Date(opened.updatedAt),
    now: minutes(70),
  });
  const after = await getOfficeHours(db, officeHoursId);
  expect(after).toEqual(before);
  expect((await listNotifications(db, asker.id)).items).toEqual([]);
});

test("the calendar file: folded between characters, with a revision that grows when moved, ended or cancelled", async () => {
  const { db } = database;
  const line = `SUMMARY:${"Wi-Fi 📶 clinic ".repeat(12)}`;
  const folded = foldIcsLine(line);
  const lines = folded.split("\r\n");
  expect(lines.length).toBeGreaterThan(2);
  for (const [index, part] of lines.entries()) {
    expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    if (index > 0) expect(part.startsWith(" ")).toBe(true);
    // Each line is whole UTF-8 on its own: no emoji cut in two.
    expect(Buffer.from(part).toString("utf8")).not.toContain("\uFFFD");
    expect(part).not.toMatch(/[\uD800-\uDBFF]$|^ ?[\uDC00-\uDFFF]/);
  }
  expect(lines.map((part, index) => (index === 0 ? part : part.slice(1))).join("")).toBe(line);

  const { host, spaceId, officeHoursId } = await scheduledIn(db);
  const url = `https://peerdesk.example/sessions/${officeHoursId}`;
  const sequenceOf = async () => {
    const session = await getOfficeHours(db, officeHoursId);
    if (!session) throw new Error("no session");
    const ics = officeHoursIcs(session, url, { now: T0 });
    return { ics, sequence: Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(ics)?.[1]) };
  };
  const first = await sequenceOf();
  expect(first.sequence).toBe(0);
  expect(first.ics).toContain("METHOD:PUBLISH\r\n");
  expect(first.ics).toContain("STATUS:CONFIRMED\r\n");

  await updateOfficeHours(db, {
    title: "Ask me anything about Wi-Fi roaming",
    description: "Bring your dead zones, sticky clients and mesh questions.",
    spaceId,
    tags: "wi-fi, roaming",
    startsAtLocal: local(90),
    endsAtLocal: local(150),
    timeZone: "UTC",
    officeHoursId,
    actor: host,
    now: minutes(10),
  });
  const moved = await sequenceOf();
  expect(moved.sequence).toBeGreaterThan(first.sequence);
  expect(moved.ics).toContain(`DTSTART:${local(90).replace(/[-:]/g, "")}00Z\r\n`);

  await endOfficeHoursNow(db, { officeHoursId, actor: host, now: minutes(100) });
  const ended = await sequenceOf();
  expect(ended.sequence).toBeGreaterThan(moved.sequence);
  expect(ended.ics).toContain(`DTEND:${local(100).replace(/[-:]/g, "")}00Z\r\n`);

  const { officeHoursId: cancelledId, host: otherHost } = await scheduledIn(db);
  await cancelOfficeHours(db, { officeHoursId: cancelledId, actor: otherHost, now: minutes(20) });
  const cancelled = await getOfficeHours(db, cancelledId);
  if (!cancelled) throw new Error("no session");
  const ics = officeHoursIcs(cancelled, url, { now: T0 });
  expect(ics).toContain("METHOD:CANCEL\r\n");
  expect(ics).toContain("STATUS:CANCELLED\r\n");
  expect(ics).toContain("SEQUENCE:1\r\n");
  expect(ics).toContain(`UID:session-${cancelledId}@peerdesk\r\n`);
  const [row] = await db.select().from(officeHours).where(eq(officeHours.id, cancelledId));
  expect(row?.cancelledAt).toEqual(minutes(20));
});
