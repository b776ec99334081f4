/**
 * "Saved for later" on a phone: a member saves a question and a how-to, finds them on /saved (newest first), removes
 * one; without JavaScript the same buttons are plain forms; a visitor's Save leads to sign-in. Checked with axe and for
 * sideways scrolling.
 */
import { PHONE, accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

describe.skipIf(!hasChromium)("saved for later", () => {
  const suite = phoneSuite();

  test("save a question and a how-to, find them on /saved, remove one; the same without JavaScript", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test");
    await page.goto("/q/1");
    const title = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
    // The button turns pressed at once; the save itself is the request behind it, which must land before leaving.
    const saved = () =>
      page.waitForResponse((res) => /\/saved(\.data)?(\?|$)/.test(res.url()) && res.request().method() === "POST");
    await Promise.all([saved(), page.getByRole("button", { name: "Save this question for later" }).click()]);
    await page.getByRole("button", { name: "Save this question for later", pressed: true }).waitFor();

    await page.goto("/howtos");
    // The list navigates in the page: wait for the how-to's own heading, not just its address.
    const first = page.locator("main li h2 a").first();
    const howtoTitle = ((await first.textContent()) ?? "").trim();
    await first.click();
    await page.getByRole("heading", { level: 1, name: howtoTitle }).waitFor();
    await Promise.all([saved(), page.getByRole("button", { name: "Save this how-to for later" }).click()]);
    await page.getByRole("button", { name: "Save this how-to for later", pressed: true }).waitFor();

    // The account menu leads to the list: newest saved first.
    await page.goto("/saved");
    await page.getByRole("heading", { level: 1, name: "Saved for later" }).waitFor();
    expect(await page.locator("main li h2").allTextContents()).toEqual([howtoTitle, title]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: `Remove “${title}” from saved` }).click();
    await expect.poll(() => page.locator("main li h2").allTextContents()).toEqual([howtoTitle]);

    // Reloaded, the question's page knows it is no longer saved.
    await page.goto("/q/1");
    await page.getByRole("button", { name: "Save this question for later", pressed: false }).waitFor();

    // Without JavaScript: a plain form that comes back to the page, now showing Saved.
    const noJs = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: PHONE,
      isMobile: true,
      javaScriptEnabled: false,
      storageState: await page.context().storageState(),
    });
    const plain = await noJs.newPage();
    await plain.goto("/q/1");
    await plain.getByRole("button", { name: "Save this question for later" }).click();
    await plain.waitForURL((url) => url.pathname.startsWith("/q/1"));
    await plain.getByRole("button", { name: "Save this question for later", pressed: true }).waitFor();
    await plain.goto("/saved");
    expect(await plain.locator("main li h2").allTextContents()).toEqual([title, howtoTitle]);
    await noJs.close();
  });

  test("a visitor's Save leads to sign-in and back", async () => {
    const page = await (await suite.context()).newPage();
    await page.goto("/q/1");
    await page.getByRole("link", { name: "Save this question for later" }).click();
    await page.waitForURL(
      (url) => url.pathname === "/signin" && url.searchParams.get("redirectTo")?.startsWith("/q/1") === true,
    );
    expect((await page.goto("/saved"))?.url()).toContain("/signin?redirectTo=%2Fsaved");
  });
});
