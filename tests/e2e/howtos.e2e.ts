/** How-tos on a phone: a member writes one, another follows it (ticking steps) and says it helped, the author reads the comment; edits are suggested and accepted. */
import type { BrowserContext, Page } from "playwright-core";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

async function signIn(page: Page, email: string, name: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("summary", { hasText: name }).waitFor();
}

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  const overflow = await sidewaysOverflow(page);
  expect(overflow, `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe.skipIf(!hasChromium)("how-tos on a phone", () => {
  const suite = phoneSuite();
  let authorContext: BrowserContext;
  let readerContext: BrowserContext;
  let howtoPath = "";
  const comment = "Worked on my laptop first time. Step 2 was the key.";

  beforeAll(async () => {
    authorContext = await suite.context();
    readerContext = await suite.context();
  });

  test("a member writes a how-to with three steps, fixing a mistake without retyping anything", async () => {
    const page = await authorContext.newPage();
    await signIn(page, "dev@peerdesk.test", "Dev Patel");
    await page.goto("/howtos/new?space=networking");
    await page.getByRole("heading", { name: "Write a how-to" }).waitFor();
    // The step tools appear once the page is interactive.
    await page.getByRole("button", { name: "Move step 3 up" }).waitFor();
    await expectAccessible(page, "/howtos/new");

    expect(await page.getByLabel("Space", { exact: true }).inputValue()).not.toBe("");
    await page.getByLabel("Title", { exact: true }).fill("Flush the DNS cache on a Windows laptop");
    await page.getByLabel("Summary", { exact: true }).fill("Too short");
    await page.getByLabel("Applies to").fill("Windows 10 and 11");
    await page.getByLabel("Intermediate").check();
    await page.getByLabel("Estimated time (minutes)").fill("5");
    await page.getByLabel("Step 1", { exact: true }).fill("Open **Command Prompt** from the Start menu.");
    await page
      .getByLabel("Step 2", { exact: true })
      .fill("Check that the name now resolves: `nslookup intranet.corp.example`.");
    await page.getByLabel("Step 3", { exact: true }).fill("Run `ipconfig /flushdns` and wait for the confirmation.");
    // Step 3 belongs before step 2: move it up, then drop the two blank steps.
    await page.getByRole("button", { name: "Move step 3 up" }).click();
    expect(await page.getByLabel("Step 2", { exact: true }).inputValue()).toBe(
      "Run `ipconfig /flushdns` and wait for the confirmation.",
    );
    await page.getByRole("button", { name: "Remove step 5" }).click();
    await page.getByRole("button", { name: "Remove step 4" }).click();
    expect(await page.getByLabel("Step 4", { exact: true }).count()).toBe(0);
    await page.getByLabel("Tags (optional)").fill("dns, windows-11");

    // The draft is saved as they type: a reload (or a closed tab) brings it all back, steps in their new order.
    await page.getByText("Draft saved").waitFor();
    await page.reload();
    await page.getByText("We restored the how-to you started earlier.").waitFor();
    expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe(
      "Flush the DNS cache on a Windows laptop",
    );
    expect(await page.getByLabel("Step 2", { exact: true }).inputValue()).toBe(
      "Run `ipconfig /flushdns` and wait for the confirmation.",
    );
    expect(await page.getByLabel("Intermediate").isChecked()).toBe(true);
    await page.getByRole("button", { name: "Move step 3 up" }).waitFor();

    await page.getByRole("button", { name: "Publish how-to" }).click();
    await page.getByText("The summary needs at least 20 characters", { exact: false }).waitFor();
    expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe(
      "Flush the DNS cache on a Windows laptop",
    );
    expect(await page.getByLabel("Step 3", { exact: true }).inputValue()).toBe(
      "Check that the name now resolves: `nslookup intranet.corp.example`.",
    );
    expect(await page.getByLabel("Intermediate").isChecked()).toBe(true);
    expect(await page.getByLabel("Summary", { exact: true }).getAttribute("aria-invalid")).toBe("true");

    await page
      .getByLabel("Summary", { exact: true })
      .fill(
        "When internal sites still point at an old address after a change, clearing the DNS cache fixes it in a minute.",
      );
    await page.getByRole("button", { name: "Publish how-to" }).click();
    await page.waitForURL(/\/howtos\/\d+$/);
    howtoPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { level: 1, name: "Flush the DNS cache on a Windows laptop" }).waitFor();
    const steps = (await page.locator('li[id^="step-"] .prose-post').allTextContents()).map((t) => t.trim());
    expect(steps).toEqual([
      "Open Command Prompt from the Start menu.",
      "Run ipconfig /flushdns and wait for the confirmation.",
      "Check that the name now resolves: nslookup intranet.corp.example.",
    ]);
    expect(await page.title()).toBe("Flush the DNS cache on a Windows laptop · How-to · Networking · PeerDesk");
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
    expect(jsonLd["@type"]).toBe("HowTo");
    expect(jsonLd.step).toHaveLength(3);
    expect(await page.locator('link[rel="canonical"]').getAttribute("href")).toBe(`${suite.server.url}${howtoPath}`);
    // The author is not asked whether their own how-to helped.
    await page.getByText("This is your how-to, so you can't rate it.").waitFor();
    await expectAccessible(page, howtoPath);
    await page.close();
  });

  test("another member ticks steps (kept after a reload) and says it helped, with a comment the author then reads", async () => {
    expect(howtoPath).not.toBe("");
    const page = await readerContext.newPage();
    await signIn(page, "tom@peerdesk.test", "Tom Becker");
    await page.goto(howtoPath);
    const progress = page.getByTestId("step-progress");
    await progress.filter({ hasText: "0 of 3 steps done" }).waitFor();
    await page.getByRole("checkbox", { name: "I've done this step (step 1)" }).check();
    await page.getByRole("checkbox", { name: "I've done this step (step 2)" }).check();
    await progress.filter({ hasText: "2 of 3 steps done" }).waitFor();

    await page.reload();
    await progress.filter({ hasText: "2 of 3 steps done" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "I've done this step (step 2)" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "I've done this step (step 3)" }).isChecked()).toBe(false);

    await page.locator('[data-viewer="ready"]').waitFor();
    await page.getByLabel("Anything to add? (optional)").fill(comment);
    await page.getByRole("button", { name: "Yes, it helped" }).click();
    await page.getByText("Thanks! Your answer was saved.").waitFor();
    await page.getByTestId("helpful-counts").filter({ hasText: "1 person found this helpful" }).waitFor();
    await page.getByText("You said this helped.", { exact: false }).waitFor();
    await expectAccessible(page, `${howtoPath} (reader)`);

    // Changing the answer keeps one answer per person.
    await page.reload();
    await page.locator('[data-viewer="ready"]').waitFor();
    expect(await page.getByLabel("Anything to add? (optional)").inputValue()).toBe(comment);
    await page.close();

    const authorPage = await authorContext.newPage();
    await authorPage.goto(howtoPath);
    await authorPage.getByRole("heading", { name: "Comments from readers" }).waitFor();
    await authorPage.getByText(comment).waitFor();
    await authorPage.getByTestId("helpful-counts").filter({ hasText: "1 person found this helpful" }).waitFor();
    await authorPage.close();
  });

  test("a member suggests an edit while the author edits; the author reviews the diff and accepts it, crediting the suggester and keeping the later edit", async () => {
    const page = await readerContext.newPage();
    await page.goto(howtoPath);
    await page.getByRole("link", { name: "Suggest an edit" }).click();
    await page.getByRole("heading", { name: "Suggest an edit" }).waitFor();
    await page.getByRole("button", { name: "Move step 1 up" }).waitFor({ state: "attached" });
    await expectAccessible(page, `${howtoPath}/edit (suggest)`);
    await page
      .getByLabel("Step 1", { exact: true })
      .fill("Open **Command Prompt** or **Windows Terminal** from the Start menu.");
    await page.getByLabel("What did you change, and why?").fill("Windows Terminal is the default on Windows 11");
    // Meanwhile the author changes what the how-to applies to: the suggestion, sent after, must not undo it.
    const authorEdit = await authorContext.newPage();
    await authorEdit.goto(`${howtoPath}/edit`);
    await authorEdit.getByLabel("Applies to").fill("Windows 10 and 11, also on Arm");
    await authorEdit.getByRole("button", { name: "Save changes" }).click();
    await authorEdit.waitForURL((url) => !url.pathname.endsWith("/edit"));
    await authorEdit.close();
    await page.getByRole("button", { name: "Send suggestion" }).click();
    await page.getByText("Your suggested edit was sent to the author.", { exact: false }).waitFor();
    // Nothing changes until the author accepts.
    expect((await page.locator("#step-1 .prose-post").textContent())?.trim()).toBe(
      "Open Command Prompt from the Start menu.",
    );
    await page.close();

    const authorPage = await authorContext.newPage();
    await authorPage.goto(howtoPath);
    await authorPage.getByRole("link", { name: "Review 1 suggested edit" }).click();
    await authorPage.getByRole("heading", { name: "Suggested edits" }).waitFor();
    await authorPage.locator("ins", { hasText: "Windows Terminal" }).first().waitFor();
    await authorPage.getByText("Accepting keeps those later edits and applies only the changes below.").waitFor();
    // The diff is what accepting changes now: step 1 only, not the author's later "Applies to" undone.
    expect(await authorPage.locator("del", { hasText: "also on Arm" }).count()).toBe(0);
    await expectAccessible(authorPage, `${howtoPath}/suggestions`);
    await authorPage.getByRole("button", { name: "Accept" }).click();
    await authorPage.getByText("Accepted:", { exact: false }).waitFor();
    await authorPage.goto(howtoPath);
    expect((await authorPage.locator("#step-1 .prose-post").textContent())?.trim()).toBe(
      "Open Command Prompt or Windows Terminal from the Start menu.",
    );
    await authorPage.getByText("Windows 10 and 11, also on Arm").first().waitFor();
    await authorPage.getByRole("link", { name: "History (3 versions)" }).click();
    await authorPage.getByRole("heading", { name: "Revision history" }).waitFor();
    await authorPage
      .getByText("Suggested edit: Windows Terminal is the default on Windows 11", { exact: false })
      .waitFor();
    expect(
      await authorPage.locator("li", { hasText: "Version 3" }).getByRole("link", { name: "Tom Becker" }).count(),
    ).toBe(1);
    await expectAccessible(authorPage, `${howtoPath}/revisions`);
    await authorPage.close();
  });

  test("without JavaScript the form offers more step fields and keeps everything typed; lists filter plain-language how-tos", async () => {
    const context = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, "grace@peerdesk.test", "Grace Kim");
    await page.goto("/howtos/new");
    expect(await page.getByLabel(/^Step \d+$/).count()).toBe(5);
    await page.getByLabel("Step 1", { exact: true }).fill("Open the expense app.");
    await page.getByLabel("Title", { exact: true }).fill("Submit a travel expense claim");
    await page.getByRole("button", { name: "Add more steps" }).click();
    await page.getByLabel("Step 10", { exact: true }).waitFor();
    expect(await page.getByLabel("Step 1", { exact: true }).inputValue()).toBe("Open the expense app.");
    expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("Submit a travel expense claim");
    await page.getByLabel("Step 7", { exact: true }).fill("Attach the receipts.");
    await page.getByRole("button", { name: "Publish how-to" }).click();
    await page.getByText("Please write a one-paragraph summary", { exact: false }).waitFor();
    // Blank steps are dropped and the rest renumbered, so messages and fields line up.
    expect(await page.getByLabel("Step 2", { exact: true }).inputValue()).toBe("Attach the receipts.");

    // "Did this help?" is a plain form post too.
    await page.goto(howtoPath);
    // Grace didn't write it: without JavaScript she is offered a suggestion, never the author's or moderators' tools,
    // and Follow shows her real state.
    await page.getByRole("link", { name: "Suggest an edit" }).waitFor();
    expect(await page.getByRole("link", { name: "Edit", exact: true }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Edit or suggest an edit" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Readers' comments (authors)" }).count()).toBe(0);
    // Her suggestion waits; coming back to the form she finds it as she sent it (not the how-to as it is), and withdraws it.
    await page.getByRole("link", { name: "Suggest an edit" }).click();
    await page
      .getByLabel("Step 2", { exact: true })
      .fill("Type ipconfig /flushdns and press Enter, then close the window.");
    await page.getByRole("button", { name: "Send suggestion" }).click();
    await page.getByText("Your suggested edit was sent to the author.", { exact: false }).waitFor();
    await page.goto(`${howtoPath}/edit`);
    await page.getByText("is still waiting for the author", { exact: false }).waitFor();
    expect(await page.getByLabel("Step 2", { exact: true }).inputValue()).toBe(
      "Type ipconfig /flushdns and press Enter, then close the window.",
    );
    const withScripts = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: { width: 390, height: 844 },
      storageState: await context.storageState(),
    });
    const waitingPage = await withScripts.newPage();
    await waitingPage.goto(`${howtoPath}/edit`);
    await waitingPage.getByText("is still waiting for the author", { exact: false }).waitFor();
    await expectAccessible(waitingPage, `${howtoPath}/edit (a suggestion waiting)`);
    await withScripts.close();
    await page.getByRole("button", { name: "Withdraw my suggestion" }).click();
    await page.getByText("Your suggested edit was withdrawn. The how-to is unchanged.").waitFor();
    await page.goto(`${howtoPath}/edit`);
    expect(await page.getByText("is still waiting for the author", { exact: false }).count()).toBe(0);
    await page.goto(howtoPath);
    await page.getByLabel("Anything to add? (optional)").fill("I got lost at step 2.");
    await page.getByRole("button", { name: "No, it didn't" }).click();
    await page.getByText("Thanks! Your answer was saved.").waitFor();
    await page.getByTestId("helpful-counts").filter({ hasText: "1 person found this helpful · 1 didn't" }).waitFor();

    await page.goto("/howtos?plain=1");
    const titles = await page.locator("main li h2").allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.join("|")).toContain("Set up an out-of-office reply in Outlook");
    expect(titles.join("|")).not.toContain("Pre-stage a printer driver");
    await context.close();

    const jsPage = await readerContext.newPage();
    await jsPage.goto("/howtos?sort=helpful");
    await expectAccessible(jsPage, "/howtos?sort=helpful");
    await jsPage.close();
  });
});
