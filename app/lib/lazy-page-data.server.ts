/**
 * Makes Remix encode a page's loader data for the client runtime only when something reads it.
 *
 * Why: for every document request Remix's server runtime starts encoding the page's data (turbo-stream) for the
 * client runtime at once, whether or not the page will send it. Pages signed-out readers get without the client
 * runtime (app/lib/reader-pages.ts: the question and how-to pages) never read that stream, yet paid for walking and
 * encoding all of their data (about 5 % of rendering such a page) plus a timer per request.
 *
 * How: the runtime calls `encodeViaTurboStream` through its single-fetch module's exports, so wrapping that one export
 * makes every caller lazy: the stream it returns asks for nothing until read (high-water mark 0), and its first read
 * starts the original encoding, whose chunks it then passes on unchanged. Pages with the client runtime read it while
 * rendering their scripts, data requests when their response is sent: the same bytes, just later.
 */
import { createRequire } from "node:module";

type Encode = (
  data: unknown,
  requestSignal: AbortSignal,
  streamTimeout: number | undefined,
  serverMode: unknown,
) => ReadableStream<Uint8Array>;

/**
 * A stream that calls `open` on its first read, then passes on what that stream gives; `onEnd` is called once when it
 * has given everything or its reader cancelled it.
 */
export function lazyStream(open: () => ReadableStream<Uint8Array>, onEnd?: () => void): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= open().getReader();
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          onEnd?.();
        } else controller.enqueue(value);
      },
      async cancel(reason) {
        await reader?.cancel(reason);
        onEnd?.();
      },
    },
    // Nothing is pulled ahead of a read: an unread stream never opens the original.
    { highWaterMark: 0 },
  );
}

/** Why an encoding's own signal was aborted, when it was not the request's doing. */
const ENCODING_DONE = "encoding read to its end or cancelled";

/** The same encoding, started only when its stream is first read. */
export function lazyEncode(encode: Encode): Encode {
  return (data, requestSignal, streamTimeout, serverMode) => {
    // The original arms a time-out per encoding (about 5 s, for data that never settles) that only an abort of the
    // signal it is given clears, and until then the timer keeps the page's data and the encoder alive: every page
    // rendered in the last 5 s, long enough to move them all to the old generation. It gets a signal of its own,
    // aborted with the request's or as soon as the encoding has been read to its end (or cancelled).
    const finished = new AbortController();
    // With a reason of its own: abort() without one builds a DOMException (and its stack) every time.
    const finish = () => finished.abort(ENCODING_DONE);
    return lazyStream(() => {
      if (requestSignal.aborted) finish();
      else requestSignal.addEventListener("abort", finish, { once: true });
      return encode(data, finished.signal, streamTimeout, serverMode);
    }, finish);
  };
}

let installed = false;

/** Wraps the server runtime's `encodeViaTurboStream` (see above); once per process. */
export function installLazyPageData(): void {
  if (installed) return;
  installed = true;
  const singleFetch = createRequire(import.meta.url)("@remix-run/server-runtime/dist/single-fetch.js") as {
    encodeViaTurboStream: Encode;
  };
  singleFetch.encodeViaTurboStream = lazyEncode(singleFetch.encodeViaTurboStream);
}
