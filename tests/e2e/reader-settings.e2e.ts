/**
 * Pages under the settings readers bring: a 320 px phone (with text spacing widened, WCAG 1.4.12), Windows high
 * contrast (forced colours) and print. The Share panel and the move form stay on the screen, pressed states survive
 * forced colours, the highlighted suggestion and the current section show by more than a colour, and paper gets no
 * "0 of 4 steps done".
 */
import type { Locator, Page } from "playwright-core";
import { hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

const NARROW = { width: 320, height: 700 };

/** The override WCAG 1.4.12 is tested with: a reader's own text spacing must not break the page. */
const TEXT_SPACING =
  "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }" +
  " p { margin-bottom: 2em !important; }";

/** One computed style property of an element, as the browser paints it. */
async function painted(locator: Locator, property: "backgroundColor" | "textDecorationLine"): Promise<string> {
  return locator.evaluate((element, name) => getComputedStyle(element)[name], property);
}

/** Opens the question's Share panel; its box's left and right edges in CSS pixels. */
async function openSharePanel(page: Page): Promise<{ left: number; right: number }> {
  await page.getByRole("region", { name: "Question" }).getByText("Share", { exact: true }).click();
  const box = await page.locator("[data-share-link]").boundingBox();
  if (!box) throw new Error("the Share panel did not open");
  return { left: box.x, right: box.x + box.width };
}

describe.skipIf(!hasChromium)("reader settings: narrow screens, forced colours and print", () => {
  const suite = phoneSuite();

  test("the asker on a 320 px phone: Share opens on the screen, a vote stays pressed in forced colours, the chosen suggestion is outlined", async () => {
    const page = await suite.signedInPage("dev@peerdesk.test", { viewport: NARROW });
    await page.goto("/q/1");
    await page.locator('article[data-viewer="ready"]').first().waitFor();
    const share = await openSharePanel(page);
    expect(share.left).toBeGreaterThanOrEqual(0);
    expect(share.right).toBeLessThanOrEqual(NARROW.width);

    // A vote on an answer: forced colours drop the brand fill, so the pressed button is filled in the system's colours.
    const answer = page.getByRole("article", { name: "Accepted answer" });
    await answer.getByRole("button", { name: /^Vote this answer up/ }).click();
    const pressed = answer.getByRole("button", { name: /^You voted this answer up/ });
    await expect.poll(() => pressed.getAttribute("aria-pressed")).toBe("true");
    const notPressed = answer.getByRole("button", { name: /^Vote this answer down/ });
    await page.emulateMedia({ forcedColors: "active" });
    expect(await painted(pressed, "backgroundColor")).not.toBe(await painted(notPressed, "backgroundColor"));

    // The suggestion Enter would open carries an outline, in forced colours and out of them.
    const search = page.getByRole("combobox", { name: "Search PeerDesk" });
    await search.click();
    await search.pressSequentially("onedriv", { delay: 30 });
    await page.getByRole("option", { name: /OneDrive files/ }).waitFor();
    await search.press("ArrowDown");
    const chosen = page.locator('[role="option"][aria-selected="true"]');
    for (const forcedColors of ["active", "none"] as const) {
      await page.emulateMedia({ forcedColors });
      const outline = await chosen.evaluate((element) => {
        const style = getComputedStyle(element);
        return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth), color: style.outlineColor };
      });
      expect(outline.style, forcedColors).toBe("solid");
      expect(outline.width, forcedColors).toBeGreaterThanOrEqual(2);
      expect(outline.color, forcedColors).not.toMatch(/^rgba\(.*,\s*0\)$|transparent/);
    }
  });

  test("a moderator on a 320 px phone with wider text spacing: Share and the move form stay on the screen", async () => {
    const page = await suite.signedInPage("marcus@peerdesk.test", { viewport: NARROW, bypassCSP: true });
    await page.goto("/q/1");
    await page.locator('article[data-viewer="ready"]').first().waitFor();
    await page.addStyleTag({ content: TEXT_SPACING });
    const share = await openSharePanel(page);
    expect(share.left).toBeGreaterThanOrEqual(0);
    expect(share.right).toBeLessThanOrEqual(NARROW.width);
    await page.getByText("Move to another space (moderators)").click();
    await page.getByLabel("Space", { exact: true }).waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);
  });

  test("a signed-out reader's how-to: the current section is underlined, and print leaves out the steps-done line", async () => {
    const page = await (await suite.context()).newPage();
    // The list page is hydrated; the how-to itself, opened as a fresh visit, gets the reader script.
    await page.goto("/howtos");
    const howtoPath = (await page.locator("main li h2 a").first().getAttribute("href")) ?? "";
    await page.goto(howtoPath);
    const mainMenu = page.getByRole("navigation", { name: "Main" });
    const current = mainMenu.getByRole("link", { name: "How-tos", exact: true });
    expect(await current.getAttribute("aria-current")).toBe("page");
    expect(await painted(current, "textDecorationLine")).toBe("underline");
    const other = mainMenu.getByRole("link", { name: "Questions", exact: true });
    expect(await painted(other, "textDecorationLine")).toBe("none");

    const progress = page.getByTestId("step-progress").filter({ hasText: /^0 of \d+ steps done$/ });
    await progress.waitFor();
    await page.emulateMedia({ media: "print" });
    expect(await progress.isVisible()).toBe(false);
  });
});
