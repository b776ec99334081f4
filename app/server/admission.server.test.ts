import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, test } from "vitest";
import { AdmissionQueue, admissionMiddleware, isEventStream } from "./admission.server";

/** A response stand-in: only the events and `destroyed` flag the middleware looks at. */
function fakeResponse() {
  const res = new EventEmitter() as EventEmitter & { destroyed: boolean };
  res.destroyed = false;
  return res;
}
const request = (accept = "text/html", url = "/questions") =>
  ({ headers: { accept }, url }) as unknown as IncomingMessage;

describe("admission queue", () => {
  test("runs at most `limit` at once and lets the others in in arrival order", async () => {
    const queue = new AdmissionQueue(2);
    const order: string[] = [];
    const first = await queue.acquire();
    const second = await queue.acquire();
    const third = queue.acquire().then((release) => {
      order.push("third");
      return release;
    });
    const fourth = queue.acquire().then((release) => {
      order.push("fourth");
      return release;
    });
    expect(queue.running).toBe(2);
    expect(queue.queued).toBe(2);
    first();
    const releaseThird = await third;
    expect(order).toEqual(["third"]);
    // Releasing twice frees one slot only.
    first();
    expect(queue.running).toBe(2);
    second();
    const releaseFourth = await fourth;
    expect(order).toEqual(["third", "fourth"]);
    releaseThird();
    releaseFourth();
    expect(queue.running).toBe(0);
    expect(queue.queued).toBe(0);
  });

  test("refuses a limit that would let nothing through", () => {
    expect(() => new AdmissionQueue(0)).toThrow();
  });
});

describe("admission middleware", () => {
  test("frees the slot when the response finishes, and the next request goes on", async () => {
    const queue = new AdmissionQueue(1);
    const admit = admissionMiddleware(queue);
    const firstRes = fakeResponse();
    const passed: string[] = [];
    await new Promise<void>((resolve) =>
      admit(request(), firstRes as unknown as ServerResponse, () => {
        passed.push("first");
        resolve();
      }),
    );
    const second = new Promise<void>((resolve) =>
      admit(request(), fakeResponse() as unknown as ServerResponse, () => {
        passed.push("second");
        resolve();
      }),
    );
    expect(queue.queued).toBe(1);
    firstRes.emit("finish");
    firstRes.emit("close");
    await second;
    expect(passed).toEqual(["first", "second"]);
    expect(queue.running).toBe(1);
  });

  test("event streams never wait (they stay open for minutes)", async () => {
    const queue = new AdmissionQueue(1);
    const admit = admissionMiddleware(queue);
    await queue.acquire();
    let passed = false;
    admit(request("text/event-stream", "/q/12/events"), fakeResponse() as unknown as ServerResponse, () => {
      passed = true;
    });
    expect(passed).toBe(true);
    expect(queue.running).toBe(1);
    for (const url of ["/events", "/review/events?x=1", "/sessions/3/events"])
      expect(isEventStream(request("text/event-stream", url)), url).toBe(true);
  });

  test("a page asked for with an event stream's Accept header waits like any other", async () => {
    const queue = new AdmissionQueue(1);
    const admit = admissionMiddleware(queue);
    await queue.acquire();
    let passed = false;
    admit(request("text/event-stream, text/html", "/search?q=vpn"), fakeResponse() as unknown as ServerResponse, () => {
      passed = true;
    });
    expect(passed).toBe(false);
    expect(queue.queued).toBe(1);
    for (const url of ["/questions", "/q/12", "/events/x", "/search?q=/events", "/eventsx"])
      expect(isEventStream(request("text/event-stream", url)), url).toBe(false);
  });

  test("a client that left while waiting hands its slot straight on", async () => {
    const queue = new AdmissionQueue(1);
    const admit = admissionMiddleware(queue);
    const release = await queue.acquire();
    const goneRes = fakeResponse();
    let gonePassed = false;
    admit(request(), goneRes as unknown as ServerResponse, () => {
      gonePassed = true;
    });
    goneRes.emit("close");
    const next = new Promise<void>((resolve) =>
      admit(request(), fakeResponse() as unknown as ServerResponse, () => resolve()),
    );
    release();
    await next;
    expect(gonePassed).toBe(false);
    expect(queue.running).toBe(1);
  });
});
