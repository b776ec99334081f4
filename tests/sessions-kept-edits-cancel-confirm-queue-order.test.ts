/**
 * Hosted Q&A sessions against the real built server, without JavaScript: an asker's new wording refused because the
 * host answered meanwhile is said and kept to copy; "Cancel this session" asks first and only the confirmed post
 * cancels; the queue's note says the order the queue really has; and a question refused by a cancelled session says
 * the session was cancelled, never that it ended.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;

const schedule = {
  title: "Office hours: printers without JavaScript",
  description: "Anything about printers, scanners and print queues.",
  spaceId: "1",
  timeZone: "UTC",
};

function textareaText(html: string, id: string): string | undefined {
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}
/** The text React renders, without its comment separators and with entities read. */
function plain(html: string): string {
  return html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);

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

/** A session Priya schedules for the day after tomorrow; its address. */
async function upcomingSession(title: string): Promise<string> {
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    title,
    startsAt: inMinutes(2 * 24 * 60),
    endsAt: inMinutes(2 * 24 * 60 + 60),
  });
  expect(scheduled.status).toBe(303);
  return scheduled.headers.get("location") ?? "";
}

async function ask(path: string, email: string, body: string): Promise<string> {
  const asked = await post(path, email, { intent: "ask", body });
  expect(asked.status).toBe(303);
  return /#q-(\d+)$/.exec(asked.headers.get("location") ?? "")?.[1] ?? "";
}

test("an asker's new wording, refused because the host answered meanwhile, is said and kept to copy", async () => {
  const path = await liveSession("Office hours: a question answered while reworded");
  const questionId = await ask(path, "sofia@peerdesk.test", "Why does the printer ask me for a PIN every time?");
  // Sofia opens "Change or withdraw my question"; meanwhile Priya answers it.
  const page = plain(await (await get(path, "sofia@peerdesk.test")).text());
  expect(page).toContain("Change or withdraw my question");
  const answered = await post(path, "priya@peerdesk.test", {
    intent: "answer",
    questionId,
    answer: "Follow-me printing: hold your badge to the reader.",
  });
  expect(answered.status).toBe(303);

  const typed = "Why does the printer ask me for a PIN every time, even at my own desk?";
  const refused = await post(path, "sofia@peerdesk.test", { intent: "edit", questionId, body: typed });
  expect(refused.status).toBe(409);
  const html = plain(await refused.text());
  expect(html).toContain("The host has already answered this question, so it stays as it was asked.");
  expect(html).toContain("Your new wording (not saved)");
  expect(textareaText(html, `unsent-edit-${questionId}`)).toBe(typed);
  expect(html).toMatch(new RegExp(`<textarea[^>]*id="unsent-edit-${questionId}"[^>]*readonly`, "i"));
  // The question stays as it was asked, with the host's answer.
  expect(html).toContain("Why does the printer ask me for a PIN every time?");
  expect(html).toContain("Follow-me printing: hold your badge to the reader.");
});

test("“Cancel this session” asks first, without JavaScript too; only the confirmed post cancels it", async () => {
  const path = await upcomingSession("Office hours: printers, cancelled after asking");
  const form = await (await get(`${path}/edit`, "priya@peerdesk.test")).text();
  // The first button only asks: a GET to the edit page.
  expect(form).toMatch(
    new RegExp(`<form method="get" action="${path}/edit#cancel-session"[^>]*>.*?Cancel this session</button>`),
  );

  const unconfirmed = await post(`${path}/edit`, "priya@peerdesk.test", { intent: "cancel" });
  expect(unconfirmed.status).toBe(303);
  expect(unconfirmed.headers.get("location")).toBe(`${path}/edit?cancel=confirm#cancel-session`);
  const stillOn = plain(await (await get(path)).text());
  expect(stillOn).not.toContain("This session was cancelled.");
  expect(stillOn).toContain("Upcoming");

  const asked = plain(await (await get(`${path}/edit?cancel=confirm`, "priya@peerdesk.test")).text());
  expect(asked).toContain("Cancel this session? Everyone who follows it or asked in it is told");
  expect(asked).toContain("Yes, cancel the session");
  expect(asked).toContain("No, keep the session");
  const confirmed = await post(`${path}/edit`, "priya@peerdesk.test", { intent: "cancel", confirm: "yes" });
  expect(confirmed.status).toBe(303);
  expect(confirmed.headers.get("location")).toBe(path);
  expect(plain(await (await get(path)).text())).toContain("This session was cancelled.");
});

test("the queue's note says its real order: waiting questions by votes, answered and skipped ones below", async () => {
  const path = await liveSession("Office hours: queue order");
  const popular = await ask(path, "tom@peerdesk.test", "Why is the colour printer always out of cyan?");
  const waiting = await ask(path, "grace@peerdesk.test", "Can I scan straight to my OneDrive?");
  expect((await post(path, "sofia@peerdesk.test", { intent: "vote", questionId: popular, vote: "up" })).status).toBe(
    303,
  );
  const answered = await post(path, "priya@peerdesk.test", {
    intent: "answer",
    questionId: popular,
    answer: "It prints a cyan layer on every page: choose black and white for drafts.",
  });
  expect(answered.status).toBe(303);

  const page = plain(await (await get(path, "dev@peerdesk.test")).text());
  expect(page).toContain(
    "Waiting questions first, by most votes, then the oldest; answered and skipped questions below them.",
  );
  expect(page).not.toContain("Most votes first, then the oldest.");
  // The 0-vote waiting question is above the 1-vote answered one, as the note says.
  const order = [...page.matchAll(/<li[^>]* id="q-(\d+)"/g)].map((match) => match[1]);
  expect(order).toEqual([waiting, popular]);
});

test("a question sent to a cancelled session says it was cancelled, never that it ended, and keeps the text", async () => {
  const path = await upcomingSession("Office hours: printers, cancelled before asking");
  expect((await post(`${path}/edit`, "priya@peerdesk.test", { intent: "cancel", confirm: "yes" })).status).toBe(303);
  const typed = "Can the office printer staple double-sided prints?";
  const refused = await post(path, "sofia@peerdesk.test", { intent: "ask", body: typed });
  expect(refused.status).toBe(409);
  const html = plain(await refused.text());
  expect(html).toContain("This session has been cancelled, so it takes no new questions.");
  expect(html).not.toMatch(/session (has )?ended/i);
  expect(textareaText(html, "unsent-question")).toBe(typed);
});
