/**
 * A question page left open while an answer on it was deleted: "Accept this answer" and "Unaccept" pressed there say
 * why. With JavaScript the page keeps the answer's card after a refusal (it is not reloaded), and says it there;
 * without, the page that comes back no longer has the card, and says it once at the top.
 */
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("a question page older than the answer it acts on", () => {
  const suite = phoneSuite();

  async function answer(page: Page, questionId: number, text: string): Promise<number> {
    await page.goto(`/q/${questionId}`);
    await hydrated(page);
    await page.getByLabel("Your answer", { exact: true }).fill(text);
    await page.getByRole("button", { name: "Post your answer" }).click();
    await page.waitForURL(/#answer-\d+$/);
    return Number(/#answer-(\d+)$/.exec(page.url())?.[1]);
  }

  /** The page has hydrated (the answer editor's tabs show only then): its buttons send through JavaScript. */
  async function hydrated(page: Page) {
    await page.getByRole("tablist", { name: "Write or preview" }).first().waitFor();
  }

  /** Sends one of the question page's forms as this page's person would without JavaScript. */
  async function post(page: Page, questionId: number, form: Record<string, string>) {
    const origin = new URL(page.url()).origin;
    const response = await page
      .context()
      .request.post(`${origin}/q/${questionId}`, { form, headers: { Origin: origin }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
  }

  test("accepting or unaccepting an answer deleted meanwhile says so, with and without JavaScript", async () => {
    const asker = await suite.signedInPage("grace@peerdesk.test");
    await asker.goto("/ask");
    await asker.getByLabel("Space", { exact: true }).selectOption({ label: "Networking" });
    await asker
      .getByLabel("Title", { exact: true })
      .fill(`Printer drops off the network ${randomBytes(3).toString("hex")}`);
    await asker
      .getByLabel("Details", { exact: true })
      .fill("The office printer disappears from the network every afternoon and comes back only after a restart.");
    await asker.getByLabel("Tags", { exact: true }).fill("printing");
    await asker.getByRole("button", { name: "Post your question" }).click();
    await asker.waitForURL(/\/q\/\d+/);
    const questionId = Number(/\/q\/(\d+)/.exec(asker.url())?.[1]);

    const helper = await suite.signedInPage("dev@peerdesk.test");
    const first = await answer(
      helper,
      questionId,
      "Give the printer a fixed address in the router, outside the DHCP range.",
    );
    const second = await answer(
      helper,
      questionId,
      "Turn off the printer's power saving: it drops its lease when asleep.",
    );

    // Grace's two tabs, one with JavaScript and one without, opened before the answers change.
    await asker.goto(`/q/${questionId}`);
    await hydrated(asker);
    const noScript = await (
      await suite.context({ javaScriptEnabled: false, storageState: await asker.context().storageState() })
    ).newPage();
    await noScript.goto(`/q/${questionId}`);

    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    await moderator.goto(`/q/${questionId}`);
    await post(moderator, questionId, { intent: "delete", postId: String(first), reason: "Removed while testing" });

    const gone = "This answer doesn't exist or was deleted.";
    // With JavaScript: said beside the answer, which stays on the page.
    const card = asker.locator(`#answer-${first}`);
    await card.getByRole("button", { name: "Accept this answer" }).click();
    await card.getByRole("alert").filter({ hasText: gone }).waitFor();
    expect(await accessibilityViolations(asker)).toEqual([]);

    // Without: the page comes back without the answer, and says it at the top, above the question's title.
    await noScript.locator(`#answer-${first}`).getByRole("button", { name: "Accept this answer" }).click();
    const alert = noScript.getByRole("alert").filter({ hasText: gone });
    await alert.waitFor();
    expect(await noScript.locator(`#answer-${first}`).count()).toBe(0);
    const isAboveTitle = await alert.evaluate((element) => {
      const title = document.getElementById("question-title");
      return title !== null && Boolean(element.compareDocumentPosition(title) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(isAboveTitle).toBe(true);

    // Grace accepts the other answer; its author then deletes it, and "Unaccept" on her open page says so.
    await asker.goto(`/q/${questionId}`);
    await hydrated(asker);
    const accepted = asker.locator(`#answer-${second}`);
    await accepted.getByRole("button", { name: "Accept this answer" }).click();
    await accepted.getByRole("button", { name: "Unaccept" }).waitFor();
    await post(helper, questionId, { intent: "delete", postId: String(second) });
    await accepted.getByRole("button", { name: "Unaccept" }).click();
    await accepted
      .getByRole("alert")
      .filter({
        hasText:
          "This answer was deleted by its author, so it is no longer accepted. No answer is accepted on this question now.",
      })
      .waitFor();
  });
});
