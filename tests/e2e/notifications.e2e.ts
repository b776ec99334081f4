/**
 * Following and notifications on a phone: asking follows the question, an answer with a mention reaches both people
 * (the open page hears of it live), the inbox leads to it and empties, and a space or a tag can be followed.
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite, textContrast } from "./harness";

describe.skipIf(!hasChromium)("notifications on a phone", () => {
  const suite = phoneSuite();

  // One sign-in per person for the whole file: sign-in is rate limited per address.
  const pages = new Map<string, Page>();
  async function signIn(email: string): Promise<Page> {
    const known = pages.get(email);
    if (known) return known;
    const page = await suite.signedInPage(email);
    pages.set(email, page);
    return page;
  }

  test("an answer that mentions someone reaches the asker and the person mentioned; the inbox leads to it and empties", async () => {
    const tom = await signIn("tom@peerdesk.test");
    const title = "Meeting room screen shows no signal from my laptop";
    await tom.goto("/ask");
    await tom.getByLabel("Space", { exact: true }).selectOption({ label: "Ask IT (plain language)" });
    await tom.getByLabel("Title", { exact: true }).fill(title);
    await tom
      .getByLabel("Details", { exact: true })
      .fill("I plug the cable in and the big screen in room 2 stays on 'no signal'. Other people's laptops work.");
    await tom.getByLabel("Tags", { exact: true }).fill("meeting-rooms");
    await tom.getByRole("button", { name: "Post your question" }).click();
    await tom.waitForURL(/\/q\/\d+\//);
    const questionUrl = new URL(tom.url()).pathname;
    // Asking follows the question.
    await tom.getByRole("button", { name: "Follow this question", pressed: true }).waitFor();
    const unreadBefore = await tom.getByRole("link", { name: /^Notifications/ }).getAttribute("aria-label");

    const priya = await signIn("priya@peerdesk.test");
    await priya.goto(questionUrl);
    await priya
      .getByLabel("Your answer")
      .fill("Press Windows + P and choose Duplicate. If that doesn't help, @sofia-alvarez knows the room's adapter.");
    await priya.getByRole("button", { name: "Post your answer" }).click();
    await priya.getByText("knows the room's adapter").waitFor();

    // Tom's open page hears of it without a reload (Server-Sent Events).
    const bell = tom.getByRole("link", { name: /^Notifications, \d+ unread$/ });
    await expect
      .poll(() => tom.getByRole("link", { name: /^Notifications/ }).getAttribute("aria-label"), { timeout: 10_000 })
      .not.toBe(unreadBefore);
    expect(new URL(tom.url()).pathname).toBe(questionUrl);
    expect(await textContrast(tom, 'a[href="/notifications"] > span[aria-hidden="true"]')).toBeGreaterThanOrEqual(4.5);
    await bell.click();
    await tom.waitForURL("**/notifications");
    const item = tom.getByRole("link", { name: new RegExp(`Priya Raman answered “${title}” \\(unread\\)`) });
    await item.waitFor();
    expect(await accessibilityViolations(tom)).toEqual([]);
    await item.click();
    await tom.waitForURL((url) => url.pathname === questionUrl && url.hash.startsWith("#answer-"));
    await tom.goto("/notifications");
    // Opened, so no longer unread.
    const opened = tom.getByRole("link", { name: new RegExp(`Priya Raman answered “${title}”`) });
    expect(await opened.count()).toBe(1);
    expect(await opened.textContent()).not.toContain("(unread)");
    if (await tom.getByRole("button", { name: "Mark all as read" }).count()) {
      await tom.getByRole("button", { name: "Mark all as read" }).click();
      await tom.getByRole("button", { name: "Mark all as read" }).waitFor({ state: "detached" });
    }
    expect(await tom.getByRole("link", { name: "Notifications", exact: true }).count()).toBe(1);

    const sofia = await signIn("sofia@peerdesk.test");
    await sofia.goto("/notifications");
    await sofia
      .getByRole("link", { name: new RegExp(`Priya Raman mentioned you in “${title}” \\(unread\\)`) })
      .waitFor();
    const width = await sofia.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);

    // Marking all as read removes the button; focus goes to the message saying it is done, not to the page's body.
    await sofia.getByRole("button", { name: "Mark all as read" }).click();
    const done = sofia.getByRole("status").filter({ hasText: "All marked as read." });
    await done.waitFor();
    expect(await sofia.getByRole("button", { name: "Mark all as read" }).count()).toBe(0);
    await expect
      .poll(() => sofia.evaluate(() => `${document.activeElement?.tagName}: ${document.activeElement?.textContent}`))
      .toBe("P: All marked as read.");
    expect(await accessibilityViolations(sofia)).toEqual([]);
  });

  test("typing @ and a few letters suggests people; the keyboard picks one and inserts the handle", async () => {
    const writer = await signIn("priya@peerdesk.test");
    await writer.goto("/q/1");
    const box = writer.getByLabel("Your answer");
    await box.click();
    await box.pressSequentially("Thanks @sof", { delay: 40 });
    const option = writer.getByRole("option", { name: /Sofia Alvarez/ });
    await option.waitFor();
    expect(await box.getAttribute("aria-controls")).toBe(
      await writer.getByRole("listbox", { name: "People to mention" }).getAttribute("id"),
    );
    await box.press("Enter");
    expect(await box.inputValue()).toBe("Thanks @sofia-alvarez ");
    expect(await writer.getByRole("listbox", { name: "People to mention" }).count()).toBe(0);
    // Not inside an email address: no one is looked up for it, so no list opens.
    const lookups: string[] = [];
    writer.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/api/people") lookups.push(url.searchParams.get("q") ?? "");
    });
    await box.pressSequentially("or mail admin@pee", { delay: 30 });
    expect(await writer.getByRole("listbox", { name: "People to mention" }).count()).toBe(0);
    // Barrier: a real mention typed afterwards is looked up and listed, so the editor has handled every key before it
    // (a lookup for the address would have been sent first).
    await box.pressSequentially(" @sofi", { delay: 30 });
    await writer.getByRole("option", { name: /Sofia Alvarez/ }).waitFor();
    expect(lookups.filter((q) => !"sofi".startsWith(q))).toEqual([]);
  });

  test("following a space toggles in place, stays after a reload, and can be undone", async () => {
    const dev = await signIn("dev@peerdesk.test");
    await dev.goto("/s/security");
    // The button turns at once; wait for the server to have saved it before reloading.
    const saved = dev.waitForResponse(
      (response) => response.url().includes("/follow") && response.request().method() === "POST",
    );
    await dev.getByRole("button", { name: "Follow the space Security" }).click();
    await dev.getByRole("button", { name: "Follow the space Security", pressed: true }).waitFor();
    expect((await saved).ok()).toBe(true);
    await dev.reload();
    const following = dev.getByRole("button", { name: "Follow the space Security", pressed: true });
    await following.waitFor();
    expect(await following.getAttribute("aria-pressed")).toBe("true");
    const undone = dev.waitForResponse(
      (response) => response.url().includes("/follow") && response.request().method() === "POST",
    );
    await following.click();
    await dev.getByRole("button", { name: "Follow the space Security", pressed: false }).waitFor();
    expect((await undone).ok()).toBe(true);
    await dev.reload();
    await dev.getByRole("button", { name: "Follow the space Security", pressed: false }).waitFor();
  });

  test("a tag can be followed from its own list of questions", async () => {
    const dev = await signIn("dev@peerdesk.test");
    await dev.goto("/tags");
    await dev.getByRole("link", { name: "Questions tagged vpn", exact: true }).click();
    await dev.waitForURL((url) => url.pathname === "/questions" && url.searchParams.get("tag") === "vpn");
    const saved = dev.waitForResponse(
      (response) => response.url().includes("/follow") && response.request().method() === "POST",
    );
    await dev.getByRole("button", { name: "Follow the tag vpn", pressed: false }).click();
    await dev.getByRole("button", { name: "Follow the tag vpn", pressed: true }).waitFor();
    expect((await saved).ok()).toBe(true);
    await dev.reload();
    const following = dev.getByRole("button", { name: "Follow the tag vpn", pressed: true });
    await following.waitFor();
    expect(await following.getAttribute("aria-pressed")).toBe("true");
    expect(await accessibilityViolations(dev)).toEqual([]);
  });

  test("without JavaScript the Follow button is a form that returns to the page", async () => {
    const page = await suite.signedInPage("grace@peerdesk.test", { javaScriptEnabled: false });
    await page.goto("/s/networking");
    await page.getByRole("button", { name: "Follow the space Networking" }).click();
    await page.waitForURL((url) => url.pathname === "/s/networking");
    await page.getByRole("button", { name: "Follow the space Networking", pressed: true }).waitFor();
  });
});
