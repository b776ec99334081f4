/**
 * Hosted Q&A sessions against the real built server, without JavaScript: a question of another session is refused at
 * this one's address; the host's answer to a question someone else answered or its asker withdrew is refused naming
 * them, with the answer kept; a question over the per-person limit comes back kept; ending a live session asks first;
 * a cancelled session invites no questions and its calendar file says so; the edit form saved unchanged changes
 * nothing; a date in another year says its year; a question sent twice (a double click) is queued once; the "your
 * question was withdrawn" note is only for the person who withdrew one there; and a session a moderator cancels says
 * so in neutral words, its calendar file naming the host as organizer at the site's sending address.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;

/** The demo's past session and its upcoming one (hosted by Priya, 3 questions per person). */
const PAST = "/sessions/1";
const UPCOMING = "/sessions/2";

const schedule = {
  title: "Office hours: printers without JavaScript",
  description: "Anything about printers, scanners and print queues.",
  spaceId: "1",
  timeZone: "UTC",
};

function fieldTag(html: string, name: string): string {
  return new RegExp(`<(?:input|textarea)[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? "";
}
function textareaText(html: string, id: string): string | undefined {
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}
/** The text React renders, without its comment separators and with entities read. */
function plain(html: string): string {
  return html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);
/** The calendar file's organizer address: the site's sending address (MAIL_FROM's default here), never the host's. */
const SENDING_ADDRESS = "no-reply@peerdesk.invalid";
const WITHDRAWN_NOTE = "Your question was withdrawn";

/** A session Priya starts now, live for an hour; its address. */
async function liveSession(title: string): Promise<string> {
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    title,
    startNow: "on",
    startsAt: "",
    endsAt: inMinutes(60),
  });
  expect(scheduled.status).toBe(303);
  return scheduled.headers.get("location") ?? "";
}

async function ask(path: string, email: string, body: string): Promise<string> {
  const asked = await post(path, email, { intent: "ask", body });
  expect(asked.status).toBe(303);
  return /#q-(\d+)$/.exec(asked.headers.get("location") ?? "")?.[1] ?? "";
}

test("a vote, withdrawal, answer or skip posted to one session's address for another session's question is refused", async () => {
  const upcoming = await (await get(UPCOMING)).text();
  const questionId = /id="q-(\d+)"/.exec(upcoming)?.[1] ?? "";
  expect(questionId).not.toBe("");
  const votesBefore = /aria-label="Upvote this question, (\d+) votes?"/.exec(
    await (await get(UPCOMING, "sofia@peerdesk.test")).text(),
  )?.[1];
  for (const [email, fields] of [
    ["sofia@peerdesk.test", { intent: "vote", questionId }],
    ["tom@peerdesk.test", { intent: "withdraw", questionId }],
    ["priya@peerdesk.test", { intent: "answer", questionId, answer: "Wrong session." }],
    ["priya@peerdesk.test", { intent: "skip", questionId }],
  ] as const) {
    const refused = await post(PAST, email, fields);
    expect(refused.status, fields.intent).toBe(404);
    expect(plain(await refused.text())).toContain("That question isn't part of this session.");
  }
  const after = await (await get(UPCOMING, "sofia@peerdesk.test")).text();
  expect(/aria-label="Upvote this question, (\d+) votes?"/.exec(after)?.[1]).toBe(votesBefore);
});

test("the host's answer to a question a co-host answered, or its asker withdrew, is refused naming them, the answer kept", async () => {
  const livePath = await liveSession("Live now: printers, co-hosted");
  const questionId = await ask(livePath, "tom@peerdesk.test", "Why does the printer ask me for a PIN?");
  const answered = await post(livePath, "marcus@peerdesk.test", {
    intent: "answer",
    questionId,
    answer: "Follow-me printing: use your badge.",
  });
  expect(answered.status).toBe(303);

  const late = "Type the PIN printed on your badge, then press OK.";
  const refused = await post(livePath, "priya@peerdesk.test", { intent: "answer", questionId, answer: late });
  expect(refused.status).toBe(409);
  const page = plain(await refused.text());
  expect(page).toContain("Marcus Lee answered this question while you were writing, so your answer was not posted.");
  expect(textareaText(page, `unsent-answer-${questionId}`)).toBe(late);
  expect(page).toContain("Follow-me printing: use your badge.");
  // Skipping it now is refused too: an answered question never reads "Skipped by the host".
  const skipped = await post(livePath, "priya@peerdesk.test", { intent: "skip", questionId });
  expect(skipped.status).toBe(409);
  const after = plain(await (await get(livePath)).text());
  expect(after).not.toContain("Skipped by the host");
  expect(after).not.toContain(late);

  const withdrawnId = await ask(livePath, "tom@peerdesk.test", "Can I print from my phone as well?");
  expect((await post(livePath, "tom@peerdesk.test", { intent: "withdraw", questionId: withdrawnId })).status).toBe(303);
  const onWithdrawn = await post(livePath, "priya@peerdesk.test", {
    intent: "answer",
    questionId: withdrawnId,
    answer: "Yes, with the print app.",
  });
  expect(onWithdrawn.status).toBe(409);
  const withdrawnPage = plain(await onWithdrawn.text());
  expect(withdrawnPage).toContain("Tom Becker withdrew this question, so your answer was not posted.");
  expect(textareaText(withdrawnPage, `unsent-answer-${withdrawnId}`)).toBe("Yes, with the print app.");
});

test("a question over the per-person limit comes back with the text typed, to copy", async () => {
  for (const n of [1, 2, 3]) await ask(UPCOMING, "sofia@peerdesk.test", `Question number ${n} about split tunnelling?`);
  const typed = "And a fourth one: why does the VPN drop at noon?";
  const refused = await post(UPCOMING, "sofia@peerdesk.test", { intent: "ask", body: typed });
  expect(refused.status).toBe(409);
  const page = plain(await refused.text());
  expect(page).toContain("You've asked 3 questions, the most this session takes from one person.");
  expect(textareaText(page, "unsent-question")).toBe(typed);
  expect(page).toContain("Your question (not sent)");
});

test("“End the session now” asks first, without JavaScript too; only the confirmed post ends it", async () => {
  const livePath = await liveSession("Live now: printers, ended early");
  const page = await (await get(livePath, "priya@peerdesk.test")).text();
  // The first button only asks: a GET to the edit page.
  expect(page).toMatch(
    new RegExp(`<form method="get" action="${livePath}/edit#end-session"[^>]*>.*?End the session now</button>`),
  );
  const unconfirmed = await post(`${livePath}/edit`, "priya@peerdesk.test", { intent: "end" });
  expect(unconfirmed.status).toBe(303);
  expect(unconfirmed.headers.get("location")).toBe(`${livePath}/edit?end=confirm#end-session`);
  expect(await (await get(livePath)).text()).toContain("Live now");

  const asked = plain(await (await get(`${livePath}/edit?end=confirm`, "priya@peerdesk.test")).text());
  expect(asked).toContain("End the session now? The queue closes for everyone");
  expect(asked).toContain("Yes, end the session");
  const confirmed = await post(`${livePath}/edit`, "priya@peerdesk.test", { intent: "end", confirm: "yes" });
  expect(confirmed.status).toBe(303);
  expect(confirmed.headers.get("location")).toBe(livePath);
  expect(plain(await (await get(livePath)).text())).toContain("This session has ended");
});

