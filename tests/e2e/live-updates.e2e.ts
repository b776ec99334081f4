/**
 * Live updates on a phone when the server refuses a stream: a server that keeps two event streams open (a signed-in
 * question page has two: the unread count's and the question's) refuses a second reader's (503), and that reader's
 * page opens them again by itself once the first reader has gone, is offered the answer posted meanwhile, and then hears
 * the next one. (A browser's EventSource gives up for good on any answer but a 200; app/lib/event-source.ts tries
 * again.)
 */
import type { Page, Response } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

const QUESTION = "/q/1";

/** The next answer with `status` to this page's stream at `path`. */
function streamAnswered(page: Page, path: string, status: number, timeout = 30_000): Promise<Response> {
  return page.waitForResponse((response) => new URL(response.url()).pathname === path && response.status() === status, {
    timeout,
  });
}

/**
 * Posts an answer to the question from this person's page, waits until it shows there, and closes the page (whose own
 * streams, refused, would otherwise keep asking and could take a place as soon as one is free).
 */
async function answer(writer: Page, text: string): Promise<void> {
  await writer.goto(QUESTION);
  await writer.getByLabel("Your answer", { exact: true }).fill(text);
  await writer.getByRole("button", { name: "Post your answer" }).click();
  await writer.getByText(text).waitFor();
  await writer.close();
}

describe.skipIf(!hasChromium)("live updates after a refused stream", () => {
  const suite = phoneSuite({ SSE_STREAM_LIMIT: "2" });

  test("a reader refused a stream gets it once another reader leaves, is offered what was posted meanwhile, then hears the next answer", async () => {
    // Both places go to the first reader (a stream its sign-in page opened may take a moment to be let go).
    const first = await suite.signedInPage("tom@peerdesk.test");
    const firstOpened = Promise.all([
      streamAnswered(first, "/events", 200),
      streamAnswered(first, `${QUESTION}/events`, 200),
    ]);
    await first.goto(QUESTION);
    await firstOpened;

    const second = await suite.signedInPage("sofia@peerdesk.test");
    const secondRefused = streamAnswered(second, `${QUESTION}/events`, 503);
    await second.goto(QUESTION);
    const refused = await secondRefused;
    expect(refused.headers()["retry-after"]).toBe("30");

    // While the second reader has no stream, someone answers (in words the glossary doesn't turn into buttons; the
    // writer's own page's streams are refused too: both places are the first reader's).
    const writer = await suite.signedInPage("dev@peerdesk.test");
    await answer(writer, "Unplug the dock for ten seconds; the second screen comes back after that.");

    // The first reader leaves: the second's page asks again after its pause (5 s, doubling with each refusal, so by now
    // up to 40 s), gets the stream, and learns from it what was posted while it was away.
    const secondOpened = streamAnswered(second, `${QUESTION}/events`, 200, 90_000);
    await first.close();
    await secondOpened;
    await second.getByRole("button", { name: "1 new answer — show" }).click({ timeout: 15_000 });
    await second.getByText("the second screen comes back after that").waitFor();

    // And from then on it hears each new answer as it comes.
    await answer(await suite.signedInPage("grace@peerdesk.test"), "Try the other USB-C port on the laptop first.");
    await second.getByRole("button", { name: "1 new answer — show" }).click({ timeout: 15_000 });
    await second.getByText("Try the other USB-C port on the laptop first.").waitFor();
    expect(await accessibilityViolations(second)).toEqual([]);
  }, 180_000);
});
