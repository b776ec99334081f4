/**
 * Cached pages in a real browser on a phone: a page served from the anonymous page cache (CSP by script hashes, no
 * nonce) hydrates and runs without a single CSP violation, navigates client-side, passes axe; signing in leaves the
 * cache behind.
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

/** Collects CSP violations and console errors from the page's start. */
async function watch(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`error: ${error.message}`));
  // Injected through the DevTools protocol, so the page's CSP does not apply to this listener itself.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

describe.skipIf(!hasChromium)("cached pages on a phone", () => {
  const suite = phoneSuite();

  test("a list page served from the cache hydrates with no CSP violation, navigates and passes axe", async () => {
    const page = await (await suite.context()).newPage();
    const problems = await watch(page);
    // Once to store it (any visitor may have), then the visit under test comes from the cache.
    await fetch(`${suite.server.url}/questions`);
    const response = await page.goto("/questions");
    expect(response?.headers()["x-cache"]).toBe("hit");
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'sha256-[^;]+'strict-dynamic'/);
    expect(response?.headers()["content-security-policy"]).not.toContain("nonce-");

    // Hydrated: React took over the cached page.
    await page.waitForFunction(
      () => typeof (window as unknown as { __remixRouter?: unknown }).__remixRouter === "object",
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    // Client-side navigation to another cached page (a Remix data request) works too.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "How-tos" }).click();
    await page.waitForURL((url) => url.pathname === "/howtos");
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.pathname === "/questions");
    expect(problems).toEqual([]);
  });

  test("a question page served from the cache runs its reader script under the stored policy, with no CSP violation", async () => {
    const page = await (await suite.context()).newPage();
    const problems = await watch(page);
    await page.goto("/questions");
    const href = await page.locator('a[href^="/q/"]').first().getAttribute("href");
    expect(href).toBeTruthy();
    await fetch(`${suite.server.url}${href}`);
    const response = await page.goto(href ?? "/");
    expect(response?.headers()["x-cache"]).toBe("hit");
    // Signed-out readers get one external script and no client runtime; it is allowed by the nonce it was stored with.
    // (Browsers hide a nonce from getAttribute once the page is parsed; the property keeps it.)
    const nonce = await page.evaluate(() => document.querySelector<HTMLScriptElement>("script[src]")?.nonce ?? "");
    expect(nonce).not.toBe("");
    expect(response?.headers()["content-security-policy"]).toContain(`script-src 'nonce-${nonce}' 'strict-dynamic'`);
    expect(await page.evaluate(() => typeof (window as unknown as { __remixRouter?: unknown }).__remixRouter)).toBe(
      "undefined",
    );
    // The reader script ran: ages are shown from <time datetime>.
    await page.waitForFunction(() =>
      [...document.querySelectorAll("time[data-relative]")].some((time) =>
        /ago|just now|yesterday/.test(time.textContent ?? ""),
      ),
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test("after signing in, pages are rendered for the reader and never come from the cache", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test");
    const problems = await watch(page);
    const response = await page.goto("/questions");
    expect(response?.headers()["x-cache"]).toBe("bypass");
    expect(response?.headers()["content-security-policy"]).toContain("nonce-");
    await page.locator("summary", { hasText: "Tom Becker" }).waitFor();
    expect(problems).toEqual([]);
  });

  test("after signing out on a shared computer, Back never shows a page as the person saw it signed in", async () => {
    const page = await suite.signedInPage("grace@peerdesk.test");
    await page.goto("/u/grace-kim");
    await page.goto("/questions");
    await page.locator("summary", { hasText: "Grace Kim" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Join" }).waitFor();
    // Back to /questions, then to the profile: with no-cache, Chromium showed both with Grace's menu and unread count.
    for (const path of ["/questions", "/u/grace-kim"]) {
      await page.goBack();
      await page.waitForURL((url) => url.pathname === path);
      await page.getByRole("link", { name: "Join" }).waitFor();
      expect({ path, menu: await page.locator("summary", { hasText: "Grace Kim" }).count() }).toEqual({
        path,
        menu: 0,
      });
    }
  });
});
