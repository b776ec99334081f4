/**
 * A phone and keyboard review: the account menu closes like a menu (also when focus leaves it); the header search
 * says how many suggestions it has, and Escape closes its list only; removing a search filter's chip, and showing new
 * answers, focus what comes next; Enter in the tags field adds a tag instead of posting;
 * after asking, commenting, deleting a comment, answering, accepting, removing a saved item, deciding in the review
 * queue, saying whether a how-to helped, and scheduling, asking and answering in a Q&A session, focus lands on the
 * outcome instead of falling to the page; the rating buttons are named by what they show; Flag leads back to the post;
 * review cards read and nest properly; Save keeps its name and changes only its pressed state; a visitor's Follow link
 * says what it follows. Checked with axe.
 */
import type { Page } from "playwright-core";
import { PHONE, accessibilityViolations, hasChromium, phoneSuite } from "./harness";

/** What has keyboard focus, in the words a test can compare. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) return null;
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      role: element.getAttribute("role"),
      name: element.getAttribute("name"),
      label: element.getAttribute("aria-label"),
      rowKey: element.dataset.rowKey ?? null,
      text: (element.textContent ?? "").replace(/\s+/g, " ").trim(),
    };
  });
}

describe.skipIf(!hasChromium)("keyboard and screen-reader review on a phone", () => {
  // A dozen people sign in within a minute or so, from one address: within the default 60 a minute.
  const suite = phoneSuite();

  test("Escape in the header search closes its suggestions and keeps what was typed; a second Escape empties it", async () => {
    const page = await suite.signedInPage("grace@peerdesk.test");
    const box = page.getByRole("combobox", { name: "Search PeerDesk" });
    await box.click();
    await box.pressSequentially("onedriv", { delay: 30 });
    await page.getByRole("option", { name: /OneDrive files/ }).waitFor();
    // Screen readers hear that there are suggestions, how many, and how to reach them.
    const options = await page.getByRole("option").count();
    const status = page.locator("form[role=search] [aria-live=polite]");
    await expect
      .poll(() => status.textContent())
      .toBe(
        `${options} ${options === 1 ? "suggestion" : "suggestions"}. Use the up and down arrows to choose, Enter to open.`,
      );
    await box.press("Escape");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.inputValue()).toBe("onedriv");
    expect((await focused(page))?.role).toBe("combobox");
    await box.press("Escape");
    expect(await box.inputValue()).toBe("");
  });

  test("the account menu closes after a navigation from it, on Escape (focus back on it) and on a tap outside", async () => {
    const page = await suite.signedInPage("grace@peerdesk.test");
    const menu = page.locator("header details");
    const summary = menu.locator("summary");
    const isOpen = () => menu.evaluate((details) => (details as HTMLDetailsElement).open);

    await summary.click();
    expect(await isOpen()).toBe(true);
    await menu.getByRole("link", { name: "Saved for later" }).click();
    await page.getByRole("heading", { level: 1, name: "Saved for later" }).waitFor();
    await expect.poll(isOpen).toBe(false);

    await summary.click();
    await menu.getByRole("link", { name: "My impact" }).focus();
    await page.keyboard.press("Escape");
    await expect.poll(isOpen).toBe(false);
    expect((await focused(page))?.tag).toBe("summary");

    await summary.click();
    expect(await isOpen()).toBe(true);
    // A tap at the page's left edge, away from the open menu (which covers the heading on a phone).
    await page.mouse.click(5, PHONE.height - 60);
    await expect.poll(isOpen).toBe(false);

    // Without JavaScript it is still a plain details element that opens.
    const plain = await (
      await suite.context({ javaScriptEnabled: false, storageState: await page.context().storageState() })
    ).newPage();
    await plain.goto("/saved");
    await plain.locator("header details summary").click();
    await plain.locator("header details").getByRole("link", { name: "My impact" }).waitFor();
  });

  test("tabbing past the account menu's last item closes it, so it covers nothing that has focus", async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test");
    await page.goto("/questions");
    const menu = page.locator("header details");
    const isOpen = () => menu.evaluate((details) => (details as HTMLDetailsElement).open);
    await menu.locator("summary").focus();
    await page.keyboard.press("Enter");
    expect(await isOpen()).toBe(true);
    const isInMenu = () => page.evaluate(() => Boolean(document.activeElement?.closest("header details")));
    // Into the menu's items, then past its last one.
    await page.keyboard.press("Tab");
    expect(await isInMenu()).toBe(true);
    for (let i = 0; i < 12 && (await isInMenu()); i++) await page.keyboard.press("Tab");
    expect(await isInMenu()).toBe(false);
    await expect.poll(isOpen).toBe(false);
    // What has focus now is what is seen at its place (not the menu over it).
    const isCovered = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const box = element.getBoundingClientRect();
      const shown = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return !shown || !(shown === element || element.contains(shown));
    });
    expect(isCovered).toBe(false);
    // Moving within the menu keeps it open.
    await menu.locator("summary").focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await isOpen()).toBe(true);
  });

  test("removing a search filter's chip focuses the next chip, and the results once none is left", async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test");
    await page.goto("/search?q=printer&solved=1&plain=1");
    await page.getByRole("combobox", { name: "Search PeerDesk" }).waitFor();
    const chips = page.getByRole("list", { name: "Filters on:" });
    await chips.getByRole("link", { name: "Remove filter: Solved" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => !url.searchParams.has("solved"));
    await expect.poll(async () => (await focused(page))?.label).toBe("Remove filter: Plain language");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => !url.searchParams.has("plain"));
    await expect.poll(async () => (await focused(page))?.id).toBe("search-results-heading");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test("Enter in the tags field adds the typed tag and never posts the question half written", async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test");
    await page.goto("/ask?space=ask-it-plain-language");
    const tags = page.getByRole("combobox", { name: "Tags" });
    await tags.waitFor();
    await page.getByLabel("Title", { exact: true }).fill("The label printer feeds two blank labels after each one");
    await tags.click();
    await tags.pressSequentially("zebra-zd421", { delay: 30 });
    await tags.press("Enter");
    await page.getByRole("button", { name: "Remove tag zebra-zd421" }).waitFor();
    expect(await tags.inputValue()).toBe("zebra-zd421, ");
    // Nothing more typed: Enter does nothing.
    await tags.press("Enter");
    expect(new URL(page.url()).pathname).toBe("/ask");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect((await focused(page))?.role).toBe("combobox");
  });

  test("showing new answers puts focus on the first one shown, not on the page", async () => {
    const reader = await suite.signedInPage("tom@peerdesk.test");
    const opened = reader.waitForResponse(
      (response) => new URL(response.url()).pathname === "/q/1/events" && response.status() === 200,
    );
    await reader.goto("/q/1");
    await opened;
    const text = "Switch the dock off at the wall for a minute, then plug the laptop in again.";
    const writer = await suite.signedInPage("dev@peerdesk.test");
    await writer.goto("/q/1");
    await writer.getByLabel("Your answer", { exact: true }).fill(text);
    await writer.getByRole("button", { name: "Post your answer" }).click();
    await writer.getByText(text).waitFor();
    await writer.close();
    const show = reader.getByRole("button", { name: "1 new answer — show" });
    await show.waitFor({ timeout: 15_000 });
    await show.focus();
    await reader.keyboard.press("Enter");
    await reader.getByText(text).waitFor();
    await expect.poll(async () => (await focused(reader))?.id).toMatch(/^answer-\d+$/);
    expect((await focused(reader))?.text).toContain(text);
    expect(await accessibilityViolations(reader)).toEqual([]);
  });

  test("ask, answer, accept and comment leave focus on the outcome; rating buttons are named by their words; Flag leads back; the review queue nests and focuses the next card", async () => {
    const tom = await suite.signedInPage("tom@peerdesk.test");

    // A refused question: focus on the error summary, not the page.
    await tom.goto("/ask?space=ask-it-plain-language");
    await tom.getByLabel("Title", { exact: true }).fill("Help");
    await tom.getByRole("button", { name: "Post your question" }).click();
    await expect.poll(async () => (await focused(tom))?.role).toBe("alert");
    expect((await focused(tom))?.text).toContain("Please fix the highlighted fields");

    const title = "The projector in room 4 shows my screen upside down";
    await tom.getByLabel("Title", { exact: true }).fill(title);
    await tom
      .getByLabel("Details", { exact: true })
      .fill("Since this morning the picture is upside down when I connect my laptop. How do I turn it back?");
    await tom.getByLabel("Plain language please").check();
    await tom.getByRole("button", { name: "Post your question" }).click();
    await tom.waitForURL(/\/q\/\d+\//);
    const questionPath = new URL(tom.url()).pathname;
    const questionId = questionPath.split("/")[2];

    // A posted answer: focus on the new answer.
    const priya = await suite.signedInPage("priya@peerdesk.test");
    await priya.goto(questionPath);
    await priya.locator('article[data-viewer="ready"]').waitFor();
    await priya
      .getByLabel("Your answer", { exact: true })
      .fill("Press Ctrl, Alt and the up arrow together. If nothing changes, the projector's remote has a Flip button.");
    await priya.getByRole("button", { name: "Post your answer" }).click();
    await priya.getByRole("heading", { name: "1 answer" }).waitFor();
    await expect.poll(async () => (await focused(priya))?.label).toBe("Answer by Priya Raman");
    expect((await focused(priya))?.id).toMatch(/^answer-\d+$/);

    // Flag leads back to the post it was on, both from the form (Cancel) and after sending.
    const flag = priya.getByRole("link", { name: "Flag this question for moderators" });
    await flag.click();
    await priya.getByRole("heading", { level: 1, name: "Flag for moderators" }).waitFor();
    const back = `${questionPath}#post-${questionId}`;
    expect(await priya.getByRole("link", { name: "Cancel" }).getAttribute("href")).toBe(back);
    await priya.getByLabel("Needs more detail").check();
    await priya.getByRole("button", { name: "Send flag" }).click();
    const backLink = priya.getByRole("link", { name: "Back to where you were" });
    await backLink.waitFor();
    expect(await backLink.getAttribute("href")).toBe(back);
    await backLink.click();
    await priya.waitForURL((url) => url.pathname === questionPath && url.hash === `#post-${questionId}`);

    // Accepting: focus follows the answer to its new place.
    await tom.reload();
    await tom.locator('article[data-viewer="ready"]').waitFor();
    await tom
      .getByRole("article", { name: "Answer by Priya Raman" })
      .getByRole("button", { name: "Accept this answer" })
      .click();
    await tom.getByRole("article", { name: "Accepted answer" }).waitFor();
    await expect.poll(async () => (await focused(tom))?.label).toBe("Accepted answer");

    // The rating buttons' names start with their visible words (axe: label-content-name-mismatch).
    const card = tom.locator("#feedback");
    await card.getByRole("button", { name: "1 Not at all (out of 5)", exact: true }).waitFor();
    expect(await accessibilityViolations(tom)).toEqual([]);

    // A refused comment focuses its field (the message is tied to it); a posted one focuses the comment.
    await tom.getByRole("link", { name: "Add a comment" }).first().click();
    const field = tom.getByLabel("Your comment on this question");
    await field.fill("ok");
    await tom.getByRole("button", { name: "Post comment" }).click();
    await tom.locator("[aria-invalid=true][name=body]").waitFor();
    await expect.poll(async () => (await focused(tom))?.name).toBe("body");
    await field.fill("It is the projector in the small meeting room, not the big one.");
    await tom.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(async () => (await focused(tom))?.tag).toBe("li");
    expect((await focused(tom))?.text).toContain("It is the projector in the small meeting room");

    // The review queue: cards are h3 under "Flagged and held" (h2), kind and title apart; deciding one focuses
    // the card that took its place (or the outcome when none is left).
    const marcus = await suite.signedInPage("marcus@peerdesk.test");
    await marcus.goto("/review");
    const heading = marcus.getByRole("heading", { level: 3, name: new RegExp(`^question\\s*:\\s*${title}$`, "i") });
    await heading.waitFor();
    expect(await heading.textContent()).toBe(`question: ${title}`);
    expect(await marcus.locator("main li[data-row-key] h2").count()).toBe(0);
    expect(await accessibilityViolations(marcus)).toEqual([]);
    const rowKeys = await marcus
      .locator("main ul > li[data-row-key]")
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.rowKey ?? ""));
    const index = rowKeys.indexOf(questionId ?? "");
    expect(index).toBeGreaterThanOrEqual(0);
    await marcus
      .locator(`main li[data-row-key="${questionId}"]`)
      .getByRole("button", { name: "Keep (dismiss flags)" })
      .click();
    await marcus.waitForURL("**/review?decided=keep");
    const next = rowKeys[index + 1];
    if (next) await expect.poll(async () => (await focused(marcus))?.rowKey).toBe(next);
    else if (rowKeys.length > 1) await expect.poll(async () => (await focused(marcus))?.tag).toBe("li");
    else await expect.poll(async () => (await focused(marcus))?.role).toBe("status");
  });

  test("Save keeps its name and changes only aria-pressed; Remove on /saved focuses the next row", async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test");
    await page.goto("/questions");
    const paths = await page
      .locator("main :is(h2, h3) a[href^='/q/']")
      .evaluateAll((links) => links.slice(0, 2).map((link) => link.getAttribute("href") ?? ""));
    expect(paths).toHaveLength(2);
    for (const path of paths) {
      await page.goto(path);
      const save = page.getByRole("button", { name: "Save this question for later", exact: true });
      await save.waitFor({ state: "attached" });
      await page.locator('article[data-viewer="ready"]').waitFor();
      // The same button (same name) flips its pressed state, both ways; it ends saved.
      for (;;) {
        const before = await save.getAttribute("aria-pressed");
        const stored = page.waitForResponse(
          (response) => response.url().includes("/saved") && response.request().method() === "POST",
        );
        await save.click();
        await expect.poll(() => save.getAttribute("aria-pressed")).toBe(before === "true" ? "false" : "true");
        expect((await stored).ok()).toBe(true);
        if (before === "false") break;
      }
    }
    await page.goto("/saved");
    const rows = page.locator("main ul > li[data-row-key]");
    await rows.first().waitFor();
    const keys = await rows.evaluateAll((items) => items.map((row) => (row as HTMLElement).dataset.rowKey ?? ""));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    await rows
      .first()
      .getByRole("button", { name: /^Remove/ })
      .click();
    await expect.poll(async () => (await focused(page))?.rowKey).toBe(keys[1]);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test("deleting a comment focuses the comment that took its place, and the comments' heading once none is left", async () => {
    const tom = await suite.signedInPage("tom@peerdesk.test");
    await tom.goto("/ask?space=ask-it-plain-language");
    await tom.getByLabel("Title", { exact: true }).fill("The label printer in reception prints blank labels");
    await tom
      .getByLabel("Details", { exact: true })
      .fill("Since the new roll went in, every label comes out blank. The test page prints fine. What should I check?");
    await tom.getByLabel("Plain language please").check();
    await tom.getByRole("button", { name: "Post your question" }).click();
    await tom.waitForURL(/\/q\/\d+\//);
    const questionId = new URL(tom.url()).pathname.split("/")[2];
    await tom.locator('article[data-viewer="ready"]').waitFor();

    await tom.getByRole("link", { name: "Add a comment" }).first().click();
    const rows = tom.locator(`#comments-${questionId} > ul > li`);
    for (const [index, body] of ["Is it a direct thermal roll?", "The old roll still prints fine."].entries()) {
      await tom.getByLabel("Your comment on this question").fill(body);
      await tom.getByRole("button", { name: "Post comment" }).click();
      await expect.poll(() => rows.count()).toBe(index + 1);
    }
    // Each comment's "delete" asks first; its "Yes" button shows only in the comment opened.
    const deleteToggles = tom.getByLabel("Delete comment by Tom Becker");
    const confirm = tom.getByRole("button", { name: "Yes, delete this comment" });
    await expect.poll(() => deleteToggles.count()).toBe(2);
    const ids = await rows.evaluateAll((items) => items.map((row) => row.id));

    await deleteToggles.first().click();
    await confirm.click();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(async () => (await focused(tom))?.id).toBe(ids[1]);
    expect((await focused(tom))?.text).toContain("The old roll still prints fine.");

    await deleteToggles.first().click();
    await confirm.click();
    await expect.poll(() => rows.count()).toBe(0);
    await expect.poll(async () => (await focused(tom))?.text).toBe("Comments on this question");
    expect((await focused(tom))?.tag).toBe("h2");
    expect(await accessibilityViolations(tom)).toEqual([]);
  });

  test("a how-to's feedback form focuses its field when the comment is refused, and its thanks once saved", async () => {
    const grace = await suite.signedInPage("grace@peerdesk.test");
    await grace.goto("/howtos");
    const howtoPath = await grace
      .locator("main a[href^='/howtos/']")
      .evaluateAll((links) =>
        links.map((link) => link.getAttribute("href") ?? "").find((href) => /^\/howtos\/\d+$/.test(href)),
      );
    expect(howtoPath).toBeTruthy();
    await grace.goto(howtoPath ?? "");
    await grace.locator('[data-viewer="ready"]').waitFor();
    const field = grace.getByLabel("Anything to add? (optional)");

    await field.fill("The screenshots helped. ".repeat(45));
    await grace.getByRole("button", { name: "No, it didn't" }).click();
    await grace.locator("#feedback [aria-invalid=true][name=comment]").waitFor();
    // Said once, under the field (a screen reader heard it twice when the form repeated it above).
    expect(await grace.locator("#feedback [role=alert]").count()).toBe(1);
    await expect.poll(async () => (await focused(grace))?.name).toBe("comment");

    await field.fill("Step 3 was the one I had missed.");
    await grace.getByRole("button", { name: "Yes, it helped" }).click();
    await expect.poll(async () => (await focused(grace))?.role).toBe("status");
    expect((await focused(grace))?.text).toBe("Thanks! Your answer was saved.");
    expect(await accessibilityViolations(grace)).toEqual([]);
  });

  test("in a Q&A session, a refused schedule focuses the error summary and a scheduled one its title; a refused question or answer focuses its field, a sent one the question", async () => {
    const host = await suite.signedInPage("priya@peerdesk.test", { timezoneId: "Europe/Berlin" });
    await host.goto("/sessions/new");
    // The browser's zone shows once the page has hydrated (no zone on the profile yet).
    await host.getByTestId("session-time-zone").getByText("Europe/Berlin").waitFor();
    const end = await host.evaluate(() => {
      const date = new Date(Date.now() + 60 * 60_000);
      return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    });
    await host
      .getByLabel("What people can ask about")
      .fill("Label printers, receipt printers and the rolls that go in them.");
    await host.locator("select[name=spaceId]").selectOption({ label: "Networking" });
    await host.getByLabel("Start now").check();
    await host.getByLabel("Ends", { exact: true }).fill(end);
    await host.getByRole("button", { name: "Schedule session" }).click();
    await expect.poll(async () => (await focused(host))?.role).toBe("alert");

    const title = "Drop-in: label and receipt printers";
    await host.getByLabel("Title", { exact: true }).fill(title);
    await host.getByRole("button", { name: "Schedule session" }).click();
    await host.waitForURL(/\/sessions\/\d+$/);
    await expect.poll(async () => (await focused(host))?.tag).toBe("h1");
    expect((await focused(host))?.text).toBe(title);
    const sessionPath = new URL(host.url()).pathname;

    const attendee = await suite.signedInPage("dev@peerdesk.test");
    await attendee.goto(sessionPath);
    const question = attendee.getByLabel("Your question for the host");
    await attendee.locator("form input[name=js]").first().waitFor({ state: "attached" });
    await question.fill("Blank?");
    await attendee.getByRole("button", { name: "Send question" }).click();
    await attendee.locator("#session-question[aria-invalid=true]").waitFor();
    await expect.poll(async () => (await focused(attendee))?.name).toBe("body");
    await question.fill("Why does the label printer feed two blank labels after each one?");
    await attendee.getByRole("button", { name: "Send question" }).click();
    await expect.poll(async () => (await focused(attendee))?.id).toMatch(/^q-\d+$/);
    expect((await focused(attendee))?.text).toContain("Why does the label printer feed two blank labels");
    expect(await accessibilityViolations(attendee)).toEqual([]);

    // The host's page, never reloaded, gets the question; an empty answer is refused, then one is posted.
    const answer = host.getByLabel("Your answer");
    await answer.waitFor({ timeout: 10_000 });
    await host.getByRole("button", { name: "Post answer" }).click();
    await host.locator("textarea[name=answer][aria-invalid=true]").waitFor();
    await expect.poll(async () => (await focused(host))?.name).toBe("answer");
    await answer.fill("Calibrate it: hold the feed button until it blinks twice, so it learns the gap between labels.");
    await host.getByRole("button", { name: "Post answer" }).click();
    await expect.poll(async () => (await focused(host))?.id).toMatch(/^q-\d+$/);
    expect((await focused(host))?.text).toContain("hold the feed button until it blinks twice");
    expect(await accessibilityViolations(host)).toEqual([]);
  });

  test("a rating, Save feedback and Say thanks keep keyboard focus on the outcome or the button, not the page", async () => {
    const tom = await suite.signedInPage("tom@peerdesk.test");
    await tom.goto("/ask?space=ask-it-plain-language");
    await tom.getByLabel("Title", { exact: true }).fill("The office printer prints every page twice since Monday");
    await tom
      .getByLabel("Details", { exact: true })
      .fill("Every job comes out twice, from every laptop. What can I check first?");
    await tom.getByLabel("Plain language please").check();
    await tom.getByRole("button", { name: "Post your question" }).click();
    await tom.waitForURL(/\/q\/\d+\//);
    const priya = await suite.signedInPage("priya@peerdesk.test");
    await priya.goto(new URL(tom.url()).pathname);
    await priya
      .getByLabel("Your answer", { exact: true })
      .fill("Open the print queue and turn off the second printer copy.");
    await priya.getByRole("button", { name: "Post your answer" }).click();
    await priya.getByRole("heading", { name: "1 answer" }).waitFor();

    await tom.reload();
    await tom.locator('article[data-viewer="ready"]').waitFor();
    const answer = tom.getByRole("article", { name: "Answer by Priya Raman" });
    await answer.getByRole("button", { name: "Accept this answer" }).click();
    await tom.getByRole("article", { name: "Accepted answer" }).waitFor();
    // The first tap swaps the five buttons for the full form: focus goes to the saved message.
    await tom.locator("#feedback").getByRole("button", { name: "4 Mostly (out of 5)", exact: true }).press("Enter");
    await expect.poll(async () => (await focused(tom))?.text).toBe("Saved. Thank you!");
    await tom.getByRole("button", { name: "Save feedback" }).press("Enter");
    await expect.poll(async () => (await focused(tom))?.role).toBe("status");
    expect((await focused(tom))?.tag).not.toBe("body");
    // Thanked: the button stays in place, and focused.
    await tom
      .getByRole("article", { name: "Accepted answer" })
      .getByRole("button", { name: /^Say thanks/ })
      .press("Enter");
    await expect.poll(async () => (await focused(tom))?.text).toBe("♥ Thanked Priya Raman for this answer");
    expect(await accessibilityViolations(tom)).toEqual([]);
  });

  test("a visitor's Follow link is named by what it follows and that signing in comes first, starting with its visible word", async () => {
    const visitor = await (await suite.context()).newPage();
    await visitor.goto("/questions");
    const questionPath = await visitor.locator("main :is(h2, h3) a[href^='/q/']").first().getAttribute("href");
    await visitor.goto(questionPath ?? "");
    const follow = visitor.getByRole("link", { name: "Follow this question (sign in)", exact: true });
    // What the link shows: its text without the part only screen readers get.
    const shown = await follow.evaluate((link) => {
      const copy = link.cloneNode(true) as HTMLElement;
      for (const hidden of copy.querySelectorAll(".sr-only")) hidden.remove();
      return copy.textContent?.trim();
    });
    expect(shown).toBe("Follow");
    expect(await follow.getAttribute("href")).toMatch(/^\/signin\?redirectTo=/);
    expect(await accessibilityViolations(visitor)).toEqual([]);

    await visitor.goto("/s/networking?tag=vpn");
    await visitor.getByRole("link", { name: "Follow the space Networking (sign in)", exact: true }).waitFor();
    await visitor.getByRole("link", { name: "Follow the tag vpn (sign in)", exact: true }).waitFor();
    expect(await accessibilityViolations(visitor)).toEqual([]);
  });
});
