/** Finding a mentor on a phone: filter by what they know, with and without JavaScript. */
import type { Browser } from "playwright-core";
import { type RunningServer, accessibilityViolations, hasChromium, launchBrowser, newPhoneContext, startServer } from "./harness";

describe.skipIf(!hasChromium)("mentor directory on a phone", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the directory lists the demo mentors with what they know; choosing a topic narrows it at once", async () => {
    const context = await newPhoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mentors" }).click();
    await page.waitForURL("**/mentors");
    const cards = page.getByRole("main").getByRole("heading", { level: 2 });
    expect(await cards.allTextContents()).toEqual(expect.arrayContaining(["Priya Raman", "Sofia Alvarez"]));
    await page.getByText("Stuck on a VPN, Wi-Fi or DNS problem?").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.locator("select[name=tag]").selectOption("mfa");
    await page.waitForURL((url) => url.searchParams.get("tag") === "mfa");
    await page.getByText("1 mentor who knows about mfa").waitFor();
    expect(await cards.allTextContents()).toEqual(["Sofia Alvarez"]);
    await page.getByRole("link", { name: "Sofia Alvarez" }).click();
    await page.waitForURL("**/u/sofia-alvarez");
    await page.getByText("Helps in English, Spanish").waitFor();
    await context.close();
  });

  test("without JavaScript the filters are a plain form", async () => {
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/mentors");
    await page.locator("select[name=tag]").selectOption("vpn");
    await page.getByRole("button", { name: "Show mentors" }).click();
    await page.waitForURL((url) => url.searchParams.get("tag") === "vpn");
    expect(await page.getByRole("main").getByRole("heading", { level: 2 }).allTextContents()).toEqual(["Priya Raman"]);
    await context.close();
  });
});
