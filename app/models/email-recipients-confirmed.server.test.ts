/** Who notification email may go to, on the real database: only confirmed addresses of accounts that still exist. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { deleteAccount } from "./account-deletion.server";
import { acceptAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { queueNotificationEmails } from "./email.server";
import { follow, listNotifications } from "./notifications.server";

const SECRET = "test-secret-test-secret-test-secret-0123";
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

/** Runs the mailer now (immediate kinds) and after the digest's gathering hour. */
async function mailEverything() {
  const ctx = { db: database.db, baseURL: "https://peerdesk.example", secret: SECRET };
  await queueNotificationEmails({ ...ctx, now: later(1000) });
  await queueNotificationEmails({ ...ctx, now: later(2 * 60 * 60_000) });
}

test("someone who never confirmed their address gets no notification email or digest, only the notices in the site", async () => {
  const { db } = database;
  // Signed up with a stranger's address and never opened the confirmation link.
  const unconfirmed = await makePerson(db, { name: "Unconfirmed Uma" });
  await db.update(users).set({ emailVerified: false }).where(eq(users.id, unconfirmed.id));
  const [{ handle } = { handle: null }] = await db
    .select({ handle: users.handle })
    .from(users)
    .where(eq(users.id, unconfirmed.id));
  const confirmed = await makePerson(db, { name: "Confirmed Carl" });
  const helper = await makePerson(db, { name: "Helper Hal" });
  const spaceId = await makeSpace(db);
  const followed = await makeQuestion(db, await makePerson(db), spaceId, { title: "Printer shows offline on Wi-Fi" });
  for (const person of [unconfirmed, confirmed])
    await follow(db, person.id, { type: "question", key: String(followed) });
  await makeAnswer(db, helper, followed, { body: `Reinstall the driver, @${handle} had the same problem last week.` });
  const own = await makeQuestion(db, unconfirmed, spaceId, { title: "Outlook asks for my password every hour" });
  await makeAnswer(db, helper, own);
  await addComment(db, { postId: followed, actor: helper, body: "Which printer model is it?" });

  await mailEverything();

  expect(await outboxOf(unconfirmed.id)).toEqual([]);
  const kinds = (await listNotifications(db, unconfirmed.id)).items.map((n) => n.kind);
  expect(kinds.sort()).toEqual(["answer", "comment", "mention"]);
  // The same news reaches a confirmed follower by email.
  expect((await outboxOf(confirmed.id)).map((m) => m.subject)).toContain(
    "Helper Hal answered “Printer shows offline on Wi-Fi”",
  );
});

test("a deleted account gets no email, even about news that reaches it after the deletion", async () => {
  const { db } = database;
  const asker = await makePerson(db, { name: "Asker Ava" });
  const leaver = await makePerson(db, { name: "Leaving Lou" });
  const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "Laptop fan is loud on calls" });
  const answerId = await makeAnswer(db, leaver, questionId);
  await deleteAccount(db, { userId: leaver.id, by: leaver.id, deleteUnansweredQuestions: false });
  // Their answer stays, credited to "Former member": accepting it and commenting on it still notify its author.
  await acceptAnswer(db, { answerId, actor: asker });
  await addComment(db, { postId: answerId, actor: asker, body: "This worked, thank you." });

  await mailEverything();

  expect(await outboxOf(leaver.id)).toEqual([]);
  const outbox = await db.select({ to: emailOutbox.toAddress, text: emailOutbox.textBody }).from(emailOutbox);
  expect(outbox.filter((m) => m.to.endsWith("@deleted.invalid") || m.text.startsWith("Hi Former member"))).toEqual([]);
});
