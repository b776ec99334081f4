/**
 * Editing how-tos on a phone: keyboard users keep their place in the step tools, a kept draft can be thrown away,
 * and the history names a change to "plain language".
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  expect(await sidewaysOverflow(page), `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** The focused element's accessible label (aria-label, or its field's label text), or its tag when it has none. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return "body";
    const labelled = active.getAttribute("aria-label");
    if (labelled) return labelled;
    const id = active.getAttribute("id");
    const label = id ? document.querySelector(`label[for="${id}"]`)?.textContent?.trim() : undefined;
    return label ?? active.tagName.toLowerCase();
  });
}

describe.skipIf(!hasChromium)("editing how-tos on a phone", () => {
  const suite = phoneSuite();

  test("moving or removing a step with the keyboard keeps focus on that step's tools", async () => {
    const page = await suite.signedInPage("marcus@peerdesk.test");
    await page.goto("/howtos/47/edit");
    await page.getByRole("button", { name: "Move step 2 up" }).waitFor();
    const firstStep = await page.getByLabel("Step 1", { exact: true }).inputValue();
    const secondStep = await page.getByLabel("Step 2", { exact: true }).inputValue();

    await page.getByRole("button", { name: "Move step 2 up" }).focus();
    await page.keyboard.press("Enter");
    // Now first, its "up" button is disabled: focus moves to its other move button rather than being dropped.
    await expect.poll(() => focusedName(page)).toBe("Move step 1 down");
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe(secondStep);
    expect(await page.getByLabel("Step 2", { exact: true }).inputValue()).toBe(firstStep);

    // Pressing again carries it back down, focus staying on the button just pressed.
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedName(page)).toBe("Move step 2 down");
    await page.getByRole("button", { name: "Move step 2 up" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Move step 2 down" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedName(page)).toBe("Move step 3 down");
    expect(await page.getByLabel("Step 3", { exact: true }).inputValue()).toBe(firstStep);

    const fourthStep = await page.getByLabel("Step 4", { exact: true }).inputValue();
    await page.getByRole("button", { name: "Remove step 3" }).focus();
    await page.keyboard.press("Enter");
    // The step that took its place is where typing goes on.
    await expect.poll(() => focusedName(page)).toBe("Step 3");
    expect(await page.getByLabel("Step 3", { exact: true }).inputValue()).toBe(fourthStep);
    await page.close();
  });

  test("Cancel says the draft is kept; reopened, it can be discarded for the current version", async () => {
    const page = await suite.signedInPage("marcus@peerdesk.test");
    await page.goto("/howtos/49/edit");
    await page.getByRole("button", { name: "Move step 1 down" }).waitFor();
    const original = await page.getByLabel("Step 1", { exact: true }).inputValue();
    await page.getByLabel("Step 1", { exact: true }).fill("Changed my mind about this step.");
    await page.getByText("Draft saved").waitFor();
    await page.getByText("Leaving keeps your changes as a draft for next time.").waitFor();
    await expectAccessible(page, "/howtos/49/edit with a draft");
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL((url) => url.pathname === "/howtos/49");

    await page.goto("/howtos/49/edit");
    await page.getByText("We restored the changes you started earlier.").waitFor();
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe("Changed my mind about this step.");
    await page.getByRole("button", { name: "Move step 1 down" }).waitFor();
    await expectAccessible(page, "/howtos/49/edit restored");
    await page.getByRole("button", { name: "Discard my changes" }).click();
    await page.getByText("Your changes were discarded. The form shows the current version.").waitFor();
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe(original);
    expect(await page.getByText("Draft saved").count()).toBe(0);

    // The draft is gone from the server too: opening the form again starts from the current version.
    await page.goto("/howtos/49/edit");
    await page.getByRole("button", { name: "Move step 1 down" }).waitFor();
    expect(await page.getByText("We restored the changes you started earlier.").count()).toBe(0);
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe(original);
    await page.close();
  });

  test("a restored new how-to can be discarded too, leaving an empty form", async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test");
    await page.goto("/howtos/new");
    await page.getByRole("button", { name: "Move step 3 up" }).waitFor();
    await page.getByLabel("Title", { exact: true }).fill("A how-to I will think better of");
    await page.getByText("Draft saved").waitFor();
    await page.reload();
    await page.getByText("We restored the how-to you started earlier.").waitFor();
    await page.getByRole("button", { name: "Discard my changes" }).click();
    await page.getByText("Your draft was discarded. The form is empty again.").waitFor();
    expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("");
    await page.reload();
    await page.getByRole("button", { name: "Move step 3 up" }).waitFor();
    expect(await page.getByText("We restored the how-to you started earlier.").count()).toBe(0);
    await page.close();
  });

  test('ticking only "plain language" shows in the history in words', async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test");
    await page.goto("/howtos/48/edit");
    await page.getByRole("button", { name: "Move step 1 down" }).waitFor();
    await page.getByLabel("Written in plain language").check();
    await page.getByLabel("Edit note (optional)").fill("Written for the front office");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === "/howtos/48");
    await page.goto("/howtos/48/revisions");
    const newest = page.locator("li", { hasText: "Written for the front office" });
    await newest.getByText("Marked as written in plain language").waitFor();
    expect(await newest.getByText("No visible changes.").count()).toBe(0);
    await expectAccessible(page, "/howtos/48/revisions");
    await page.close();
  });

  test("an edit refused after accepting a suggestion says who accepted it", async () => {
    const page = await suite.signedInPage("dev@peerdesk.test");
    await page.goto("/howtos/46/edit");
    await page.getByRole("button", { name: "Move step 1 down" }).waitFor();
    await page.getByLabel("Step 3", { exact: true }).fill("A different third step, typed before accepting.");
    const review = await page.context().newPage();
    await review.goto("/howtos/46/suggestions");
    await review.getByRole("button", { name: "Accept" }).first().click();
    await review.getByText("Accepted:", { exact: false }).waitFor();
    await review.close();
    await page.getByRole("button", { name: "Save changes" }).click();
    // Dev saved the newer version himself, by accepting: the suggester credited with it saved nothing.
    await page.getByText(/^You accepted [\w ]+'s suggested edit to this how-to \(in another tab or window\)/).waitFor();
    expect(await page.getByText("saved a newer version", { exact: false }).count()).toBe(0);
    await page.close();
  });
});
