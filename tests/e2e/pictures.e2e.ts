/**
 * Taking a picture down on a phone: a member adds a picture, a moderator finds it on the review queue's Pictures tab,
 * is told plainly what was wrong with a bad address, takes it down with a reason, and the picture is gone for
 * everyone; the moderation log says so. Every page is checked with axe and must not scroll sideways.
 */
import type { Page } from "playwright-core";
import sharp from "sharp";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  expect(await sidewaysOverflow(page), `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe.skipIf(!hasChromium)("taking a picture down on a phone", () => {
  const suite = phoneSuite();

  test("a moderator takes a member's picture down from the Pictures tab; it is gone for everyone and logged", async () => {
    // A member adds a picture while writing (as the editor's Add a picture does).
    const member = await suite.signedInPage("dev@peerdesk.test");
    const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: "#884422" } })
      .png()
      .toBuffer();
    const url = await member.evaluate(
      async (bytes) => {
        const form = new FormData();
        form.append("file", new File([new Uint8Array(bytes)], "desk.png", { type: "image/png" }));
        const response = await fetch("/api/images", { method: "POST", body: form });
        return ((await response.json()) as { url: string }).url;
      },
      [...png],
    );
    expect(url).toMatch(/^\/images\/[0-9a-f]{20}\.webp$/);
    expect((await member.request.get(url)).status()).toBe(200);

    // The moderator finds it, newest first, on the Pictures tab of the review queue.
    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    await moderator.goto("/review");
    await moderator.getByRole("navigation", { name: "Review queues" }).getByRole("link", { name: "Pictures" }).click();
    await moderator.getByRole("heading", { name: "Take a picture down" }).waitFor();
    await moderator.getByText(url).waitFor();
    await expectAccessible(moderator, "pictures tab");

    // A wrong address is explained beside the field, and what was typed stays.
    await moderator.getByLabel("Picture address").fill("the one with the password");
    await moderator.getByLabel("Why (shown in the moderation log)").fill("Shows a password on a sticky note");
    await moderator.getByRole("button", { name: "Take the picture down" }).click();
    await moderator.getByText(/isn't a picture's address here/).waitFor();
    expect(await moderator.getByLabel("Why (shown in the moderation log)").inputValue()).toBe(
      "Shows a password on a sticky note",
    );
    await expectAccessible(moderator, "a wrong address");

    await moderator.getByLabel("Picture address").fill(url);
    await moderator.getByRole("button", { name: "Take the picture down" }).click();
    await moderator.getByText(/The picture was taken down/).waitFor();
    expect(await moderator.getByText(url).count()).toBe(0);
    await expectAccessible(moderator, "taken down");

    expect((await member.request.get(url)).status()).toBe(404);
    expect((await moderator.request.get(url)).status()).toBe(404);
    await moderator.goto("/moderation");
    await moderator.getByText("took down a picture shown in posts").first().waitFor();
  });
});
