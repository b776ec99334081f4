/**
 * Following, notifications and email settings against the real built server, as a browser without JavaScript sends
 * them: a refused Follow says why on a page with the way back (never bare JSON), the Follow button's fetcher still
 * gets JSON, a page past the last notification says so, and a refused email setting saves nothing and keeps the form.
 * Suggested edits to how-tos: the author's notifications page says who suggested an edit, the suggester's says whether
 * it was accepted or not taken, and a review page reached after the suggestion was withdrawn says why nothing waits.
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
    const suggestionId = /name="suggestionId" value="(\d+)"/.exec(review)?.[1] ?? "";
    const res = await post(`/howtos/${howtoId}/suggestions`, author, { suggestionId, decision });
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
  // Someone else's notification, or no number at all, is not found the same way (nothing about it is told).
  for (const id of [firstId, "x", "99999999999999999999"]) {
    const res = await get(`/notifications/${id}`, author);
    expect(res.headers.get("location"), id).toBe("/notifications?gone=1");
  }
});
