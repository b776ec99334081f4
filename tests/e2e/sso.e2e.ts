/**
 * Single sign-on on a phone: "Sign in with Test IdP" on /signin, logging in on the provider's own page (a real
 * OpenID Connect provider started by this test), the one-time welcome step, and landing signed in. Checked with axe.
 */
import type { Browser } from "playwright-core";
import { type TestIdp, startTestIdp } from "../fixtures/oidc-idp";
import {
  type RunningServer,
  accessibilityViolations,
  hasChromium,
  launchBrowser,
  newPhoneContext,
  startServer,
} from "./harness";

describe.skipIf(!hasChromium)("single sign-on on a phone", () => {
  let idp: TestIdp;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    idp = await startTestIdp({
      people: [{ sub: "sam", email: "sam@corp.example", email_verified: true, name: "Sam Sso" }],
    });
    server = await startServer({
      OIDC_PROVIDERS: "testidp",
      OIDC_TESTIDP_ISSUER: idp.issuer,
      OIDC_TESTIDP_CLIENT_ID: idp.clientId,
      OIDC_TESTIDP_CLIENT_SECRET: idp.clientSecret,
      OIDC_TESTIDP_NAME: "Test IdP",
    });
    // The provider learns the app's redirect URI once the app has its address.
    idp.register([`${server.url}/api/auth/callback/testidp`]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await idp?.stop();
  });

  test("a colleague signs in with the company's provider and lands signed in", async () => {
    const context = await newPhoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto("/signin?redirectTo=%2Fquestions");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign in with Test IdP" }).click();

    // The provider's own login page (oidc-provider's development page: any listed login).
    await page.waitForURL((url) => url.origin === idp.issuer && url.pathname.startsWith("/interaction/"));
    await page.locator("input[name=login]").fill("sam");
    await page.locator("input[name=password]").fill("anything");
    await page.locator("button[type=submit]").first().click();

    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/welcome");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("Please choose the option that describes you best.").waitFor();
    await page.getByLabel("I'm a business colleague").check();
    await page.getByRole("button", { name: "Continue" }).click();
    // The step says what it saved before going on.
    await page.getByRole("status").filter({ hasText: "Saved: you're a business colleague." }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Continue" }).click();
    await page.waitForURL((url) => url.pathname === "/questions");
    await page.locator("summary", { hasText: "Sam Sso" }).waitFor();
    // The provider vouched for the address: no banner asking to confirm it.
    expect(await page.getByText("Please confirm your email address").count()).toBe(0);
    await context.close();
  });

  test("a newcomer who signs up with a password sees the banner until they confirm their address", async () => {
    const context = await newPhoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByRole("button", { name: "Sign in with Test IdP" }).waitFor();
    await page.getByLabel("Your name").fill("Pat Password");
    await page.getByLabel("Email").fill("pat@corp.example");
    await page.getByLabel("Password").fill("a long and unusual sentence for testing");
    await page.getByLabel("I work in IT").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Please confirm your email address with the link we sent you").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Send the link again" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await context.close();
  });
});
