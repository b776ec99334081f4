/** How a page's live stream comes back when the server is away: never faster than a pause that doubles, up to a cap. */
import { keepEventSourceOpen } from "./event-source";

/** A stand-in for the browser's EventSource: the test says when it opens, drops or fails. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  private listeners = new Map<string, ((event: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(name: string, listener: (event: unknown) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  private fire(name: string, event: unknown = {}) {
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }
  /** The server answered 200 with a stream. */
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.fire("open");
  }
  /** Connection refused (or an open stream dropped): the browser says it is connecting again by itself. */
  failAndRetry() {
    this.readyState = FakeEventSource.CONNECTING;
    this.fire("error");
  }
  /** A non-200 answer: the browser gives up. */
  failForGood() {
    this.readyState = FakeEventSource.CLOSED;
    this.fire("error");
  }
}

const latest = () => FakeEventSource.opened.at(-1) as FakeEventSource;

/** How long after the latest failure a new EventSource is made (ms), found by stepping the fake clock. */
function pauseBeforeNextAttempt(): number {
  const before = FakeEventSource.opened.length;
  let waited = 0;
  while (FakeEventSource.opened.length === before && waited < 10 * 60_000) {
    vi.advanceTimersByTime(100);
    waited += 100;
  }
  return waited;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("EventSource", FakeEventSource);
  // No jitter: the pauses are exactly 5 s, 10 s, 20 s, …
  vi.spyOn(Math, "random").mockReturnValue(0.5);
  FakeEventSource.opened = [];
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

test("while the server refuses connections, each new attempt waits twice as long as the last, at most 5 minutes", () => {
  const stop = keepEventSourceOpen("/events", ["change"], () => ({ events: {} }));
  const pauses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const source = latest();
    source.failAndRetry();
    // Not left to the browser's own retry every few seconds, with a console error each time.
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
    pauses.push(pauseBeforeNextAttempt());
  }
  expect(pauses).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  stop();
});

test("a stream that opens again starts the pauses over; one that just dropped is first left to the browser's retry", () => {
  const onReconnect = vi.fn();
  const stop = keepEventSourceOpen("/q/1/events", ["thread"], () => ({ events: {}, onReconnect }));
  latest().failAndRetry();
  expect(pauseBeforeNextAttempt()).toBe(5_000);
  latest().failAndRetry();
  expect(pauseBeforeNextAttempt()).toBe(10_000);
  latest().open();
  // The open stream drops (a server restart): the browser reconnects by itself, no new EventSource.
  const live = latest();
  live.failAndRetry();
  expect(live.readyState).toBe(FakeEventSource.CONNECTING);
  // Its retry is refused too: back to the first, short pause.
  live.failAndRetry();
  expect(live.readyState).toBe(FakeEventSource.CLOSED);
  expect(pauseBeforeNextAttempt()).toBe(5_000);
  latest().failForGood();
  expect(pauseBeforeNextAttempt()).toBe(10_000);
  latest().open();
  expect(onReconnect).toHaveBeenCalledTimes(1);
  stop();
});

test("after the page stops listening, nothing is opened again", () => {
  const stop = keepEventSourceOpen("/events", [], () => ({ events: {} }));
  latest().failAndRetry();
  stop();
  vi.advanceTimersByTime(60 * 60_000);
  expect(FakeEventSource.opened).toHaveLength(1);
});
