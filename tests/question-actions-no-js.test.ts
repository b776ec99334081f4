/**
 * The question page's forms as a browser without JavaScript posts them, on the built server: a comment whose answer
 * was deleted meanwhile comes back on a page that says so with the text to copy, and accepting an answer is confirmed
 * on the feedback page it leads to; deleting one's own question is confirmed where it leads, and
 * editing one's question closed as a duplicate stays on it; a refused rating says why (as an alert) and hands back the
 * typed comment, on the feedback page and on the question page, whether rating is over or not open yet; an answer whose
 * question was deleted can't be edited, and a comment on another question can't be deleted from this page. The feedback
 * page opened again after unaccepting doesn't claim an accepted answer; a refused question lists the questions like its
 * title; and the welcome screen leads to the spaces (where Follow is), saying the profile was saved. An answer with a
 * form key no page made, or whose question was closed or deleted while it was written, and a how-to comment whose
 * how-to went, come back with the text; "Vote up" sent twice keeps the vote.
 */
import { randomBytes } from "node:crypto";
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

/** The ids of the answers shown on a question's page, in page order. */
async function answerIds(path: string, email: string): Promise<number[]> {
  const html = await (await get(path, email)).text();
  return [...html.matchAll(/<article[^>]* id="answer-(\d+)"/g)].map((match) => Number(match[1]));
}

