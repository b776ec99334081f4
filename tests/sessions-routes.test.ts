/**
 * Hosted Q&A sessions against the real built server: a question moderation hid stays off the session page and the
 * sessions list (cached for visitors) until a moderator keeps it, the schedule and edit forms answer impossible or
 * far-off times with a field error and the typed values, never a failed query, and a session's forms posted without
 * JavaScript come back refused with their message beside the field and what was typed.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;

const SPAM = "BUY CHEAP WATCHES at spam dot example, best prices here";
/** The demo's upcoming session (hosted by Priya, takes questions). */
const UPCOMING = "/sessions/2";

/** How many questions the sessions list says the upcoming session has ("3 questions", React's text separators aside). */
async function listedQuestionCount(): Promise<number> {
  const html = await (await get("/sessions")).text();
  const card = html.slice(html.indexOf("Ask me anything: VPNs for people working from home"));
  const match = /(\d+)(?:<!-- -->|\s)*questions?\b/.exec(card);
  return Number(match?.[1] ?? Number.NaN);
}

test("a session question a moderator's flag hides leaves the page and the list for all but its asker and staff, until kept", async () => {
  const asked = await post(UPCOMING, "dev@peerdesk.test", { intent: "ask", body: SPAM });
  expect(asked.status).toBe(303);
  const questionId = /#q-(\d+)$/.exec(asked.headers.get("location") ?? "")?.[1] ?? "";
  expect(questionId).not.toBe("");
  expect(await (await get(UPCOMING)).text()).toContain(SPAM);
  // Signed out, the list is served from the page cache from here on.
  const countBefore = await listedQuestionCount();
  expect(countBefore).toBe(3);

  const flagged = await post(`/flag?type=session_question&id=${questionId}`, "marcus@peerdesk.test", {
    targetType: "session_question",
    targetId: questionId,
    reason: "spam",
  });
  expect(flagged.status).toBe(200);
  const review = await (await get("/review", "marcus@peerdesk.test")).text();
  expect(review).toContain("Hidden and waiting for review");
  expect(review).toContain("BUY CHEAP WATCHES");

  for (const reader of [undefined, "grace@peerdesk.test", "priya@peerdesk.test"]) {
    const page = await (await get(UPCOMING, reader)).text();
    expect(page, reader ?? "signed out").not.toContain("BUY CHEAP WATCHES");
    expect(page, reader ?? "signed out").toContain("Questions (2)");
  }
  expect(await listedQuestionCount()).toBe(2);
  // Its asker sees it waiting for review; a moderator sees it marked.
  const own = await (await get(UPCOMING, "dev@peerdesk.test")).text();
  expect(own).toContain(SPAM);
  expect(own).toContain("Waiting for a moderator&#x27;s review. Others don&#x27;t see it for now.");
  expect(own).not.toContain("Skipped by the host");
  expect(await (await get(UPCOMING, "marcus@peerdesk.test")).text()).toContain(
    "Waiting for a moderator&#x27;s review. Only its asker and moderators see it for now.",
  );
  // Nobody can vote for what they can't see.
  const vote = await post(UPCOMING, "grace@peerdesk.test", { intent: "vote", questionId });
  expect(vote.status).toBe(404);

  const kept = await post("/review", "marcus@peerdesk.test", {
    intent: "decide",
    targetType: "session_question",
    targetId: questionId,
    decision: "keep",
  });
  expect(kept.status).toBe(303);
  const page = await (await get(UPCOMING)).text();
  expect(page).toContain(SPAM);
  expect(page).not.toContain("Skipped by the host");
  expect(page).toContain("Questions (3)");
  expect(await listedQuestionCount()).toBe(3);
});

const schedule = {
  title: "Office hours: the far future of printing",
  description: "Anything about printers, scanners and print queues.",
  spaceId: "1",
};

test("a start in year 9999 behind UTC, 31 February or 25:00 is a field error with everything kept, not a 500", async () => {
  const farOff = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    timeZone: "Etc/GMT+12",
    startsAt: "9999-12-31T22:00",
    endsAt: "9999-12-31T23:30",
  });
  expect(farOff.status).toBe(400);
  const farOffPage = await farOff.text();
  expect(farOffPage).toContain("A session must start within the next 2 years. Please check the year.");
  expect(farOffPage).toContain('value="9999-12-31T22:00"');
  expect(farOffPage).toContain(schedule.title);

  const impossible = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    timeZone: "UTC",
    startsAt: "2027-02-31T10:00",
    endsAt: "2027-02-31T25:00",
  });
  expect(impossible.status).toBe(400);
  const impossiblePage = await impossible.text();
  expect(impossiblePage).toContain("There is no 31 February 2027. Please check the date.");
  expect(impossiblePage).toContain('value="2027-02-31T10:00"');

  const edited = await post(`${UPCOMING}/edit`, "priya@peerdesk.test", {
    ...schedule,
    intent: "update",
    timeZone: "Etc/GMT+12",
    startsAt: "9999-12-31T22:00",
    endsAt: "9999-12-31T23:30",
  });
  expect(edited.status).toBe(400);
  expect(await edited.text()).toContain("A session must start within the next 2 years.");
  const skipped = await post(`${UPCOMING}/edit`, "priya@peerdesk.test", {
    ...schedule,
    intent: "update",
    timeZone: "America/New_York",
    startsAt: "2027-03-14T02:30",
    endsAt: "2027-03-14T04:00",
  });
  expect(skipped.status).toBe(400);
  expect(await skipped.text()).toContain("the clocks go forward from 02:00 to 03:00");
  // Nothing was saved: the session keeps its title.
  expect(await (await get(UPCOMING)).text()).toContain("Ask me anything: VPNs for people working from home");
});

