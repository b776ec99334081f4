/** LISTEN/NOTIFY events on the real database: delivered on commit, never for a rolled-back write, only to the topic's subscribers. */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeQuestion } from "../../tests/fixtures/qa";
import { notifyUsers } from "~/models/notifications.server";
import { heardEverythingCommitted } from "../../tests/fixtures/realtime";
import { type RealtimeMessage, createRealtimeHub, publish } from "./realtime.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("a published message reaches the topic's subscribers once the transaction commits, and not after a rollback", async () => {
  const hub = createRealtimeHub(database);
  const seen: RealtimeMessage[] = [];
  const other: RealtimeMessage[] = [];
  // What happened in which order: a message heard before its transaction ended would show up before "committing".
  const order: string[] = [];
  const stop = await hub.subscribe("session:1", (message) => {
    seen.push(message);
    order.push(`heard ${String(message.questionId)}`);
  });
  await hub.subscribe("session:2", (message) => other.push(message));
  expect(hub.subscriberCount()).toBe(2);

  await database.db.transaction(async (tx) => {
    await publish(tx, { topic: "session:1", type: "question", questionId: 7 });
    await tx.execute(sql`select 1`);
    order.push("committing");
  });
  await heardEverythingCommitted(hub, database.db);
  // Not before the commit.
  expect(order).toEqual(["committing", "heard 7"]);
  expect(seen).toEqual([{ topic: "session:1", type: "question", questionId: 7 }]);

  await database.db
    .transaction(async (tx) => {
      await publish(tx, { topic: "session:1", type: "question", questionId: 8 });
      throw new Error("roll back");
    })
    .catch(() => {});
  await heardEverythingCommitted(hub, database.db);
  expect(seen).toHaveLength(1);
  expect(other).toEqual([]);

  await stop();
  await publish(database.db, { topic: "session:1", type: "question", questionId: 9 });
  await heardEverythingCommitted(hub, database.db);
  expect(seen).toHaveLength(1);
  expect(hub.subscriberCount()).toBe(1);
});

test("a new notification announces itself to its recipient's topic (a database trigger, whatever wrote it)", async () => {
  const { db } = database;
  const hub = createRealtimeHub(database);
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const seen: RealtimeMessage[] = [];
  await hub.subscribe(`user:${asker.id}`, (message) => seen.push(message));
  await db.transaction((tx) =>
    notifyUsers(tx, { kind: "mention", actorId: helper.id, postId: questionId }, [asker.id]),
  );
  await heardEverythingCommitted(hub, database.db);
  expect(seen).toEqual([{ topic: `user:${asker.id}`, type: "notifications" }]);
});
