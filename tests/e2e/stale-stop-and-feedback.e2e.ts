/**
 * Buttons pressed in a tab older than what happened meanwhile, with JavaScript: "End the session now" on a session
 * page whose live updates were cut off after the session was ended in another tab, "Cancel this session" on an edit
 * page left open after a cancel, and "Did this help?" on a how-to a moderator deleted. Each says what happened where
 * the person is, and nothing typed is lost.
 */
import type { Page } from "playwright-core";
import { hasChromium, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("stale stop buttons and feedback", () => {
  const suite = phoneSuite();

  /** Schedules a session as the host on `page`, from `startsIn` minutes from now ("Start now" when 0) for an hour. */
  async function schedule(page: Page, title: string, startsIn: number): Promise<string> {
    await page.goto("/sessions/new");
    const [start, end] = await page.evaluate((minutes) => {
      const local = (date: Date) =>
        new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      const startsAt = new Date(Date.now() + minutes * 60_000);
      return [local(startsAt), local(new Date(startsAt.getTime() + 60 * 60_000))];
    }, startsIn);
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page.getByLabel("What people can ask about").fill("Expense claims, receipts and mileage: ask anything.");
    await page.locator("select[name=spaceId]").selectOption({ label: "Networking" });
    if (startsIn === 0) await page.getByLabel("Start now").check();
    else await page.getByLabel("Starts", { exact: true }).fill(start);
    await page.getByLabel("Ends", { exact: true }).fill(end);
    await page.getByRole("button", { name: "Schedule session" }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    return new URL(page.url()).pathname;
  }

  test("“End the session now” in a tab that missed the end says when it ended, on the session's page, which shows it ended", async () => {
    const host = await suite.signedInPage("priya@peerdesk.test");
    const path = await schedule(host, "Live now: expense tool questions", 0);
    // A second tab whose live updates never get through (a laptop that slept), so it still offers "End".
    const stale = await host.context().newPage();
    await stale.route("**/events", (route) => route.abort());
    await stale.goto(path);
    await stale.getByRole("button", { name: "End the session now" }).waitFor();

    await host.getByRole("button", { name: "End the session now" }).click();
    await host.getByRole("button", { name: "Yes, end the session" }).click();
    await host.getByText("This session has ended", { exact: false }).waitFor();

    await stale.getByRole("button", { name: "End the session now" }).click();
    await stale.getByRole("button", { name: "Yes, end the session" }).click();
    const refusal = stale.getByRole("alert").filter({ hasText: "This session already ended at" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/, so there was nothing left to end\.$/);
    await expect.poll(() => refusal.evaluate((alert) => document.activeElement === alert)).toBe(true);
    // The page under it was loaded again: the session as it is now, with no stop button left.
    await stale.getByText("This session has ended", { exact: false }).waitFor();
    expect(await stale.getByRole("button", { name: "End the session now" }).count()).toBe(0);
    expect(new URL(stale.url()).pathname).toBe(path);
  });

  test("“Cancel this session” on an edit page left open after a cancel says who cancelled it, on the session's page", async () => {
    const host = await suite.signedInPage("priya@peerdesk.test");
    const path = await schedule(host, "Next week: expense tool questions", 7 * 24 * 60);
    const stale = await host.context().newPage();
    await stale.goto(`${path}/edit`);

    await host.goto(`${path}/edit`);
    await host.getByRole("button", { name: "Cancel this session" }).click();
    await host.getByRole("button", { name: "Yes, cancel the session" }).click();
    await host.getByText("This session was cancelled.", { exact: false }).waitFor();

    await stale.getByRole("button", { name: "Cancel this session" }).click();
    await stale.getByRole("button", { name: "Yes, cancel the session" }).click();
    await stale.waitForURL((url) => url.pathname === path);
    await stale
      .getByRole("alert")
      .filter({ hasText: "This session was already cancelled by you (in another tab or window) at" })
      .waitFor();
    await stale.getByText("This session was cancelled.", { exact: false }).waitFor();
  });

  test("“Did this help?” on a how-to deleted meanwhile says so in the form and keeps the comment; the page stays", async () => {
    const reader = await suite.signedInPage("tom@peerdesk.test");
    await reader.goto("/howtos");
    // One of Sofia's (Tom may rate it): the form stays once the page knows who is reading.
    const title = "Check whether an email is a scam before you click anything";
    await reader.getByRole("link", { name: title }).first().click();
    await reader.waitForURL(/\/howtos\/\d+$/);
    const id = /\/howtos\/(\d+)$/.exec(new URL(reader.url()).pathname)?.[1];
    const comment = "Step 2 needs the admin password, which the helpdesk has to type in.";
    // The form sends through its fetcher once the page runs and knows the reader (Tom rated it before).
    await reader.locator('form:has(textarea[name="comment"]) input[name="js"]').waitFor({ state: "attached" });
    await reader.getByText("You said this helped.", { exact: false }).waitFor();
    await reader.getByLabel("Anything to add? (optional)").fill(comment);

    // A moderator deletes it meanwhile.
    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    const deleted = await moderator.request.post(`/howtos/${id}`, {
      form: { intent: "delete" },
      headers: { Origin: suite.server.url },
      maxRedirects: 0,
    });
    expect(deleted.status()).toBe(303);
    // Gone for the reader everywhere (every process has dropped its copy) before the stale form is sent.
    await expect.poll(async () => (await reader.request.get(`/howtos/${id}`, { maxRedirects: 0 })).status()).toBe(404);

    await reader.getByRole("button", { name: "No, it didn't" }).click();
    await reader
      .getByRole("alert")
      .filter({ hasText: "This how-to was removed while you were writing your comment, so it could not be sent." })
      .waitFor();
    expect(await reader.getByLabel("Anything to add? (optional)").inputValue()).toBe(comment);
    // Not swapped for the error page once everything has loaded: the how-to is still in front of the reader.
    await reader.waitForLoadState("networkidle");
    expect(await reader.getByRole("heading", { level: 1 }).textContent()).toBe(title);
  });
});