/** The min and max a page's datetime-local field offers, and the zone the form says its times are in. */
function pickerRange(html: string, name: string): { min: string; max: string; zone: string } {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? "";
  return {
    min: /\bmin="([^"]*)"/.exec(input)?.[1] ?? "",
    max: /\bmax="([^"]*)"/.exec(input)?.[1] ?? "",
    zone: /Times in <strong>([^<]+)<\/strong>/.exec(html)?.[1] ?? "",
  };
}

/** "2026-12-04T13:06": an instant's wall-clock time in a zone, as a datetime-local field holds it. */
function wallClock(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return parts.replace(" ", "T");
}

const yearsLater = (at: Date, years: number) => {
  const later = new Date(at);
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
};

test("the schedule and edit forms' date pickers offer today to 2 years ahead, in the zone the form names", async () => {
  for (const path of ["/sessions/new", `${UPCOMING}/edit`]) {
    const before = new Date();
    const html = await (await get(path, "priya@peerdesk.test")).text();
    const after = new Date();
    const starts = pickerRange(html, "startsAt");
    const ends = pickerRange(html, "endsAt");
    expect(starts.zone, path).not.toBe("");
    const zone = starts.zone;
    // Today (midnight) and two years on, read at either side of the request in case a minute turned meanwhile.
    const todays = [before, after].map((at) => `${wallClock(at, zone).slice(0, 10)}T00:00`);
    const latest = [before, after].map((at) => wallClock(yearsLater(at, 2), zone));
    const latestEnd = [before, after].map((at) =>
      wallClock(new Date(yearsLater(at, 2).getTime() + 8 * 3_600_000), zone),
    );
    expect(todays, path).toContain(starts.min);
    expect(latest, path).toContain(starts.max);
    expect(todays, path).toContain(ends.min);
    expect(latestEnd, path).toContain(ends.max);
  }
});