test("a comment posted after its answer was deleted says so and hands back what was typed, to copy", async () => {
  const [answerId] = await answerIds("/q/36", "grace@peerdesk.test");
  expect(answerId).toBeDefined();
  const deleted = await post("/q/36", "marcus@peerdesk.test", {
    intent: "delete",
    postId: String(answerId),
    reason: "Spam link",
  });
  expect(deleted.status).toBe(303);
  const typed = "Could you say which firmware version you flashed? Mine is 2.4 & it still <drops> at night.";
  const res = await post("/q/36", "grace@peerdesk.test", {
    intent: "comment",
    postId: String(answerId),
    js: "0",
    body: typed,
  });
  expect(res.status).toBe(404);
  const html = await res.text();
  expect(html).toContain("This answer was deleted while you were writing your comment, so it could not be posted.");
  // In the read-only field of the error page, escaped as any text is.
  expect(html).toMatch(/<textarea[^>]*readOnly=""[^>]*>[^<]*which firmware version/i);
  expect(html).toContain("Mine is 2.4 &amp; it still &lt;drops&gt; at night.");
  // The question is still there: the page offers the way back to it, beside the home page.
  expect(html).toMatch(/<a[^>]* href="\/q\/36[/"#][^"]*"[^>]*>Back to the question<\/a>/);
  expect(html).toContain("Back to the home page");
});

test("accepting an answer without JavaScript leads to the feedback page, which confirms the answer was accepted", async () => {
  const answers = await answerIds("/q/36", "grace@peerdesk.test");
  const answerId = answers.at(-1);
  expect(answerId).toBeDefined();
  const res = await post("/q/36", "grace@peerdesk.test", { intent: "accept", postId: String(answerId), js: "0" });
  expect(res.status).toBe(303);
  const location = res.headers.get("location") ?? "";
  expect(location).toBe("/q/36/feedback?accepted=1");
  const page = await (await get(location, "grace@peerdesk.test")).text();
  expect(page).toMatch(/role="status"[^>]*>Answer accepted\./);
  // A plain visit to the page doesn't claim it.
  expect(await (await get("/q/36/feedback", "grace@peerdesk.test")).text()).not.toContain("Answer accepted.");
});

test("the feedback page opened again after unaccepting (for example with Back) doesn't say the answer is accepted", async () => {
  const answerId = (await answerIds("/q/36", "grace@peerdesk.test")).at(-1);
  expect(answerId).toBeDefined();
  const accepted = await post("/q/36", "grace@peerdesk.test", { intent: "accept", postId: String(answerId), js: "0" });
  expect(accepted.headers.get("location")).toBe("/q/36/feedback?accepted=1");
  const unaccepted = await post("/q/36", "grace@peerdesk.test", {
    intent: "unaccept",
    postId: String(answerId),
    js: "0",
  });
  expect(unaccepted.status).toBe(303);
  const page = await get("/q/36/feedback?accepted=1", "grace@peerdesk.test");
  expect(page.status).toBe(200);
  expect(await page.text()).not.toContain("Answer accepted.");
});

test("without JavaScript, a refused question lists the questions like its title, and promises nothing as you type", async () => {
  const blank = await (await get("/ask", "tom@peerdesk.test")).text();
  expect(blank).not.toContain("No similar questions found yet.");
  const refused = await post("/ask", "tom@peerdesk.test", {
    spaceId: "",
    title: "My laptop says the disk is almost full",
    body: "Help?",
    tags: "",
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(refused.status).toBe(400);
  const text = (await refused.text()).replace(/<[^>]+>/g, "");
  expect(text).toContain("These questions look similar. One of them may already have your answer:");
  expect(text).toContain("My laptop says the disk is almost full, what can I delete?");
  expect(text).not.toContain("No similar questions found yet.");
  expect(text).not.toContain("suggestions appear as you type");
  expect(text).toContain("help the right people find it, separated by commas.");
});

test("the welcome screen's Save and continue goes on to the spaces, whose pages have Follow", async () => {
  const welcome = await (await get("/settings/profile?welcome=1", "tom@peerdesk.test")).text();
  expect(welcome).toContain("Next: the spaces, one for each topic. Open the ones about your work and press Follow");
  expect(welcome).toMatch(/<a[^>]*href="\/spaces"[^>]*>Skip for now<\/a>/);
  const saved = await post("/settings/profile?welcome=1", "tom@peerdesk.test", {
    welcome: "1",
    name: "Tom Becker",
    bio: "Office manager. I keep the lights on and the printers fed.",
    audience: "business",
    expertise: "",
    timeZone: "",
  });
  expect(saved.status).toBe(303);
  expect(saved.headers.get("location")).toBe("/spaces");
  // What the next step promises is there: a space's page has a Follow button.
  const spaces = await (await get("/spaces", "tom@peerdesk.test")).text();
  const space = /href="(\/s\/[a-z0-9-]+)"/.exec(spaces)?.[1] ?? "";
  expect(await (await get(space, "tom@peerdesk.test")).text()).toMatch(/<button[^>]*>(<[^>]+>)*Follow/);
});

/** A new plain-language question asked by `email` through the ask form; its id. */
async function ask(email: string, title: string): Promise<number> {
  const askForm = await (await get("/ask", email)).text();
  const spaceId = /<option value="(\d+)"/.exec(askForm)?.[1] ?? "";
  const asked = await post("/ask", email, {
    spaceId,
    title,
    body: "I plug the cable in and nothing shows on the screen in the big meeting room. What should I try first?",
    tags: "displays",
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(asked.status).toBe(303);
  return Number(/^\/q\/(\d+)/.exec(asked.headers.get("location") ?? "")?.[1]);
}

test("an asker who deletes their own question lands on its space, which says the question was deleted", async () => {
  const questionId = await ask(
    "tom@peerdesk.test",
    `The meeting room screen stays blank ${randomBytes(3).toString("hex")}`,
  );
  const deleted = await post(`/q/${questionId}`, "tom@peerdesk.test", { intent: "delete", postId: String(questionId) });
  expect(deleted.status).toBe(303);
  const location = deleted.headers.get("location") ?? "";
  expect(location).toMatch(/^\/s\/[a-z0-9-]+\?deleted=1$/);
  expect(await (await get(location, "tom@peerdesk.test")).text()).toContain("Your question was deleted.");
  // The space's plain address doesn't say it.
  const plain = location.replace("?deleted=1", "");
  expect(await (await get(plain, "tom@peerdesk.test")).text()).not.toContain("Your question was deleted.");
});

test("an asker who edits their question closed as a duplicate, as the closing notice suggests, stays on it", async () => {
  const suffix = randomBytes(3).toString("hex");
  const originalId = await ask("grace@peerdesk.test", `The projector shows no picture from my laptop ${suffix}`);
  const duplicateId = await ask("tom@peerdesk.test", `The meeting room screen stays blank ${suffix}`);
  const closed = await post(`/q/${duplicateId}/close`, "marcus@peerdesk.test", {
    intent: "close",
    reason: "duplicate",
    duplicateOf: `/q/${originalId}`,
  });
  expect(closed.status).toBe(303);
  const edited = await post(`/q/${duplicateId}/edit`, "tom@peerdesk.test", {
    title: `The meeting room screen stays blank, even with the HDMI adapter ${suffix}`,
    body: "I plug the cable in and nothing shows on the screen. It isn't the projector: the HDMI adapter is new and works at my desk.",
    tags: "displays",
    audience: "plain",
  });
  expect(edited.status).toBe(303);
  const location = edited.headers.get("location") ?? "";
  expect(location).toMatch(new RegExp(`^/q/${duplicateId}/[^?]+\\?stay=1$`));
  const page = await get(location, "tom@peerdesk.test");
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("even with the HDMI adapter");
});

const CLOSED = "A rating can be changed for 24 hours after it is given; this one can no longer be changed.";
const LATER = "You can rate the help once you accept an answer, or 7 days after asking if none solved it.";

/** The read-only field holding the comment that could not be saved (escaped as any text is). */
function keptComment(html: string): string | undefined {
  return /Your comment \(not saved\)<\/label>\s*<textarea[^>]*readonly=""[^>]*>([^<]*)<\/textarea>/i.exec(html)?.[1];
}

function alertText(html: string): string | undefined {
  return /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
}

test("a rating changed after its 24 hours is refused with the reason, and the comment is kept to copy", async () => {
  // Dev asked the demo's first question and rated the help weeks ago.
  const before = await (await get("/q/1/feedback", "dev@peerdesk.test")).text();
  expect(before).toContain("You rated the help");
  const typed = "Actually it came back & the <portal> fails again.";
  const refused = await post("/q/1/feedback", "dev@peerdesk.test", { rating: "2", comment: typed });
  expect(refused.status).toBe(409);
  const html = await refused.text();
  expect(alertText(html)).toBe(CLOSED);
  expect(keptComment(html)).toBe("Actually it came back &amp; the &lt;portal&gt; fails again.");

  const inPlace = await post("/q/1", "dev@peerdesk.test", { intent: "rate", js: "0", rating: "2", comment: typed });
  expect(inPlace.status).toBe(409);
  const page = await inPlace.text();
  expect(alertText(page.slice(page.indexOf('id="feedback"')))).toBe(CLOSED);
  expect(keptComment(page)).toBe("Actually it came back &amp; the &lt;portal&gt; fails again.");
});

test("a rating before rating opens is refused with the reason, and the comment is kept to copy", async () => {
  const askForm = await (await get("/ask", "tom@peerdesk.test")).text();
  const spaceId = /<option value="(\d+)"/.exec(askForm)?.[1] ?? "";
  const asked = await post("/ask", "tom@peerdesk.test", {
    spaceId,
    title: `The projector in room four shows no picture ${randomBytes(3).toString("hex")}`,
    body: "I plug the cable in and nothing shows on the projector in room four. What should I try first?",
    tags: "displays",
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(asked.status).toBe(303);
  const questionId = Number(/^\/q\/(\d+)/.exec(asked.headers.get("location") ?? "")?.[1]);
  expect(questionId).toBeGreaterThan(0);
  const fields = { rating: "3", comment: "Nobody answered yet, but thanks for looking." };

  const refused = await post(`/q/${questionId}/feedback`, "tom@peerdesk.test", fields);
  expect(refused.status).toBe(409);
  const html = await refused.text();
  expect(alertText(html)).toBe(LATER);
  expect(keptComment(html)).toBe(fields.comment);

  const inPlace = await post(`/q/${questionId}`, "tom@peerdesk.test", { intent: "rate", js: "0", ...fields });
  expect(inPlace.status).toBe(409);
  const page = await inPlace.text();
  expect(alertText(page.slice(page.indexOf('id="feedback"')))).toBe(LATER);
  expect(keptComment(page)).toBe(fields.comment);
});

/** An answer by `email` to a question, posted through the page's form; its id. */
async function answerAs(email: string, questionId: number, body: string): Promise<number> {
  const answered = await post(`/q/${questionId}`, email, {
    intent: "answer",
    body,
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(answered.status).toBe(303);
  return Number(/#answer-(\d+)$/.exec(answered.headers.get("location") ?? "")?.[1]);
}

test("an answer whose question was deleted can't be edited: its edit page is gone, and a save hands back the text", async () => {
  const questionId = await ask("tom@peerdesk.test", `The printer on floor two jams ${randomBytes(3).toString("hex")}`);
  const answerId = await answerAs(
    "sofia@peerdesk.test",
    questionId,
    "Open the back tray and take out the torn sheet; then run the cleaning page from the menu.",
  );
  expect(answerId).toBeGreaterThan(0);
  expect((await get(`/a/${answerId}/edit`, "sofia@peerdesk.test")).status).toBe(200);
  const deleted = await post(`/q/${questionId}`, "tom@peerdesk.test", { intent: "delete", postId: String(questionId) });
  expect(deleted.status).toBe(303);
  expect((await get(`/a/${answerId}/edit`, "sofia@peerdesk.test")).status).toBe(404);
  const saved = await post(`/a/${answerId}/edit`, "sofia@peerdesk.test", {
    body: "Open the back tray & take out the torn sheet; then run the cleaning page from the printer's menu.",
    note: "Clearer steps",
  });
  expect(saved.status).toBe(404);
  const html = await saved.text();
  expect(html).toContain(
    "The question this answer belongs to was deleted while you were editing, so your changes could not be saved.",
  );
  expect(html).toContain("Open the back tray &amp; take out the torn sheet");
});

test("a comment on another question can't be deleted from this question's page", async () => {
  const suffix = randomBytes(3).toString("hex");
  const thisQuestion = await ask("tom@peerdesk.test", `The badge reader at the side door beeps red ${suffix}`);
  const otherQuestion = await ask("tom@peerdesk.test", `The kitchen screen shows last week's menu ${suffix}`);
  const typed = `Is it plugged into the wall socket or the hub? ${suffix}`;
  const commented = await post(`/q/${otherQuestion}`, "tom@peerdesk.test", {
    intent: "comment",
    postId: String(otherQuestion),
    js: "0",
    body: typed,
  });
  expect(commented.status).toBe(303);
  const otherPage = await (await get(`/q/${otherQuestion}`, "tom@peerdesk.test")).text();
  const commentId = /id="comment-(\d+)"/.exec(otherPage)?.[1] ?? "";
  expect(commentId).not.toBe("");
  // The page opens at the new comment, which may be screens below the top of a long thread.
  expect(new URL(commented.headers.get("location") ?? "", "http://x").hash).toBe(`#comment-${commentId}`);
  const refused = await post(`/q/${thisQuestion}`, "tom@peerdesk.test", {
    intent: "deleteComment",
    commentId,
    js: "1",
  });
  expect(refused.status).toBe(404);
  expect(await refused.text()).toContain("That comment isn't on this question, so nothing was deleted.");
  expect(await (await get(`/q/${otherQuestion}`, "tom@peerdesk.test")).text()).toContain(typed);
});

/** The typed text in the read-only field of a refused write (escaped as any text is). */
function keptAnswer(html: string, id: string): string | undefined {
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

test("an answer sent with a form key no page made is refused in words (400), with the answer still in its box", async () => {
  const questionId = await ask("grace@peerdesk.test", `The print queue is stuck ${randomBytes(3).toString("hex")}`);
  const typed = "Restart the print spooler & send the job again; it clears the stuck <queue>.";
  for (const idempotencyKey of ["x", "k".repeat(65)]) {
    const refused = await post(`/q/${questionId}`, "tom@peerdesk.test", {
      intent: "answer",
      idempotencyKey,
      body: typed,
    });
    expect(refused.status, idempotencyKey).toBe(400);
    const html = await refused.text();
    expect(html).toContain("This form expired. Please submit it again: what you typed is still here.");
    expect(html).toMatch(/<textarea[^>]*name="body"[^>]*>Restart the print spooler &amp; send the job again/);
  }
  expect(await (await get(`/q/${questionId}`, "tom@peerdesk.test")).text()).not.toContain("Restart the print spooler");
});

test("an answer to a question closed while it was written says so and shows the text to copy, without JavaScript", async () => {
  const questionId = await ask("grace@peerdesk.test", `The scanner emails nothing ${randomBytes(3).toString("hex")}`);
  const page = await (await get(`/q/${questionId}`, "tom@peerdesk.test")).text();
  const idempotencyKey = /<input[^>]*name="idempotencyKey"[^>]*value="([^"]+)"/.exec(page)?.[1] ?? "";
  expect(idempotencyKey).not.toBe("");
  const closed = await post(`/q/${questionId}/close`, "marcus@peerdesk.test", { intent: "close", reason: "off_topic" });
  expect(closed.status).toBe(303);
  const typed = "Check the scanner's SMTP settings: port 587 & STARTTLS, with the <relay> account.";
  const refused = await post(`/q/${questionId}`, "tom@peerdesk.test", {
    intent: "answer",
    idempotencyKey,
    body: typed,
  });
  expect(refused.status).toBe(409);
  const html = await refused.text();
  expect(html).toContain(
    "This question was closed as off-topic for PeerDesk, so it takes no new answers until it is reopened. Your answer was not posted; what you typed is kept here, to copy.",
  );
  expect(keptAnswer(html, "unposted-answer")).toBe(
    "Check the scanner&#x27;s SMTP settings: port 587 &amp; STARTTLS, with the &lt;relay&gt; account.",
  );
});

test("an answer to a question deleted while it was written says so and hands back the text, to copy", async () => {
  const questionId = await ask(
    "grace@peerdesk.test",
    `The badge printer prints blank ${randomBytes(3).toString("hex")}`,
  );
  const page = await (await get(`/q/${questionId}`, "tom@peerdesk.test")).text();
  const idempotencyKey = /<input[^>]*name="idempotencyKey"[^>]*value="([^"]+)"/.exec(page)?.[1] ?? "";
  const deleted = await post(`/q/${questionId}`, "grace@peerdesk.test", {
    intent: "delete",
    postId: String(questionId),
  });
  expect(deleted.status).toBe(303);
  const typed = "Replace the ribbon & run a head clean from the printer's <Tools> menu.";
  const refused = await post(`/q/${questionId}`, "tom@peerdesk.test", {
    intent: "answer",
    idempotencyKey,
    body: typed,
  });
  expect(refused.status).toBe(404);
  const html = await refused.text();
  expect(html).toContain("This question was removed while you were writing your answer, so it could not be posted.");
  expect(keptAnswer(html, "kept-text")).toBe(
    "Replace the ribbon &amp; run a head clean from the printer&#x27;s &lt;Tools&gt; menu.",
  );
});

test("a how-to comment sent after the how-to was removed says so and hands back the comment, to copy", async () => {
  const list = await (await get("/howtos", "tom@peerdesk.test")).text();
  const howtoId = /href="\/howtos\/(\d+)"/.exec(list)?.[1] ?? "";
  expect(howtoId).not.toBe("");
  const deleted = await post(`/howtos/${howtoId}`, "marcus@peerdesk.test", { intent: "delete" });
  expect(deleted.status).toBe(303);
  const comment = "Step 3 needs admin rights & the <Settings> app closed first.";
  const refused = await post(`/howtos/${howtoId}`, "tom@peerdesk.test", { intent: "feedback", answer: "no", comment });
  expect(refused.status).toBe(404);
  const html = await refused.text();
  expect(html).toContain("This how-to was removed while you were writing your comment, so it could not be sent.");
  expect(keptAnswer(html, "kept-text")).toBe("Step 3 needs admin rights &amp; the &lt;Settings&gt; app closed first.");
});

test("“Vote up” sent twice (a double click, an out-of-date tab) keeps the vote; the pressed button takes it back", async () => {
  const questionId = await ask("grace@peerdesk.test", `The Wi-Fi drops in room nine ${randomBytes(3).toString("hex")}`);
  const path = `/q/${questionId}`;
  const vote = (direction: string) =>
    post(path, "tom@peerdesk.test", { intent: "vote", postId: String(questionId), direction });
  const upButton = (html: string) =>
    /<button[^>]*value="(up|none)"[^>]*aria-pressed="(true|false)"/.exec(html)?.slice(1);
  expect(upButton(await (await get(path, "tom@peerdesk.test")).text())).toEqual(["up", "false"]);
  expect((await vote("up")).status).toBe(303);
  expect((await vote("up")).status).toBe(303);
  const voted = await (await get(path, "tom@peerdesk.test")).text();
  expect(voted).toContain("Score 1");
  // Pressed now, the same button asks to take the vote back.
  expect(upButton(voted)).toEqual(["none", "true"]);
  expect((await vote("none")).status).toBe(303);
  expect((await vote("none")).status).toBe(303);
  expect(await (await get(path, "tom@peerdesk.test")).text()).toContain("Score 0");
});
