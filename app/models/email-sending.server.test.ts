import { desc } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Database } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type MailTransport, OUTBOX_PAGE_SIZE, listOutbox, startMailer } from "./email-sending.server";
import { closedPort } from "../../tests/fixtures/ports";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insert(emailOutbox).values(
    Array.from({ length: 2 * OUTBOX_PAGE_SIZE + 20 }, (_, i) => ({
      toAddress: `person${i}@example.com`,
      subject: `Message ${i + 1}`,
      textBody: "Hello",
      htmlBody: "<p>Hello</p>",
      kind: "notification" as const,
    })),
  );
});
afterAll(async () => {
  await database?.close();
});

/** Every message id, newest first: the order the pages walk through. */
async function allIdsNewestFirst(): Promise<number[]> {
  const rows = await database.db.select({ id: emailOutbox.id }).from(emailOutbox).orderBy(desc(emailOutbox.id));
  return rows.map((row) => row.id);
}

test("the list pages through every message, newest first, and back again", async () => {
  const all = await allIdsNewestFirst();
  const ids = (page: { messages: { id: number }[] }) => page.messages.map((message) => message.id);

  const first = await listOutbox(database.db);
  expect(ids(first)).toEqual(all.slice(0, 50));
  expect(first.newerAfter).toBeNull();
  expect(first.olderBefore).toBe(all[49]);

  const second = await listOutbox(database.db, { before: first.olderBefore ?? 0 });
  // The 51st-newest message opens the second page.
  expect(ids(second)).toEqual(all.slice(50, 100));
  expect(second.newerAfter).toBe(all[50]);
  expect(second.olderBefore).toBe(all[99]);

  const last = await listOutbox(database.db, { before: second.olderBefore ?? 0 });
  expect(ids(last)).toEqual(all.slice(100));
  expect(last.olderBefore).toBeNull();
  expect(last.newerAfter).toBe(all[100]);

  // "Newer" from the last page is the second page again, and from there the first.
  const backToSecond = await listOutbox(database.db, { after: last.newerAfter ?? 0 });
  expect(ids(backToSecond)).toEqual(ids(second));
  expect(backToSecond.olderBefore).toBe(second.olderBefore);
  expect(backToSecond.newerAfter).toBe(second.newerAfter);
  const backToFirst = await listOutbox(database.db, { after: backToSecond.newerAfter ?? 0 });
  expect(ids(backToFirst)).toEqual(ids(first));
  expect(backToFirst.newerAfter).toBeNull();
  expect(backToFirst.olderBefore).toBe(first.olderBefore);
});

test("a cursor past either end gives an empty page with no way further", async () => {
  const all = await allIdsNewestFirst();
  const oldest = all[all.length - 1] ?? 0;
  const newest = all[0] ?? 0;
  expect(await listOutbox(database.db, { before: oldest })).toEqual({
    messages: [],
    olderBefore: null,
    newerAfter: null,
  });
  expect(await listOutbox(database.db, { after: newest })).toEqual({
    messages: [],
    olderBefore: null,
    newerAfter: null,
  });
});

describe("the mailer's log line", () => {
  /** The fields of the mailer's first "mailer" line, with one message due and `transport` to send it. */
  async function firstMailerLine(transport: MailTransport): Promise<Record<string, unknown>> {
    const own = await createTestDatabase();
    try {
      await own.db.insert(emailOutbox).values({
        toAddress: "mo@example.test",
        subject: "Hello Mo",
        textBody: "Hi",
        htmlBody: "<p>Hi</p>",
        kind: "notification",
        nextAttemptAt: new Date(Date.now() - 60_000),
      });
      let mailer: { stop: () => Promise<void> } | undefined;
      const line = await new Promise<Record<string, unknown>>((resolve) => {
        mailer = startMailer({
          db: own.db,
          baseURL: "http://localhost:3000",
          secret: "a-test-secret-of-enough-length-0123456789",
          transport,
          from: "PeerDesk <no-reply@peerdesk.invalid>",
          intervalMs: 1,
          log: (_level, msg, fields) => {
            if (msg === "mailer") resolve(fields);
          },
        });
      });
      await mailer?.stop();
      return line;
    } finally {
      await own.close();
    }
  }

  test("says why sending failed: an SMTP server that refuses the connection", async () => {
    const port = await closedPort();
    const transport = nodemailer.createTransport(`smtp://mailer:hunter2@127.0.0.1:${port}`);
    const line = await firstMailerLine(transport);
    expect(line).toMatchObject({ sent: 0, failed: 1, smtp: true });
    expect(line.firstFailure).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(JSON.stringify(line)).not.toContain("hunter2");
  });

  test("the reason never carries the password of an address in it", async () => {
    const refusing: MailTransport = {
      sendMail: async () => {
        throw new Error("relay smtp://mailer:hunter2@relay.example:587 refused the message");
      },
    };
    const line = await firstMailerLine(refusing);
    expect(line.firstFailure).toBe("relay smtp://relay.example:587 refused the message");
  });
});
