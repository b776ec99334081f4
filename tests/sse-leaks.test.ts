/**
 * Live-update streams give their place back however the client goes: a connection half-closed as soon as the request
 * is sent, one reset a moment later (often before the server has looked at the request), and requests pipelined on
 * one connection that closes with all of them unanswered or open. Each address may hold two streams; after many such
 * clients, the address still gets its two.
 */
import net from "node:net";
import { realServer } from "./fixtures/real-server";

// Behind a trusted proxy each request names its client address (X-Forwarded-For): one address per way of leaving.
const suite = realServer({ SSE_STREAM_LIMIT_PER_ADDRESS: "2", TRUST_PROXY: "true" });

const open: AbortController[] = [];
afterAll(() => {
  for (const client of open) client.abort();
});

function streamRequest(path: string, address: string): string {
  const host = new URL(suite.server.url).host;
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\nX-Forwarded-For: ${address}\r\n\r\n`;
}

/** A raw connection that sends `requests`, then leaves as `leave` says; resolves once it is closed. */
function rawClient(requests: string, leave: (socket: net.Socket) => void): Promise<void> {
  const { hostname, port } = new URL(suite.server.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(requests);
      leave(socket);
    });
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => resolve());
  });
}

/** Two streams from `address` open (200), asked for again until the server has let go of the clients before. */
async function expectTwoPlaces(path: string, address: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  const opened: AbortController[] = [];
  for (;;) {
    for (const client of opened.splice(0)) client.abort();
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const client = new AbortController();
      open.push(client);
      opened.push(client);
      const response = await fetch(`${suite.server.url}${path}`, {
        headers: { Accept: "text/event-stream", "X-Forwarded-For": address },
        signal: client.signal,
      });
      statuses.push(response.status);
    }
    if (statuses.every((status) => status === 200)) return;
    if (Date.now() > deadline) throw new Error(`${address} still refused after its clients left: ${statuses}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("half-closed, reset and pipelined connections leave no stream's place taken", async () => {
  const questionId = /href="\/q\/(\d+)/.exec(await (await fetch(`${suite.server.url}/questions`)).text())?.[1];
  expect(questionId).toBeDefined();
  const path = `/q/${questionId}/events`;

  const halfClosed = "203.0.113.1";
  for (let i = 0; i < 10; i++) await rawClient(streamRequest(path, halfClosed), (socket) => socket.end());
  await expectTwoPlaces(path, halfClosed);

  const reset = "203.0.113.2";
  await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      rawClient(streamRequest(path, reset), (socket) => setTimeout(() => socket.resetAndDestroy(), i * 3)),
    ),
  );
  await expectTwoPlaces(path, reset);

  const pipelined = "203.0.113.3";
  for (let i = 0; i < 3; i++)
    await rawClient(streamRequest(path, pipelined).repeat(3), (socket) =>
      setTimeout(() => socket.resetAndDestroy(), 300),
    );
  await expectTwoPlaces(path, pipelined);
});
