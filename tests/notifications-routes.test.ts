/**
 * Following, notifications and email settings against the real built server, as a browser without JavaScript sends
 * them: a refused Follow says why on a page with the way back (never bare JSON), the Follow button's fetcher still
 * gets JSON, a page past the last notification says so, and a refused email setting saves nothing and keeps the form.
 * Suggested edits to how-tos: the author's notifications page says who suggested an edit, the suggester's says whether
 * it was accepted or not taken, and a review page reached after the suggestion was withdrawn says why nothing waits.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;
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
  const fetched = await post("/follow.data", person, {
    type: "session",
    key: "999999",
    intent: "follow",
    redirectTo: "/sessions/1",
    js: "1",
  });
  expect(fetched.status).toBe(404);
  expect(await fetched.text()).toContain("That no longer exists.");
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
  const refused = await post("/settings/notifications", person, {
    intent: "save-email-settings",
    answer: "never",
    comment: "bogus",
  });
  expect(refused.status).toBe(400);
  const html = await refused.text();
  expect(html).toContain("isn&#x27;t one of the options, so nothing was saved");
  expect(checkedChoice(html, "answer")).toBe("never");
  expect(checkedChoice(html, "comment")).toBe("digest");
  const saved = await (await get("/settings/notifications", person)).text();
  expect(checkedChoice(saved, "answer")).toBe("immediate");
});

const author = "priya@peerdesk.test";
const suggester = "grace@peerdesk.test";

/** The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** A how-to of Priya's with no suggested edit waiting (its review page answers her, and is empty). */
async function quietHowtoOfAuthor(): Promise<number> {
  const html = await (await get("/howtos")).text();
  const ids = [...new Set([...html.matchAll(/href="\/howtos\/(\d+)"/g)].map((m) => Number(m[1])))];
  for (const id of ids) {
    const res = await get(`/howtos/${id}/suggestions`, author);
    if (res.status === 200 && (await res.text()).includes("No suggested edits are waiting")) return id;
  }
  throw new Error("no how-to of Priya's without pending suggestions in the demo data");
}

/** A whole suggestion as the edit form sends it (every field, as a non-author's form holds them). */
function suggestionForm(step: string): Record<string, string> {
  return {
    intent: "save",
    title: "Find out which DNS server your laptop asks first",
    summary: "A few checks that show which DNS server answers your laptop first, in plain steps.",
    appliesTo: "Windows 11",
    difficulty: "beginner",
    estimatedMinutes: "10",
    prerequisites: "A PowerShell window.",
    "step-0": "Run `Get-DnsClientServerAddress` and note the servers.",
    "step-1": step,
    tags: "dns, vpn",
    note: "Simpler wording for colleagues outside IT",
  };
}

/** The link of the newest notification on a person's notifications page, followed: where it leads. */
async function newestNotificationLeadsTo(email: string): Promise<string | null> {
  const html = await (await get("/notifications", email)).text();
  const id = /href="\/notifications\/(\d+)"/.exec(html)?.[1];
  const res = await get(`/notifications/${id}`, email);
  expect(res.status).toBe(303);
  return res.headers.get("location");
}

test("the author is told of a suggestion, and a review page reached after a withdrawal says so", async () => {
  const howtoId = await quietHowtoOfAuthor();
  const sent = await post(`/howtos/${howtoId}/edit`, suggester, suggestionForm("Run `Resolve-DnsName intranet`."));
  expect(sent.status).toBe(303);
  expect(sent.headers.get("location")).toBe(`/howtos/${howtoId}?suggested=1`);

  const text = textOf(await (await get("/notifications", author)).text());
  expect(text).toMatch(/Grace Kim suggested an edit to your how-to “[^”]+”/);
  expect(await newestNotificationLeadsTo(author)).toBe(`/howtos/${howtoId}/suggestions`);

  const withdrawn = await post(`/howtos/${howtoId}/edit`, suggester, { intent: "withdraw" });
  expect(withdrawn.status).toBe(303);
  const review = textOf(await (await get(`/howtos/${howtoId}/suggestions`, author)).text());
  expect(review).toContain(
    "No suggested edits are waiting. If a notification brought you here, that suggestion has already been accepted or rejected, or the person who sent it withdrew it.",
  );
});

test("the suggester is told when their suggestion is not taken, and when one is accepted", async () => {
  const howtoId = await quietHowtoOfAuthor();
  const decide = async (decision: "accept" | "reject") => {
    const review = await (await get(`/howtos/${howtoId}/suggestions`, author)).text();
    // The decision form's hidden fields: which suggestion, and the versions of it and of the how-to it was shown.
    const shown = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(review)?.[1] ?? "";
    const res = await post(`/howtos/${howtoId}/suggestions`, author, {
      suggestionId: shown("suggestionId"),
      suggestedAt: shown("suggestedAt"),
      howtoRevision: shown("howtoRevision"),
      decision,
    });
    expect(res.status).toBe(303);
  };

  await post(`/howtos/${howtoId}/edit`, suggester, suggestionForm("Run `Resolve-DnsName intranet`."));
  await decide("reject");
  expect(textOf(await (await get("/notifications", suggester)).text())).toMatch(
    /Priya Raman didn't take your suggested edit to “[^”]+”/,
  );
  expect(await newestNotificationLeadsTo(suggester)).toBe(`/howtos/${howtoId}`);
  const firstId = /href="\/notifications\/(\d+)"/.exec(await (await get("/notifications", suggester)).text())?.[1];

  await post(`/howtos/${howtoId}/edit`, suggester, suggestionForm("Run `Resolve-DnsName intranet -Type A`."));
  await decide("accept");
  const text = textOf(await (await get("/notifications", suggester)).text());
  expect(text).toMatch(/Priya Raman accepted your suggested edit to “[^”]+”/);
  // One notification per how-to, re-armed by the second decision: the earlier "didn't take" is not listed beside it.
  expect(text).not.toContain("didn't take your suggested edit");
  expect(await newestNotificationLeadsTo(suggester)).toBe(`/howtos/${howtoId}`);
  // The first decision's email linked to the notification now replaced: it leads to the list, which says why.
  const old = await get(`/notifications/${firstId}`, suggester);
  expect(old.status).toBe(303);
  expect(old.headers.get("location")).toBe("/notifications?gone=1");
  expect(textOf(await (await get("/notifications?gone=1", suggester)).text())).toContain(
    "The notification you opened isn't here any more: what it was about may have been removed, or a newer notification about the same thing replaced it (listed below).",
  );
  // Someone else's replaced notification, or no number at all, is gone the same way (nothing about it is told).
  for (const id of [firstId, "x", "99999999999999999999"]) {
    const res = await get(`/notifications/${id}`, author);
    expect(res.headers.get("location"), id).toBe("/notifications?gone=1");
  }
});

