/** The writing tools on a phone: Markdown preview from the server, tag suggestions and chips, draft autosave, and the no-JS fallback. */
import type { BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { PHONE, accessibilityViolations, hasChromium, phoneSuite, signInAs } from "./harness";

describe.skipIf(!hasChromium)("writing a question with the rich editor", () => {
  const suite = phoneSuite();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await suite.context();
    page = await context.newPage();
    await signInAs(page, "dev@peerdesk.test");
  });

  test("the Preview tab shows the server's rendering of the Markdown, with highlighted code and no live HTML", async () => {
    await page.goto("/ask?space=networking");
    const details = page.getByLabel("Details", { exact: true });
    await details.fill(
      "# Printer queue is stuck\n\n```bash\nsudo systemctl restart cups\n```\n\n<script>window.pwned = 1</script> see [docs](https://example.com)",
    );
    await page.getByText(/^\d+ \/ 30,000 characters$/).waitFor();

    const write = page.getByRole("tab", { name: "Write" });
    const preview = page.getByRole("tab", { name: "Preview" });
    await preview.click();
    expect(await preview.getAttribute("aria-selected")).toBe("true");
    const panel = page.getByRole("tabpanel", { name: "Preview" });
    await panel.locator(".prose-post pre code.hljs.language-bash").waitFor();
    expect(await panel.locator(".prose-post script").count()).toBe(0);
    // The writer's "#" is shown as it will be stored: an h2 under the page's h1.
    expect(await panel.locator(".prose-post h2").textContent()).toBe("Printer queue is stuck");
    expect(await panel.locator(".prose-post h1").count()).toBe(0);
    expect(await panel.locator(".prose-post").textContent()).toContain("<script>window.pwned = 1</script>");
    expect(await panel.getByRole("link", { name: "docs" }).getAttribute("rel")).toBe("nofollow ugc noopener");
    expect(await details.isVisible()).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Keyboard: arrows move between the tabs and switch back to writing.
    await preview.focus();
    await page.keyboard.press("ArrowLeft");
    expect(await write.getAttribute("aria-selected")).toBe("true");
    expect(await details.isVisible()).toBe(true);
  });

  test("Add a picture: a screenshot is uploaded, its Markdown put at the caret with the description selected, and previewed", async () => {
    await page.goto("/ask?space=networking");
    const details = page.getByLabel("Details", { exact: true });
    await details.fill("The printer shows this:");
    // A screenshot as a phone would make it: a PNG, picked through the file chooser.
    const png = await sharp({ create: { width: 32, height: 16, channels: 3, background: "#cc2200" } })
      .png()
      .toBuffer();
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Add a picture" }).click();
    await (await chooser).setFiles({ name: "printer-error.png", mimeType: "image/png", buffer: png });
    await page.getByText("Picture added. Type over “Describe the picture” to say what it shows.").waitFor();
    const text = await details.inputValue();
    expect(text).toMatch(/^The printer shows this:\n\n!\[Describe the picture\]\(\/images\/[0-9a-f]{20}\.webp\)\n$/);
    // The description is selected: typing replaces it.
    await page.keyboard.type("The printer's display: paper jam in tray 2");
    expect(await details.inputValue()).toContain("![The printer's display: paper jam in tray 2](/images/");

    await page.getByRole("tab", { name: "Preview" }).click();
    const picture = page.getByRole("tabpanel", { name: "Preview" }).getByRole("img", {
      name: "The printer's display: paper jam in tray 2",
    });
    await picture.waitFor();
    await expect
      .poll(() => picture.evaluate((img) => (img instanceof HTMLImageElement ? img.naturalWidth : 0)))
      .toBe(32);
    // Its size is in the page, so its place is kept while it loads (the text under it doesn't jump on a phone).
    expect([await picture.getAttribute("width"), await picture.getAttribute("height")]).toEqual(["32", "16"]);
    expect(await accessibilityViolations(page)).toEqual([]);

    // A screenshot pasted into the text (as after Win+Shift+S or Cmd+Ctrl+Shift+4) is added the same way.
    await page.getByRole("tab", { name: "Write" }).click();
    await details.evaluate(
      (field, bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
        (field as HTMLTextAreaElement).focus();
        field.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      [...png],
    );
    await expect.poll(async () => (await details.inputValue()).match(/\]\(\/images\//g)?.length ?? 0).toBe(2);

    // Not a picture: a plain message, and the text stays as it was.
    const before = await details.inputValue();
    const second = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Add a picture" }).click();
    await (await second).setFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just some text") });
    await page.getByText("That file isn't a picture PeerDesk can show: use a PNG, JPEG or WebP.").waitFor();
    expect(await details.inputValue()).toBe(before);
  });

  test("tags: suggestions as you type, chosen by keyboard, shown as removable chips, and no more than five", async () => {
    await page.goto("/ask?space=networking");
    const tags = page.getByLabel("Tags", { exact: true });
    await tags.click();
    await tags.pressSequentially("vp");
    const listbox = page.getByRole("listbox");
    await listbox.getByRole("option", { name: /^vpn\b/ }).waitFor();
    expect(await tags.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(await tags.getAttribute("aria-activedescendant")).toBeTruthy();
    await page.keyboard.press("Enter");
    expect(await tags.inputValue()).toBe("vpn, ");
    expect(await tags.getAttribute("aria-expanded")).toBe("false");

    await tags.pressSequentially("Windows 11");
    await page.getByText("“Windows 11” will be saved as “windows-11”.").waitFor();
    await page.getByRole("button", { name: "Remove tag vpn" }).click();
    expect(await tags.inputValue()).toBe("windows-11, ");

    await tags.pressSequentially("wi");
    await listbox.getByRole("option").first().waitFor();
    await page.keyboard.press("Escape");
    expect(await tags.getAttribute("aria-expanded")).toBe("false");

    await tags.fill("a1, b2, c3, d4, e5");
    await tags.press(",");
    expect(await tags.inputValue()).toBe("a1, b2, c3, d4, e5");
    await page.getByText("You can add up to 5 tags.").waitFor();
    expect(await page.getByRole("list", { name: "Chosen tags" }).getByRole("listitem").count()).toBe(5);
  });

  test("text typed before the page's script has started is saved as a draft too", async () => {
    const other = await suite.signedInPage("sofia@peerdesk.test");
    // The page's scripts are held back, as on a slow phone, while the title is typed.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await other.route("**/build/**", async (route) => {
      await held;
      await route.continue();
    });
    await other.goto("/ask?space=networking", { waitUntil: "commit" });
    const title = "Draft typed early: the scanner's emails never arrive";
    await other.getByLabel("Title", { exact: true }).fill(title);
    release();
    await other.getByText("Draft saved").waitFor();
    await other.unroute("**/build/**");
    await other.reload();
    await other.getByText("We restored the question you started earlier.").waitFor();
    expect(await other.getByLabel("Title", { exact: true }).inputValue()).toBe(title);
    await other.getByRole("button", { name: "Discard my changes" }).click();
    await other.getByText("Your draft was discarded. The form is empty again.").waitFor();
    await other.context().close();
  });

  test("what is typed is saved as a draft and comes back after a reload", async () => {
    await page.goto("/ask?space=networking");
    await page.getByLabel("Title", { exact: true }).fill("Draft: label printer prints blank pages after update");
    await page.getByLabel("Details", { exact: true }).fill("Since the driver update the Zebra prints blank labels.");
    await page.getByText("Draft saved").waitFor();
    await page.reload();
    await page.getByText("We restored the question you started earlier.").waitFor();
    expect(await page.getByLabel("Details", { exact: true }).inputValue()).toBe(
      "Since the driver update the Zebra prints blank labels.",
    );
    // Typed within the second before leaving (before the pause that saves it): saved on the way out, not lost.
    const more = "Since the driver update the Zebra prints blank labels. It started on Tuesday.";
    const savedOnTheWayOut = page.waitForResponse(
      (res) => new URL(res.url()).pathname === "/api/drafts" && res.request().method() === "POST",
    );
    await page.getByLabel("Details", { exact: true }).fill(more);
    await page.getByRole("link", { name: "Questions", exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === "/questions");
    expect((await savedOnTheWayOut).status()).toBe(200);
    await page.goto("/ask?space=networking");
    expect(await page.getByLabel("Details", { exact: true }).inputValue()).toBe(more);

    const bad = await page.request.post("/api/drafts", {
      data: { draftKey: "../../etc", content: { body: "x" } },
      headers: { origin: suite.server.url },
    });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({ error: "Unknown draft." });
    const discarded = await page.request.delete("/api/drafts?draftKey=question:new", {
      headers: { origin: suite.server.url },
    });
    expect(await discarded.json()).toEqual({ ok: true, discarded: true });
    await page.reload();
    expect(await page.getByLabel("Details", { exact: true }).inputValue()).toBe("");
  });

  test("a draft cleared again is not restored; a restored one can be discarded, leaving an empty form", async () => {
    const grace = await suite.signedInPage("grace@peerdesk.test");
    await grace.goto("/ask?space=networking");
    const title = grace.getByLabel("Title", { exact: true });
    await title.fill("Draft: the scanner emails nothing since Monday");
    await grace.getByText("Draft saved").waitFor();
    const savedEmpty = grace.waitForResponse(
      (res) => new URL(res.url()).pathname === "/api/drafts" && res.request().method() === "POST",
    );
    await title.fill("");
    expect((await savedEmpty).status()).toBe(200);
    await grace.reload();
    await title.waitFor();
    expect(await grace.getByText("We restored the question you started earlier.").count()).toBe(0);

    await title.fill("Draft: the scanner emails nothing since Monday");
    await grace.getByLabel("Details", { exact: true }).fill("The office scanner says sent, but nobody gets the email.");
    await grace.getByText("Draft saved").waitFor();
    await grace.reload();
    await grace.getByText("We restored the question you started earlier.").waitFor();
    expect(await accessibilityViolations(grace)).toEqual([]);
    await grace.getByRole("button", { name: "Discard my changes" }).click();
    await grace.getByText("Your draft was discarded. The form is empty again.").waitFor();
    expect(await title.inputValue()).toBe("");
    expect(await grace.getByLabel("Details", { exact: true }).inputValue()).toBe("");
    expect(await grace.getByText("Draft saved").count()).toBe(0);
    await grace.reload();
    await title.waitFor();
    expect(await grace.getByText("We restored the question you started earlier.").count()).toBe(0);
    await grace.close();
  });

  test("offline, an answer is held back with what was typed kept and sent once connected; a dropped connection is not called an error 500", async () => {
    const phone = await context.newPage();
    await phone.goto("/q/2");
    const answer =
      "Offline test: restart the print spooler service, then clear the queue folder before printing again.";
    await phone.getByLabel("Your answer").fill(answer);
    await context.setOffline(true);
    try {
      await phone.getByRole("button", { name: "Post your answer" }).click();
      await phone.getByRole("alert").filter({ hasText: "You're offline, so nothing was sent." }).waitFor();
      expect(await phone.getByLabel("Your answer").inputValue()).toBe(answer);
      expect(await phone.getByText("Something went wrong").count()).toBe(0);
      expect(await accessibilityViolations(phone)).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
    await phone.getByRole("status").filter({ hasText: "You're connected again" }).waitFor();
    await phone.getByRole("button", { name: "OK" }).click();
    await phone.getByRole("button", { name: "Post your answer" }).click();
    await phone.locator("article", { hasText: "Offline test: restart the print spooler" }).first().waitFor();

    // A connection that looks up but drops the request: said as such, with a way back to the form.
    await phone.route("**/*.data*", (route) => route.abort("internetdisconnected"));
    await phone.getByLabel("Your answer").fill("Dropped connection test: this answer never leaves the phone at all.");
    await phone.getByRole("button", { name: "Post your answer" }).click();
    await phone.getByRole("heading", { level: 1, name: "We couldn't reach PeerDesk" }).waitFor();
    expect(await phone.getByText("Error 500").count()).toBe(0);
    await phone.unroute("**/*.data*");
    await phone.getByRole("button", { name: "Load the page again" }).click();
    await phone.getByLabel("Your answer").waitFor();
    await phone.close();
  });

  test("an answer posted the moment it is typed, as the connection drops, is back in its box when the page is loaded again", async () => {
    const phone = await context.newPage();
    await phone.goto("/q/2");
    const answer = "Dropped at once: turn the router off for ten seconds, then print the test page again.";
    // Posted at once: the draft's save (a second after typing stops) never happens.
    await phone.getByLabel("Your answer").fill(answer);
    await phone.route("**/*.data*", (route) =>
      route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue(),
    );
    await phone.getByRole("button", { name: "Post your answer" }).click();
    await phone.getByRole("heading", { level: 1, name: "We couldn't reach PeerDesk" }).waitFor();
    await phone.getByText("we'll put back what you typed", { exact: false }).waitFor();
    expect(await phone.getByText("kept as a draft", { exact: false }).count()).toBe(0);
    await phone.unroute("**/*.data*");
    await phone.getByRole("button", { name: "Load the page again" }).click();
    await phone.getByRole("status").filter({ hasText: "We've put back what you typed" }).waitFor();
    expect(await phone.getByLabel("Your answer").inputValue()).toBe(answer);
    expect(await accessibilityViolations(phone)).toEqual([]);

    // Sent again it is posted; a page that then fails to load says nothing of putting text back, and none comes back.
    await phone.getByRole("button", { name: "Post your answer" }).click();
    await phone.locator("article", { hasText: "Dropped at once: turn the router off" }).first().waitFor();
    await phone.route("**/*.data*", (route) => route.abort("internetdisconnected"));
    await phone.getByRole("link", { name: "Questions", exact: true }).first().click();
    await phone.getByRole("heading", { level: 1, name: "We couldn't reach PeerDesk" }).waitFor();
    expect(await phone.getByText("put back what you typed", { exact: false }).count()).toBe(0);
    await phone.unroute("**/*.data*");
    await phone.goto("/q/2");
    await phone.getByLabel("Your answer").waitFor();
    expect(await phone.getByLabel("Your answer").inputValue()).toBe("");
    expect(await phone.getByText("We've put back what you typed").count()).toBe(0);
    await phone.close();
  });

  test("signed out in another tab: an answer sent meanwhile is put back in its form once its writer signs in again", async () => {
    const tab = await suite.signedInPage("sofia@peerdesk.test");
    const otherTab = await tab.context().newPage();
    await tab.goto("/q/1");
    const questionPath = new URL(tab.url()).pathname;
    await otherTab.goto("/");
    await otherTab.locator("summary", { hasText: "Sofia" }).click();
    await otherTab.getByRole("button", { name: "Sign out" }).click();
    await otherTab.getByRole("link", { name: "Sign in" }).first().waitFor();

    const answer = "Signed-out test: reserve the printer's address in the router so its lease never changes again.";
    await tab.getByLabel("Your answer").fill(answer);
    await tab.getByText("Draft not saved: you've been signed out.", { exact: false }).waitFor();
    await tab.getByRole("button", { name: "Post your answer" }).click();
    await tab.waitForURL((url) => url.pathname === "/signin");
    await tab.getByRole("status").filter({ hasText: "so what you were sending wasn't sent" }).waitFor();
    await tab.getByLabel("Email").fill("sofia@peerdesk.test");
    await tab.getByLabel("Password").fill(DEMO_PASSWORD);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.waitForURL((url) => url.pathname === questionPath);
    await tab.getByRole("status").filter({ hasText: "We've put back what you typed" }).waitFor();
    expect(await tab.getByLabel("Your answer").inputValue()).toBe(answer);
    expect(await accessibilityViolations(tab)).toEqual([]);
    // Sent again, it is posted, and the next page says nothing more about it.
    await tab.getByRole("button", { name: "Post your answer" }).click();
    await tab.locator("article", { hasText: "Signed-out test: reserve the printer's address" }).first().waitFor();
    await tab.goto("/questions");
    expect(await tab.getByText("You were signed out").count()).toBe(0);
    await tab.context().close();
  });

  test("the editor APIs refuse visitors, and tag suggestions are public and briefly cached", async () => {
    const visitor = await suite.browser.newContext({ baseURL: suite.server.url });
    const preview = await visitor.request.post("/api/preview", {
      data: { markdown: "hi" },
      headers: { origin: suite.server.url },
    });
    expect(preview.status()).toBe(401);
    const drafts = await visitor.request.post("/api/drafts", {
      data: { draftKey: "question:new", content: { body: "x" } },
      headers: { origin: suite.server.url },
    });
    expect(drafts.status()).toBe(401);
    const tags = await visitor.request.get("/api/tags?q=VP");
    expect(tags.headers()["cache-control"]).toContain("max-age=60");
    const body: unknown = await tags.json();
    expect(body).toMatchObject({
      query: "vp",
      tags: expect.arrayContaining([expect.objectContaining({ slug: "vpn" })]),
    });
    await visitor.close();

    const tooLong = await page.request.post("/api/preview", {
      data: { markdown: "x".repeat(30_001) },
      headers: { origin: suite.server.url },
    });
    expect(tooLong.status()).toBe(413);
    expect(await tooLong.json()).toMatchObject({ error: expect.stringContaining("30,000") });

    // The answer and step editors ask for their own heading level; anything else gets a question's.
    for (const [headingLevel, html] of [
      [3, "<h3>Cause</h3>\n"],
      [4, "<h4>Cause</h4>\n"],
      [9, "<h2>Cause</h2>\n"],
      ["<h1>", "<h2>Cause</h2>\n"],
    ] as const) {
      const preview = await page.request.post("/api/preview", {
        data: { markdown: "# Cause", headingLevel },
        headers: { origin: suite.server.url },
      });
      expect(await preview.json(), String(headingLevel)).toEqual({ html });
    }
  });

  test("a refused form puts focus on its message (the disabled Save button had dropped it to the page)", async () => {
    await page.goto("/settings/profile");
    await page.getByLabel("Display name").fill("x");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("alert").first().waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("role") ?? document.activeElement?.tagName))
      .toBe("alert");
  });

  test("without JavaScript a refused answer comes back at the answer form, with its message and what was typed", async () => {
    const noJs = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: PHONE,
      isMobile: true,
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    const plain = await noJs.newPage();
    await plain.goto("/q/1");
    const field = plain.getByLabel("Your answer");
    await field.fill("Too short.");
    await plain.getByRole("button", { name: "Post your answer" }).click();
    await plain.waitForURL((url) => url.hash === "#your-answer-heading");
    expect(await plain.getByLabel("Your answer").inputValue()).toBe("Too short.");
    const message = plain.locator("#your-answer-heading ~ form [aria-invalid=true]");
    expect(await message.count()).toBe(1);
    // The browser scrolled to the form: its heading is on screen, not 2,000 px below it.
    const heading = await plain.locator("#your-answer-heading").boundingBox();
    // (Sub-pixel: scrolled to it, its top is at 0 or a fraction of a pixel above.)
    expect(heading && heading.y > -1 && heading.y < PHONE.height).toBe(true);
    await noJs.close();
  });

  test("without JavaScript the editor is a plain labelled textarea and the tags one text field", async () => {
    const state = await context.storageState();
    const noJs = await suite.browser.newContext({
      baseURL: suite.server.url,
      viewport: PHONE,
      isMobile: true,
      javaScriptEnabled: false,
      storageState: state,
    });
    const plain = await noJs.newPage();
    await plain.goto("/ask?space=networking");
    expect(await plain.getByLabel("Details", { exact: true }).evaluate((el) => el.tagName)).toBe("TEXTAREA");
    expect(await plain.getByRole("tablist").count()).toBe(0);
    expect(await plain.getByLabel("Tags", { exact: true }).getAttribute("role")).toBeNull();
    expect(await plain.getByText("Formatting help").count()).toBe(1);
    await noJs.close();
  });
});