/** The opening tag of the page's field named `name`, and what a textarea holds. */
function fieldTag(html: string, name: string): string {
  return new RegExp(`<(?:input|textarea)[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? "";
}
function textareaText(html: string, id: string): string | undefined {
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

test("without JavaScript, a too-short session question comes back with its message beside the field and the text typed", async () => {
  const queued = await listedQuestionCount();
  const refused = await post(UPCOMING, "tom@peerdesk.test", { intent: "ask", body: "hm" });
  expect(refused.status).toBe(400);
  const page = await refused.text();
  expect(page).toMatch(
    /<p id="session-question-error" role="alert"[^>]*>Questions need at least 10 characters \(yours has 2\)\.<\/p>/,
  );
  expect(textareaText(page, "session-question")).toBe("hm");
  const field = fieldTag(page, "body");
  expect(field).toContain('aria-invalid="true"');
  expect(field).toContain('aria-describedby="session-question-error"');
  // Nothing was queued.
  expect(await listedQuestionCount()).toBe(queued);
});

test("without JavaScript, the host's refused answer comes back at its question with the message and the answer typed", async () => {
  const endsAt = new Date(Date.now() + 60 * 60_000).toISOString().slice(0, 16);
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    title: "Live now: shared printers without JavaScript",
    timeZone: "UTC",
    startNow: "on",
    startsAt: "",
    endsAt,
  });
  expect(scheduled.status).toBe(303);
  const livePath = scheduled.headers.get("location") ?? "";
  expect(livePath).toMatch(/^\/sessions\/\d+$/);
  const asked = await post(livePath, "tom@peerdesk.test", {
    intent: "ask",
    body: "Why does the shared printer ask me for a PIN?",
  });
  expect(asked.status).toBe(303);
  const questionId = /#q-(\d+)$/.exec(asked.headers.get("location") ?? "")?.[1] ?? "";
  expect(questionId).not.toBe("");
  // A live page never reloads itself (that would take what someone is typing): without JavaScript, Refresh does it.
  const live = await (await get(livePath, "priya@peerdesk.test")).text();
  expect(live).not.toContain('http-equiv="refresh"');
  expect(live).toMatch(new RegExp(`<a href="${livePath}"[^>]*>Refresh</a>`));

  const answer = "Follow-me printing: type the PIN from your badge. ".repeat(210);
  const refused = await post(livePath, "priya@peerdesk.test", { intent: "answer", questionId, answer });
  expect(refused.status).toBe(400);
  const page = await refused.text();
  const errorId = `answer-${questionId}-error`;
  expect(page).toMatch(
    new RegExp(
      `<p id="${errorId}" role="alert"[^>]*>The answer can be at most 10,000 characters \\(it has 10,\\d{3}\\)\\.</p>`,
    ),
  );
  expect(textareaText(page, `answer-${questionId}`)).toBe(answer);
  const field = fieldTag(page, "answer");
  expect(field).toContain('aria-invalid="true"');
  expect(field).toContain(`aria-describedby="${errorId}"`);
  // The question is still open, unanswered.
  expect(await (await get(livePath)).text()).not.toContain("· Answered");
});

test("letters in “Questions per person” are refused in plain words and stay in the field", async () => {
  const refused = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    timeZone: "UTC",
    startNow: "on",
    startsAt: "",
    endsAt: new Date(Date.now() + 60 * 60_000).toISOString().slice(0, 16),
    maxQuestionsPerPerson: "three",
  });
  expect(refused.status).toBe(400);
  const page = await refused.text();
  expect(page).toContain("Questions per person must be a whole number from 1 to 20, or leave it empty for no limit.");
  expect(page).not.toContain("Invalid input");
  // A number field would show "three" as empty: this one is text, with a number keypad.
  const field = fieldTag(page, "maxQuestionsPerPerson");
  expect(field).toContain('value="three"');
  expect(field).toContain('inputMode="numeric"');
  expect(field).not.toContain('type="number"');
  expect(field).toContain('aria-invalid="true"');
});

test("two people editing one session: the later save is refused with what was typed, the other's version beside it", async () => {
  const inAWeek = (hours: number) => new Date(Date.now() + (7 * 24 + hours) * 3_600_000).toISOString().slice(0, 16);
  const scheduled = await post("/sessions/new", "priya@peerdesk.test", {
    ...schedule,
    title: "Office hours: shared mailboxes",
    timeZone: "UTC",
    startsAt: inAWeek(0),
    endsAt: inAWeek(1),
  });
  expect(scheduled.status).toBe(303);
  const path = scheduled.headers.get("location") ?? "";
  expect(path).toMatch(/^\/sessions\/\d+$/);
  // Both open the edit form on the same version.
  const hostForm = await (await get(`${path}/edit`, "priya@peerdesk.test")).text();
  const base = /name="baseUpdatedAt" value="([^"]+)"/.exec(hostForm)?.[1] ?? "";
  expect(base).not.toBe("");
  expect(await (await get(`${path}/edit`, "marcus@peerdesk.test")).text()).toContain(`value="${base}"`);
  const form = { ...schedule, intent: "update", timeZone: "UTC", startsAt: inAWeek(0), endsAt: inAWeek(1) };

  const moderatorSave = await post(`${path}/edit`, "marcus@peerdesk.test", {
    ...form,
    title: "Office hours: shared mailboxes and delegation",
    baseUpdatedAt: base,
  });
  expect(moderatorSave.status).toBe(303);
  const hostSave = await post(`${path}/edit`, "priya@peerdesk.test", {
    ...form,
    title: "Office hours: shared mailboxes, calendars and rooms",
    description: "Everything about mailboxes several people share.",
    baseUpdatedAt: base,
  });
  expect(hostSave.status).toBe(409);
  const refused = await hostSave.text();
  expect(refused).toContain(
    "Marcus Lee changed this session after you opened this form, so your changes are not saved yet.",
  );
  // What the host typed is in the fields; the moderator's version is shown beside them.
  expect(fieldTag(refused, "title")).toContain('value="Office hours: shared mailboxes, calendars and rooms"');
  expect(/<textarea[^>]*name="description"[^>]*>([^<]*)<\/textarea>/.exec(refused)?.[1]).toBe(
    "Everything about mailboxes several people share.",
  );
  const current = refused.slice(refused.indexOf("The session as it is now"));
  expect(current).toContain("Office hours: shared mailboxes and delegation");
  const newBase = /name="baseUpdatedAt" value="([^"]+)"/.exec(refused)?.[1] ?? "";
  expect(newBase).not.toBe(base);
  expect(await (await get(path)).text()).toContain("Office hours: shared mailboxes and delegation");

  // Saving again from that form replaces the moderator's version with the host's.
  const again = await post(`${path}/edit`, "priya@peerdesk.test", {
    ...form,
    title: "Office hours: shared mailboxes, calendars and rooms",
    baseUpdatedAt: newBase,
  });
  expect(again.status).toBe(303);
  expect(await (await get(path)).text()).toContain("Office hours: shared mailboxes, calendars and rooms");
});
