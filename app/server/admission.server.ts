/**
 * Admission control for requests that do work (renders, writes): at most `limit` run at once and the rest wait their
 * turn, first come, first served. Without it every request in flight shares the one event loop (and, on PGlite, the one
 * database connection, whose queue is per query): a page that needs fifteen queries waits in that queue fifteen times,
 * so under load the heaviest requests (signed-in pages, searches, writes) starve behind a stream of light ones and time
 * out while cheap ones still answer. Served in arrival order, a request's wait is the work ahead of it, whatever its
 * kind. Page cache hits, static files and event streams never wait here (server.js decides what passes).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { acceptsEventStream } from "~/lib/sse.server";

/** A slot holder that never lets go (a stuck response) is released after this long, so the queue can't seize up. */
const MAX_HOLD_MS = 30_000;

export type Release = () => void;

export class AdmissionQueue {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  readonly limit: number;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`AdmissionQueue: limit must be a positive integer (got ${limit})`);
    this.limit = limit;
  }

  /** Resolves with a release function once a slot is free; call it exactly once (later calls do nothing). */
  acquire(): Promise<Release> {
    return new Promise((resolve) => {
      const grant = () => {
        this.active += 1;
        let isReleased = false;
        const timer = setTimeout(() => release(), MAX_HOLD_MS);
        timer.unref?.();
        const release = () => {
          if (isReleased) return;
          isReleased = true;
          clearTimeout(timer);
          this.active -= 1;
          this.waiting.shift()?.();
        };
        resolve(release);
      };
      if (this.active < this.limit) grant();
      else this.waiting.push(grant);
    });
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/** The addresses of the app's event streams: /events, /review/events, /q/:id/events, /sessions/:id/events. */
const EVENT_STREAM_PATH = /^\/(?:(?:q|sessions)\/[^/?#]+\/|review\/)?events(?:[?#]|$)/;

/**
 * EventSource connections stay open for minutes: they would hold a slot for good, so they never wait here. Only the
 * stream addresses asked for as streams: the Accept header alone would let any page skip the queue.
 */
export function isEventStream(req: Pick<IncomingMessage, "headers" | "url">): boolean {
  return acceptsEventStream(req.headers.accept) && EVENT_STREAM_PATH.test(req.url ?? "");
}

/**
 * Express middleware: waits for a slot, then passes the request on; the slot is freed when the response is finished
 * or the connection closes. A client that leaves while waiting
 * hands its slot straight on when its turn comes.
 */
export function admissionMiddleware(queue: AdmissionQueue) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (isEventStream(req)) {
      next();
      return;
    }
    let isGone = false;
    const onEarlyClose = () => {
      isGone = true;
    };
    res.once("close", onEarlyClose);
    queue.acquire().then((release) => {
      res.off("close", onEarlyClose);
      if (isGone || res.destroyed) {
        release();
        return;
      }
      res.once("finish", release);
      res.once("close", release);
      next();
    }, next);
  };
}
