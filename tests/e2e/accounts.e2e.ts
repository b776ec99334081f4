/**
 * A newcomer joins, edits their profile, signs out and back in; someone who forgot their password resets it from the
 * emailed link; a member changes their password and sign-in email without JavaScript. All on a phone-sized screen.
 */
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow, signInAs } from "./harness";

/** The newest message with this subject, as an admin reads it at /admin/mail (no SMTP in tests): its recipient and link. */
async function readMail(admin: Page, subject: string): Promise<{ to: string; link: string | null }> {
  await admin.goto("/admin/mail");
  await admin.getByRole("link", { name: subject }).first().click();
  await admin.getByRole("heading", { name: subject }).waitFor();
  const text = (await admin.locator("article pre").textContent()) ?? "";
  const to = ((await admin.getByText(/^To: /).textContent()) ?? "").replace(/^To: /, "");
  const link = /https?:\/\/\S+\?token=\S+/.exec(text)?.[0];
  return { to, link: link ? new URL(link).pathname + new URL(link).search : null };
}

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  const overflow = await sidewaysOverflow(page);
  expect(overflow, `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe.skipIf(!hasChromium)("accounts on a phone", () => {
  const suite = phoneSuite();

  // The admin who reads the mail signs in once for the file.
  let adminPage: Page | undefined;
  async function admin(): Promise<Page> {
    if (!adminPage) {
      adminPage = await (await suite.context()).newPage();
      await signInAs(adminPage, "admin@peerdesk.test");
    }
    return adminPage;
  }

  afterAll(async () => {
    await adminPage?.context().close();
  });

  test("a newcomer signs up, fixes mistakes without retyping, edits their profile, signs out and signs back in", async () => {
    const context = await suite.context();
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
    // Focus goes to the first field to fix, not back to the top of the page.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("name") ?? document.activeElement?.tagName))
      .toBe("name");

    await page.getByLabel("Your name").fill("Nadia Novak");
    await page.getByLabel("Password").fill("my printer hates mondays");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/settings/profile?welcome=1");
    // A business colleague's first screen is short: name, a line about them, time zone; the IT fields fold away.
    await page.getByRole("heading", { name: "Welcome to PeerDesk, Nadia Novak" }).waitFor();
    await page.getByText("We've sent a link to nadia@example.com.", { exact: false }).waitFor();
    expect(await page.getByLabel("I am a business colleague").isChecked()).toBe(true);
    expect(await page.getByLabel("Expertise").isVisible()).toBe(false);
    expect(await page.getByLabel("Mentor pitch").isVisible()).toBe(false);
    expect(await page.getByText("More about your IT work").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Skip for now" }).getAttribute("href")).toBe("/spaces");
    await expectAccessible(page, "welcome screen for a business colleague");
    await page.getByLabel("A line about you (optional)").fill("Office manager.");
    await page.getByRole("button", { name: "Save and continue" }).click();
    // The step saves and goes on to the spaces, where topics are followed.
    await page.waitForURL((url) => url.pathname === "/spaces");
    await page.goto("/settings/profile");
    expect(await page.getByLabel("Short bio").inputValue()).toBe("Office manager.");

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
    // A huge paste stops a little past the field's limit (not at the request's size limit, which would lose the page),
    // and the server says what the limit is, keeping what fits.
    await page.getByLabel("Short bio").fill("Office manager who likes tidy cables.");
    await page.getByLabel("Languages you help in").fill("English, ".repeat(8_000));
    expect((await page.getByLabel("Languages you help in").inputValue()).length).toBe(150);
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Please keep the languages to 100 characters or fewer.").waitFor();
    expect((await page.getByLabel("Languages you help in").inputValue()).length).toBe(150);
    await page.getByLabel("Languages you help in").fill("English, Polish");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Your profile was saved.").waitFor();

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

  test("with JavaScript, a refused form puts focus on what to fix, never back on the page", async () => {
    const context = await suite.context();
    const page = await context.newPage();
    /** The focused element's name, or its role when it is a message. */
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element?.getAttribute("name") ?? element?.getAttribute("role") ?? element?.tagName ?? null;
      });

    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill("not an address");
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByLabel("Email").and(page.locator("[aria-invalid=true]")).waitFor();
    await expect.poll(focused).toBe("email");

    await page.goto("/signin");
    await page.getByLabel("Email").fill("grace@peerdesk.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByLabel("Password").and(page.locator("[aria-invalid=true]")).waitFor();
    await expect.poll(focused).toBe("password");
    // Refused again the same way: focus comes back to the field again.
    await page.getByLabel("Email").focus();
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(focused).toBe("password");

    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/settings/account");
    const change = page.getByRole("region", { name: "Change your sign-in email" });
    await change.getByLabel("New email address").fill("grace.new@peerdesk.test");
    await change.getByLabel("Your password").fill("not her password at all");
    await change.getByRole("button", { name: "Send confirmation link" }).click();
    await change.getByText("isn't your", { exact: false }).first().waitFor();
    await expect.poll(focused).toMatch(/^(currentPassword|alert)$/);
    expect(await change.getByLabel("New email address").inputValue()).toBe("grace.new@peerdesk.test");
    await context.close();
  });

  test("signing up twice with one email says the account exists", async () => {
    const context = await suite.context();
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByLabel("Your name").fill("Someone Else");
    await page.getByLabel("Email").fill("GRACE@peerdesk.test");
    await page.getByLabel("Password").fill("a perfectly fine passphrase");
    await page.getByLabel("I work in IT").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("An account with this email already exists.", { exact: false }).waitFor();
    expect(await page.getByLabel("Your name").inputValue()).toBe("Someone Else");
    await context.close();
  });

  test("someone who forgot their password gets a link by email, chooses a strong new one, and signs in with it", async () => {
    const context = await suite.context();
    const page = await context.newPage();

    await page.goto("/signin");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL("**/forgot-password");
    await expectAccessible(page, "/forgot-password");
    await page.getByLabel("Email").fill("not an address");
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByText("That doesn't look like an email address", { exact: false }).waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe("not an address");
    await page.getByLabel("Email").fill("grace@peerdesk.test");
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await page.getByText("If an account uses grace@peerdesk.test", { exact: false }).waitFor();
    await expectAccessible(page, "/forgot-password (sent)");

    const mail = await readMail(await admin(), "Reset your PeerDesk password");
    expect(mail.to).toBe("grace@peerdesk.test");
    if (!mail.link) throw new Error("no reset link in the mail");
    await page.goto(mail.link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await expectAccessible(page, "/reset-password");
    await page.getByLabel("New password").fill("qwertyuiop1");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.getByText("This password is too easy to guess.", { exact: false }).waitFor();
    expect(await page.getByLabel("New password").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("New password").fill("grace keeps a jar of buttons");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL("**/signin?reset=1");
    await page.getByText("Your password was changed.", { exact: false }).waitFor();

    // The link worked once.
    await page.goto(mail.link);
    await page.getByRole("heading", { name: "This reset link no longer works" }).waitFor();
    await expectAccessible(page, "/reset-password (used link)");
    await page.getByRole("link", { name: "Ask for a new link" }).waitFor();

    await page.goto("/signin");
    await page.getByLabel("Email").fill("grace@peerdesk.test");
    await page.getByLabel("Password").fill("grace keeps a jar of buttons");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("summary", { hasText: "Grace" }).waitFor();
    await page.locator("summary", { hasText: "Grace" }).click();
    await page.getByRole("link", { name: "Password & email" }).click();
    await page.getByRole("heading", { name: "Password & sign-in email" }).waitFor();
    await expectAccessible(page, "/settings/account");
    await context.close();
  });

  test("the account menu opened before the page's script has run stays open once it runs (a slow phone)", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test");
    let release = () => {};
    const scriptsMayLoad = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/build/**/*.js", async (route) => {
      await scriptsMayLoad;
      await route.continue();
    });
    await page.goto("/q/1", { waitUntil: "domcontentloaded" });
    await page.locator("summary", { hasText: "Tom" }).click();
    const signOut = page.getByRole("button", { name: "Sign out" });
    await signOut.waitFor();
    release();
    // Hydrated, effects run: the answer editor's Write/Preview tabs show only after them.
    await page.getByRole("tablist", { name: "Write or preview" }).first().waitFor();
    expect(await signOut.isVisible()).toBe(true);
    // A navigation from it still closes it.
    await page.getByRole("link", { name: "Password & email" }).click();
    await page.getByRole("heading", { name: "Password & sign-in email" }).waitFor();
    expect(await signOut.isVisible()).toBe(false);
    await page.context().close();
  });

  test("without JavaScript, a member changes their password and their sign-in email from the account menu's settings", async () => {
    const context = await suite.context({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInAs(page, "priya@peerdesk.test");
    await page.goto("/settings/profile");
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Password & sign-in email" })
      .click();
    await page.getByRole("heading", { name: "Password & sign-in email" }).waitFor();

    await page.getByLabel("Current password").fill("not my password at all");
    await page.getByLabel("New password").fill("priya mentors on tuesdays");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("That isn't your current password.", { exact: false }).waitFor();
    await page.getByLabel("Current password").fill(DEMO_PASSWORD);
    await page.getByLabel("New password").fill("priya mentors on tuesdays");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password was changed.", { exact: false }).waitFor();

    await page.getByLabel("New email address").fill("priya.raman@example.com");
    await page.getByLabel("Your password", { exact: true }).fill("wrong password entirely");
    await page.getByRole("button", { name: "Send confirmation link" }).click();
    await page.getByText("That isn't your password.", { exact: false }).waitFor();
    expect(await page.getByLabel("New email address").inputValue()).toBe("priya.raman@example.com");
    expect(await page.getByLabel("Your password", { exact: true }).inputValue()).toBe("");
    await page.getByLabel("Your password", { exact: true }).fill("priya mentors on tuesdays");
    await page.getByRole("button", { name: "Send confirmation link" }).click();
    await page.getByText("We sent a link to priya.raman@example.com.", { exact: false }).waitFor();

    // The link arrives at the new address; until it is opened nothing changes.
    const mail = await readMail(await admin(), "Confirm your new PeerDesk email address");
    expect(mail.to).toBe("priya.raman@example.com");
    if (!mail.link) throw new Error("no confirmation link in the mail");
    // axe needs JavaScript: the page is checked in the admin's browser (opening it changes nothing).
    await (await admin()).goto(mail.link);
    await (await admin()).getByRole("heading", { name: "Confirm your new email address" }).waitFor();
    await expectAccessible(await admin(), "/confirm-email");
    // In the phone browser without JavaScript, confirming changes the address (the page's referrer policy must still
    // let the browser name our origin on the POST, or the origin check refuses it).
    await page.goto(mail.link);
    await page.getByRole("button", { name: "Yes, use this address" }).click();
    await page.waitForURL(/\/settings\/account\?email=changed/);
    await page.getByText("Your new address is confirmed", { exact: false }).waitFor();
    await context.close();
  });

  test("public pages have no serious accessibility problems and fit a phone screen", async () => {
    const context = await suite.context();
    const page = await context.newPage();
    for (const path of ["/", "/spaces", "/s/networking", "/q/1", "/signup", "/signin"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(await accessibilityViolations(page), path).toEqual([]);
      const overflow = await sidewaysOverflow(page);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
