/** Email on the real database: preferences, who gets what when, digests, sending with retries, and unsubscribe tokens. */
import nodemailer from "nodemailer";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { NOTIFICATION_KINDS, type NotificationKind, emailOutbox, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { addComment } from "./comments.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import {
  EMAIL_DEFAULTS,
  getEmailPreferences,
  setEmailPreference,
  unsubscribe,
  unsubscribeToken,
  verifyUnsubscribeToken,
} from "./email-preferences.server";
import {
  noticeHeadline,
  queueNotificationEmails,
  sessionTimesInZone,
  stopEmailsLine,
  unsubscribeWording,
} from "./email.server";
import { acceptAnswer } from "./answers.server";
import { sendPendingEmails } from "./email-sending.server";
import { follow } from "./notifications.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { moveSession, scheduled } from "../../tests/fixtures/sessions";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { decideSuggestion, suggestHowtoEdit } from "./howto-suggestions.server";
import { askQuestion } from "./questions.server";
import { inviteMentor } from "./invitations.server";

const SECRET = "test-secret-test-secret-test-secret-0123";
const BASE = "https://peerdesk.example";
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const later = (ms: number) => new Date(Date.now() + ms);
const outboxOf = (userId: string) =>
  database.db.select().from(emailOutbox).where(eq(emailOutbox.userId, userId)).orderBy(emailOutbox.id);

describe("unsubscribe tokens", () => {
  test("a genuine token names the person and kind; tampered, expired, forged or malformed ones are refused", () => {
    const token = unsubscribeToken(SECRET, { userId: "u1", kind: "comment" }, later(60_000));
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ userId: "u1", kind: "comment" });
    const [payload, signature] = token.split(".");
    const otherPayload = Buffer.from(
      JSON.stringify({ u: "u2", k: "comment", e: Math.floor(Date.now() / 1000) + 60 }),
    ).toString("base64url");
    expect(verifyUnsubscribeToken(SECRET, `${otherPayload}.${signature}`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, `${payload}.${signature}x`)).toBeNull();
    expect(verifyUnsubscribeToken("another-secret-another-secret-0123456", token)).toBeNull();
    expect(
      verifyUnsubscribeToken(SECRET, unsubscribeToken(SECRET, { userId: "u1", kind: "all" }, later(-1000))),
    ).toBeNull();
    for (const bad of ["", "abc", "a.b.c", "%%%.###"]) expect(verifyUnsubscribeToken(SECRET, bad)).toBeNull();
  });

  test("using one turns that email off (or every kind, from a digest) without signing in", async () => {
    const { db } = database;
    const person = await makePerson(db);
    expect(await getEmailPreferences(db, person.id)).toEqual(EMAIL_DEFAULTS);
    expect(
      await unsubscribe(db, SECRET, unsubscribeToken(SECRET, { userId: person.id, kind: "answer" }, later(60_000))),
    ).toEqual({ userId: person.id, kind: "answer" });
    expect((await getEmailPreferences(db, person.id)).answer).toBe("never");
    expect((await getEmailPreferences(db, person.id)).mention).toBe("immediate");
    await unsubscribe(db, SECRET, unsubscribeToken(SECRET, { userId: person.id, kind: "all" }, later(60_000)));
    expect(Object.values(await getEmailPreferences(db, person.id)).every((delivery) => delivery === "never")).toBe(
      true,
    );
    expect(await unsubscribe(db, SECRET, "forged.token")).toBeNull();
  });
});

