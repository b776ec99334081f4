/**
 * A question's live stream first names what its public page shows now (answers and comments by id, none deleted), so
 * an open page learns what it missed while cached or disconnected; then each new answer or comment comes with its id.
 */
import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "#db/client.server";
import { CLIENT_IP_HEADER } from "~/auth/auth.server";
import { createRealtimeHub } from "~/lib/realtime.server";
import { EventStreamLimits } from "~/lib/sse.server";
import { addComment, deleteComment } from "~/models/comments.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { loader } from "./q.$id.events";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function openStream(questionId: number, client: AbortController): Promise<Response> {
  const context = {
    services: {
      db: database.db,
      realtime: createRealtimeHub(database),
      eventStreams: new EventStreamLimits({ limit: 10, limitPerAddress: 10, log: () => {} }),
    },
  } as unknown as AppLoadContext;
  const request = new Request(`http://peerdesk.test/q/${questionId}/events`, {
    headers: { Accept: "text/event-stream", [CLIENT_IP_HEADER]: "10.0.0.1" },
    signal: client.signal,
  });
  return (await loader({ request, params: { id: String(questionId) }, context })) as Response;
}

/** Reads the stream until `isDone(text so far)` or 10 s. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, isDone: (text: string) => boolean) {
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (!isDone(text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the stream did not say it in time; it said: ${text}`);
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
    ]);
    if (chunk === null || chunk.done) continue;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

/** The data of each `event: name` in the text, parsed. */
function eventsNamed(text: string, name: string): unknown[] {
  return [...text.matchAll(new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`, "g"))].map((m) => JSON.parse(m[1] ?? ""));
}

test("the stream opens with the ids the page shows now, then names each new answer and comment by id", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, space);
  const kept = await makeAnswer(db, helper, questionId);
  const removed = await makeAnswer(db, await makePerson(db), questionId);
  const onQuestion = (await addComment(db, { postId: questionId, actor: helper, body: "Which VPN client is it?" }))
    .commentId;
  const onKept = (await addComment(db, { postId: kept, actor: asker, body: "That fixed it on my laptop, thanks." }))
    .commentId;
  const onRemoved = (await addComment(db, { postId: removed, actor: asker, body: "This one did not help me." }))
    .commentId;
  const deletedComment = (await addComment(db, { postId: questionId, actor: asker, body: "Never mind that, sorry." }))
    .commentId;
  await deleteComment(db, { commentId: deletedComment, actor: asker });
  await deleteQuestionOrAnswer(db, { postId: removed, actor: await makePerson(db, { role: "moderator" }) });

  const client = new AbortController();
  const response = await openStream(questionId, client);
  expect(response.status).toBe(200);
  const reader = response.body?.getReader();
  if (!reader) throw new Error("a stream without a body");
  try {
    const opening = await readUntil(reader, (text) => text.includes("retry: 5000"));
    // What the public page shows: no deleted answer, no deleted comment, no comment on a deleted answer.
    expect(eventsNamed(opening, "thread")).toEqual([{ answers: [kept], comments: [onQuestion, onKept] }]);
    expect(onRemoved).toBeGreaterThan(0);

    const newAnswer = await makeAnswer(db, helper, questionId);
    const newComment = (await addComment(db, { postId: newAnswer, actor: asker, body: "Where is that setting?" }))
      .commentId;
    const later = await readUntil(reader, (text) => eventsNamed(text, "change").length >= 2);
    expect(eventsNamed(later, "change")).toEqual([
      { type: "answer", id: newAnswer, actorId: helper.id },
      { type: "comment", id: newComment, actorId: asker.id },
    ]);
  } finally {
    client.abort();
  }
});
