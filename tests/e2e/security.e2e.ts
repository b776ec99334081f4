/**
 * On a phone: a member turns on two-step sign-in (QR code, typed key, a code from the "app", backup codes to
 * download), then signs in again with a backup code; another member downloads their data and deletes their account.
 * Every page is checked with axe and must not scroll sideways.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import {
  accessibilityViolations,
  hasChromium,
  launchBrowser,
  newPhoneContext,
  sidewaysOverflow,
  signInAs,
  startServer,
  type RunningServer,
} from "./harness";
import { totp } from "../fixtures/totp";

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  const overflow = await sidewaysOverflow(page);
  expect(overflow, `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe.skipIf(!hasChromium)("two-step sign-in and your data on a phone", () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  // A generous start: the machine running this may be busy with other suites.
  beforeAll(async () => {
    server = await startServer({}, { startTimeoutMs: 300_000 });
    browser = await launchBrowser();
  }, 360_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });
  async function newContext(): Promise<BrowserContext> {
    const context = await newPhoneContext(browser, server.url);
    contexts.push(context);
    return context;
  }
  async function signedInPage(email: string): Promise<Page> {
    const page = await (await newContext()).newPage();
    await signInAs(page, email);
    return page;
  }

  test("turn on two-step sign-in, save the backup codes, sign in again with one", async () => {
    const page = await signedInPage("sofia@peerdesk.test");
    await page.goto("/settings/security");
    await expectAccessible(page, "two-step settings");
    await page.getByLabel("Your password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
    await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    await expectAccessible(page, "QR code step");
    const key = ((await page.locator("code").first().textContent()) ?? "").replace(/\s/g, "");
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel("Code from your app").fill(totp(key));
    await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
    await page.getByRole("heading", { name: "Save your backup codes now" }).waitFor();
    await expectAccessible(page, "backup codes");
    const codes = await page.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
    expect(codes).toHaveLength(10);
    const download = page.getByRole("link", { name: "Download the codes (text file)" });
    expect(await download.getAttribute("download")).toBe("peerdesk-backup-codes.txt");
    expect(decodeURIComponent((await download.getAttribute("href")) ?? "")).toContain(codes[0] ?? "(none)");

    // A new phone: the password alone leads to the code step; a backup code finishes signing in.
    const fresh = await (await newContext()).newPage();
    await fresh.goto("/signin");
    await fresh.getByLabel("Email").fill("sofia@peerdesk.test");
    await fresh.getByLabel("Password").fill(DEMO_PASSWORD);
    await fresh.getByRole("button", { name: "Sign in" }).click();
    await fresh.waitForURL((url) => url.pathname === "/signin/two-factor");
    await expectAccessible(fresh, "code step of signing in");
    await fresh.getByLabel("Code", { exact: true }).fill("123456");
    await fresh.getByRole("button", { name: "Sign in" }).click();
    await fresh.getByText(/That code didn't work/).waitFor();
    // The refused code is not a post interrupted by signing out: no "we'll put it back" notice.
    expect(await fresh.getByText(/You were signed out/).count()).toBe(0);
    await fresh.getByLabel("Code", { exact: true }).fill(codes[0] ?? "");
    await fresh.getByRole("button", { name: "Sign in" }).click();
    await fresh.waitForURL((url) => url.pathname === "/");
    await fresh.goto("/settings/devices");
    await expectAccessible(fresh, "devices");
    await fresh.getByText("This device").waitFor();
    // Read aloud as "Chrome on Linux, This device": a hidden comma keeps the name and the badge apart.
    const current = fresh.locator("li p", { hasText: "This device" });
    expect(await current.textContent()).toMatch(/\w, This device$/);
    expect(await fresh.getByRole("button", { name: /^Sign out / }).count()).toBeGreaterThanOrEqual(1);
  }, 180_000);

  test("download your data, then delete your account after reading what happens", async () => {
    const page = await signedInPage("tom@peerdesk.test");
    await page.goto("/settings/data");
    await expectAccessible(page, "your data");
    const exported = await page.request.get("/me/data.json");
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-disposition"]).toMatch(/^attachment/);
    const json = (await exported.json()) as { profile: { email: string } };
    expect(json.profile.email).toBe("tom@peerdesk.test");

    const label = (await page.getByText(/^Type .+ to confirm$/).textContent()) ?? "";
    const handle = label.replace(/^Type /, "").replace(/ to confirm$/, "");
    await page.getByLabel(label).fill("not-my-handle");
    await page.getByLabel("Your password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByText(`Type ${handle} exactly to confirm.`).waitFor();
    // What was typed stays; fix it and confirm.
    expect(await page.getByLabel(label).inputValue()).toBe("not-my-handle");
    await expectAccessible(page, "deletion with a mistake");
    await page.getByLabel(label).fill(handle);
    await page.getByLabel("Your password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL((url) => url.pathname === "/goodbye");
    await expectAccessible(page, "goodbye");
    const profile = await page.request.get(`/u/${handle}`);
    expect(profile.status()).toBe(404);
  }, 180_000);
});