describe("writing and sending", () => {
  test("immediate kinds get one email each; never gets none; digest kinds wait, then come together once a day", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Asker Amy" });
    const quiet = await makePerson(db, { name: "Quiet Quentin" });
    const helper = await makePerson(db, { name: "Helper Hal" });
    const commenter = await makePerson(db, { name: "Commenter Cy" });
    await setEmailPreference(db, quiet.id, "answer", "never");
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Outlook search finds nothing older than a month",
    });
    await follow(db, quiet.id, { type: "question", key: String(questionId) });
    const answerId = await makeAnswer(db, helper, questionId);
    await addComment(db, { postId: answerId, actor: commenter, body: "Is the mailbox in cached mode?" });
    await addComment(db, { postId: questionId, actor: commenter, body: "Which Outlook version is this?" });

    const ctx = { db, baseURL: BASE, secret: SECRET };
    const first = await queueNotificationEmails({ ...ctx, now: later(1000) });
    expect(first.immediate).toBeGreaterThanOrEqual(1);
    const askerMail = await outboxOf(asker.id);
    expect(askerMail.map((m) => m.subject)).toEqual([
      "Helper Hal answered “Outlook search finds nothing older than a month”",
    ]);
    expect(askerMail[0]?.textBody).toContain(`${BASE}/notifications/`);
    expect(askerMail[0]?.textBody).toContain(`${BASE}/unsubscribe?token=`);
    expect(askerMail[0]?.htmlBody).not.toContain("<script");
    expect(await outboxOf(quiet.id)).toEqual([]);

    // Comments are digest by default: nothing yet, then one digest after the gathering hour, then none for a day.
    expect((await outboxOf(helper.id)).length).toBe(0);
    await queueNotificationEmails({ ...ctx, now: later(2 * 60 * 60_000) });
    const helperMail = await outboxOf(helper.id);
    expect(helperMail.map((m) => m.kind)).toEqual(["digest"]);
    // The comment on their answer, and the one on the question they follow since answering it.
    expect(helperMail[0]?.subject).toBe("PeerDesk: 2 updates since your last digest");
    const askerDigest = (await outboxOf(asker.id)).filter((m) => m.kind === "digest");
    expect(askerDigest).toHaveLength(1);
    expect(askerDigest[0]?.subject).toBe("PeerDesk: 2 updates since your last digest");
    await addComment(db, { postId: answerId, actor: commenter, body: "Also: is the search index rebuilt?" });
    await queueNotificationEmails({ ...ctx, now: later(4 * 60 * 60_000) });
    expect((await outboxOf(helper.id)).length).toBe(1);
    await queueNotificationEmails({ ...ctx, now: later(27 * 60 * 60_000) });
    expect((await outboxOf(helper.id)).map((m) => m.kind)).toEqual(["digest", "digest"]);
  });

  test("news of a post a moderator removed before the mail went out is never mailed, nor put in a digest", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "VPN drops when the lid closes" });
    const spam = await makeAnswer(db, await makePerson(db, { name: "Spammer Sam" }), questionId, {
      body: "Cheap watches at the link in my profile, best prices today.",
    });
    await addComment(db, { postId: questionId, actor: await makePerson(db), body: "Is it a Dell dock?" });
    await deleteQuestionOrAnswer(db, { postId: spam, actor: moderator, reason: "Spam" });
    const ctx = { db, baseURL: BASE, secret: SECRET };
    await queueNotificationEmails({ ...ctx, now: later(1000) });
    await queueNotificationEmails({ ...ctx, now: later(2 * 60 * 60_000) });
    const mail = await outboxOf(asker.id);
    // The comment's digest alone: nothing of the removed answer, in a mail of its own or in the digest.
    expect(mail.map((m) => m.kind)).toEqual(["digest"]);
    expect(JSON.stringify(mail)).not.toContain("Spammer Sam");
    expect(mail[0]?.subject).toBe("PeerDesk: 1 update since your last digest");
  });

  test("sending: delivered through SMTP's transport; a refused connection is retried with backoff, never lost", async () => {
    const { db } = database;
    const person = await makePerson(db, { name: "Mail Mo" });
    // Only this test's message is due.
    await db.update(emailOutbox).set({ status: "sent" });
    await db.insert(emailOutbox).values({
      userId: person.id,
      toAddress: "mo@example.test",
      subject: "Hello Mo",
      textBody: "Hi",
      htmlBody: "<p>Hi</p>",
      kind: "notification",
      nextAttemptAt: later(-1000),
    });
    // Nothing listens on port 9: the connection is refused, as with an SMTP server that is down.
    const down = nodemailer.createTransport({ host: "127.0.0.1", port: 9, secure: false, connectionTimeout: 2000 });
    expect(await sendPendingEmails(db, down, { from: "PeerDesk <no-reply@peerdesk.invalid>" })).toEqual({
      sent: 0,
      failed: 1,
    });
    const [afterFailure] = await outboxOf(person.id);
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1 });
    expect(afterFailure?.lastError).toBeTruthy();
    expect(afterFailure!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // A message is not due before its backoff ends.
    const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
    expect(await sendPendingEmails(db, stream, { from: "PeerDesk <no-reply@peerdesk.invalid>" })).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(
      await sendPendingEmails(db, stream, { from: "PeerDesk <no-reply@peerdesk.invalid>", now: later(5 * 60_000) }),
    ).toEqual({ sent: 1, failed: 0 });
    const [delivered] = await outboxOf(person.id);
    expect(delivered).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  test("every notification email offers one-click unsubscribe (RFC 8058) at its own link, whatever a title says", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Asker Ann" });
    const helper = await makePerson(db, { name: "Helper Hugo" });
    // A title that carries an unsubscribe-looking address of another site, before the email's own footer.
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Printer fails, see https://evil.example/unsubscribe?token=stolen.link for the log",
    });
    await makeAnswer(db, helper, questionId);
    await db.update(emailOutbox).set({ status: "sent" });
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(1000) });
    const sent: string[] = [];
    const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const capture = {
      sendMail: async (message: Parameters<typeof stream.sendMail>[0]) => {
        const info = await stream.sendMail(message);
        sent.push(String(info.message));
        return info;
      },
    };
    expect(
      await sendPendingEmails(db, capture, { from: "PeerDesk <no-reply@peerdesk.invalid>", now: later(2000) }),
    ).toEqual({
      sent: 1,
      failed: 0,
    });
    const headers = (sent[0] ?? "").split(/\r?\n\r?\n/)[0]?.replace(/\r?\n\s+/g, " ") ?? "";
    const [mail] = await outboxOf(asker.id);
    const ownLink = /\n(?:Stop emails about [^\n]*: )(\S+)/.exec(mail?.textBody ?? "")?.[1];
    expect(ownLink).toMatch(new RegExp(`^${BASE}/unsubscribe\\?token=`));
    expect(headers).toContain(`List-Unsubscribe: <${ownLink}>`);
    expect(headers).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(headers.match(/^List-Unsubscribe: .*$/gm)).toEqual([`List-Unsubscribe: <${ownLink}>`]);
  });
});

