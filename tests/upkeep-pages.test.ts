/**
 * Pages an auditor found saying the wrong thing, against the real built server and the demo community: a glossary
 * save after the entry was removed, the flag form's words and its duplicate links, the spaces admin's refusals, and a
 * banned member's profile.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;

/** The page's text as a reader sees it (React escapes apostrophes and ampersands, and marks where text pieces join). */
async function pageText(res: Response): Promise<string> {
  return (await res.text())
    .replace(/<!-- -->|<\/?bdi>/g, "")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

test("a glossary entry removed while a mentor edits it: the save stays on the page, keeps her text and offers to add it", async () => {
  const list = await (await get("/glossary", "priya@peerdesk.test")).text();
  const id = /href="\/glossary\/(\d+)\/edit"/.exec(list)?.[1];
  if (!id) throw new Error("no glossary entry to edit");
  expect((await get(`/glossary/${id}/edit`, "priya@peerdesk.test")).status).toBe(200);
  const removed = await post(`/glossary/${id}/edit`, "marcus@peerdesk.test", { intent: "delete" });
  expect(removed.status).toBe(303);

  const typed = {
    intent: "save",
    term: "Zero trust",
    expansion: "",
    explanation: "Nobody is trusted by default, inside the office or out: every sign-in is checked every time.",
    synonyms: "zero-trust",
  };
  const save = await post(`/glossary/${id}/edit`, "priya@peerdesk.test", { ...typed, baseUpdatedAt: "" });
  expect(save.status).toBe(404);
  const page = await pageText(save);
  expect(page).toContain("Marcus Lee removed this entry while you were editing it, so your changes were not saved.");
  expect(page).not.toContain("Page not found");
  for (const value of [typed.term, typed.explanation, typed.synonyms]) expect(page).toContain(value);
  expect(page).toContain('action="/glossary/new"');
  expect(page).toContain("Add it as a new term");

  // The button sends the kept text to the add form, which adds it.
  const added = await post("/glossary/new", "priya@peerdesk.test", typed);
  expect(added.status).toBe(303);
  expect(added.headers.get("location")).toBe("/glossary#zero-trust");

  // Opened later, the address says who removed it, still as a 404.
  const later = await get(`/glossary/${id}/edit`, "priya@peerdesk.test");
  expect(later.status).toBe(404);
  expect(await pageText(later)).toContain("Marcus Lee removed it on");
});

test("the flag form names what is flagged, and its confirmation is true for a moderator's single flag", async () => {
  const list = await (await get("/questions?sort=newest")).text();
  const questionId = /href="\/q\/(\d+)\/[^"]+"/.exec(list)?.[1];
  if (!questionId) throw new Error("no question");
  const question = await (await get(`/q/${questionId}`, "grace@peerdesk.test")).text();
  const title = /<h1[^>]*>([^<]+)</.exec(question)?.[1];
  expect(await pageText(await get(`/flag?type=post&id=${questionId}`, "grace@peerdesk.test"))).toContain(
    `You are flagging the question “${title}”.`,
  );

  const flagged = await post(`/flag?type=post&id=${questionId}`, "marcus@peerdesk.test", {
    targetType: "post",
    targetId: questionId,
    reason: "rude",
  });
  expect(flagged.status).toBe(200);
  const thanks = await pageText(flagged);
  expect(thanks).toContain("A moderator will look at it (it is hidden until a moderator reviews it).");
  expect(thanks).toContain(
    "Moderators see your reason, not your name, and the public moderation log never shows who flagged.",
  );
  expect(thanks).not.toContain("several");
});

test("a duplicate flag refuses the question itself and other sites' links, keeping what was typed", async () => {
  const list = await (await get("/questions?sort=active")).text();
  const questionId = /href="\/q\/(\d+)\/[^"]+"/.exec(list)?.[1];
  if (!questionId) throw new Error("no question");
  // Someone who didn't ask it (the asker gets no form).
  let flagger = "";
  for (const email of ["grace@peerdesk.test", "tom@peerdesk.test"])
    if (
      !flagger &&
      (await (await get(`/flag?type=post&id=${questionId}`, email)).text()).includes('name="duplicateOf"')
    )
      flagger = email;
  const attempts = [
    [`${suite.server.url}/q/${questionId}`, "That's this same question."],
    ["https://evil.example/q/1", "Paste a link to a question on this site, or its number."],
    [`${suite.server.url}/q/999999`, "There is no question at that link"],
  ] as const;
  for (const [duplicateOf, words] of attempts) {
    const res = await post(`/flag?type=post&id=${questionId}`, flagger, {
      targetType: "post",
      targetId: questionId,
      reason: "duplicate",
      duplicateOf,
    });
    expect(res.status, duplicateOf).toBe(400);
    const page = await pageText(res);
    expect(page, duplicateOf).toContain(words);
    expect(page, duplicateOf).toContain(`value="${duplicateOf}"`);
  }
});

test("the spaces admin refuses unknown spaces and names without letters or that repeat another, in words, keeping the typing", async () => {
  const admin = "admin@peerdesk.test";
  const archive = await post("/admin/spaces", admin, { intent: "archive", spaceId: "999999", archived: "true" });
  expect(archive.status).toBe(404);
  const archivePage = await pageText(archive);
  expect(archivePage).toContain("That space doesn't exist. Reload the page to see the current spaces.");
  expect(archivePage).not.toContain("Space archived.");

  const badId = await post("/admin/spaces", admin, {
    intent: "update",
    spaceId: "abc",
    name: "Networks",
    description: "",
  });
  expect(badId.status).toBe(400);
  expect(await pageText(badId)).toContain("That space doesn't exist. Reload the page to see the current spaces.");

  for (const [name, words] of [
    ["!!!!", "A space's name needs at least one letter or number."],
    ["🙂🙂🙂", "A space's name needs at least one letter or number."],
    ["networking!", "There's already a space called “Networking”."],
  ] as const) {
    const res = await post("/admin/spaces", admin, { intent: "create", name, description: "Typed by the admin" });
    expect(res.status, name).toBe(400);
    const page = await pageText(res);
    expect(page, name).toContain(words);
    expect(page, name).toContain(`value="${name}"`);
    expect(page, name).toContain("Typed by the admin");
  }
});

test("a banned member's profile stays, saying the account is suspended and why", async () => {
  const users = await (await get("/admin/users?q=dev%40peerdesk.test", "admin@peerdesk.test")).text();
  const userId = /name="userId" value="([^"]+)"/.exec(users)?.[1];
  if (!userId) throw new Error("no dev");
  const ban = await post("/admin/users", "admin@peerdesk.test", {
    intent: "ban",
    userId,
    reason: "Posting adverts",
    confirm: "yes",
  });
  expect(ban.status).toBeLessThan(400);
  for (const viewer of [undefined, "grace@peerdesk.test"]) {
    const profile = await get("/u/dev-patel", viewer);
    expect(profile.status, viewer).toBe(200);
    const page = await pageText(profile);
    expect(page).toContain("Dev Patel");
    expect(page).toContain("This account is suspended: Dev Patel can't sign in or post.");
    expect(page).toContain("Reason: “Posting adverts”.");
  }
  // A handle nobody has is still not found.
  expect((await get("/u/nobody-at-all")).status).toBe(404);
});
