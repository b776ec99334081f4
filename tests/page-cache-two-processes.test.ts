/**
 * Two app processes sharing one PostgreSQL (DATABASE_URL only; needs `npm run build`), each with its own page cache:
 * a write through either process reaches the other's cached pages through LISTEN/NOTIFY, and a moderator's deletion
 * is gone from the process that served it when the moderator's request returns.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { RunningServer } from "./e2e/harness";
import { canRunTwoProcesses, signIn, twoProcesses } from "./fixtures/two-processes";

async function post(
  server: RunningServer,
  cookie: string,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { cookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  expect(res.status).toBeLessThan(400);
  return res;
}

async function anonymous(server: RunningServer, path: string): Promise<{ cache: string | null; html: string }> {
  const res = await fetch(`${server.url}${path}`);
  return { cache: res.headers.get("x-cache"), html: await res.text() };
}

/**
 * Any write-method request holds its response until its process has heard every NOTIFY committed before it (the
 * barrier); an empty POST to the preview endpoint is a harmless one. After it, that process's cache is up to date.
 */
async function settle(server: RunningServer): Promise<void> {
  await fetch(`${server.url}/api/preview`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: "",
  });
}

describe.skipIf(!canRunTwoProcesses)("two app processes with page caches, one PostgreSQL", () => {
  const processes = twoProcesses();
  let questionPath = "";

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: processes.url });
    await client.connect();
    const { rows } = await client.query<{ id: number }>(
      "select p.id from posts p join users u on u.id = p.author_id where u.email = 'tom@peerdesk.test' and p.kind = 'question' and p.deleted_at is null order by p.id limit 1",
    );
    await client.end();
    questionPath = `/q/${rows[0]?.id ?? 0}`;
  });

  test("an answer posted through one process shows on the other's cached page; a deletion through the other is gone in both", async () => {
    const { first, second } = processes;
    for (const server of [first, second]) {
      await anonymous(server, questionPath);
      expect((await anonymous(server, questionPath)).cache).toBe("hit");
    }
    const body = `Answered through the first process ${randomBytes(3).toString("hex")}; the second one shows it.`;
    const priya = await signIn(first, "priya@peerdesk.test");
    const answered = await post(first, priya, questionPath, {
      intent: "answer",
      body,
      idempotencyKey: randomBytes(16).toString("base64url"),
    });
    const answerId = /answer-(\d+)/.exec(answered.headers.get("location") ?? "")?.[1];
    expect(answerId).toBeDefined();
    expect((await anonymous(first, questionPath)).html).toContain(body);
    await settle(second);
    expect((await anonymous(second, questionPath)).html).toContain(body);

    for (const server of [first, second]) expect((await anonymous(server, questionPath)).cache).toBe("hit");
    const marcus = await signIn(second, "marcus@peerdesk.test");
    await post(second, marcus, questionPath, { intent: "delete", postId: answerId ?? "" });
    // The process that served the moderator: gone when the moderator's request returned.
    expect((await anonymous(second, questionPath)).html).not.toContain(body);
    await settle(first);
    expect((await anonymous(first, questionPath)).html).not.toContain(body);
  });
});
