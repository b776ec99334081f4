/** A newcomer joins, edits their profile, signs out and back in, on a phone-sized screen. */
import type { Browser } from "playwright-core";
import { type RunningServer, accessibilityViolations, hasChromium, launchBrowser, newPhoneContext, startServer } from "./harness";

describe.skipIf(!hasChromium)("accounts on a phone", () => {
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

  test("a newcomer signs up, fixes mistakes without retyping, edits their profile, signs out and signs back in", async () => {
    const context = await newPhoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByRole("search")).toBeDefined();
    await page.getByRole("link", { name: "Join" }).click();
    await page.waitForURL("**/signup");

    // First attempt: a too-short name, a guessable password.
    await page.getByLabel("Your name").fill("N");
    await page.getByLabel("Email").fill("nadia@example.com");
    await page.getByLabel("Password").fill("1234567890");
    await page.getByLabel("I'm a business colleague").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Your name needs at least 2 characters.").waitFor();
    await page.getByText("This password is too easy to guess.", { exact: false }).waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe("nadia@example.com");
    expect(await page.getByLabel("I'm a business colleague").isChecked()).toBe(true);
    expect(await page.getByLabel("Your name").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Your name").fill("Nadia Novak");
    await page.getByLabel("Password").fill("my printer hates mondays");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/settings/profile?welcome=1");
    await page.getByText("Welcome to PeerDesk!", { exact: false }).waitFor();
    expect(await page.getByLabel("I am a business colleague").isChecked()).toBe(true);

    // The session cookie is httpOnly: page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain("session_token");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name.endsWith("session_token"))?.httpOnly).toBe(true);

    await page.getByLabel("Short bio").fill("Office manager who likes tidy cables.");
    await page.getByLabel("Expertise").fill("Office Printers, Teams,  teams");
    await page.getByLabel("Open to mentoring").check();
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Your profile was saved.").waitFor();
    await expect.poll(() => page.getByLabel("Expertise").inputValue()).toBe("office-printers, teams");
    await page.reload();
    expect(await page.getByLabel("Expertise").inputValue()).toBe("office-printers, teams");

    // An overlong bio is refused with a message; what was typed stays.
    const longBio = "x".repeat(300);
    await page.getByLabel("Short bio").fill(longBio);
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Please keep your bio to 280 characters or fewer.").waitFor();
    expect(await page.getByLabel("Short bio").inputValue()).toBe(longBio);

    await page.goto("/u/nadia-novak");
    await page.getByRole("heading", { name: "Nadia Novak" }).waitFor();
    await page.getByText("Office manager who likes tidy cables.").waitFor();
    await page.getByText("Open to mentoring").waitFor();
    expect(await page.content()).not.toContain("nadia@example.com");

    // Sign out from the account menu.
    await page.locator("summary", { hasText: "Nadia Novak" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Join" }).waitFor();

    // Wrong password: clear message, email kept.
    await page.goto("/signin");
    await page.getByLabel("Email").fill("nadia@example.com");
    await page.getByLabel("Password").fill("not my password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That email and password don't match an account.", { exact: false }).waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe("nadia@example.com");

    await page.getByLabel("Password").fill("my printer hates mondays");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("summary", { hasText: "Nadia Novak" }).waitFor();
    await context.close();
  });

  test("signing up twice with one email says the account exists", async () => {
    const context = await newPhoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByLabel("Your name").fill("Someone Else");
    await page.getByLabel("Email").fill("GRACE@peerdesk.test");
    await page.getByLabel("Password").fill("a perfectly fine passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("An account with this email already exists.", { exact: false }).waitFor();
    expect(await page.getByLabel("Your name").inputValue()).toBe("Someone Else");
    await context.close();
  });

  test("public pages have no serious accessibility problems and fit a phone screen", async () => {
    const context = await newPhoneContext(browser, server.url);
    const page = await context.newPage();
    for (const path of ["/", "/spaces", "/s/networking", "/q/1", "/signup", "/signin"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(await accessibilityViolations(page), path).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
