/**
 * The rating choices on the narrowest phones: at 320 and 390 px wide no rating's words are broken mid-word ("Completel
 * / y" was), on the question page's card (the one-tap buttons, then the radio buttons once rated) and on the feedback
 * page; and nothing sticks out of its box or widens the page.
 */
import type { Page } from "playwright-core";
import { hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

const WIDTHS = [320, 390] as const;

/**
 * The words of each rating choice that the browser lays out on more than one line (a word broken apart), and the
 * choices whose words stick out of their box.
 */
async function brokenRatingWords(page: Page): Promise<string[]> {
  return page
    .locator(":is(button[name=rating], label:has(> input[name=rating])) > span:last-child")
    .evaluateAll((spans) => {
      const broken: string[] = [];
      for (const span of spans) {
        const box = span.parentElement?.getBoundingClientRect();
        const words = span.getBoundingClientRect();
        if (box && (words.left < box.left - 0.5 || words.right > box.right + 0.5))
          broken.push(`${span.textContent} sticks out`);
        for (const node of span.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE) continue;
          for (const match of (node.textContent ?? "").matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            if (range.getClientRects().length > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    });
}

describe.skipIf(!hasChromium)("rating choices on a phone", () => {
  const suite = phoneSuite();

  test("at 320 and 390 px every rating's words stay whole, on the question page's card and the feedback page", async () => {
    const tom = await suite.signedInPage("tom@peerdesk.test", { viewport: { width: 320, height: 740 } });
    await tom.goto("/ask?space=ask-it-plain-language");
    await tom.getByLabel("Title", { exact: true }).fill("The projector in room 4 shows a blue screen only");
    await tom
      .getByLabel("Details", { exact: true })
      .fill("The laptop is plugged in with the HDMI cable but the projector stays blue. What can I try myself?");
    await tom.getByLabel("Plain language please").check();
    await tom.getByRole("button", { name: "Post your question" }).click();
    await tom.waitForURL(/\/q\/\d+\//);
    const questionUrl = new URL(tom.url()).pathname;
    const questionId = questionUrl.split("/")[2];

    const priya = await suite.signedInPage("priya@peerdesk.test");
    await priya.goto(questionUrl);
    await priya.locator('article[data-viewer="ready"]').waitFor();
    await priya
      .getByLabel("Your answer", { exact: true })
      .fill("Press the Input button on the remote until it says HDMI 1.");
    await priya.getByRole("button", { name: "Post your answer" }).click();
    await priya.getByRole("heading", { name: "1 answer" }).waitFor();

    await tom.reload();
    await tom.locator('article[data-viewer="ready"]').waitFor();
    await tom
      .getByRole("article", { name: "Answer by Priya Raman" })
      .getByRole("button", { name: "Accept this answer" })
      .click();
    const card = tom.locator("#feedback");
    const completely = card.getByRole("button", { name: "5 Completely (out of 5)", exact: true });
    await completely.waitFor();
    for (const width of WIDTHS) {
      await tom.setViewportSize({ width, height: 740 });
      expect([width, await brokenRatingWords(tom)]).toEqual([width, []]);
      expect([width, await sidewaysOverflow(tom)]).toEqual([width, 0]);
    }

    await card.getByRole("button", { name: "4 Mostly (out of 5)", exact: true }).click();
    await card.getByText("You rated the help 4 out of 5", { exact: false }).waitFor();
    await card.getByRole("radio", { name: "5 Completely (out of 5)" }).waitFor({ state: "attached" });
    for (const width of WIDTHS) {
      await tom.setViewportSize({ width, height: 740 });
      expect([width, await brokenRatingWords(tom)]).toEqual([width, []]);
      expect([width, await sidewaysOverflow(tom)]).toEqual([width, 0]);
    }

    await tom.goto(`/q/${questionId}/feedback`);
    await tom.getByRole("radio", { name: "5 Completely (out of 5)" }).waitFor({ state: "attached" });
    for (const width of WIDTHS) {
      await tom.setViewportSize({ width, height: 740 });
      expect([width, await brokenRatingWords(tom)]).toEqual([width, []]);
      expect([width, await sidewaysOverflow(tom)]).toEqual([width, 0]);
    }
  });
});