describe("moderation notices", () => {
  test("the email's sentence ends after the quoted title, whatever the title holds", () => {
    expect(
      noticeHeadline("A moderator removed your question in “Help! Outlook keeps crashing”. Note: duplicate."),
    ).toBe("A moderator removed your question in “Help! Outlook keeps crashing”");
    expect(noticeHeadline("A moderator removed your answer in “Printer vs. scanner? Which one”.")).toBe(
      "A moderator removed your answer in “Printer vs. scanner? Which one”",
    );
    expect(noticeHeadline("A moderator hid your profile. Note: spam links.")).toBe("A moderator hid your profile");
    expect(noticeHeadline("   ")).toBeNull();
    expect(noticeHeadline(null)).toBeNull();
  });

  test("say what a moderator did to what, as the notice on the site does; the moderator's note stays on the site", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const author = await makePerson(db, { name: "Answering Ann" });
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "Teams calls drop at 3 pm" });
    const answerId = await makeAnswer(db, author, questionId);
    await deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "Off topic: about Zoom" });
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(1000) });
    const [mail, ...rest] = await outboxOf(author.id);
    expect(rest).toEqual([]);
    expect(mail?.subject).toBe("A moderator removed your answer in “Teams calls drop at 3 pm”");
    expect(mail?.textBody).toContain("\n\nA moderator removed your answer in “Teams calls drop at 3 pm”.\n");
    expect(JSON.stringify(mail)).not.toContain("Off topic: about Zoom");
  });
});

