/**
 * A phone photo over the profile picture's limit, sent to the real server as a browser sends it: without JavaScript
 * the answer is the settings page with the message beside the field (not the guard's bare page, never a 5xx); with
 * JavaScript (Remix's single-fetch `.data` request) it is data Remix's client can read, with the same message. A
 * photo under the limit, over the old one, is stored.
 */
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { realServer } from "./fixtures/real-server";

const real = realServer();
const MESSAGE = "That picture is larger than 8 MB. Choose a smaller one, or crop it and try again.";

/** A JPEG of about `megabytes`, as a phone camera makes one: noise barely compresses, so its size follows its pixels. */
async function photoOf(megabytes: number): Promise<Buffer> {
  const width = 2600;
  const height = Math.round((megabytes / 6.6) * 1900);
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
}

/** The upload form as the browser sends it: the hidden intent and the picked file. */
async function upload(path: string, photo: Buffer): Promise<Response> {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("picture", new File([new Uint8Array(photo)], "IMG_2041.jpg", { type: "image/jpeg" }));
  return fetch(`${real.server.url}${path}`, {
    method: "POST",
    headers: { cookie: await real.signIn("tom@peerdesk.test"), Origin: real.server.url },
    body: form,
    redirect: "manual",
  });
}

let nineMegabytes: Buffer;
beforeAll(async () => {
  nineMegabytes = await photoOf(9);
  expect(nineMegabytes.length).toBeGreaterThan(8.5 * 1024 * 1024);
});

test("without JavaScript, a 9 MB photo gets the settings page back with the message beside the field", async () => {
  const res = await upload("/settings/avatar", nineMegabytes);
  expect([400, 413]).toContain(res.status);
  expect(res.headers.get("content-type")).toContain("text/html");
  const html = await res.text();
  // The whole settings page (its heading, its navigation, the form to try again), not a bare refusal.
  expect(html).toContain("<h1");
  expect(html).toContain("Profile picture");
  expect(html).toContain('href="/settings/profile"');
  expect(html).toMatch(/<input[^>]*name="picture"/);
  expect(html).toContain("A photo up to 8 MB: JPEG, PNG or WebP.");
  expect(html).toMatch(new RegExp(`<p id="picture-error"[^>]*role="alert"[^>]*>${MESSAGE}</p>`));
  expect(html).not.toContain("Shorten");
});

test("with JavaScript, the same photo's data request is answered as Remix data with the message, not a bare 413", async () => {
  const res = await upload("/settings/avatar.data", nineMegabytes);
  expect([400, 413]).toContain(res.status);
  // Remix's client decodes single-fetch answers as a turbo-stream (text/x-script); a JSON or HTML body makes it throw.
  expect(res.headers.get("content-type")).toContain("text/x-script");
  const body = await res.text();
  expect(body).toContain(MESSAGE);
  expect(body.trimStart().startsWith("[")).toBe(true);
});

test("a 7 MB photo (over the old 5 MB limit) is stored, with and without JavaScript", async () => {
  const photo = await photoOf(7);
  expect(photo.length).toBeGreaterThan(5 * 1024 * 1024);
  const withoutJs = await upload("/settings/avatar", photo);
  expect(withoutJs.status).toBe(200);
  expect(await withoutJs.text()).toContain("Your new picture is saved.");
  const withJs = await upload("/settings/avatar.data", photo);
  expect(withJs.status).toBe(200);
  expect(await withJs.text()).toContain("Your new picture is saved.");
});

test("other pages keep their limit, and the guard's refusal fits text and files alike", async () => {
  const res = await real.post("/settings/profile", "tom@peerdesk.test", { bio: "x".repeat(70 * 1024) });
  expect(res.status).toBe(413);
  expect(await res.text()).toContain(
    "That is larger than this page accepts (64 KB). Shorten the text or choose a smaller file, and try again.",
  );
});
