/**
 * The stream React renders a page into: it passes React's output on in one chunk per flush instead of one per 2 KB.
 *
 * Why: React's server renderer writes a page in 2 KB pieces (and each long string, such as a post's HTML, on its
 * own), and the page then travels as a web stream (Remix's Response) to the page cache or the HTTP response: every
 * piece costs a Node stream write, a web stream enqueue and a read. For a 190 KB question page that was about 2 ms
 * of stream bookkeeping against 0.5 ms for the same bytes in one piece.
 *
 * How: React calls `flush()` on its destination at the end of every batch it writes (the shell, then each streamed
 * part), so pieces are collected and passed on together there (or once they reach MAX_PENDING_BYTES, so a huge page
 * is never held whole twice); the end of the render passes on the rest. The bytes and the moments a streamed part
 * leaves are unchanged.
 *
 * It also takes out the zero bytes React 18's renderer leaves in a page (react/react#31134, fixed only in React 19):
 * when a multi-byte character (€, é, an emoji) doesn't fit at the end of one of its 2 KB pieces, it sends the whole
 * piece, unfilled bytes included, and the character follows in the next. A browser shows each zero byte as "�" (in a
 * form's text, sent back with the next post). A page never holds a zero byte otherwise (the app takes U+0000 out of
 * everything people send), so every zero byte is one of these.
 */
import { Transform, type TransformCallback, type Writable } from "node:stream";

const MAX_PENDING_BYTES = 64 * 1024;

/** The bytes without any 0x00 (the same buffer when there is none, as almost always). */
export function withoutZeroBytes(chunk: Buffer): Buffer {
  let at = chunk.indexOf(0);
  if (at === -1) return chunk;
  const kept = Buffer.allocUnsafe(chunk.length);
  let length = 0;
  let from = 0;
  while (at !== -1) {
    length += chunk.copy(kept, length, from, at);
    from = at + 1;
    at = chunk.indexOf(0, from);
  }
  length += chunk.copy(kept, length, from);
  return kept.subarray(0, length);
}

export class BatchedHtmlStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  override _transform(written: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const chunk = withoutZeroBytes(written);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= MAX_PENDING_BYTES) this.passOn();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.passOn();
    callback();
  }

  /**
   * Lets `pipe` (React's) write the page into this stream; once all of it is written, `onWritten` runs and the "close"
   * listeners `pipe` added are removed. React listens for "close" to abort a render whose reader went away; after the
   * render has finished, that listener would only abort a finished render (building an error each time).
   */
  receive(pipe: (destination: Writable) => unknown, onWritten: () => void): void {
    const before = new Set(this.listeners("close"));
    this.once("finish", () => {
      onWritten();
      for (const listener of this.listeners("close")) {
        if (!before.has(listener)) this.off("close", listener as (...args: unknown[]) => void);
      }
    });
    pipe(this);
  }

  /** Called by React after each batch it wrote: what it wrote so far goes on now. */
  flush(): void {
    this.passOn();
  }

  private passOn(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (chunk) this.push(chunk);
  }
}
