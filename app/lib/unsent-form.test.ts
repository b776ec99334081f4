/** When a remembered post counts as interrupted by a sign-out, when it is handed back, and when it is forgotten. */
import { type UnsentPost, unsentPostOnArrival } from "./unsent-form";

/** This tab's storage, as the browser gives it (only the part the module uses). */
function tabStorage(post: UnsentPost | null): Storage {
  const items = new Map<string, string>(post ? [["peerdesk:unsent", JSON.stringify(post)]] : []);
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
    key: () => null,
    get length() {
      return items.size;
    },
  };
}

const SENT_AT = Date.parse("2026-12-05T10:00:00Z");
const post: UnsentPost = {
  page: "/q/1/vpn-drops",
  action: "/q/1/vpn-drops",
  fields: { body: "Reserve the printer's address in the router." },
  at: SENT_AT,
  isInterrupted: false,
};
const seconds = (n: number) => SENT_AT + n * 1000;

test("the sign-in page right after a post marks it interrupted; the next page hands it back once, then it is gone", () => {
  const storage = tabStorage(post);
  expect(unsentPostOnArrival(storage, "/signin?redirectTo=%2Fq%2F1", seconds(1))?.state).toBe("interrupted");
  // A wrong password shows the sign-in page again, and a two-step code is its second page: still kept.
  expect(unsentPostOnArrival(storage, "/signin", seconds(60))?.state).toBe("interrupted");
  expect(unsentPostOnArrival(storage, "/signin/two-factor", seconds(70))?.state).toBe("interrupted");
  expect(unsentPostOnArrival(storage, "/q/1/vpn-drops", seconds(90))).toEqual({
    state: "restore",
    post: { ...post, isInterrupted: true },
  });
  expect(unsentPostOnArrival(storage, "/q/1/vpn-drops", seconds(91))).toBeNull();
});

test("a post that went through is forgotten: its own page after it keeps it a moment, any other page drops it", () => {
  const storage = tabStorage(post);
  expect(unsentPostOnArrival(storage, "/q/1/vpn-drops", seconds(1))).toBeNull();
  expect(unsentPostOnArrival(storage, "/questions", seconds(5))).toBeNull();
  // Signing in later (another reason) hands nothing back.
  expect(unsentPostOnArrival(storage, "/signin", seconds(6))).toBeNull();
});

test("a sign-in page long after a post is not its redirect, and an interrupted post waits half an hour at most", () => {
  expect(unsentPostOnArrival(tabStorage(post), "/signin", seconds(20))).toBeNull();
  const interrupted = tabStorage({ ...post, isInterrupted: true });
  expect(unsentPostOnArrival(interrupted, "/q/1/vpn-drops", seconds(31 * 60))).toBeNull();
  expect(unsentPostOnArrival(interrupted, "/q/1/vpn-drops", seconds(32 * 60))).toBeNull();
});

test("nothing kept, or something unreadable, is nothing to hand back", () => {
  expect(unsentPostOnArrival(tabStorage(null), "/signin", seconds(1))).toBeNull();
  const broken = tabStorage(null);
  broken.setItem("peerdesk:unsent", "{not json");
  expect(unsentPostOnArrival(broken, "/signin", seconds(1))).toBeNull();
});
