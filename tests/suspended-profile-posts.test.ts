/**
 * A suspended person's profile says what happened to their posts against the real built server: hidden when the ban
 * hid them (the admin's box, ticked by default), still public when the admin left them up.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;
const admin = "admin@peerdesk.test";

/** The page's text as a reader sees it (React's separators gone, apostrophes and quotes unescaped). */
async function pageText(res: Response): Promise<string> {
  return (await res.text())
    .replace(/<!-- -->/g, "")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

async function userIdOf(email: string): Promise<string> {
  const users = await (await get(`/admin/users?q=${encodeURIComponent(email)}`, admin)).text();
  const userId = /name="userId" value="([^"]+)"/.exec(users)?.[1];
  if (!userId) throw new Error(`no account for ${email}`);
  return userId;
}

/** Bans as the admin's form does after "Yes, ban …": the "Hide their posts" box shown, ticked or not. */
async function ban(email: string, { hidePosts }: { hidePosts: boolean }): Promise<string> {
  const res = await post("/admin/users", admin, {
    intent: "ban",
    userId: await userIdOf(email),
    reason: "Posting adverts",
    confirm: "yes",
    hideOffered: "yes",
    ...(hidePosts ? { hidePosts: "on" } : {}),
  });
  expect(res.status).toBe(200);
  return pageText(res);
}

test("a ban that hid someone's posts: their profile says their posts are hidden, not that they stay public", async () => {
  expect(await ban("dev@peerdesk.test", { hidePosts: true })).toMatch(/posts? .*by them (is|are) hidden/);
  for (const viewer of [undefined, "grace@peerdesk.test"]) {
    const page = await pageText(await get("/u/dev-patel", viewer));
    expect(page).toContain(
      "This account is suspended: Dev Patel can't sign in or post. What they posted is hidden too.",
    );
    expect(page).not.toContain("stays public");
    expect(page).toContain("Reason: “Posting adverts”.");
  }
});

test("a ban that left someone's posts up: their profile says what they posted stays public", async () => {
  expect(await ban("tom@peerdesk.test", { hidePosts: false })).toContain("Their posts stay public.");
  const page = await pageText(await get("/u/tom-becker"));
  expect(page).toContain(
    "This account is suspended: Tom Becker can't sign in or post. What they posted before stays public.",
  );
  expect(page).not.toContain("hidden too");
});
