/**
 * Hosted Q&A sessions against the real built server, as a browser without JavaScript sends them: a question sent
 * twice (a double click) is queued once; the "your question was withdrawn" note is only for the person who withdrew
 * one there; and a session a moderator cancels says so in neutral words, its calendar file naming the host as
 * organizer at the site's sending address (never the host's own).
 */
import { realServer } from "./fixtures/real-server";

const SENDING_ADDRESS = "sessions@peerdesk.example";
const suite = realServer({ MAIL_FROM: `PeerDesk Sessions <${SENDING_ADDRESS}>` });
const { get, post } = suite;

/** The demo's upcoming session (hosted by Priya Raman, 3 questions per person). */
const UPCOMING = "/sessions/2";
const WITHDRAWN_NOTE = "Your question was withdrawn";

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);

/** The questions a signed-out reader sees in the session's queue. */
async function queueLength(): Promise<number> {
  return (await (await get(UPCOMING)).text()).match(/<li[^>]* id="q-\d+"/g)?.length ?? 0;
}

test("“Send question” clicked twice without JavaScript queues one question, and both posts land on it", async () => {
  const queuedBefore = await queueLength();
  const page = await (await get(UPCOMING, "sofia@peerdesk.test")).text();
  const key = /<input[^>]*name="idempotencyKey"[^>]*value="([^"]+)"/.exec(page)?.[1] ?? "";
  expect(key).not.toBe("");
  const body = "Does the VPN need to be on for Teams calls at home?";
  const first = await post(UPCOMING, "sofia@peerdesk.test", { intent: "ask", body, idempotencyKey: key });
  expect(first.status).toBe(303);
  const second = await post(UPCOMING, "sofia@peerdesk.test", { intent: "ask", body, idempotencyKey: key });
  expect(second.status).toBe(303);
  expect(second.headers.get("location")).toBe(first.headers.get("location"));
  expect(await queueLength()).toBe(queuedBefore + 1);
  // Another page's key is another question.
  const fresh = /<input[^>]*name="idempotencyKey"[^>]*value="([^"]+)"/.exec(
    await (await get(UPCOMING, "sofia@peerdesk.test")).text(),
  )?.[1];
  expect(fresh).not.toBe(key);
});

test("the withdrawn note is said only to someone who withdrew a question in the session, not to a shared link", async () => {
  const withdrawnPath = `${UPCOMING}?withdrawn=1`;
  for (const reader of [undefined, "dev@peerdesk.test", "tom@peerdesk.test"])
    expect(await (await get(withdrawnPath, reader)).text(), reader ?? "signed out").not.toContain(WITHDRAWN_NOTE);

  const asked = await post(UPCOMING, "tom@peerdesk.test", {
    intent: "ask",
    body: "Can I print to the office printer over the VPN?",
  });
  const questionId = /#q-(\d+)$/.exec(asked.headers.get("location") ?? "")?.[1] ?? "";
  expect(questionId).not.toBe("");
  const withdrawn = await post(UPCOMING, "tom@peerdesk.test", { intent: "withdraw", questionId });
  expect(withdrawn.status).toBe(303);
  const landing = withdrawn.headers.get("location") ?? "";
  expect(landing).toBe(`${withdrawnPath}#withdrawn`);
  expect(await (await get(landing, "tom@peerdesk.test")).text()).toContain(WITHDRAWN_NOTE);
  // The same link, shared or opened signed out, says nothing.
  for (const reader of [undefined, "dev@peerdesk.test"])
    expect(await (await get(landing, reader)).text(), reader ?? "signed out").not.toContain(WITHDRAWN_NOTE);
});

test("a session a moderator cancels says it was cancelled, not that its host did; its calendar names the organizer", async () => {
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    title: "Office hours: cancelled by a moderator",
    description: "Anything about printers, scanners and print queues.",
    spaceId: "1",
    timeZone: "UTC",
    startsAt: inMinutes(2 * 24 * 60),
    endsAt: inMinutes(2 * 24 * 60 + 60),
  });
  expect(scheduled.status).toBe(303);
  const path = scheduled.headers.get("location") ?? "";
  const organizer = `ORGANIZER;CN="Priya Raman":mailto:${SENDING_ADDRESS}\r\n`;
  const before = await (await get(`${path}/calendar.ics`)).text();
  expect(before).toContain(organizer);
  expect(before).not.toContain("priya@peerdesk.test");

  expect((await post(`${path}/edit`, "marcus@peerdesk.test", { intent: "cancel" })).status).toBe(303);
  const page = await (await get(path)).text();
  expect(page).toContain("This session was cancelled.");
  expect(page).not.toContain("The host cancelled");
  const after = (await (await get(`${path}/calendar.ics`)).text()).replace(/\r\n /g, "");
  expect(after).toContain("METHOD:CANCEL\r\n");
  expect(after).toContain(organizer);
  expect(after).toContain("DESCRIPTION:This session was cancelled. Details at ");
  expect(after).not.toContain("The host cancelled");
  expect(after).not.toContain("priya@peerdesk.test");
});
