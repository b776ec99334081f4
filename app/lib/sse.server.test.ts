/**
 * Event streams are counted per process and per client address: past either limit a new one is refused (503 or 429,
 * with Retry-After) instead of opened, and each stream gives its place back exactly once, whether the client leaves,
 * the server closes it, or subscribing fails.
 */
import { CLIENT_IP_HEADER } from "~/auth/auth.server";
import { type EventChannel, EventStreamLimits, acceptsEventStream, addressGroup, eventStream } from "./sse.server";

const clients: AbortController[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.abort();
});

/** A browser's request for a stream from `address`, and the means to leave it. */
function streamRequest(address: string, method = "GET"): { request: Request; leave: () => void } {
  const client = new AbortController();
  clients.push(client);
  const request = new Request("http://peerdesk.test/events", {
    method,
    headers: { [CLIENT_IP_HEADER]: address, Accept: "text/event-stream" },
    signal: client.signal,
  });
  return { request, leave: () => client.abort() };
}

/** A feed that counts its live subscriptions and keeps each stream's channel. */
function feed() {
  const state = { subscribed: 0, channels: [] as EventChannel[] };
  const open = async (channel: EventChannel) => {
    state.subscribed += 1;
    state.channels.push(channel);
    return () => {
      state.subscribed -= 1;
    };
  };
  return { state, open };
}

/** Lets the stream's asynchronous start and teardown run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("a process opens streams up to its limit, refuses the next with 503, and opens again once a client leaves", async () => {
  const limits = new EventStreamLimits({ limit: 3, limitPerAddress: 10, log: () => {} });
  const { state, open } = feed();
  const first = streamRequest("10.0.0.1");
  for (const stream of [first, streamRequest("10.0.0.2"), streamRequest("10.0.0.3")])
    expect(eventStream(stream.request, limits, open).status).toBe(200);
  await settle();
  expect(state.subscribed).toBe(3);

  const refused = eventStream(streamRequest("10.0.0.4").request, limits, open);
  expect(refused.status).toBe(503);
  expect(refused.headers.get("Retry-After")).toBe("30");
  expect(refused.headers.get("Content-Type")).toContain("text/plain");
  expect(await refused.text()).toContain("Try again later");
  await settle();
  expect(state.subscribed).toBe(3);

  first.leave();
  await settle();
  expect(state.subscribed).toBe(2);
  expect(limits.open()).toBe(2);
  expect(eventStream(streamRequest("10.0.0.4").request, limits, open).status).toBe(200);
  expect(eventStream(streamRequest("10.0.0.5").request, limits, open).status).toBe(503);
});

test("one address opens at most its share (429 past it) while other addresses still open theirs", async () => {
  const limits = new EventStreamLimits({ limit: 100, limitPerAddress: 2, log: () => {} });
  const { open } = feed();
  const first = streamRequest("192.0.2.7");
  expect(eventStream(first.request, limits, open).status).toBe(200);
  expect(eventStream(streamRequest("192.0.2.7").request, limits, open).status).toBe(200);

  const refused = eventStream(streamRequest("192.0.2.7").request, limits, open);
  expect(refused.status).toBe(429);
  expect(refused.headers.get("Retry-After")).toBe("30");
  expect(await refused.text()).toContain("from your address");
  expect(eventStream(streamRequest("192.0.2.8").request, limits, open).status).toBe(200);

  first.leave();
  await settle();
  expect(limits.open("192.0.2.7")).toBe(1);
  expect(eventStream(streamRequest("192.0.2.7").request, limits, open).status).toBe(200);
  expect(limits.open()).toBe(3);
});

test("a stream gives its place back once, whether the server closes it, the client leaves, or both", async () => {
  const limits = new EventStreamLimits({ limit: 2, limitPerAddress: 2, log: () => {} });
  const { state, open } = feed();
  const closed = streamRequest("10.0.0.1");
  const cancelled = streamRequest("10.0.0.1");
  eventStream(closed.request, limits, open);
  const response = eventStream(cancelled.request, limits, open);
  await settle();
  expect(limits.open()).toBe(2);

  // The server ends one (a session that is over), then its client leaves too.
  await state.channels[0]?.close();
  closed.leave();
  await settle();
  expect(limits.open()).toBe(1);
  // The other's reader goes away (the response is dropped), then its request is aborted as well.
  await response.body?.cancel();
  cancelled.leave();
  await settle();
  expect(limits.open()).toBe(0);
  expect(state.subscribed).toBe(0);

  // Counted right, not below zero: exactly two fit again.
  expect(eventStream(streamRequest("10.0.0.1").request, limits, open).status).toBe(200);
  expect(eventStream(streamRequest("10.0.0.1").request, limits, open).status).toBe(200);
  expect(eventStream(streamRequest("10.0.0.2").request, limits, open).status).toBe(503);

  // A place released twice is still one place.
  for (const client of clients.splice(0)) client.abort();
  await settle();
  const slot = limits.take("10.0.0.3");
  if (!("release" in slot)) throw new Error("expected a place");
  slot.release();
  slot.release();
  expect(limits.open()).toBe(0);
});

test("subscribing that fails frees the place; a client that leaves while subscribing frees it once unsubscribed", async () => {
  const limits = new EventStreamLimits({ limit: 1, limitPerAddress: 1, log: () => {} });
  const failed = eventStream(streamRequest("10.0.0.1").request, limits, async () => {
    throw new Error("the database is away");
  });
  await expect(failed.text()).rejects.toThrow("the database is away");
  expect(limits.open()).toBe(0);

  let subscribed = () => {};
  let isSubscribed = false;
  const slow = streamRequest("10.0.0.1");
  eventStream(slow.request, limits, async () => {
    await new Promise<void>((resolve) => {
      subscribed = resolve;
    });
    isSubscribed = true;
    return () => {
      isSubscribed = false;
    };
  });
  slow.leave();
  await settle();
  // Its subscription is still being made: the place stays taken until it is undone.
  expect(limits.open()).toBe(1);
  subscribed();
  await settle();
  expect(isSubscribed).toBe(false);
  expect(limits.open()).toBe(0);
});

test("a HEAD request or a client already gone takes no place and subscribes to nothing", async () => {
  const limits = new EventStreamLimits({ limit: 1, limitPerAddress: 1, log: () => {} });
  const { state, open } = feed();
  const head = eventStream(streamRequest("10.0.0.1", "HEAD").request, limits, open);
  expect(head.status).toBe(200);
  expect(head.headers.get("Content-Type")).toContain("text/event-stream");
  expect(head.headers.get("Vary")).toBe("Accept");
  const gone = streamRequest("10.0.0.1");
  gone.leave();
  eventStream(gone.request, limits, open);
  await settle();
  expect(limits.open()).toBe(0);
  expect(state.subscribed).toBe(0);
});

test("a request that doesn't ask for an event stream gets a 406, takes no place and subscribes to nothing", async () => {
  // Only requests asking for a stream skip the admission queue; any other would hold one of its places.
  const limits = new EventStreamLimits({ limit: 1, limitPerAddress: 1, log: () => {} });
  const { state, open } = feed();
  for (const accept of [null, "*/*", "text/html"]) {
    const headers = new Headers({ [CLIENT_IP_HEADER]: "10.0.0.1" });
    if (accept) headers.set("Accept", accept);
    const refused = eventStream(new Request("http://peerdesk.test/events", { headers }), limits, open);
    expect(refused.status, String(accept)).toBe(406);
    expect(refused.headers.get("Vary")).toBe("Accept");
    expect(await refused.text()).toContain("text/event-stream");
    // HEAD is told what GET would be: not a 200 that promises a stream the GET would never get.
    const head = eventStream(new Request("http://peerdesk.test/events", { method: "HEAD", headers }), limits, open);
    expect(head.status, `HEAD ${accept}`).toBe(406);
    expect(head.headers.get("Vary")).toBe("Accept");
  }
  await settle();
  expect(limits.open()).toBe(0);
  expect(state.subscribed).toBe(0);
  expect(acceptsEventStream("text/event-stream")).toBe(true);
  expect(acceptsEventStream("text/html, text/event-stream;q=0.5")).toBe(true);
  expect(acceptsEventStream(undefined)).toBe(false);
});

