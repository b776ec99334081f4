/** The server runtime's page data stream, made lazy: nothing is encoded until read, then the same bytes as before. */
import { createRequire } from "node:module";
import { installLazyPageData, lazyEncode, lazyStream } from "./lazy-page-data.server";

type Encode = (
  data: unknown,
  signal: AbortSignal,
  timeout: number | undefined,
  mode: string,
) => ReadableStream<Uint8Array>;
const singleFetch = createRequire(import.meta.url)("@remix-run/server-runtime/dist/single-fetch.js") as {
  encodeViaTurboStream: Encode;
};
const original = singleFetch.encodeViaTurboStream;

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** Page data that counts how often the encoder looks at it. */
function countedData() {
  const seen = { reads: 0 };
  const data = {
    loaderData: {
      get "routes/q.$id.($slug)"() {
        seen.reads += 1;
        return { title: "Why does the VPN drop at 9:00?", answers: [{ id: 2, score: 3 }] };
      },
    },
    actionData: null,
    errors: null,
  };
  return { data, seen };
}

test("an unread stream never opens the original; a read one gives its chunks unchanged", async () => {
  let opened = 0;
  const open = () => {
    opened += 1;
    return new Response("first line\nsecond line\n").body as ReadableStream<Uint8Array>;
  };
  lazyStream(open);
  await new Promise((resolve) => setImmediate(resolve));
  expect(opened).toBe(0);
  expect(await text(lazyStream(open))).toBe("first line\nsecond line\n");
  expect(opened).toBe(1);
});

test("cancelling before a read opens nothing; after a read it cancels the original", async () => {
  let cancelled: unknown = null;
  const open = () =>
    new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode("chunk")),
      cancel: (reason) => {
        cancelled = reason;
      },
    });
  await lazyStream(() => {
    throw new Error("must not open");
  }).cancel("gone");
  const stream = lazyStream(open);
  const reader = stream.getReader();
  await reader.read();
  await reader.cancel("reader left");
  expect(cancelled).toBe("reader left");
});

test("installed, the runtime's encoder looks at the data only when its stream is read, and encodes it as before", async () => {
  installLazyPageData();
  expect(singleFetch.encodeViaTurboStream).not.toBe(original);
  const signal = new AbortController().signal;
  const lazy = countedData();
  const stream = singleFetch.encodeViaTurboStream(lazy.data, signal, 4950, "production");
  await new Promise((resolve) => setImmediate(resolve));
  expect(lazy.seen.reads).toBe(0);
  const encoded = await text(stream);
  expect(lazy.seen.reads).toBe(1);
  const eager = countedData();
  expect(encoded).toBe(await text(original(eager.data, signal, 4950, "production")));
  expect(encoded).toContain("Why does the VPN drop at 9:00?");
});

test("the encoder's signal is aborted once its stream was read to the end or cancelled, or when the request's is", async () => {
  const signals: AbortSignal[] = [];
  const encode = lazyEncode((_data, signal) => {
    signals.push(signal);
    return new Response("encoded").body as ReadableStream<Uint8Array>;
  });
  // Read to the end: the runtime's time-out (cleared only by this signal) no longer holds the page for seconds.
  const request = new AbortController();
  const read = encode({}, request.signal, 4950, "production");
  expect(signals).toHaveLength(0);
  const reader = read.getReader();
  expect((await reader.read()).done).toBe(false);
  expect(signals[0]?.aborted).toBe(false);
  expect((await reader.read()).done).toBe(true);
  expect(signals[0]?.aborted).toBe(true);
  expect(request.signal.aborted).toBe(false);

  // Cancelled by its reader after the first chunk.
  const cancelled = encode({}, new AbortController().signal, 4950, "production").getReader();
  await cancelled.read();
  await cancelled.cancel("reader left");
  expect(signals[1]?.aborted).toBe(true);

  // The request going away aborts it mid-read, as the original signal would.
  const leaving = new AbortController();
  const pending = encode({}, leaving.signal, 4950, "production").getReader();
  await pending.read();
  expect(signals[2]?.aborted).toBe(false);
  leaving.abort();
  expect(signals[2]?.aborted).toBe(true);
});
