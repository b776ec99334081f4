/**
 * Service pulse on a phone: ask, answer, accept, rate in one tap (then a comment); the helper sees the rating and the
 * comment on "My impact" and the thanks on their profile; /pulse counts the rating; the no-JS path through the
 * feedback page; the moderators' CSV export.
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("service pulse on a phone", () => {
  // Every request computes the numbers, so a rating shows at once (the page otherwise caches them for a minute).
  const suite = phoneSuite({ PULSE_CACHE_SECONDS: "0" });
  const signedIn = (email: string) => suite.signedInPage(email);

  /** The "Askers' rating" figure on /pulse for the plain-language space, last 7 days: "N ratings". */
  async function ratingsOnPulse(page: Page): Promise<string> {
    await page.goto("/pulse?days=7&space=ask-it-plain-language");
    const stat = page.locator("dl[aria-label='Service levels'] > div", { hasText: "Askers' rating" });
    return (await stat.locator("dd").nth(1).textContent()) ?? "";
  }

  test("ask → answer → accept → rate: the helper sees it on My impact, and /pulse counts it", async () => {
    const tom = await signedIn("tom@peerdesk.test");
    const before = await ratingsOnPulse(tom);
    expect(before).toMatch(/^\d+ ratings?$/);

    await tom.goto("/ask?space=ask-it-plain-language");
    const title = "The meeting room screen shows no signal from my laptop";
    await tom.getByLabel("Title", { exact: true }).fill(title);
    await tom
      .getByLabel("Details", { exact: true })
      .fill("I plug the cable in and the screen says 'no signal'. It worked last week. What can I try myself?");
    // Plain language: tags are optional (the answerers can add them).
    await tom.getByLabel("Plain language please").check();
    await tom.getByRole("button", { name: "Post your question" }).click();
    await tom.waitForURL(/\/q\/\d+\//);
    const questionUrl = new URL(tom.url()).pathname;

    const priya = await signedIn("priya@peerdesk.test");
    await priya.goto(questionUrl);
    await priya.locator('article[data-viewer="ready"]').waitFor();
    await priya
      .getByLabel("Your answer", { exact: true })
      .fill(
        "Press the **Windows key and P** together and choose *Duplicate*. If it still says no signal, try the other cable on the table.",
      );
    await priya.getByRole("button", { name: "Post your answer" }).click();
    await priya.getByRole("heading", { name: "1 answer" }).waitFor();
    // Nobody thanks themselves: no button on her own answer.
    await priya.locator('article[data-viewer="ready"]').waitFor();
    expect(await priya.getByRole("button", { name: /thanks to Priya Raman/ }).count()).toBe(0);

    await tom.reload();
    await tom.locator('article[data-viewer="ready"]').waitFor();
    expect(await tom.locator("#feedback").count()).toBe(0);
    await tom
      .getByRole("article", { name: "Answer by Priya Raman" })
      .getByRole("button", { name: "Accept this answer" })
      .click();
    await tom.getByRole("article", { name: "Accepted answer" }).waitFor();
    // The card asks right away; one tap saves the rating. Every label fits its button on a phone.
    const card = tom.locator("#feedback");
    // Each button's name starts with what it shows ("5 Completely"), so voice control finds it by its words.
    await card.getByRole("button", { name: "5 Completely (out of 5)", exact: true }).waitFor();
    // axe while the rating buttons show (label-content-name-mismatch among its rules).
    expect(await accessibilityViolations(tom)).toEqual([]);
    const overflowing = await card
      .locator("button[name=rating] span:not(.sr-only)")
      .evaluateAll((spans) =>
        spans
          .filter((span) => span instanceof HTMLElement && span.scrollWidth > span.clientWidth + 1)
          .map((span) => span.textContent),
      );
    expect(overflowing).toEqual([]);
    // After accepting, Ask a mentor offers no invitation to the person who answered.
    expect(await tom.getByRole("button", { name: /Invite Priya Raman/ }).count()).toBe(0);
    await card.getByRole("button", { name: "5 Completely (out of 5)", exact: true }).click();
    await card.getByText("You rated the help 5 out of 5", { exact: false }).waitFor();
    // Then, optionally: easy to understand, and a word for the helper.
    await card.getByLabel("Yes").check();
    await card
      .getByLabel("A word for the people who helped (optional)")
      .fill("Windows key and P did it, in ten seconds.");
    await card.getByRole("button", { name: "Save feedback" }).click();
    await card.getByText("and said the answer was easy to understand", { exact: false }).waitFor();
    // And a thanks, once.
    await tom.getByRole("button", { name: "Say thanks to Priya Raman for this answer" }).click();
    await tom.getByRole("button", { name: "Thanked Priya Raman for this answer" }).waitFor();
    await tom.getByText("1 person said thanks").waitFor();
    expect(await accessibilityViolations(tom)).toEqual([]);

    // Priya hears of the rating and the thanks in her notifications.
    await priya.goto("/notifications");
    await priya.getByText("rated the help you gave on", { exact: false }).first().waitFor();
    await priya.getByText("thanked you for your answer to", { exact: false }).first().waitFor();

    await priya.goto("/me/impact");
    await priya.getByRole("heading", { level: 1, name: "My impact" }).waitFor();
    await priya.getByText("Windows key and P did it, in ten seconds.").waitFor();
    await priya.getByText(`Rated 5 out of 5 (Completely) on ${title}`, { exact: false }).waitFor();
    const chart = priya.locator("figure", { hasText: "Accepted answers" });
    expect(await chart.locator("svg[role='img']").count()).toBe(1);
    await chart.getByText("Show the numbers").click();
    expect(await chart.locator("table tbody tr").count()).toBe(12);
    expect(await accessibilityViolations(priya)).toEqual([]);

    // Public profile: only the positive summary, never the rating.
    const visitor = await (await suite.context()).newPage();
    await visitor.goto("/u/priya-raman");
    const summary = visitor.getByLabel("Help given");
    expect(await summary.textContent()).toMatch(/Helped \d+ people .*thanked \d+ times/);
    expect(await visitor.getByText("5 out of 5").count()).toBe(0);
    // The private page is private.
    await visitor.goto("/me/impact");
    await visitor.waitForURL(/\/signin\?redirectTo=%2Fme%2Fimpact/);

    const after = await ratingsOnPulse(visitor);
    expect(Number.parseInt(after, 10)).toBe(Number.parseInt(before, 10) + 1);
    expect(await visitor.getByRole("img", { name: /Typical wait for a first reply/ }).count()).toBe(1);
    expect(await accessibilityViolations(visitor)).toEqual([]);

    // The whole site's pulse names itself once; the top tags show their real unanswered count; wide tables say they scroll.
    await visitor.goto("/pulse");
    expect(await visitor.getByText("Service pulse", { exact: true }).count()).toBe(1);
    const tagTable = visitor.getByRole("region", { name: /most used tags/i });
    await tagTable.waitFor();
    expect(await tagTable.locator("td", { hasText: /^—$/ }).count()).toBe(0);
    expect(await tagTable.getAttribute("tabindex")).toBe("0");
    expect(await visitor.getByText("Scroll sideways for more columns →").first().isVisible()).toBe(true);
    expect(await visitor.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(visitor)).toEqual([]);
    await visitor.context().close();
  });

  test("without JavaScript: accepting leads to the feedback page; a moderator moves a question and exports the CSV", async () => {
    const grace = await signedIn("grace@peerdesk.test");
    await grace.goto("/ask?space=ask-it-plain-language");
    await grace.getByLabel("Title", { exact: true }).fill("Why does my calendar show meetings an hour late?");
    await grace
      .getByLabel("Details", { exact: true })
      .fill("Since yesterday every meeting in my calendar is an hour later than the invitation says.");
    await grace.getByLabel("Tags", { exact: true }).fill("calendar");
    await grace.getByRole("button", { name: "Post your question" }).click();
    await grace.waitForURL(/\/q\/\d+\//);
    const questionUrl = new URL(grace.url()).pathname;

    const marcus = await signedIn("marcus@peerdesk.test");
    await marcus.goto(questionUrl);
    await marcus
      .getByLabel("Your answer", { exact: true })
      .fill(
        "Your laptop's time zone changed. Open Settings, Time & language, and switch on 'Set time zone automatically'.",
      );
    await marcus.getByRole("button", { name: "Post your answer" }).click();
    await marcus.getByRole("heading", { name: "1 answer" }).waitFor();

    // Grace, without JavaScript, accepts: the feedback page confirms it and asks how well she was helped.
    const noJs = await suite.context({ javaScriptEnabled: false, storageState: await grace.context().storageState() });
    const page = await noJs.newPage();
    await page.goto(questionUrl);
    await page.getByRole("button", { name: "Accept this answer" }).click();
    await page.waitForURL(/\/q\/\d+\/feedback\?accepted=1$/);
    await page.getByRole("heading", { name: "Rate the help you got" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Answer accepted." }).waitFor();
    await page.getByRole("button", { name: "4 Mostly (out of 5)", exact: true }).click();
    await page.waitForURL(/\/feedback\?saved=1$/);
    await page.getByText("Saved. Thank you", { exact: false }).waitFor();
    // A bad rating is refused with a message, and the comment typed is kept.
    await page.getByLabel("A word for the people who helped (optional)").fill("Quick and clear.");
    await page.evaluate(() => {
      for (const input of document.querySelectorAll<HTMLInputElement>("input[name=rating]")) input.checked = false;
    });
    await page.getByRole("button", { name: "Save feedback" }).click();
    await page.getByText("Choose how well you were helped, from 1 to 5.").waitFor();
    expect(await page.getByLabel("A word for the people who helped (optional)").inputValue()).toBe("Quick and clear.");

    // Someone else can't open Grace's feedback page.
    const response = await marcus.goto(`${questionUrl.split("/").slice(0, 3).join("/")}/feedback`);
    expect(response?.status()).toBe(403);

    // The moderator moves the question to Microsoft 365; its numbers move with it; the CSV lists every space.
    await marcus.goto(questionUrl);
    await marcus.getByText("Move to another space (moderators)").click();
    await marcus.getByLabel("Space", { exact: true }).selectOption({ label: "Microsoft 365" });
    await marcus.getByRole("button", { name: "Move question" }).click();
    await marcus.locator("article header").getByRole("link", { name: "Microsoft 365" }).waitFor();
    const csv = await marcus.request.get("/pulse.csv?days=7");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toContain("scope,space_slug,space_name,days,questions_asked");
    expect(lines.some((line) => line.startsWith("space,microsoft-365,Microsoft 365,7,"))).toBe(true);
    expect((await grace.request.get("/pulse.csv")).status()).toBe(403);
    // The JavaScript-off page still renders the charts (server-side SVG).
    await page.goto("/pulse?space=microsoft-365");
    expect(await page.locator("svg[role='img']").count()).toBe(4);
  });
});
