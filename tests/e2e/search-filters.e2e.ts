/** The search page on a phone never hides what narrows it: typed operators, chosen filters, pages and archived spaces. */
import type { BrowserContext, Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("search filters on a phone", () => {
  const suite = phoneSuite();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await suite.context();
    page = await context.newPage();
  });

  const resultCount = async (target: Page, words: string): Promise<number> => {
    const line = target.getByRole("region", { name: "Results" }).getByText(new RegExp(`\\d+ results? for “${words}”`));
    await line.waitFor();
    return Number((await line.textContent())?.match(/\d+/)?.[0]);
  };

  test("operators typed in the box apply only while they are there; chosen filters show and can be removed", async () => {
    await page.goto("/search");
    // Once React has hydrated, typing searches (the no-JS "Apply filters" button goes).
    await page.getByText("Apply filters").waitFor({ state: "detached" });
    const box = page.getByRole("searchbox", { name: "Search words" });
    await box.pressSequentially("is:solved tag:vpn", { delay: 20 });
    await page.waitForURL((url) => url.searchParams.get("q") === "is:solved tag:vpn");
    await page
      .getByRole("region", { name: "Results" })
      .getByText(/\d+ results? for/)
      .waitFor();
    await page.getByText("Filters and sorting").click();
    expect(await page.getByRole("checkbox", { name: /^Solved/ }).isChecked()).toBe(false);
    expect(await page.getByRole("textbox", { name: "Tag" }).inputValue()).toBe("");
    expect(await page.getByText("Filters on:").count()).toBe(0);

    await box.fill("");
    await box.pressSequentially("printer", { delay: 20 });
    await page.waitForURL((url) => url.searchParams.get("q") === "printer");
    const url = new URL(page.url());
    // The form sends its empty Tag box as "tag=", which is no filter.
    expect([url.searchParams.get("solved"), url.searchParams.get("tag") || null]).toEqual([null, null]);
    expect(await resultCount(page, "printer")).toBeGreaterThan(0);

    // Filters chosen (here by the address) are named outside the folded panel, each with a way to remove it.
    await page.goto("/search?q=printer&solved=1&tag=vpn");
    expect(await resultCount(page, "printer")).toBe(0);
    await page.getByText("Filters and sorting (2 on)").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Remove filter: Solved" }).click();
    await page.waitForURL((url) => url.searchParams.get("solved") === null && url.searchParams.get("tag") === "vpn");
    await page.getByRole("link", { name: "Remove filter: Tag: vpn" }).click();
    await page.waitForURL((url) => url.searchParams.get("tag") === null);
    expect(await resultCount(page, "printer")).toBeGreaterThan(0);
    await page.getByText("Filters and sorting", { exact: true }).waitFor();
    expect(await page.getByRole("checkbox", { name: /^Solved/ }).isChecked()).toBe(false);
    expect(await page.getByRole("textbox", { name: "Tag" }).inputValue()).toBe("");
  });

  test("without JavaScript, a search after one with operators keeps no filter from them", async () => {
    const noJs = await suite.context({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`/search?q=${encodeURIComponent("is:solved tag:vpn")}`);
    await plain.getByText("Filters and sorting", { exact: true }).click();
    expect(await plain.getByRole("checkbox", { name: /^Solved/ }).isChecked()).toBe(false);
    expect(await plain.getByRole("textbox", { name: "Tag" }).inputValue()).toBe("");
    await plain.getByRole("searchbox", { name: "Search words" }).fill("printer");
    await plain.getByRole("button", { name: "Search", exact: true }).click();
    await plain.waitForURL((url) => url.searchParams.get("q") === "printer");
    const url = new URL(plain.url());
    // The form sends its empty Tag box as "tag=", which is no filter.
    expect([url.searchParams.get("solved"), url.searchParams.get("tag") || null]).toEqual([null, null]);
    expect(await resultCount(plain, "printer")).toBeGreaterThan(0);
  });

  test("a page past the last one says so and leads back, never 'nothing matches' under a count of results", async () => {
    await page.goto("/search?kind=question&page=40");
    const results = page.getByRole("region", { name: "Results" });
    const notice = results.getByText(/There is no page 40: these results fill \d+ pages\./);
    await notice.waitFor();
    const pages = Number((await notice.textContent())?.match(/fill (\d+) pages/)?.[1]);
    expect(await results.getByText(/Nothing matches/).count()).toBe(0);
    expect(await results.getByText(/page 40 of/).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await results.getByRole("link", { name: `Go to the last page (${pages})` }).click();
    await results.getByText(new RegExp(`page ${pages} of ${pages}`)).waitFor();
    await results.locator("ol > li").first().waitFor();

    await page.goto("/search?q=vpn&page=2");
    await results.getByText("There is no page 2: these results fit on 1 page.").waitFor();
    expect(await results.getByText(/Nothing matches/).count()).toBe(0);
    await results.getByRole("link", { name: "See the results" }).click();
    await page.waitForURL((url) => url.searchParams.get("page") === null);
    await results.locator("ol > li").first().waitFor();
  });

  test("searching an archived space shows that space as chosen, marked archived", async () => {
    const admin = await suite.signedInPage("admin@peerdesk.test");
    await admin.goto("/admin/spaces");
    const security = admin.getByRole("listitem").filter({ hasText: "/s/security" });
    await security.getByRole("button", { name: "Archive" }).click();
    await security.getByRole("button", { name: "Restore" }).waitFor();

    await page.goto("/search?space=security");
    await page
      .getByRole("region", { name: "Results" })
      .getByText(/\d+ results?/)
      .waitFor();
    const space = page.getByRole("combobox", { name: "Space" });
    expect(await space.inputValue()).toBe("security");
    expect(await space.locator("option:checked").textContent()).toMatch(/^Security \(archived\) \(\d+\)$/);
    await page.getByRole("link", { name: "Remove filter: Space: Security (archived)" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await security.getByRole("button", { name: "Restore" }).click();
    await security.getByRole("button", { name: "Archive" }).waitFor();
  });
});
