/**
 * Pictures in posts against the real built server: the server's own checks (same origin, body size) stand in front of
 * the upload and the take-down; a picture used in no post is not served to visitors or kept by any cache; a
 * moderator's take-down answers 404 everywhere at once, and only moderators may ask for it, from this site only; the
 * cached pages that showed it are dropped with it, and come back with a note in its place.
 */
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const MODERATOR = "marcus@peerdesk.test";
const MEMBER = "dev@peerdesk.test";
const ASKER = "tom@peerdesk.test";

/** Uploads a small picture of its own colour as `email`; its address. */
async function upload(email: string, colour: string, origin = suite.server.url): Promise<Response> {
  const png = await sharp({ create: { width: 24, height: 24, channels: 3, background: colour } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append("file", new File([new Uint8Array(png)], "screenshot.png", { type: "image/png" }));
  return fetch(`${suite.server.url}/api/images`, {
    method: "POST",
    headers: { cookie: await suite.signIn(email), Origin: origin },
    body: form,
    redirect: "manual",
  });
}

test("an unused picture is its uploader's alone, never cached; a moderator takes one down, from this site only", async () => {
  const forgedUpload = await upload(MEMBER, "#c0ffee", "https://evil.example");
  expect(forgedUpload.status).toBe(403);
  expect(await forgedUpload.json()).toEqual({
    error: "This didn't come from a PeerDesk page, so nothing was changed. Reload the page and try again.",
  });
  const uploaded = await upload(MEMBER, "#c0ffee");
  expect(uploaded.status).toBe(200);
  const { url } = (await uploaded.json()) as { url: string };

  // Used in no post: the visitor gets a 404 twice (the page cache never keeps it), the uploader the picture.
  for (let i = 0; i < 2; i++) {
    const visitor = await suite.get(url);
    expect(visitor.status).toBe(404);
    expect(visitor.headers.get("x-cache")).not.toBe("hit");
  }
  const mine = await suite.get(url, MEMBER);
  expect(mine.status).toBe(200);
  expect(mine.headers.get("content-type")).toBe("image/webp");
  expect(mine.headers.get("cache-control")).toBe("private, no-store");

  // Only moderators, and only from this site.
  const fields = { image: url, reason: "Shows a password" };
  expect((await suite.post("/review/images", MEMBER, fields)).status).toBe(403);
  expect((await suite.get("/review/images", MEMBER)).status).toBe(403);
  const forged = await fetch(`${suite.server.url}/review/images`, {
    method: "POST",
    headers: {
      cookie: await suite.signIn(MODERATOR),
      Origin: "https://evil.example",
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  expect(forged.status).toBe(403);
  expect((await suite.get(url, MEMBER)).status).toBe(200);

  // Nonsense gets a plain 400, never a 500.
  for (const image of ["", "x".repeat(5000), "/images/../../etc/passwd", "%00"]) {
    const res = await suite.post("/review/images", MODERATOR, { image, reason: "testing" });
    expect(res.status, image.slice(0, 20)).toBeGreaterThanOrEqual(400);
    expect(res.status, image.slice(0, 20)).toBeLessThan(500);
  }

  const done = await suite.post("/review/images", MODERATOR, fields);
  expect(done.status).toBe(303);
  expect((await suite.get(url, MEMBER)).status).toBe(404);
  expect((await suite.get(url, MODERATOR)).status).toBe(404);
  const log = await (await suite.get("/moderation")).text();
  expect(log).toContain("took down a picture shown in posts");
});

test("a take-down drops the cached pages showing the picture: the next visitor gets a fresh page with a note instead", async () => {
  const uploaded = await upload(ASKER, "#7a1c3d");
  expect(uploaded.status).toBe(200);
  const { url } = (await uploaded.json()) as { url: string };
  const askForm = await (await suite.get("/ask", ASKER)).text();
  const spaceId = /<option value="(\d+)"/.exec(askForm)?.[1] ?? "";
  const asked = await suite.post("/ask", ASKER, {
    spaceId,
    title: `The printer's display shows a code after every restart ${randomBytes(3).toString("hex")}`,
    body: `After every restart the display shows this:\n\n![The printer's display](${url})\n\nWhat does the code mean?`,
    tags: "printers",
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(asked.status).toBe(303);
  const path = asked.headers.get("location") ?? "";
  expect(path).toMatch(/^\/q\/\d+/);

  const visit = async () => {
    const res = await suite.get(path);
    return { cache: res.headers.get("x-cache"), html: await res.text() };
  };
  await visit();
  const cached = await visit();
  expect(cached.cache).toBe("hit");
  expect(cached.html).toContain(`src="${url}"`);

  const done = await suite.post("/review/images", MODERATOR, { image: url, reason: "Shows a customer's address" });
  expect(done.status).toBe(303);
  // The moderator's request returned: the stored page is gone, and the page sent now never asks for the picture.
  const fresh = await visit();
  expect(fresh.cache).toBe("miss");
  expect(fresh.html).not.toContain(url);
  expect(fresh.html).toContain("[Picture taken down by a moderator]");
  expect((await suite.get(url)).status).toBe(404);
});
