/**
 * The built server holds only so many live-update streams, and one client address only so many of them: past either
 * limit it answers 503 or 429 with Retry-After instead of opening another, logs a full process once, and a client that
 * leaves makes room for the next.
 */
import { realServer } from "./fixtures/real-server";

// Behind a trusted proxy each request names its client address (X-Forwarded-For), so one test speaks for several.
const suite = realServer({ SSE_STREAM_LIMIT: "3", SSE_STREAM_LIMIT_PER_ADDRESS: "2", TRUST_PROXY: "true" });

const FULL_LOG = "event streams at the process limit";
const clients: AbortController[] = [];

afterAll(() => {
  for (const client of clients) client.abort();
});

/** Asks for a question's live updates as a browser's EventSource would, from `address`. */
async function askForStream(path: string, address: string): Promise<{ response: Response; leave: () => void }> {
  const client = new AbortController();
  clients.push(client);
  const response = await fetch(`${suite.server.url}${path}`, {
    headers: { Accept: "text/event-stream", "X-Forwarded-For": address },
    signal: client.signal,
  });
  return { response, leave: () => client.abort() };
}

/** Reads an open stream until the server says it has subscribed (the reconnect hint). */
async function expectSubscribed(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body?.getReader();
  if (!reader) throw new Error("a stream without a body");
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("retry: 5000")) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`the stream ended after ${JSON.stringify(text)}`);
    text += decoder.decode(chunk.value, { stream: true });
  }
  reader.releaseLock();
}

async function expectRefused(response: Response, status: 429 | 503, says: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(response.headers.get("content-type")).toContain("text/plain");
  expect(await response.text()).toContain(says);
}

test("streams open up to the limits, are refused past them (429 per address, 503 per process), and a leaving client makes room", async () => {
  const questionId = /href="\/q\/(\d+)/.exec(await (await fetch(`${suite.server.url}/questions`)).text())?.[1];
  expect(questionId).toBeDefined();
  const path = `/q/${questionId}/events`;
  const logsBefore = suite.server.logs().length;

  // One address: two streams, then "too many from you".
  const first = await askForStream(path, "198.51.100.1");
  await expectSubscribed(first.response);
  await expectSubscribed((await askForStream(path, "198.51.100.1")).response);
  await expectRefused((await askForStream(path, "198.51.100.1")).response, 429, "from your address");

  // Another address fills the process; a third is refused for the process, however often it asks.
  await expectSubscribed((await askForStream(path, "198.51.100.2")).response);
  await expectRefused((await askForStream(path, "198.51.100.3")).response, 503, "Try again later");
  await expectRefused((await askForStream(path, "198.51.100.3")).response, 503, "Try again later");
  await suite.server.waitForLog(FULL_LOG, logsBefore);
  expect(suite.server.logs().slice(logsBefore).split(FULL_LOG)).toHaveLength(2);

  // The first client leaves: once the server has noticed, the waiting address gets its stream.
  first.leave();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const next = await askForStream(path, "198.51.100.3");
    if (next.response.status === 200) {
      await expectSubscribed(next.response);
      break;
    }
    await expectRefused(next.response, 503, "Try again later");
    if (Date.now() > deadline) throw new Error("no room after a client left");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Full again.
  await expectRefused((await askForStream(path, "198.51.100.4")).response, 503, "Try again later");
});
