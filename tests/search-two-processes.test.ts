/**
 * Two app processes sharing one PostgreSQL (DATABASE_URL only; needs `npm run build`), each ranking searches from its
 * own in-memory index: a post written through one process is found by a search on the other (the change log, woken
 * by NOTIFY), and a post deleted through the first is gone from the other's results when the deletion returns.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { RunningServer } from "./e2e/harness";
import { canRunTwoProcesses, signIn, twoProcesses } from "./fixtures/two-processes";

type SearchJson = { hits: { id: number; kind: string }[] };

async function answerIdsFound(server: RunningServer, words: string): Promise<number[]> {
  const res = await fetch(`${server.url}/api/search?${new URLSearchParams({ q: words, kind: "answer" })}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as SearchJson).hits.map((hit) => hit.id);
}

/** Searches again until `accept` holds: the outbox drain runs every second, so the write is searchable soon after. */
async function searchUntil(
  server: RunningServer,
  words: string,
  accept: (ids: number[]) => boolean,
): Promise<number[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ids = await answerIdsFound(server, words);
    if (accept(ids)) return ids;
    if (Date.now() > deadline) throw new Error(`search for "${words}" never matched; last ids: ${ids.join(", ")}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.skipIf(!canRunTwoProcesses)("two app processes with their own search indexes, one PostgreSQL", () => {
  const processes = twoProcesses();

  test("an answer written through one process is found by a search on the other; its deletion is gone there at once", async () => {
    const { first, second, url } = processes;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ id: number }>(
      "select p.id from posts p join users u on u.id = p.author_id where u.email = 'tom@peerdesk.test' and p.kind = 'question' and p.deleted_at is null order by p.id limit 1",
    );
    await client.end();
    const questionPath = `/q/${rows[0]?.id ?? 0}`;
    // A word no demo post holds, so the only hit can be this answer.
    const word = `zebracable${randomBytes(4).toString("hex")}`;
    expect(await answerIdsFound(second, word)).toEqual([]);

    const priya = await signIn(first, "priya@peerdesk.test");
    const answered = await fetch(`${first.url}${questionPath}`, {
      method: "POST",
      headers: { cookie: priya, Origin: first.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        intent: "answer",
        body: `Try another ${word} between the dock and the monitor; the first process stores this.`,
        idempotencyKey: randomBytes(16).toString("base64url"),
      }),
      redirect: "manual",
    });
    expect(answered.status).toBeLessThan(400);
    const answerId = Number(/answer-(\d+)/.exec(answered.headers.get("location") ?? "")?.[1]);
    expect(answerId).toBeGreaterThan(0);

    expect(await searchUntil(second, word, (ids) => ids.length > 0)).toEqual([answerId]);
    expect(await answerIdsFound(first, word)).toEqual([answerId]);

    const marcus = await signIn(first, "marcus@peerdesk.test");
    const deleted = await fetch(`${first.url}${questionPath}`, {
      method: "POST",
      headers: { cookie: marcus, Origin: first.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "delete", postId: String(answerId) }),
      redirect: "manual",
    });
    expect(deleted.status).toBeLessThan(400);
    // Gone from both when the deletion returns (results are checked against the database before they are shown).
    expect(await answerIdsFound(second, word)).toEqual([]);
    expect(await answerIdsFound(first, word)).toEqual([]);
  });
});