test("an address's share is its own for IPv4, and its /64's for IPv6 (one device may use any address in it)", async () => {
  expect(addressGroup("192.0.2.7")).toBe("192.0.2.7");
  expect(addressGroup("::ffff:192.0.2.7")).toBe("192.0.2.7");
  expect(addressGroup("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
  expect(addressGroup("2001:0DB8:0001:0002::1")).toBe("2001:db8:1:2::/64");
  expect(addressGroup("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  expect(addressGroup("unknown")).toBe("unknown");

  const limits = new EventStreamLimits({ limit: 10, limitPerAddress: 2, log: () => {} });
  const { open } = feed();
  expect(eventStream(streamRequest("2001:db8:1:2::a").request, limits, open).status).toBe(200);
  expect(eventStream(streamRequest("2001:db8:1:2::b").request, limits, open).status).toBe(200);
  expect(eventStream(streamRequest("2001:db8:1:2:ffff::c").request, limits, open).status).toBe(429);
  expect(eventStream(streamRequest("2001:db8:1:3::a").request, limits, open).status).toBe(200);
});

test("a full process logs one warning, not one per refused stream, and warns again only after it has emptied", async () => {
  const lines: string[] = [];
  const limits = new EventStreamLimits({
    limit: 10,
    limitPerAddress: 10,
    log: (level, msg) => void lines.push(`${level} ${msg}`),
  });
  const { open } = feed();
  const streams = Array.from({ length: 10 }, (_, i) => streamRequest(`10.0.1.${i}`));
  for (const stream of streams) eventStream(stream.request, limits, open);
  for (let i = 0; i < 5; i++) expect(eventStream(streamRequest("10.0.2.1").request, limits, open).status).toBe(503);
  expect(lines).toEqual(["warn event streams at the process limit: new ones are refused with 503 until some close"]);

  // One leaving and one more arriving is still the same crowd: no new line.
  streams[0]?.leave();
  await settle();
  eventStream(streamRequest("10.0.2.1").request, limits, open);
  expect(eventStream(streamRequest("10.0.2.2").request, limits, open).status).toBe(503);
  expect(lines).toHaveLength(1);

  // Below 90 % of the limit, then full again: that is news.
  streams[1]?.leave();
  streams[2]?.leave();
  await settle();
  eventStream(streamRequest("10.0.2.3").request, limits, open);
  eventStream(streamRequest("10.0.2.4").request, limits, open);
  expect(eventStream(streamRequest("10.0.2.5").request, limits, open).status).toBe(503);
  expect(lines).toHaveLength(2);
});
