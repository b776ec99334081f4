/**
 * A Server-Sent Events response: `open` subscribes to whatever feeds the stream and returns its teardown. This
 * module sends the reconnect hint once `open` has subscribed, a comment every 25 s so proxies keep the stream open,
 * and tears everything down once, whether the client leaves or the server closes. Each open stream holds a socket, a
 * subscription and a timer, so a process keeps at most so many open, and one client address at most so many of them.
 * A stream for one person (their unread count, a moderator's review count) asks again, every so often, whether its
 * reader may still have it, and ends once they may not: signed out, banned or no longer a moderator in the meantime.
 */
import { CLIENT_IP_HEADER } from "~/auth/auth.server";
import { addressGroup } from "./network-address.server";

export { addressGroup };
import { logEvent } from "~/lib/log.server";
import { tooManyRequests } from "~/lib/route-headers.server";
import type { RealtimeHub } from "~/lib/realtime.server";

const HEARTBEAT_MS = 25_000;

/** When a refused client may try again: by then other readers' tabs have closed or moved on. */
const REFUSED_RETRY_AFTER_SECONDS = 30;

export type EventChannel = {
  /** Sends one named event with JSON data (nothing once closed). */
  send: (event: string, data: unknown) => void;
  /** Ends the stream from the server's side. */
  close: () => Promise<void>;
};

/** A place for one stream; `release` frees it the first time and does nothing after. */
export type StreamSlot = { release: () => void };

/** Why there is no place: the process has all it may hold, or this client address has its share. */
export type StreamRefusal = { refused: "process" | "address" };

/**
 * Counts the event streams this process holds open, in all and per client address, and refuses new ones past either
 * limit. One instance per process (startApp makes it); tests make their own.
 */
export class EventStreamLimits {
  readonly limit: number;
  readonly limitPerAddress: number;
  /** How often a stream for one person checks that they may still have it (see eventStream's `stillAllowed`). */
  readonly recheckMs: number;
  private readonly log: typeof logEvent;
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  /** Set when a full process was reported; cleared below 90 % of the limit: one line per time it fills, not per refusal. */
  private isFullReported = false;

  constructor({
    limit,
    limitPerAddress,
    recheckMs = HEARTBEAT_MS,
    log = logEvent,
  }: { limit: number; limitPerAddress: number; recheckMs?: number; log?: typeof logEvent }) {
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(limitPerAddress) || limitPerAddress < 1)
      throw new Error(`EventStreamLimits: limits must be positive integers (got ${limit}, ${limitPerAddress})`);
    this.limit = limit;
    this.limitPerAddress = limitPerAddress;
    this.recheckMs = recheckMs;
    this.log = log;
  }

  /** Streams open now: all of them, or those from one address. */
  open(address?: string): number {
    return address === undefined ? this.total : (this.byAddress.get(address) ?? 0);
  }

  take(address: string): StreamSlot | StreamRefusal {
    const fromAddress = this.byAddress.get(address) ?? 0;
    if (fromAddress >= this.limitPerAddress) return { refused: "address" };
    if (this.total >= this.limit) {
      if (!this.isFullReported) {
        this.isFullReported = true;
        this.log("warn", "event streams at the process limit: new ones are refused with 503 until some close", {
          open: this.total,
          limit: this.limit,
          setting: "SSE_STREAM_LIMIT",
        });
      }
      return { refused: "process" };
    }
    this.total += 1;
    this.byAddress.set(address, fromAddress + 1);
    let isReleased = false;
    return {
      release: () => {
        if (isReleased) return;
        isReleased = true;
        this.total -= 1;
        const left = (this.byAddress.get(address) ?? 1) - 1;
        if (left > 0) this.byAddress.set(address, left);
        else this.byAddress.delete(address);
        if (this.total < this.limit * 0.9) this.isFullReported = false;
      },
    };
  }
}

/** The plain-text refusal of a stream; an EventSource stops at any answer but a 200 and leaves the page as it is. */
function refusedStream({ refused }: StreamRefusal): Response {
  const init =
    refused === "address"
      ? tooManyRequests(REFUSED_RETRY_AFTER_SECONDS)
      : { status: 503, headers: { "Retry-After": String(REFUSED_RETRY_AFTER_SECONDS) } };
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  headers.set("Vary", "Accept");
  const text =
    refused === "address"
      ? "Too many live updates are open from your address. Close some tabs, or try again later."
      : "This server has as many live updates open as it can hold. Try again later.";
  return new Response(`${text}\n`, { ...init, headers });
}

