/**
 * On a phone, with Chromium's virtual authenticator (DevTools protocol, WebAuthn domain): a member adds a passkey in
 * settings, signs out, signs in with the passkey alone, sees when it was last used, and removes it. Pages are checked
 * with axe and must not scroll sideways. The server is reached at localhost: WebAuthn refuses IP addresses as site ids.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
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

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  const overflow = await sidewaysOverflow(page);
  expect(overflow, `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** A platform authenticator that keeps discoverable passkeys and always verifies the person (as a fingerprint would). */
async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

describe.skipIf(!hasChromium)("passkeys on a phone", () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServer({}, { startTimeoutMs: 300_000, hostname: "localhost" });
    browser = await launchBrowser();
  }, 360_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  test("add a passkey, sign in with it alone, see it used, remove it", async () => {
    const context = await newPhoneContext(browser, server.url);
    contexts.push(context);
    const page = await context.newPage();
    // The authenticator belongs to the page's browser session, so it outlives signing out and navigations.
    await addVirtualAuthenticator(context, page);
    await signInAs(page, "grace@peerdesk.test");

    await page.goto("/settings/passkeys");
    await page.getByText("You have no passkeys yet.").waitFor();
    await expectAccessible(page, "passkeys settings, none yet");
    await page.getByLabel(/^Name/).fill("Grace's phone");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Your passkey is added.").waitFor();
    await page.getByRole("listitem").filter({ hasText: "Grace's phone" }).getByText("never used yet").waitFor();
    await expectAccessible(page, "passkeys settings, one passkey");

    // Signed out, the passkey alone signs in (no email, password or code).
    await context.clearCookies();
    await page.goto("/signin?redirectTo=%2Fsettings%2Fpasskeys");
    await expectAccessible(page, "sign-in page with the passkey button");
    const button = page.getByRole("button", { name: "Use a passkey" });
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    await page.waitForURL((url) => url.pathname === "/settings/passkeys");
    const row = page.getByRole("listitem").filter({ hasText: "Grace's phone" });
    await row.getByText(/last used/).waitFor();

    await row.getByRole("button", { name: "Remove Grace's phone" }).click();
    await page.getByText("The passkey is removed.").waitFor();
    await page.getByText("You have no passkeys yet.").waitFor();
    await expectAccessible(page, "passkeys settings after removing");

    // The removed passkey no longer signs in: the authenticator still offers it, the site refuses it in plain words.
    await context.clearCookies();
    await page.goto("/signin");
    await expect.poll(() => page.getByRole("button", { name: "Use a passkey" }).isEnabled()).toBe(true);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.getByText("That passkey wasn't accepted.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/signin");
    await expectAccessible(page, "refused passkey");
  }, 240_000);

  test("without JavaScript the passkey buttons say why they can't be used; with it, the note never shows", async () => {
    const context = await newPhoneContext(browser, server.url, { javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto("/signin");
    const note = "Passkeys need JavaScript, which is off in this browser.";
    await page.getByText(note).waitFor();
    expect(await page.getByText("Sign in with your email and password below.").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Use a passkey" }).getAttribute("aria-describedby")).toBeTruthy();

    await signInAs(page, "grace@peerdesk.test");
    await page.goto("/settings/passkeys");
    await page.getByText(note).waitFor();
    expect(await page.getByRole("button", { name: "Add a passkey" }).isDisabled()).toBe(true);

    // With JavaScript the note is never shown (and gone once the page runs), and the page hydrates without complaint.
    const withScript = await newPhoneContext(browser, server.url);
    contexts.push(withScript);
    const scripted = await withScript.newPage();
    const problems: string[] = [];
    scripted.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    scripted.on("pageerror", (error) => problems.push(error.message));
    await scripted.goto("/signin");
    await expect.poll(() => scripted.getByRole("button", { name: "Use a passkey" }).isEnabled()).toBe(true);
    expect(await scripted.getByText(note).count()).toBe(0);
    expect(await scripted.getByRole("button", { name: "Use a passkey" }).getAttribute("aria-describedby")).toBeNull();
    expect(problems.filter((text) => /hydrat|did not match/i.test(text))).toEqual([]);
  }, 120_000);
});