describe("emails about an anonymous asker", () => {
  test("start with a capital letter: “Someone from the community accepted…”, “…invited you…”", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Shy Sam" });
    const helper = await makePerson(db, { name: "Helper Hugo" });
    const mentor = await makePerson(db, { role: "mentor", name: "Mentor Mia" });
    const { questionId } = await askQuestion(db, {
      actor: asker,
      spaceId: await makeSpace(db),
      title: "Is it bad that I never restart my laptop?",
      body: "I close the lid every evening and open it in the morning. Is that enough for updates?",
      tags: "laptop",
      isPlainLanguage: true,
      isAnonymous: true,
    });
    await inviteMentor(db, { actor: asker, questionId, inviteeId: mentor.id });
    const answerId = await makeAnswer(db, helper, questionId);
    await acceptAnswer(db, { answerId, actor: asker });
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(1000) });
    expect((await outboxOf(mentor.id)).map((m) => m.subject)).toEqual([
      "Someone from the community invited you to answer “Is it bad that I never restart my laptop?”",
    ]);
    const accepted = (await outboxOf(helper.id)).find((m) => m.subject.includes("accepted"));
    expect(accepted?.subject).toBe(
      "Someone from the community accepted your answer to “Is it bad that I never restart my laptop?”",
    );
    expect(accepted?.textBody).toContain("\n\nSomeone from the community accepted your answer");
  });
});

describe("a session's new time", () => {
  test("the email says when the session was and now is, in the reader's profile time zone, else in UTC and says so", async () => {
    const { db } = database;
    const session = await scheduled(db);
    const inBerlin = await makePerson(db, { name: "Berlin Bea" });
    const nowhere = await makePerson(db, { name: "Zoneless Zed" });
    await db.update(users).set({ timeZone: "Europe/Berlin" }).where(eq(users.id, inBerlin.id));
    for (const person of [inBerlin, nowhere])
      await follow(db, person.id, { type: "session", key: String(session.officeHoursId) });
    await moveSession(db, session, { startsAt: 120, endsAt: 180, at: 57 });
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(1000) });
    // minutes(120) to minutes(180) is Tue, 1 Dec 2026, 17:00–18:00 UTC: 18:00–19:00 in Berlin (winter time).
    const [berlin] = await outboxOf(inBerlin.id);
    expect(berlin?.subject).toBe(
      "Host Hana moved “Ask me anything about Wi-Fi roaming” from Tue, 1 Dec 2026, 17:00–18:00 to Tue, 1 Dec 2026, 18:00–19:00 (Europe/Berlin)",
    );
    expect(berlin?.textBody).toContain(
      "from Tue, 1 Dec 2026, 17:00–18:00 to Tue, 1 Dec 2026, 18:00–19:00 (Europe/Berlin).",
    );
    const [utc] = await outboxOf(nowhere.id);
    expect(utc?.textBody).toContain("from Tue, 1 Dec 2026, 16:00–17:00 to Tue, 1 Dec 2026, 17:00–18:00 UTC.");
    expect(utc?.htmlBody).toContain("from Tue, 1 Dec 2026, 16:00–17:00 to Tue, 1 Dec 2026, 17:00–18:00 UTC.");
  });

  test("when only the end moves, the email says so, with the end it had", async () => {
    const { db } = database;
    const session = await scheduled(db);
    const reader = await makePerson(db, { name: "Ending Eve" });
    await follow(db, reader.id, { type: "session", key: String(session.officeHoursId) });
    await moveSession(db, session, { startsAt: 60, endsAt: 150, at: 10 });
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(1000) });
    // Still from minutes(60), 16:00 UTC; now until minutes(150), 17:30 UTC (it was 17:00).
    const [mail] = await outboxOf(reader.id);
    expect(mail?.subject).toBe(
      "Host Hana changed when “Ask me anything about Wi-Fi roaming” ends: it is now on Tue, 1 Dec 2026, 16:00–17:30 UTC (it was to end at 17:00)",
    );
  });
  test("moved twice before the email goes, it says from when the reader last knew; once emailed, a move starts afresh", async () => {
    const { db } = database;
    const session = await scheduled(db);
    const reader = await makePerson(db, { name: "Twice Tina" });
    await follow(db, reader.id, { type: "session", key: String(session.officeHoursId) });
    const move = (startsAt: number, endsAt: number, at: number) => moveSession(db, session, { startsAt, endsAt, at });
    await move(120, 180, 10);
    await move(240, 300, 11);
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(1000) });
    const [first] = await outboxOf(reader.id);
    expect(first?.subject).toBe(
      "Host Hana moved “Ask me anything about Wi-Fi roaming” from Tue, 1 Dec 2026, 16:00–17:00 to Tue, 1 Dec 2026, 19:00–20:00 UTC",
    );
    // Emailed: the next move is from the times that email gave.
    await move(240, 330, 12);
    await queueNotificationEmails({ db, baseURL: BASE, secret: SECRET, now: later(2000) });
    const subjects = (await outboxOf(reader.id)).map((mail) => mail.subject);
    expect(subjects).toContain(
      "Host Hana changed when “Ask me anything about Wi-Fi roaming” ends: it is now on Tue, 1 Dec 2026, 19:00–20:30 UTC (it was to end at 20:00)",
    );
  });
});

