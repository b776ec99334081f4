/** React's output through the batching stream: the same bytes in fewer pieces, streamed parts still sent as they finish. */
import { PassThrough, type Readable } from "node:stream";
import { Suspense } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { BatchedHtmlStream, withoutZeroBytes } from "./batched-html-stream.server";

const ANSWERS = Array.from({ length: 300 }, (_, i) => ({ id: i + 1 }));

/** A page of many small elements and a few long strings, as a question page is. */
function Page({ later }: { later?: Later }) {
  return (
    <main>
      {ANSWERS.map((answer) => (
        <p key={answer.id} className="text-sm text-slate-700 dark:text-slate-300" data-n={answer.id}>
          Answer {answer.id}: check the IKE lifetime on both ends of the tunnel.
        </p>
      ))}
      <div dangerouslySetInnerHTML={{ __html: `<pre>${"Get-Item -Path C:\\logs\\0.txt\n".repeat(200)}</pre>` }} />
      {later ? (
        <Suspense fallback={<span>Loading…</span>}>
          <LaterPart later={later} />
        </Suspense>
      ) : null}
    </main>
  );
}

/** Text that arrives after the shell: suspends (React 18 style, by throwing the promise) until released. */
type Later = { promise: Promise<void>; text: string | null; release: () => void };

function LaterPart({ later }: { later: Later }) {
  if (later.text === null) throw later.promise;
  return <aside>{later.text}</aside>;
}

/** Renders into `body` and collects the pieces it passes on, noting which arrived before `release` was called. */
async function render(body: PassThrough | BatchedHtmlStream, later?: Later) {
  const pieces: { bytes: number; beforeRelease: boolean }[] = [];
  let released = false;
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    (body as Readable).on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      pieces.push({ bytes: chunk.length, beforeRelease: !released });
    });
    (body as Readable).on("end", resolve);
    (body as Readable).on("error", reject);
  });
  const { pipe } = renderToPipeableStream(<Page later={later} />, {
    onShellReady() {
      pipe(body);
      // The shell leaves before the deferred part is ready.
      setImmediate(() => {
        released = true;
        later?.release();
      });
    },
  });
  await done;
  return { html: Buffer.concat(chunks).toString("utf8"), pieces };
}

function deferred(): Later {
  let resolve: () => void = () => {};
  const later: Later = {
    promise: new Promise<void>((r) => {
      resolve = r;
    }),
    text: null,
    release: () => {
      later.text = "Related: the VPN drops at 9:00";
      resolve();
    },
  };
  return later;
}

test("the same HTML as a plain pass-through, in a few pieces instead of dozens", async () => {
  const plain = await render(new PassThrough());
  const batched = await render(new BatchedHtmlStream());
  expect(batched.html).toBe(plain.html);
  expect(plain.pieces.length).toBeGreaterThan(10);
  expect(batched.pieces.length).toBeLessThanOrEqual(2);
});

test("a streamed part still leaves when it is ready, after the shell has already been passed on", async () => {
  const plain = await render(new PassThrough(), deferred());
  const batched = await render(new BatchedHtmlStream(), deferred());
  expect(batched.html).toBe(plain.html);
  expect(batched.html).toContain("Related: the VPN drops at 9:00");
  const shell = batched.pieces.filter((p) => p.beforeRelease);
  expect(shell.length).toBeGreaterThanOrEqual(1);
  expect(batched.pieces.some((p) => !p.beforeRelease)).toBe(true);
});

test("once the page is written, closing the stream no longer aborts the render; before that, it still does", async () => {
  // Written to the end: React's "close" listener is gone, a listener added before stays.
  const body = new BatchedHtmlStream();
  const ownClose = () => {};
  body.on("close", ownClose);
  let written = 0;
  const errors: unknown[] = [];
  const finished = new Promise<void>((resolve) => {
    const { pipe } = renderToPipeableStream(<Page />, {
      onShellReady: () => body.receive(pipe, () => written++),
      onError: (error) => {
        errors.push(error);
      },
    });
    body.resume();
    body.on("end", () => resolve());
  });
  await finished;
  expect(written).toBe(1);
  expect(body.listeners("close")).toEqual([ownClose]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(errors).toEqual([]);

  // The reader goes away while a part is still pending: the render is aborted, and nothing counts as written.
  const leaving = new BatchedHtmlStream();
  let leftWritten = 0;
  const aborted = new Promise<unknown>((resolve) => {
    const { pipe } = renderToPipeableStream(<Page later={deferred()} />, {
      onShellReady() {
        leaving.receive(pipe, () => leftWritten++);
        leaving.resume();
        setImmediate(() => leaving.destroy());
      },
      onError: resolve,
    });
  });
  expect(String(await aborted)).toContain("closed early");
  expect(leftWritten).toBe(0);
});

/** A refused form sent back with what was typed, after `before` characters of page: details full of three-byte characters. */
function RefusedForm({ before }: { before: number }) {
  return (
    <form>
      {/* In short pieces, as a page is written: one long string would be sent on its own. */}
      {Array.from({ length: Math.floor(before / 20) }, (_, i) => `piece-${i}`).map((piece) => (
        <b key={piece}>{"x".repeat(13)}</b>
      ))}
      <i>{"y".repeat(before % 20)}</i>
      <textarea name="body" defaultValue={`Price in € ${"€".repeat(600)}`} />
    </form>
  );
}

async function renderedBytes(element: JSX.Element, body: PassThrough | BatchedHtmlStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    body.on("data", (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    body.on("end", resolve);
    body.on("error", reject);
  });
  const { pipe } = renderToPipeableStream(element, { onShellReady: () => pipe(body) });
  await done;
  return Buffer.concat(chunks);
}

test("a multi-byte character at the end of one of React's 2 KB pieces leaves no zero byte in the page (the text comes back exactly)", async () => {
  let damagedByReact = 0;
  // Pages of every length within a few bytes: the characters then straddle the end of React's first piece somewhere.
  for (let before = 1400; before < 1406; before++) {
    const plain = await renderedBytes(<RefusedForm before={before} />, new PassThrough());
    if (plain.includes(0)) damagedByReact++;
    const batched = await renderedBytes(<RefusedForm before={before} />, new BatchedHtmlStream());
    expect(batched.includes(0), `after ${before}`).toBe(false);
    const text = /<textarea name="body">([^<]*)<\/textarea>/.exec(batched.toString("utf8"))?.[1];
    expect(text, `after ${before}`).toBe(`Price in € ${"€".repeat(600)}`);
  }
  // React 18 itself leaves them for some of these lengths: what this stream takes out.
  expect(damagedByReact).toBeGreaterThan(0);
});

test("zero bytes are taken out wherever they are; a piece without any is passed on as it is", () => {
  const clean = Buffer.from("<p>café</p>");
  expect(withoutZeroBytes(clean)).toBe(clean);
  expect(withoutZeroBytes(Buffer.from([0, 0x61, 0, 0, 0x62, 0])).toString("latin1")).toBe("ab");
  expect(withoutZeroBytes(Buffer.from([0, 0])).length).toBe(0);
});
