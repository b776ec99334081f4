/**
 * Following, notifications and email settings against the real built server, as a browser without JavaScript sends
 * them: a refused Follow says why on a page with the way back (never bare JSON), the Follow button's fetcher still
 * gets JSON, a page past the last notification says so, and a refused email setting saves nothing and keeps the form.
 */
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();
const person = "dev@peerdesk.test";

/** The value of the checked radio button named `name` in a page. */
function checkedChoice(html: string, name: string): string | null {
  const checked = (html.match(/<input[^>]*>/g) ?? []).find(
    (input) => input.includes(`name="${name}"`) && / checked=""/.test(input),
  );
  return checked?.match(/value="([^"]*)"/)?.[1] ?? null;
}

test("a refused Follow without JavaScript says why on a page, with the way back, for every refusal", async () => {
  const missing = await post("/follow", person, {
    type: "session",
    key: "999999",
    intent: "follow",
    redirectTo: "/sessions/1",
  });
  expect(missing.status).toBe(404);
  expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await missing.text();
  expect(html).toContain("That no longer exists.");
  expect(html).toContain('role="alert"');
  expect(html).toContain('href="/sessions/1"');

  const unknown = await post("/follow", person, { type: "planet", key: "1", intent: "follow", redirectTo: "/q/1" });
  expect(unknown.status).toBe(400);
  expect(unknown.headers.get("content-type")).toMatch(/^text\/html/);
  const unknownHtml = await unknown.text();
  expect(unknownHtml).toContain("That can&#x27;t be followed.");
  expect(unknownHtml).toContain('href="/q/1"');

  // The Follow button's fetcher keeps its JSON.
  const fetched = await post("/follow?_data=routes%2Ffollow", person, {
    type: "session",
    key: "999999",
    intent: "follow",
    redirectTo: "/sessions/1",
    js: "1",
  });
  expect(fetched.status).toBe(404);
  expect(await fetched.json()).toMatchObject({ ok: false, message: "That no longer exists." });
});

test("too many follows without JavaScript: 429 with Retry-After, and a page that says when to try again", async () => {
  let last: Response | null = null;
  for (let i = 0; i < 130; i++) {
    last = await post("/follow", person, {
      type: "question",
      key: "1",
      intent: i % 2 === 0 ? "follow" : "unfollow",
      redirectTo: "/q/1",
    });
    if (last.status === 429) break;
    expect(last.status).toBe(303);
  }
  expect(last?.status).toBe(429);
  expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(last?.headers.get("content-type")).toMatch(/^text\/html/);
  const html = (await last?.text()) ?? "";
  expect(html).toContain("Please wait");
  expect(html).toContain('href="/q/1"');
});

test("a page of notifications past the last one says so and links back to the newest", async () => {
  const res = await get("/notifications?before=1", person);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain("There are no older notifications");
  expect(html).toContain('href="/notifications"');
  expect(html).not.toContain("Nothing here yet");
});

test("an email setting that isn't an option saves nothing, and the form keeps what was picked", async () => {
  const refused = await post("/settings/notifications", person, { answer: "never", comment: "bogus" });
  expect(refused.status).toBe(400);
  const html = await refused.text();
  expect(html).toContain("isn&#x27;t one of the options, so nothing was saved");
  expect(checkedChoice(html, "answer")).toBe("never");
  expect(checkedChoice(html, "comment")).toBe("digest");
  const saved = await (await get("/settings/notifications", person)).text();
  expect(checkedChoice(saved, "answer")).toBe("immediate");
});