/**
 * Whether a request asks for an event stream (an EventSource always does). Only such requests get one, and only they
 * skip the admission queue (app/server/admission.server.ts): a stream must never hold one of its few places.
 */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  return /text\/event-stream/i.test(accept ?? "");
}

export function eventStream(
  request: Request,
  limits: EventStreamLimits,
  open: (channel: EventChannel) => Promise<() => unknown>,
  {
    cacheControl = "private, no-store, no-transform",
    stillAllowed,
  }: {
    /** A public stream (the same for every reader) says so; one for a person stays private. */
    cacheControl?: string;
    /**
     * Whether the reader may still have this stream, asked every `limits.recheckMs` (a ban, a session signed out from
     * the devices page or a lost role acts within that time); false ends it, and the reconnecting EventSource gets the
     * loader's refusal. An error asking keeps the stream: a database hiccup must not drop every open stream at once.
     */
    stillAllowed?: () => Promise<boolean>;
  } = {},
): Response {
  const headers = {
    "Content-Type": "text/event-stream; charset=utf-8",
    // no-transform: the compression middleware must not buffer the stream.
    "Cache-Control": cacheControl,
    "X-Accel-Buffering": "no",
    Connection: "keep-alive",
    // The answer depends on Accept (a stream or the 406 below): caches must keep them apart.
    Vary: "Accept",
  };
  // Anything else came through the admission queue, whose place a stream would hold until it is let go by force. A HEAD
  // request is told the same as its GET would be.
  if (!acceptsEventStream(request.headers.get("Accept")))
    return new Response("This address streams live updates to browsers: ask for text/event-stream.\n", {
      status: 406,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Vary: "Accept" },
    });
  // Nothing to stream to: Remix drops a HEAD answer's body without cancelling it, and a client that has already left
  // never fires "abort". Either would hold a slot and a subscription for good.
  if (request.method === "HEAD" || request.signal.aborted) return new Response(null, { headers });
  const slot = limits.take(addressGroup(request.headers.get(CLIENT_IP_HEADER) ?? "unknown"));
  if ("refused" in slot) return refusedStream(slot);

  const encoder = new TextEncoder();
  let cleanup = async () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let isOpen = true;
      let isSubscribed = false;
      const write = (text: string) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          void cleanup();
        }
      };
      let teardown: () => unknown = () => undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      let recheck: NodeJS.Timeout | undefined;
      const unsubscribe = async () => {
        try {
          await teardown();
        } finally {
          slot.release();
        }
      };
      cleanup = async () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        clearInterval(recheck);
        // Still subscribing: the end of `open` below unsubscribes and frees the slot.
        if (isSubscribed) await unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", () => void cleanup());
      try {
        teardown = await open({
          send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
          close: () => cleanup(),
        });
      } catch (error) {
        // Nothing subscribed: the stream fails (and is logged) as before, and its place is free again.
        isOpen = false;
        slot.release();
        throw error;
      }
      isSubscribed = true;
      // The client may have left while `open` was subscribing.
      if (!isOpen) {
        await unsubscribe();
        return;
      }
      heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      if (stillAllowed)
        recheck = setInterval(async () => {
          if (!(await stillAllowed().catch(() => true))) await cleanup();
        }, limits.recheckMs);
      // Subscribed: from here on nothing is missed. Reconnect after 5 s if the connection drops.
      write("retry: 5000\n\n");
    },
    cancel() {
      return cleanup();
    },
  });
  return new Response(stream, { headers });
}

/**
 * A person's stream of one count (their unread notifications, the review queue's size): sent as `event` once
 * subscribed, and again after each message on `topic`, a burst of them (a busy thread, a silenced spammer's posts
 * held at once) coalesced over `coalesceMs` into one count. A count that fails is skipped; the next change sends it.
 */
export function countStream(
  request: Request,
  limits: EventStreamLimits,
  {
    realtime,
    topic,
    event,
    count,
    stillAllowed,
    coalesceMs = 150,
  }: {
    realtime: RealtimeHub;
    topic: string;
    event: string;
    count: () => Promise<number>;
    stillAllowed: () => Promise<boolean>;
    coalesceMs?: number;
  },
): Response {
  return eventStream(
    request,
    limits,
    async (channel) => {
      let timer: NodeJS.Timeout | undefined;
      const send = async () => {
        const value = await count().catch(() => null);
        if (value !== null) channel.send(event, { count: value });
      };
      const unsubscribe = await realtime.subscribe(topic, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void send(), coalesceMs);
      });
      void send();
      return async () => {
        clearTimeout(timer);
        await unsubscribe();
      };
    },
    { stillAllowed },
  );
}
