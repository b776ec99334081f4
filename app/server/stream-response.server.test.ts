/**
 * Writing a streamed page to a compressing response: one flush per burst of chunks (so the compressor sees the page
 * whole and a signed-in page stays small), every byte in order, and a chunk that comes later still flushed promptly
 * (server-sent events and deferred data).
 */
import { PassThrough } from "node:stream";
import http from "node:http";
import { gunzipSync, gzipSync } from "node:zlib";
import compression from "compression";
import express from "express";
import type { AddressInfo } from "node:net";
import { writeStreamToResponse } from "./stream-response.server";

/** A writable that records what is written and every flush, like compression's response. */
function recorder() {
  const out = new PassThrough();
  const events: string[] = [];
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const writable = Object.assign(out, {
    flush: () => {
      events.push("flush");
    },
  });
  const write = writable.write.bind(writable);
  writable.write = ((chunk: Uint8Array) => {
    events.push("write");
    return write(chunk);
  }) as typeof writable.write;
  return { writable, events, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** `parts` at once, then each of `later` when it resolves, then the end. */
function streamOf(parts: string[], later: Promise<string>[] = []): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      for (const part of later) controller.enqueue(encoder.encode(await part));
      controller.close();
    },
  });
}

test("a page handed over in many chunks at once is flushed once, with every byte in order", async () => {
  const { writable, events, text } = recorder();
  const parts = Array.from({ length: 200 }, (_, i) => `<p>${i}</p>`);
  await writeStreamToResponse(streamOf(parts), writable);
  await new Promise((resolve) => setImmediate(resolve));
  expect(text()).toBe(parts.join(""));
  expect(events.filter((e) => e === "write")).toHaveLength(200);
  expect(events.filter((e) => e === "flush").length).toBeLessThanOrEqual(1);
});

test("a chunk that comes later is flushed on its own, without waiting for the end", async () => {
  const { writable, events } = recorder();
  let sendB: (text: string) => void = () => {};
  let end: (text: string) => void = () => {};
  const b = new Promise<string>((resolve) => (sendB = resolve));
  const last = new Promise<string>((resolve) => (end = resolve));
  const written = writeStreamToResponse(streamOf(["event: a\n\n"], [b, last]), writable);
  await vi.waitFor(() => expect(events).toEqual(["write", "flush"]));
  sendB("event: b\n\n");
  await vi.waitFor(() => expect(events).toEqual(["write", "flush", "write", "flush"]));
  end("");
  await written;
});

test("a response closed before its body ends cancels the body's source (an event stream lets go of its subscription)", async () => {
  const encoder = new TextEncoder();
  let isCancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("retry: 5000\n\n"));
    },
    cancel() {
      isCancelled = true;
    },
  });
  const { writable, events } = recorder();
  const written = writeStreamToResponse(endless, writable);
  await vi.waitFor(() => expect(events).toContain("write"));
  writable.destroy();
  await written;
  expect(isCancelled).toBe(true);

  // Closed before writing began: cancelled at once.
  let isCancelledToo = false;
  const closed = recorder().writable;
  closed.destroy();
  await new Promise((resolve) => setImmediate(resolve));
  await writeStreamToResponse(
    new ReadableStream<Uint8Array>({
      cancel() {
        isCancelledToo = true;
      },
    }),
    closed,
  );
  expect(isCancelledToo).toBe(true);
});

test("through the compression middleware, a many-chunk page compresses about as well as the same page in one piece", async () => {
  const parts = Array.from(
    { length: 400 },
    (_, i) => `<li class="py-1.5 text-sm">Answer number ${i} with some text</li>`,
  );
  const app = express();
  app.use(compression({ level: 3 }));
  app.get("/chunks", (_req, res) => {
    res.setHeader("content-type", "text/html");
    void writeStreamToResponse(streamOf(parts), res);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const sent = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${port}/chunks`, { headers: { "accept-encoding": "gzip" } }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve(Buffer.concat(chunks)));
        })
        .on("error", reject);
    });
    expect(gunzipSync(sent).toString("utf8")).toBe(parts.join(""));
    const onePiece = gzipSync(parts.join(""), { level: 3 }).length;
    expect(sent.length).toBeLessThan(onePiece * 1.5);
  } finally {
    server.close();
  }
});
