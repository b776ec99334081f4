/**
 * A profile picture from a phone: a photo over the 8 MB limit is explained beside the field as soon as it is picked,
 * nothing is sent and the page stays; should the browser's check be missed, the server's answer says the same on the
 * page; without JavaScript the upload comes back to the settings page with the message, not to a bare error page.
 */
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

const MESSAGE = "That picture is larger than 8 MB. Choose a smaller one, or crop it and try again.";

/** A 9 MB JPEG, as a phone camera makes one (noise barely compresses). */
async function nineMegabytePhoto(): Promise<Buffer> {
  const [width, height] = [2600, 2600];
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
}

async function expectMessageBesideField(page: Page) {
  const field = page.getByLabel("New picture");
  await page.locator("#picture-error").getByText(MESSAGE).waitFor();
  expect(await field.getAttribute("aria-describedby")).toContain("picture-error");
  expect(await page.getByText("Something went wrong").count()).toBe(0);
  await page.getByRole("heading", { name: "Profile picture" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/settings/avatar");
}

describe.skipIf(!hasChromium)("a profile picture from a phone", () => {
  const suite = phoneSuite();
  let photo: Buffer;
  beforeAll(async () => {
    photo = await nineMegabytePhoto();
    expect(photo.length).toBeGreaterThan(8.5 * 1024 * 1024);
  });
  const picked = () => ({ name: "IMG_2041.jpg", mimeType: "image/jpeg", buffer: photo });

  test("a 9 MB photo is explained beside the field as soon as it is picked, nothing is sent, and the page stays", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test");
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.goto("/settings/avatar");
    await page.getByText("A photo up to 8 MB: JPEG, PNG or WebP.").waitFor();
    // React has hydrated the field (its change handler is attached) before the photo is picked.
    await page.waitForFunction(() => {
      const input = document.getElementById("picture");
      return input !== null && Object.keys(input).some((key) => key.startsWith("__reactProps"));
    });

    await page.getByLabel("New picture").setInputFiles(picked());
    await expectMessageBesideField(page);
    await page.getByRole("button", { name: "Upload picture" }).tap();
    await expectMessageBesideField(page);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("picture");
    expect(posts).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    // Should the browser's check be missed (here: the file claims to be small), the server's answer is data Remix
    // reads, and says the same beside the field: no "Something went wrong".
    await page.evaluate(() => Object.defineProperty(File.prototype, "size", { get: () => 1 }));
    await page.getByLabel("New picture").setInputFiles(picked());
    expect(await page.locator("#picture-error").count()).toBe(0);
    const answered = page.waitForResponse(
      (res) => new URL(res.url()).pathname === "/settings/avatar.data" && res.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Upload picture" }).tap();
    expect((await answered).status()).toBe(413);
    await expectMessageBesideField(page);
  });

  test("without JavaScript, uploading a 9 MB photo comes back to the settings page with the message beside the field", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test", { javaScriptEnabled: false });
    await page.goto("/settings/avatar");
    await page.getByLabel("New picture").setInputFiles(picked());
    const answered = page.waitForResponse(
      (res) => new URL(res.url()).pathname === "/settings/avatar" && res.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Upload picture" }).tap();
    expect((await answered).status()).toBe(413);
    await expectMessageBesideField(page);
    // The whole settings page (axe needs JavaScript; the page with it was checked above).
    await page.getByRole("navigation", { name: "Settings" }).waitFor();
  });
});
