/**
 * "Ask <name>" against the real built server: when the person stops taking invitations while the question is being
 * written, the question is still posted, no invitation is sent, and the asker is told so on the question page.
 */
import { randomBytes } from "node:crypto";
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;
const asker = "grace@peerdesk.test";
const mentor = "priya@peerdesk.test";

/** The page's text as a reader sees it (React's separators gone, apostrophes unescaped). */
async function pageText(res: Response): Promise<string> {
  return (await res.text()).replace(/<!-- -->/g, "").replace(/&#x27;|&#39;/g, "'");
}

/** Priya's own profile form, sent with only the invitation setting changed. */
async function setPriyaInvitationsPaused(isPaused: boolean): Promise<void> {
  const res = await post("/settings/profile", mentor, {
    name: "Priya Raman",
    bio: "Network engineer, 12 years in campus and branch networks.",
    audience: "it",
    expertise: "networking, vpn, wi-fi",
    openToMentoring: "on",
    mentorPitch: "Stuck on a VPN, Wi-Fi or DNS problem? I'll help you find where it breaks, step by step.",
    languages: "English, Tamil",
    ...(isPaused ? { invitationsPaused: "on" } : {}),
  });
  expect(res.status).toBe(200);
}

/** Grace opens "Ask Priya" (the form says Priya will be invited) and posts it as it was when she opened it. */
async function askPriya(title: string): Promise<Response> {
  const form = await (await get("/ask?invite=priya-raman", asker)).text();
  expect(form.replace(/<!-- -->|<\/?bdi>/g, "")).toContain("Priya Raman will be invited to answer.");
  const spaceId = /<option value="(\d+)"/.exec(form)?.[1] ?? "";
  const idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(form)?.[1] ?? "";
  // Meanwhile Priya pauses her invitations.
  await setPriyaInvitationsPaused(true);
  return post("/ask", asker, {
    spaceId,
    title,
    body: "Since Monday the VPN drops every twenty minutes on the office Wi-Fi, but never on my home network.",
    tags: "vpn",
    audience: "plain",
    idempotencyKey,
    invite: "priya-raman",
  });
}

test("a question for a mentor who paused invitations is posted without an invitation, and its asker is told why", async () => {
  const title = `VPN drops every twenty minutes ${randomBytes(3).toString("hex")}`;
  const res = await askPriya(title);
  expect(res.status).toBe(303);
  const location = res.headers.get("location") ?? "";
  expect(location).toMatch(/^\/q\/\d+\/[^?]+\?notInvited=unavailable$/);

  const page = await pageText(await get(location, asker));
  expect(page).toContain(title);
  expect(page).toContain(
    "Your question is posted, but the person you asked isn't taking invitations right now, so they weren't invited.",
  );
  expect(page).toContain("they may still come across it and answer later");
  expect(page).not.toContain("was invited");
  const id = /^\/q\/(\d+)/.exec(location)?.[1];
  expect(await pageText(await get(`/q/${id}`, asker))).not.toContain("isn't taking invitations");
  // Nobody invited Priya.
  expect(await pageText(await get("/notifications", mentor))).not.toContain(title);
  await setPriyaInvitationsPaused(false);
});