describe("suggested edits to how-tos", () => {
  test("the author hears of each suggestion at once; the suggester hears whether it was accepted or not taken", async () => {
    const { db } = database;
    const author = await makePerson(db, { name: "Priya Nair" });
    const sofia = await makePerson(db, { name: "Sofia Alvarez" });
    const marcus = await makePerson(db, { name: "Marcus Lee" });
    const fields = howtoFields({ title: "Map a shared drive on a new laptop" });
    const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
    const ctx = { db, baseURL: BASE, secret: SECRET };
    const suggest = (actor: typeof sofia, step: string) =>
      suggestHowtoEdit(db, { ...fields, steps: [...fields.steps, step], howtoId, actor });

    const { suggestionId } = await suggest(sofia, "Restart File Explorer if the drive doesn't show.");
    await queueNotificationEmails({ ...ctx, now: later(1000) });
    // A second suggestion, after the first was mailed, is mailed too (the notification is re-armed, not dropped).
    await suggest(marcus, "Tick “Reconnect at sign-in”.");
    await queueNotificationEmails({ ...ctx, now: later(2000) });
    expect((await outboxOf(author.id)).map((m) => m.subject)).toEqual([
      "Sofia Alvarez suggested an edit to your how-to “Map a shared drive on a new laptop”",
      "Marcus Lee suggested an edit to your how-to “Map a shared drive on a new laptop”",
    ]);

    await decideSuggestion(db, { suggestionId, actor: author, decision: "reject" });
    await queueNotificationEmails({ ...ctx, now: later(3000) });
    const { suggestionId: second } = await suggest(sofia, "Restart File Explorer when the drive is missing.");
    await decideSuggestion(db, { suggestionId: second, actor: author, decision: "accept" });
    await queueNotificationEmails({ ...ctx, now: later(4000) });
    const mail = await outboxOf(sofia.id);
    expect(mail.map((m) => m.subject)).toEqual([
      "Priya Nair didn't take your suggested edit to “Map a shared drive on a new laptop”",
      "Priya Nair accepted your suggested edit to “Map a shared drive on a new laptop”",
    ]);
    expect(mail[1]?.textBody).toContain("Stop emails about decisions on edits you suggested to how-tos");
  });
});

