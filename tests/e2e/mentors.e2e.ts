/** Finding a mentor on a phone: filter by what they know (with and without JavaScript), and invite one to a question. */
import { accessibilityViolations, hasChromium, signInAs, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("mentor directory on a phone", () => {
  const suite = phoneSuite();

  beforeAll(async () => {});

  test("the directory lists the demo mentors with what they know; choosing a topic narrows it at once", async () => {
    const context = await suite.context();
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mentors" }).click();
    await page.waitForURL("**/mentors");
    // The URL can change a moment before the new page is painted: wait for the directory itself before reading it.
    await page.getByRole("heading", { level: 1, name: "Mentors" }).waitFor();
    await page.getByText("Stuck on a VPN, Wi-Fi or DNS problem?").waitFor();
    const cards = page.getByRole("main").getByRole("heading", { level: 2 });
    expect(await cards.allTextContents()).toEqual(expect.arrayContaining(["Priya Raman", "Sofia Alvarez"]));
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.locator("select[name=tag]").selectOption("mfa");
    await page.waitForURL((url) => url.searchParams.get("tag") === "mfa");
    await page.getByText("1 mentor who knows about mfa").waitFor();
    expect(await cards.allTextContents()).toEqual(["Sofia Alvarez"]);
    await page.getByRole("link", { name: "Sofia Alvarez" }).click();
    await page.waitForURL("**/u/sofia-alvarez");
    await page.getByText("Helps in English, Spanish").waitFor();
    await context.close();
  });

  test("the asker invites a mentor whose expertise matches; the mentor is told, opens the question and can decline", async () => {
    const askerContext = await suite.context();
    const asker = await askerContext.newPage();
    await signInAs(asker, "grace@peerdesk.test");
    await asker.goto("/ask");
    const title = "Home VPN stops working whenever my kids start streaming";
    await asker.getByLabel("Space", { exact: true }).selectOption({ label: "Networking" });
    await asker.getByLabel("Title", { exact: true }).fill(title);
    await asker
      .getByLabel("Details", { exact: true })
      .fill("The VPN disconnects in the evening when the TV streams; in the morning it is fine all day.");
    await asker.getByLabel("Tags", { exact: true }).fill("vpn, home-office");
    await asker.getByRole("button", { name: "Post your question" }).click();
    await asker.waitForURL(/\/q\/\d+\//);
    const questionPath = new URL(asker.url()).pathname;
    const panel = asker.getByRole("region", { name: "Ask a mentor" });
    await panel.getByRole("button", { name: "Invite Priya Raman" }).click();
    // "Invited" once the invitation's response is back (the button is disabled while it is sent, too: reloading then
    // could read the page before the invitation is written).
    await panel
      .getByRole("button", { name: "Invite Priya Raman" })
      .filter({ hasText: /^Invited$/ })
      .waitFor();
    await asker.reload();
    await panel.getByText("Priya Raman was invited").waitFor();
    expect(await accessibilityViolations(asker)).toEqual([]);

    const mentorContext = await suite.context();
    const mentor = await mentorContext.newPage();
    await signInAs(mentor, "priya@peerdesk.test");
    await mentor.goto("/notifications");
    await mentor.getByRole("link", { name: new RegExp(`Grace Kim invited you to answer “${title}”`) }).click();
    await mentor.waitForURL((url) => url.pathname === questionPath);
    const invited = mentor.getByRole("region", { name: "Ask a mentor" });
    await invited.getByText("You were invited to answer this question.").waitFor();
    await invited.getByRole("button", { name: "Decline" }).click();
    await invited.getByText("You were invited to answer this question.").waitFor({ state: "detached" });
    await asker.reload();
    await panel.getByText("Priya Raman was invited · can't help this time").waitFor();
    await askerContext.close();
    await mentorContext.close();
  });

  test("without JavaScript the filters are a plain form", async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto("/mentors");
    await page.locator("select[name=tag]").selectOption("vpn");
    await page.getByRole("button", { name: "Show mentors" }).click();
    await page.waitForURL((url) => url.searchParams.get("tag") === "vpn");
    expect(await page.getByRole("main").getByRole("heading", { level: 2 }).allTextContents()).toEqual(["Priya Raman"]);
    await context.close();
  });
});
