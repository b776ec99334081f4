/**
 * Two app processes sharing one PostgreSQL (DATABASE_URL only; needs `npm run build`): an answer posted through one
 * process reaches the asker's live stream (SSE) served by the other, through LISTEN/NOTIFY.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { canRunTwoProcesses, signIn, twoProcesses } from "./fixtures/two-processes";

/** Reads Server-Sent Events from a response body, resolving with the first `unread` event that satisfies `accept`. */
function unreadEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return async function next(accept: (count: number) => boolean, timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let boundary = buffer.indexOf("\n\n");
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = block.split("\n").find((line) => line.startsWith("data: "));
        if (block.includes("event: unread") && data) {
          const count = (JSON.parse(data.slice(6)) as { count: number }).count;
          if (accept(count)) return count;
        }
        boundary = buffer.indexOf("\n\n");
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no matching event in time");
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
      ]);
      if (!chunk || chunk.done) throw new Error("the event stream ended or timed out");
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
}

describe.skipIf(!canRunTwoProcesses)("two app processes, one PostgreSQL", () => {
  const processes = twoProcesses();

  test("an answer posted through one process updates the asker's unread count streamed by the other", async () => {
    const { first, second, url } = processes;
    const tomCookie = await signIn(second, "tom@peerdesk.test");
    const controller = new AbortController();
    const stream = await fetch(`${second.url}/events`, {
      headers: { cookie: tomCookie, accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const next = unreadEvents(stream.body!);
    const before = await next(() => true);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ id: number }>(
      "select p.id from posts p join users u on u.id = p.author_id where u.email = 'tom@peerdesk.test' and p.kind = 'question' and p.deleted_at is null order by p.id limit 1",
    );
    await client.end();
    const questionId = rows[0]?.id;
    expect(questionId).toBeDefined();

    const priyaCookie = await signIn(first, "priya@peerdesk.test");
    const form = new URLSearchParams({
      intent: "answer",
      body: "Answered through the first process; the second one streams it.",
      idempotencyKey: randomBytes(8).toString("hex"),
    });
    const posted = await fetch(`${first.url}/q/${questionId}`, {
      method: "POST",
      headers: { cookie: priyaCookie, Origin: first.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    expect([200, 303]).toContain(posted.status);

    const after = await next((count) => count > before);
    expect(after).toBe(before + 1);
    controller.abort();
  });
});