describe("the footer of every email", () => {
  // Written out by hand: each must read as plain English after "Stop emails about", with "Q&A" kept as written.
  const expected: Record<NotificationKind, string> = {
    answer: "Stop emails about answers to questions you follow",
    comment: "Stop emails about comments on what you follow",
    accepted: "Stop emails about your answers being accepted",
    mention: "Stop emails about mentions of you",
    new_post: "Stop emails about new questions and how-tos in spaces, tags and from people you follow",
    session_scheduled:
      "Stop emails about new Q&A sessions in spaces, tags and from people you follow, and their changes",
    invitation: "Stop emails about invitations to answer a question",
    session_starting: "Stop emails about the start of Q&A sessions you follow",
    feedback_request: "Stop emails about reminders to rate the help on your questions",
    session_changed: "Stop emails about new times for Q&A sessions you follow or asked in",
    session_cancelled: "Stop emails about cancelled Q&A sessions you follow or asked in",
    session_answered: "Stop emails about the host answering your questions in Q&A sessions",
    rating: "Stop emails about ratings of the help you gave",
    thanks: "Stop emails about thanks for your answers",
    suggestion: "Stop emails about edits suggested to your how-tos",
    suggestion_decided: "Stop emails about decisions on edits you suggested to how-tos",
    moderation: "Stop emails about the outcome of your flags, and your posts held for review",
  };

  test("names what each kind's link stops in a phrase that reads correctly, and a digest's link stops them all", () => {
    expect(Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, stopEmailsLine(kind)]))).toEqual(expected);
    for (const kind of NOTIFICATION_KINDS) {
      // The old footer put the settings page's sentences after "about": "about your answer is accepted".
      expect(stopEmailsLine(kind)).not.toMatch(/about (the host answers|your answer is|someone )|q&a/);
    }
    expect(stopEmailsLine("all")).toBe("Stop all notification emails from PeerDesk");
  });

  test("the unsubscribe page asks and confirms in the footer's words, and a digest's link says account emails still come", () => {
    expect(unsubscribeWording("all")).toEqual({
      question:
        "Stop all notification emails from PeerDesk? You'll still get emails about your account, such as password resets.",
      done: "Done: you won't get notification emails from PeerDesk any more. You'll still get emails about your account, such as password resets.",
    });
    for (const kind of NOTIFICATION_KINDS) {
      const wording = unsubscribeWording(kind);
      expect(wording.question).toBe(`${expected[kind]}?`);
      expect(wording.done).toBe(`Done: you won't get ${expected[kind].replace("Stop emails", "emails")} any more.`);
      // The old page promised "all PeerDesk email", which password resets and account emails are not part of.
      expect(`${wording.question} ${wording.done}`).not.toMatch(/all PeerDesk email|undefined/);
    }
  });

  test("an email about an accepted answer, and a digest, end with their own line and link", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Asker Ada" });
    const helper = await makePerson(db, { name: "Helper Hugo" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "Teams calls drop after an hour" });
    const answerId = await makeAnswer(db, helper, questionId);
    await acceptAnswer(db, { answerId, actor: asker });
    await addComment(db, { postId: answerId, actor: asker, body: "That fixed it, thank you." });
    const ctx = { db, baseURL: BASE, secret: SECRET };
    await queueNotificationEmails({ ...ctx, now: later(1000) });
    await queueNotificationEmails({ ...ctx, now: later(2 * 60 * 60_000) });
    const mail = await outboxOf(helper.id);
    const accepted = mail.find((m) => m.kind !== "digest");
    const digest = mail.find((m) => m.kind === "digest");
    expect(accepted?.textBody).toMatch(
      new RegExp(`\\nStop emails about your answers being accepted: ${BASE}/unsubscribe\\?token=\\S+\\n`),
    );
    expect(accepted?.htmlBody).toContain("Stop emails about your answers being accepted:");
    expect(digest?.textBody).toMatch(
      new RegExp(`\\nStop all notification emails from PeerDesk: ${BASE}/unsubscribe\\?token=\\S+\\n`),
    );
  });
});

describe("a session's times in an email", () => {
  // Intl puts thin and no-break spaces around the dash; plain ones are compared.
  const times = (starts: string, ends: string, zone: string) =>
    sessionTimesInZone(new Date(starts), new Date(ends), zone).replace(/\s/g, " ");

  test("across a clock change each end has its offset, so the length reads true; otherwise the zone is said once", () => {
    // 3 hours in New York across 14 Mar 2027 (GMT-5 to GMT-4), 2 hours in London across 28 Mar 2027.
    expect(times("2027-03-14T04:30:00Z", "2027-03-14T07:30:00Z", "America/New_York")).toBe(
      "Sat, 13 Mar 2027, 23:30 GMT-5 – Sun, 14 Mar 2027, 03:30 GMT-4 (America/New_York)",
    );
    expect(times("2027-03-28T00:30:00Z", "2027-03-28T02:30:00Z", "Europe/London")).toBe(
      "Sun, 28 Mar 2027, 00:30 GMT – Sun, 28 Mar 2027, 03:30 BST (Europe/London)",
    );
    expect(times("2027-03-15T14:30:00Z", "2027-03-15T15:30:00Z", "America/New_York")).toBe(
      "Mon, 15 Mar 2027, 10:30–11:30 (America/New_York)",
    );
  });
});
