/**
 * Trust and safety on a phone: a moderator closes a duplicate and a visitor lands on the original; a member asks
 * without their name; a moderator hides a profile and visitors stop seeing its bio at once.
 */
import { randomBytes } from "node:crypto";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("closing duplicates and asking without your name, on a phone", () => {
  const suite = phoneSuite();

  async function ask(email: string, title: string, { anonymous = false } = {}) {
    const page = await suite.signedInPage(email);
    await page.goto("/ask");
    await page.getByLabel("Space", { exact: true }).selectOption({ label: "Networking" });
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page
      .getByLabel("Details", { exact: true })
      .fill("Every morning the laptop shows a warning about the VPN certificate and then it will not connect at all.");
    await page.getByLabel("Tags", { exact: true }).fill("vpn");
    if (anonymous) await page.getByLabel("Ask as “someone from the community”").check();
    await page.getByRole("button", { name: "Post your question" }).click();
    await page.waitForURL(/\/q\/\d+/);
    const id = Number(/\/q\/(\d+)/.exec(page.url())?.[1]);
    return { page, id };
  }

  test("a member asks anonymously: the page says “someone from the community”, never their name", async () => {
    const title = `VPN certificate warning each morning ${randomBytes(3).toString("hex")}`;
    const { page: askerPage, id } = await ask("tom@peerdesk.test", title, { anonymous: true });
    await askerPage.getByText("someone from the community").first().waitFor();
    // A visitor sees the same: no name, no link to the asker's profile.
    const visitor = await (await suite.context()).newPage();
    await visitor.goto(`/q/${id}`);
    const byline = visitor.getByText("Asked by someone from the community");
    await byline.waitFor();
    expect(await visitor.content()).not.toContain("Tom Becker");
    expect(await visitor.locator('a[href^="/u/"]').filter({ hasText: "Tom" }).count()).toBe(0);
    expect(await accessibilityViolations(visitor)).toEqual([]);
  });

  test("a moderator closes a duplicate; a visitor opening it lands on the original, with a way back", async () => {
    const suffix = randomBytes(3).toString("hex");
    const { id: originalId } = await ask("grace@peerdesk.test", `Reset my VPN password from home ${suffix}`);
    const { id: duplicateId } = await ask("dev@peerdesk.test", `How to reset VPN password at home ${suffix}`);

    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    await moderator.goto(`/q/${duplicateId}`);
    await moderator.getByRole("link", { name: /Moderator tools/ }).click();
    await moderator.waitForURL(`**/q/${duplicateId}/close`);
    expect(await accessibilityViolations(moderator)).toEqual([]);
    await moderator.getByText("It has been asked before").click();
    await moderator.getByLabel("Link to the original question (for a duplicate)").fill(`/q/${originalId}`);
    await moderator.getByRole("button", { name: "Close the question" }).click();
    await moderator.getByRole("heading", { name: "This question has been asked before" }).waitFor();

    const visitor = await (await suite.context()).newPage();
    await visitor.goto(`/q/${duplicateId}`);
    await visitor.waitForURL((url) => url.pathname.startsWith(`/q/${originalId}`));
    await visitor.getByText("which was closed as a duplicate of this question").waitFor();
    expect(await accessibilityViolations(visitor)).toEqual([]);
    await visitor.getByRole("link", { name: "See that question anyway" }).click();
    await visitor.waitForURL((url) => url.pathname === `/q/${duplicateId}` && url.search === "?stay=1");
    const banner = visitor.locator(".closed-banner");
    await banner.waitFor();
    expect(await banner.getByRole("link").first().getAttribute("href")).toContain(`/q/${originalId}`);
    await visitor.getByText("This question is closed, so it takes no new answers").waitFor();
    expect(await accessibilityViolations(visitor)).toEqual([]);
  });

  test("a moderator hides a profile's bio: a visitor's cached page drops it at once, and the log says why", async () => {
    const visitor = await (await suite.context()).newPage();
    await visitor.goto("/u/grace-kim");
    await visitor.getByText("Finance team lead.").waitFor();
    // Twice, so the visitor's page is in the page cache before the moderator acts.
    await visitor.reload();
    await visitor.getByText("Finance team lead.").waitFor();

    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    await moderator.goto("/u/grace-kim");
    await moderator.getByRole("heading", { name: "Moderation" }).waitFor();
    expect(await accessibilityViolations(moderator)).toEqual([]);
    await moderator.getByLabel("Why hide Grace Kim's profile?").fill("Spam links in the bio");
    await moderator.getByRole("button", { name: "Hide profile" }).click();
    await moderator.getByRole("status").filter({ hasText: "The profile is hidden" }).waitFor();
    await moderator.getByRole("button", { name: "Show profile again" }).waitFor();
    expect(await accessibilityViolations(moderator)).toEqual([]);

    await visitor.reload();
    await visitor.getByText("A moderator hid this profile's bio and picture.").waitFor();
    expect(await visitor.getByText("Finance team lead.").count()).toBe(0);
    expect(await accessibilityViolations(visitor)).toEqual([]);
    await visitor.goto("/moderation");
    await visitor.getByText("Spam links in the bio").waitFor();

    await moderator.getByRole("button", { name: "Show profile again" }).click();
    await moderator.getByRole("status").filter({ hasText: "The profile shows again" }).waitFor();
    await visitor.goto("/u/grace-kim");
    await visitor.getByText("Finance team lead.").waitFor();
  });
});