test("a cancelled session invites no questions, and its calendar file cancels the event at once", async () => {
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    title: "Office hours: printers 🖨️ and scanners 📠, with a long title to fold",
    startsAt: inMinutes(3 * 24 * 60),
    endsAt: inMinutes(3 * 24 * 60 + 60),
  });
  expect(scheduled.status).toBe(303);
  const path = scheduled.headers.get("location") ?? "";
  const before = await get(`${path}/calendar.ics`);
  expect(before.headers.get("cache-control")).not.toContain("max-age=300");
  const beforeText = await before.text();
  expect(beforeText).toContain("STATUS:CONFIRMED\r\n");
  expect(beforeText).not.toContain("\uFFFD");
  expect(beforeText.replace(/\r\n /g, "")).toContain(
    "SUMMARY:Office hours: printers 🖨️ and scanners 📠\\, with a long title to fold (PeerDesk Q&A)",
  );
  const sequenceBefore = Number(/SEQUENCE:(\d+)/.exec(beforeText)?.[1]);

  expect((await post(`${path}/edit`, "priya@peerdesk.test", { intent: "cancel", confirm: "yes" })).status).toBe(303);
  const page = plain(await (await get(path)).text());
  expect(page).toContain("No questions were asked before it was cancelled.");
  expect(page).not.toContain("Be the first to ask");
  const after = await (await get(`${path}/calendar.ics`)).text();
  expect(after).toContain("METHOD:CANCEL\r\n");
  expect(after).toContain("STATUS:CANCELLED\r\n");
  expect(Number(/SEQUENCE:(\d+)/.exec(after)?.[1])).toBeGreaterThan(sequenceBefore);
});

