/**
 * When a remembered post counts as interrupted (by a sign-out or a dropped connection), when it is handed back, and
 * when it is forgotten.
 */
import {
  type UnsentPost,
  isSignInForm,
  keepDroppedPost,
  markPostAnswered,
  rememberPost,
  unsentPostOnArrival,
  wasSendingPost,
} from "./unsent-form";

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

describe("a connection that drops", () => {
  test("while a post is on its way: the error page keeps it, and loading its page again hands it back once", () => {
    const storage = tabStorage(post);
    // The failed post's own page shows the error page (its arrival comes first, then the page keeps the post).
    expect(wasSendingPost(storage, "/q/1/vpn-drops", seconds(2))).toBe(true);
    expect(unsentPostOnArrival(storage, "/q/1/vpn-drops", seconds(2))).toBeNull();
    keepDroppedPost(storage);
    // Shown again (the page above it reloading), the error page still says what was typed will be put back.
    expect(wasSendingPost(storage, "/q/1/vpn-drops", seconds(30))).toBe(true);
    const arrival = unsentPostOnArrival(storage, "/q/1/vpn-drops", seconds(40));
    expect(arrival?.state).toBe("restore");
    expect(arrival?.post.isDropped).toBe(true);
    expect(arrival?.post.fields).toEqual(post.fields);
    expect(unsentPostOnArrival(storage, "/q/1/vpn-drops", seconds(41))).toBeNull();
  });

  test("after a post went through, or while another page loads, nothing is kept and nothing comes back", () => {
    // Its page came back (the answer posted), then a later reload of that page fails: not the post's doing.
    const answered = tabStorage(post);
    expect(unsentPostOnArrival(answered, "/q/1/vpn-drops", seconds(1))).toBeNull();
    expect(wasSendingPost(answered, "/q/1/vpn-drops", seconds(5))).toBe(false);
    // A form sent without leaving the page (a fetcher) whose answer came back.
    const fetched = tabStorage(post);
    markPostAnswered(fetched);
    expect(wasSendingPost(fetched, "/q/1/vpn-drops", seconds(5))).toBe(false);
    expect(unsentPostOnArrival(fetched, "/questions", seconds(6))).toBeNull();
    // Another page, or the same page long after the post.
    expect(wasSendingPost(tabStorage(post), "/questions", seconds(1))).toBe(false);
    expect(wasSendingPost(tabStorage(post), "/q/1/vpn-drops", seconds(61))).toBe(false);
    expect(wasSendingPost(tabStorage(null), "/q/1/vpn-drops", seconds(1))).toBe(false);
  });

  test("a dropped post is never taken for one interrupted by a sign-out; another page shows it to copy", () => {
    const storage = tabStorage(post);
    keepDroppedPost(storage);
    const arrival = unsentPostOnArrival(storage, "/signin", seconds(10));
    expect(arrival?.state).toBe("restore");
    expect(storage.getItem("peerdesk:unsent")).toBeNull();
  });
});

describe("the sign-in pages' own forms", () => {
  test("a sign-in, two-step code, sign-up, reset or single sign-on form, or one holding a secret, is never kept", () => {
    for (const action of [
      "/signin",
      "/signin/two-factor",
      "/signup",
      "/sso",
      "/forgot-password",
      "/reset-password",
      "/api/auth/sign-in/email",
    ])
      expect(isSignInForm({ action, page: "/signin", hasSecretField: false })).toBe(true);
    // A form on another page with a password or a one-time code in it (confirming a change in settings).
    expect(isSignInForm({ action: "/settings/security", page: "/settings/security", hasSecretField: true })).toBe(true);
    // What people write is kept as before, from whatever page it is sent.
    expect(isSignInForm({ action: "/q/1/vpn-drops", page: "/q/1/vpn-drops", hasSecretField: false })).toBe(false);
    expect(isSignInForm({ action: "/signing-policy", page: "/signups-report", hasSecretField: false })).toBe(false);
  });

  /** The two-step code form as the browser hands it to the submit listener (only what rememberPost reads). */
  function codeForm(code: string): HTMLFormElement {
    const field = { name: "code", value: code, readOnly: false, autocomplete: "one-time-code" };
    const form = {
      method: "post",
      action: "http://localhost:3000/signin/two-factor?redirectTo=%2Fquestions",
      querySelector: (selector: string) => (selector.includes("one-time-code") ? field : null),
      querySelectorAll: () => [field],
    };
    return form as unknown as HTMLFormElement;
  }
  const at = new URL("http://localhost:3000/signin/two-factor?redirectTo=%2Fquestions") as unknown as Location;

  test("a wrong two-step code is not kept, so its own answer never says something wasn't sent", () => {
    const storage = tabStorage(null);
    rememberPost(storage, codeForm("123456"), at);
    expect(storage.getItem("peerdesk:unsent")).toBeNull();
    expect(unsentPostOnArrival(storage, "/signin/two-factor?redirectTo=%2Fquestions", Date.now())).toBeNull();
  });

  test("a post that was interrupted stays through the code step; one that went through is forgotten", () => {
    const interrupted = tabStorage({ ...post, isInterrupted: true, at: Date.now() });
    rememberPost(interrupted, codeForm("123456"), at);
    expect(unsentPostOnArrival(interrupted, "/signin/two-factor", Date.now())?.state).toBe("interrupted");
    const sent = tabStorage({ ...post, at: Date.now() });
    rememberPost(sent, codeForm("123456"), at);
    expect(unsentPostOnArrival(sent, "/signin/two-factor", Date.now())).toBeNull();
  });

  test("a code kept by an earlier version is dropped, never offered back", () => {
    const storage = tabStorage({
      page: "/signin/two-factor",
      action: "/signin/two-factor",
      fields: { code: "123456" },
      at: SENT_AT,
      isInterrupted: false,
    });
    expect(unsentPostOnArrival(storage, "/signin/two-factor", seconds(1))).toBeNull();
    expect(storage.getItem("peerdesk:unsent")).toBeNull();
  });
});
