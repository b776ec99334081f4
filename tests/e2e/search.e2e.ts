/** Finding things on a phone: similar questions while asking (typos forgiven), the search page with filters, header suggestions, and no-JS search. */
import type { BrowserContext, Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite, signInAs } from "./harness";

describe.skipIf(!hasChromium)("search on a phone", () => {
  const suite = phoneSuite();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await suite.context();
    page = await context.newPage();
  });

  test("a member types a misspelt question title, sees the similar solved question and opens it", async () => {
    await signInAs(page, "tom@peerdesk.test");

    await page.goto("/ask");
    await page
      .getByLabel("Title", { exact: true })
      .pressSequentially("exchnage certifcate expird, mail stopped", { delay: 20 });
    const panel = page.getByRole("region", { name: /look similar/ });
    const similar = panel.getByRole("link", { name: /Exchange certificate expired/ });
    await similar.waitFor();
    expect(await panel.locator("mark").count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // It opens in a new tab, so nothing typed in the form is lost.
    const [opened] = await Promise.all([context.waitForEvent("page"), similar.click()]);
    await opened.waitForLoadState();
    expect(new URL(opened.url()).pathname).toMatch(/^\/q\/\d+\/exchange-certificate-expired/);
    await opened.getByRole("heading", { level: 1, name: /Exchange certificate expired/ }).waitFor();
    await opened.close();
    expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe(
      "exchnage certifcate expird, mail stopped",
    );
  });

  test("the search page updates as you type, filters by kind with counts, and highlights matches", async () => {
    await page.goto("/search");
    const box = page.getByRole("searchbox", { name: "Search words" });
    await box.pressSequentially("printer", { delay: 30 });
    await page.waitForURL((url) => url.searchParams.get("q") === "printer");
    const results = page.getByRole("region", { name: "Results" });
    await results.getByText(/\d+ results? for “printer”/).waitFor();
    expect(await results.locator("mark").first().textContent()).toMatch(/printer/i);
    // The box keeps focus and what was typed while results arrive.
    expect(await box.inputValue()).toBe("printer");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-page-q");

    await page.getByText("Filters and sorting").click();
    const howtos = page.getByRole("checkbox", { name: /^How-tos( \(\d+\))?$/ });
    const questions = page.getByRole("checkbox", { name: /^Questions \(\d+\)$/ });
    await questions.waitFor();
    await questions.check();
    await page.waitForURL((url) => url.searchParams.getAll("kind").includes("question"));
    await results.getByRole("listitem").first().waitFor();
    const kinds = await results
      .locator("ol > li")
      .evaluateAll((items) => items.map((li) => li.querySelector("span")?.textContent));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(["Question"]));
    // Other kinds stay offered, so the filter can be widened again.
    expect(await howtos.count()).toBe(1);
    expect(await howtos.isChecked()).toBe(false);
    // Quick changes make one search, and none of them is cancelled half-read (which logs an error in the console).
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await howtos.check();
    await questions.uncheck();
    await page.waitForURL((url) => url.searchParams.getAll("kind").join() === "howto");
    await results.getByRole("listitem").first().waitFor();
    expect(errors).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });

  test("the header box suggests matches while typing; arrow keys and Enter open one", async () => {
    await page.goto("/");
    const box = page.getByRole("combobox", { name: "Search PeerDesk" });
    await box.click();
    await box.pressSequentially("onedriv", { delay: 30 });
    const option = page.getByRole("option", { name: /OneDrive files/ });
    await option.waitFor();
    // The question and its answers share a title: one suggestion for them, not one each.
    expect(await option.count()).toBe(1);
    await box.press("ArrowDown");
    expect(await page.getByRole("option").first().getAttribute("aria-selected")).toBe("true");
    const firstOptionText = await page.getByRole("option").first().textContent();
    await box.press("Enter");
    await page.waitForURL((url) => url.pathname !== "/");
    expect(firstOptionText).toBeTruthy();
  });

  test("without JavaScript the search form, filters and pages still work, and bad input gets a message, not an error", async () => {
    const noJs = await suite.browser.newContext({
      baseURL: suite.server.url,
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const plain = await noJs.newPage();
    await plain.goto("/");
    await plain.getByRole("searchbox", { name: "Search PeerDesk" }).fill("vpn");
    await plain.keyboard.press("Enter");
    await plain.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === "vpn");
    await plain.getByText(/\d+ results? for “vpn”/).waitFor();
    await plain.getByText("Filters and sorting").click();
    await plain.getByRole("checkbox", { name: /^Solved/ }).check();
    await plain.getByRole("button", { name: "Apply filters" }).click();
    await plain.waitForURL((url) => url.searchParams.get("solved") === "1");
    await plain.getByText(/\d+ results? for “vpn”/).waitFor();

    for (const bad of ['"unbalanced quote', "!!! ??? ***", "x".repeat(5000), "'; drop table posts; --"]) {
      const response = await plain.goto(`/search?q=${encodeURIComponent(bad)}`);
      expect(response?.status()).toBe(200);
      await plain.getByRole("heading", { level: 1, name: "Search" }).waitFor();
    }
    await plain.goto(`/search?q=${encodeURIComponent("!!! ???")}`);
    await plain.getByText("punctuation on its own doesn't match anything").waitFor();
    await noJs.close();
  });

  test("one result per thread: a question shows its best-matching answer, with a link to it", async () => {
    await page.goto(`/search?q=${encodeURIComponent("vpn dns resolve")}`);
    const results = page.getByRole("region", { name: "Results" });
    const best = results.locator(".search-best-answer").first();
    await best.waitFor();
    const link = best.getByRole("link", { name: /answer/i });
    expect(await link.getAttribute("href")).toMatch(/^\/q\/\d+\/[^#]+#/);
    const titles = await results.locator("ol > li h2").allTextContents();
    expect(new Set(titles).size).toBe(titles.length);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test("the JSON API answers with highlighted hits and facets", async () => {
    const response = await fetch(
      `${suite.server.url}/api/search?q=${encodeURIComponent("exchnage certifcate")}&kind=question`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      total: number;
      hits: { kind: string; url: string; titleHtml: string }[];
      facets: { kind: Record<string, number> } | null;
    };
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits[0]?.kind).toBe("question");
    expect(body.hits[0]?.url).toMatch(/^\/q\/\d+\//);
    expect(body.hits[0]?.titleHtml).toContain("<mark>");
    expect(body.facets?.kind.question).toBeGreaterThan(0);
  });
});