test("someone else's notification link says it is another account's and who is signed in, and nothing of it", async () => {
  const howtoId = await quietHowtoOfAuthor();
  await post(`/howtos/${howtoId}/edit`, suggester, suggestionForm("Run `ipconfig /all` and read the DNS servers."));
  const priyas = /href="\/notifications\/(\d+)"/.exec(await (await get("/notifications", author)).text())?.[1];
  const marcus = "marcus@peerdesk.test";

  const opened = await get(`/notifications/${priyas}`, marcus);
  expect(opened.status).toBe(303);
  expect(opened.headers.get("location")).toBe("/notifications?other-account=1");
  const text = textOf(await (await get("/notifications?other-account=1", marcus)).text());
  expect(text).toContain(
    "That link is for another account's notification. You're signed in as Marcus Lee: sign out and sign in as the person it was sent to, then open the link again.",
  );
  expect(text).not.toContain("isn't here any more");
  expect(text).not.toContain("Grace Kim suggested an edit");
  // Still Priya's, unread, and still leading her to the suggestion.
  expect(await newestNotificationLeadsTo(author)).toBe(`/howtos/${howtoId}/suggestions`);
  await post(`/howtos/${howtoId}/edit`, suggester, { intent: "withdraw" });
});

/** The messages listed on a page of /admin/mail: each one's id and address. */
function mailEntries(html: string): { id: number; to: string }[] {
  return [
    ...html.matchAll(/href="\/admin\/mail\?(?:[a-z]+=\d+&amp;)?id=(\d+)"[^>]*>[^<]*<\/a><span[^>]*>([^ <]+)/g),
  ].map((match) => ({ id: Number(match[1]), to: match[2] ?? "" }));
}

test("the admin's mail list pages back past the newest 50, and odd page links show a page, never an error", async () => {
  const admin = "admin@peerdesk.test";
  const addresses = Array.from({ length: 51 }, (_, i) => `mail-pager-${String(i).padStart(2, "0")}@example.com`);
  // Each sign-up writes one confirmation message: the first of them is the 51st-newest.
  for (const [i, email] of addresses.entries()) {
    const res = await fetch(`${suite.server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: suite.server.url },
      body: JSON.stringify({ name: `Mail Pager ${i}`, email, password: "mail pager checks the outbox" }),
    });
    expect(res.status, email).toBe(200);
  }

  const first = await (await get("/admin/mail", admin)).text();
  const firstPage = mailEntries(first);
  expect(firstPage).toHaveLength(50);
  expect(firstPage.map((entry) => entry.to)).not.toContain(addresses[0]);
  expect(firstPage.map((entry) => entry.to)).toContain(addresses[50]);
  expect(first).not.toContain("Newer messages");
  const older = /href="(\/admin\/mail\?before=\d+)"[^>]*>Older messages/.exec(first)?.[1] ?? "";

  const second = await (await get(older, admin)).text();
  expect(mailEntries(second).map((entry) => entry.to)).toContain(addresses[0]);
  expect(Math.max(...mailEntries(second).map((entry) => entry.id))).toBeLessThan(
    Math.min(...firstPage.map((entry) => entry.id)),
  );
  const newer = /href="(\/admin\/mail\?after=\d+)"[^>]*>← Newer messages/.exec(second)?.[1] ?? "";
  expect(mailEntries(await (await get(newer, admin)).text())).toEqual(firstPage);

  for (const query of ["before=abc", "before=0", "after=-5", "before=99999999999", "after=2147483647", "before=1"]) {
    const res = await get(`/admin/mail?${query}`, admin);
    expect(res.status, query).toBe(200);
  }
  expect(textOf(await (await get("/admin/mail?before=1", admin)).text())).toContain(
    "There are no messages on this page: its link points past the oldest or the newest message.",
  );
  // 51 real sign-ups, each hashing its password (scrypt): on a busy 2-core machine that alone can pass 30 s.
}, 120_000);

test("an unknown address shows the friendly not-found words, never the router's own message, not even in its data", async () => {
  for (const path of ["/nonexistent", "/q/1/nonexistent/more"]) {
    for (const email of [undefined, person]) {
      const res = await get(path, email);
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(page).toContain("We couldn&#x27;t find that page. It may have moved, or the link may be mistyped.");
      // Nor in the page's data for the browser's router (its scripts): the router's words are for developers.
      expect(page).not.toContain("No route matches");
    }
  }
});