test("a moderator without a profile time zone saves the edit form unchanged: the times stay, the version too", async () => {
  const form = await (await get(`${UPCOMING}/edit`, "marcus@peerdesk.test")).text();
  const zone = /name="timeZone" value="([^"]+)"/.exec(form)?.[1] ?? "";
  expect(zone).not.toBe("");
  expect(form).toMatch(new RegExp(`Times in <strong>${zone}</strong>`));
  const value = (name: string) =>
    name === "description"
      ? (/<textarea[^>]*name="description"[^>]*>([^<]*)<\/textarea>/.exec(form)?.[1] ?? "")
      : (new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(fieldTag(form, name))?.[1] ?? "");
  const base = /name="baseUpdatedAt" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const startsAt = value("startsAt");
  const saved = await post(`${UPCOMING}/edit`, "marcus@peerdesk.test", {
    intent: "update",
    baseUpdatedAt: base,
    timeZone: zone,
    title: value("title"),
    description: plain(value("description")),
    spaceId: /<option value="(\d+)" selected/.exec(form)?.[1] ?? "",
    tags: value("tags"),
    startsAt,
    endsAt: value("endsAt"),
    maxQuestionsPerPerson: value("maxQuestionsPerPerson"),
  });
  expect(saved.status).toBe(303);
  const again = await (await get(`${UPCOMING}/edit`, "marcus@peerdesk.test")).text();
  expect(/name="baseUpdatedAt" value="([^"]+)"/.exec(again)?.[1]).toBe(base);
  expect(fieldTag(again, "startsAt")).toContain(`value="${startsAt}"`);
});

test("a session in another year says its year, without JavaScript too", async () => {
  const nextYear = new Date().getUTCFullYear() + 1;
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    title: "Office hours: next year's printers",
    startsAt: `${nextYear}-03-10T09:00`,
    endsAt: `${nextYear}-03-10T10:00`,
  });
  expect(scheduled.status).toBe(303);
  const page = plain(await (await get(scheduled.headers.get("location") ?? "")).text());
  expect(page).toMatch(
    new RegExp(
      `<time dateTime="${nextYear}-03-10T09:00:00.000Z">[A-Z][a-z]{2}, 10 Mar ${nextYear}, 09:00</time>–` +
        `<time dateTime="${nextYear}-03-10T10:00:00.000Z">10:00 UTC</time>`,
    ),
  );
});

/** The questions a signed-out reader sees in the session's queue. */
async function queueLength(): Promise<number> {
  return (await (await get(UPCOMING)).text()).match(/<li[^>]* id="q-\d+"/g)?.length ?? 0;
}

test("“Send question” clicked twice without JavaScript queues one question, and both posts land on it", async () => {
  const queuedBefore = await queueLength();
  const page = await (await get(UPCOMING, "grace@peerdesk.test")).text();
  const key = /<input[^>]*name="idempotencyKey"[^>]*value="([^"]+)"/.exec(page)?.[1] ?? "";
  expect(key).not.toBe("");
  const body = "Does the VPN need to be on for Teams calls at home?";
  const first = await post(UPCOMING, "grace@peerdesk.test", { intent: "ask", body, idempotencyKey: key });
  expect(first.status).toBe(303);
  const second = await post(UPCOMING, "grace@peerdesk.test", { intent: "ask", body, idempotencyKey: key });
  expect(second.status).toBe(303);
  expect(second.headers.get("location")).toBe(first.headers.get("location"));
  expect(await queueLength()).toBe(queuedBefore + 1);
  // Another page's key is another question.
  const fresh = /<input[^>]*name="idempotencyKey"[^>]*value="([^"]+)"/.exec(
    await (await get(UPCOMING, "grace@peerdesk.test")).text(),
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

  expect((await post(`${path}/edit`, "marcus@peerdesk.test", { intent: "cancel", confirm: "yes" })).status).toBe(303);
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

test("an upvote sent twice without JavaScript (a double click, an out-of-date tab) stays one vote; the pressed button takes it back", async () => {
  const path = await liveSession("Office hours: votes sent twice");
  const questionId = await ask(path, "grace@peerdesk.test", "Why does my laptop forget the office Wi-Fi every Monday?");
  const voteButton = (html: string) =>
    /<button[^>]*name="vote"[^>]*value="(up|remove)"[^>]*aria-pressed="(true|false)"[^>]*aria-label="Upvote this question, (\d+) votes?"/
      .exec(html)
      ?.slice(1);
  expect(voteButton(await (await get(path, "sofia@peerdesk.test")).text())).toEqual(["up", "false", "0"]);
  for (const _ of [1, 2])
    expect((await post(path, "sofia@peerdesk.test", { intent: "vote", questionId, vote: "up" })).status).toBe(303);
  expect(voteButton(await (await get(path, "sofia@peerdesk.test")).text())).toEqual(["remove", "true", "1"]);
  for (const _ of [1, 2])
    expect((await post(path, "sofia@peerdesk.test", { intent: "vote", questionId, vote: "remove" })).status).toBe(303);
  expect(voteButton(await (await get(path, "sofia@peerdesk.test")).text())).toEqual(["up", "false", "0"]);
});
