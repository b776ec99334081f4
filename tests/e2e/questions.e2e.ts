/** Questions and answers on a phone: ask, answer, accept, read as a visitor; double submits, kept text, no-JS forms, accessibility. */
import type { APIRequestContext, BrowserContext, Page } from "playwright-core";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import {
  accessibilityViolations,
  hasChromium,
  phoneSuite,
  sidewaysOverflow,
  signInAs,
  type PhoneSuite,
} from "./harness";

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
// Sign-in is rate limited per address (5 a minute) and per client, so each person signs in once and later contexts reuse
// the cookie, and tests reuse the people earlier tests signed in.
const savedSessions = new Map<string, StorageState>();

async function signedIn(
  suite: PhoneSuite,
  email: string,
  { javaScriptEnabled = true } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const saved = savedSessions.get(email);
  if (saved) {
    const context = await suite.context({ javaScriptEnabled, storageState: saved });
    return { context, page: await context.newPage() };
  }
  const context = await suite.context();
  const page = await context.newPage();
  await signInAs(page, email);
  savedSessions.set(email, await context.storageState());
  if (javaScriptEnabled) return { context, page };
  await context.close();
  return signedIn(suite, email, { javaScriptEnabled });
}

/** The viewer's votes and permissions arrive after hydration; wait for them before using the buttons. */
async function waitForViewer(page: Page) {
  await page.locator('article[data-viewer="ready"]').waitFor();
}

/**
 * The page has hydrated: the answer editor's Write/Preview tabs show only then, after the effects that save drafts as
 * one types are in place (text filled in before would never be saved).
 */
async function waitForHydratedEditor(page: Page) {
  await page.getByRole("tablist", { name: "Write or preview" }).first().waitFor();
}

/** Sends one of the question page's forms as `request`'s person would without JavaScript; returns where it went next. */
async function postToQuestion(request: APIRequestContext, url: string, form: Record<string, string>): Promise<string> {
  const { origin, pathname } = new URL(url);
  const response = await request.post(`${origin}${pathname}`, { form, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status()).toBe(303);
  return response.headers().location ?? "";
}

async function countQuestionsTitled(page: Page, title: string): Promise<number> {
  await page.goto("/questions?sort=newest");
  return page.getByRole("link", { name: title, exact: true }).count();
}

describe.skipIf(!hasChromium)("questions and answers on a phone", () => {
  const suite = phoneSuite();

  beforeAll(async () => {});

  test("a member asks with a code block, two others answer, the asker accepts one, and a visitor sees it first with highlighted code", async () => {
    const asker = await signedIn(suite, "dev@peerdesk.test");
    const { page } = asker;
    await page.goto("/s/networking");
    await page.getByRole("link", { name: "Ask in this space" }).click();
    await page.waitForURL("**/ask?space=networking");
    expect(
      await page
        .getByLabel("Space", { exact: true })
        .evaluate((el) => (el instanceof HTMLSelectElement ? el.selectedOptions[0]?.textContent : null)),
    ).toBe("Networking");

    const title = "Site-to-site VPN tunnel drops whenever the ISP renews DHCP";
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page
      .getByLabel("Details", { exact: true })
      .fill(
        '## What happens\n\nEvery night at 02:00 the tunnel drops for about a minute.\n\n```bash\n# is the tunnel up?\nsudo ipsec statusall | grep -i "established"\n```\n\nHow do I make it survive the renewal?',
      );
    await page.getByLabel("Tags", { exact: true }).fill("VPN, Site to Site, vpn");
    await page.getByLabel("Technical").check();
    await page.getByRole("button", { name: "Post your question" }).click();
    await page.waitForURL(/\/q\/\d+\/site-to-site-vpn-tunnel/);
    const questionUrl = new URL(page.url()).pathname;
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    const header = page.locator("article > header");
    expect(await header.getByRole("link", { name: /^Questions tagged / }).allTextContents()).toEqual([
      "site-to-site",
      "vpn",
    ]);

    // The asker can't vote on their own question: the buttons are off, with the reason beside them.
    await waitForViewer(page);
    const ownVote = page.getByRole("button", { name: "Vote this question up: it is useful and clear" });
    expect(await ownVote.isDisabled()).toBe(true);
    await page.getByText("You can't vote on your own post.").first().waitFor();

    // Two other members answer; one also votes the question up.
    const tom = await signedIn(suite, "tom@peerdesk.test");
    await tom.page.goto(questionUrl);
    await waitForViewer(tom.page);
    await tom.page
      .getByLabel("Your answer", { exact: true })
      .fill("Renew the lease on a schedule before the ISP does, and enable DPD so the tunnel re-establishes itself.");
    await tom.page.getByRole("button", { name: "Post your answer" }).click();
    await tom.page.getByRole("heading", { name: "1 answer" }).waitFor();
    await tom.page.getByRole("button", { name: "Vote this question up: it is useful and clear" }).click();
    await tom.page
      .getByRole("button", { name: "You voted this question up; select again to take your vote back" })
      .waitFor();
    expect(
      await tom.page
        .locator(`#post-${questionUrl.split("/")[2]}`)
        .getByLabel("Score 1")
        .count(),
    ).toBe(1);

    const grace = await signedIn(suite, "grace@peerdesk.test");
    await grace.page.goto(questionUrl);
    await grace.page
      .getByLabel("Your answer", { exact: true })
      .fill(
        "# Why it drops\n\nAsk your provider for a static address: then there is no renewal to drop the tunnel at all.",
      );
    await grace.page.getByRole("button", { name: "Post your answer" }).click();
    await grace.page.getByRole("heading", { name: "2 answers" }).waitFor();

    // The asker accepts the newer answer; it moves to the top.
    await page.reload();
    await waitForViewer(page);
    const graceAnswer = page.getByRole("article", { name: "Answer by Grace Kim" });
    await graceAnswer.getByRole("button", { name: "Accept this answer" }).click();
    await page
      .getByRole("article", { name: "Accepted answer" })
      .getByText("Ask your provider for a static address")
      .waitFor();

    // A visitor sees the accepted answer first and the code highlighted on the server.
    const visitor = await suite.context();
    const reader = await visitor.newPage();
    await reader.goto(questionUrl);
    const answers = reader.locator("section[aria-labelledby='answers-heading'] > article");
    expect(await answers.count()).toBe(2);
    expect(await answers.first().getAttribute("aria-label")).toBe("Accepted answer");
    expect(await answers.first().textContent()).toContain("static address");
    // Headings in posts nest under the page's: the question's "##" under its h1 is an h2, the answer's "#" under
    // "2 answers" (h2) an h3.
    const questionId = questionUrl.split("/")[2];
    expect(
      await reader
        .locator(`#post-body-${questionId} :is(h1, h2, h3, h4)`)
        .evaluateAll((els) => els.map((el) => `${el.tagName} ${el.textContent}`)),
    ).toEqual(["H2 What happens"]);
    expect(
      await answers
        .first()
        .locator(".prose-post :is(h1, h2, h3, h4)")
        .evaluateAll((els) => els.map((el) => `${el.tagName} ${el.textContent}`)),
    ).toEqual(["H3 Why it drops"]);
    expect(await reader.locator("pre code.hljs.language-bash span[class^='hljs-']").count()).toBeGreaterThan(0);
    const structured = JSON.parse(
      (await reader.locator('script[type="application/ld+json"]').textContent()) ?? "{}",
    ) as { "@type"?: string; mainEntity?: { acceptedAnswer?: { text?: string }; answerCount?: number } };
    expect(structured["@type"]).toBe("QAPage");
    expect(structured.mainEntity?.answerCount).toBe(2);
    expect(structured.mainEntity?.acceptedAnswer?.text).toContain("static address");
    expect(await reader.locator('link[rel="canonical"]').getAttribute("href")).toBe(
      `${suite.server.url}${questionUrl}`,
    );
    expect(await reader.locator('meta[name="description"]').getAttribute("content")).toContain(
      "Every night at 02:00 the tunnel drops",
    );
    expect(await accessibilityViolations(reader)).toEqual([]);

    // "Share" under an answer copies its short link, on the reader's page (no React) and on a member's (hydrated);
    // the link leads to the answer.
    const acceptedId = ((await answers.first().getAttribute("id")) ?? "").replace("answer-", "");
    const answerLink = `${suite.server.url}/a/${acceptedId}`;
    for (const [context, sharer] of [
      [visitor, reader],
      [asker.context, page],
    ] as const) {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.server.url });
      const accepted = sharer.getByRole("article", { name: "Accepted answer" });
      await accepted.getByRole("link", { name: "Share a link to this answer" }).click();
      await accepted.getByText("Link to this answer copied.").waitFor();
      expect(await sharer.evaluate(() => navigator.clipboard.readText())).toBe(answerLink);
    }
    await reader.goto(answerLink);
    expect(new URL(reader.url()).pathname).toBe(questionUrl);
    expect(new URL(reader.url()).hash).toBe(`#answer-${acceptedId}`);

    // The asker edits with a note; the history shows the change as a word diff.
    await page.goto(questionUrl);
    await waitForViewer(page);
    await page.getByRole("link", { name: "Edit this question" }).click();
    await page.waitForURL("**/edit");
    await page
      .getByLabel("Details", { exact: true })
      .fill(
        '## What happens\n\nEvery night at 02:00 the tunnel drops for about two minutes.\n\n```bash\n# is the tunnel up?\nsudo ipsec statusall | grep -i "established"\n```\n\nHow do I make it survive the renewal?',
      );
    await page.getByLabel("Edit note", { exact: true }).fill("Measured the outage");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === questionUrl);
    await page.getByRole("link", { name: /History of this question: 2 versions/ }).click();
    await page.getByRole("heading", { name: "Version 2" }).waitFor();
    await page.getByText("“Measured the outage”").waitFor();
    expect((await page.locator("#revision-2 ins").allTextContents()).join(" ")).toMatch(/two.*minutes\./);
    expect((await page.locator("#revision-2 del").allTextContents()).join(" ")).toMatch(/a.*minute\./);
    expect(await accessibilityViolations(page)).toEqual([]);

    for (const context of [asker.context, tom.context, grace.context, visitor]) await context.close();
  });

  test("validation errors keep what was typed, and a double click on submit creates one question", async () => {
    const { context, page } = await signedIn(suite, "priya@peerdesk.test");
    await page.goto("/ask");
    const body = "Our guest Wi-Fi portal stops redirecting after roughly 200 clients connect at once.";
    await page.getByLabel("Space", { exact: true }).selectOption({ label: "Networking" });
    await page.getByLabel("Title", { exact: true }).fill("Guest Wi-Fi");
    await page.getByLabel("Details", { exact: true }).fill(body);
    await page.getByLabel("Tags", { exact: true }).fill("wi-fi, guest-network");
    await page.getByRole("button", { name: "Post your question" }).click();
    await page.getByText("Titles need at least 15 characters (yours has 11).", { exact: false }).waitFor();
    expect(await page.getByLabel("Details", { exact: true }).inputValue()).toBe(body);
    expect(await page.getByLabel("Tags", { exact: true }).inputValue()).toBe("wi-fi, guest-network");
    expect(await page.getByLabel("Title", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await accessibilityViolations(page)).toEqual([]);

    const title = "Guest Wi-Fi captive portal stops redirecting at 200 clients";
    await page.getByLabel("Title", { exact: true }).fill(title);
    // A double click sends the form once: the page drops a second submission while the first is on its way, so the
    // one POST's answer (the redirect the page follows) is the moment every write of this test is done.
    const posts: string[] = [];
    const onRequest = (request: { method: () => string; url: () => string }) => {
      if (request.method() === "POST") posts.push(request.url());
    };
    page.on("request", onRequest);
    await page.getByRole("button", { name: "Post your question" }).dblclick();
    await page.waitForURL(/\/q\/\d+\//);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    page.off("request", onRequest);
    // Remix sends the form to "/ask.data" (single fetch); without JavaScript it would be "/ask".
    expect(posts.filter((url) => /^\/ask(\.data)?$/.test(new URL(url).pathname))).toHaveLength(1);
    expect(await countQuestionsTitled(page, title)).toBe(1);

    // The same form sent twice at once (a retried request) also makes one question.
    await page.goto("/ask");
    const secondTitle = "Captive portal certificate warning on every iPhone";
    await page.getByLabel("Space", { exact: true }).selectOption({ label: "Networking" });
    await page.getByLabel("Title", { exact: true }).fill(secondTitle);
    await page
      .getByLabel("Details", { exact: true })
      .fill("Every iPhone shows a certificate warning before the guest portal loads.");
    await page.getByLabel("Tags", { exact: true }).fill("wi-fi");
    const statuses = await page.evaluate(async () => {
      const form = document.querySelector("main form[method='post']");
      if (!(form instanceof HTMLFormElement)) throw new Error("no form");
      const send = () =>
        fetch(form.action, { method: "POST", body: new FormData(form), redirect: "manual" }).then((r) => r.status);
      return Promise.all([send(), send()]);
    });
    expect(statuses.every((s) => s === 303 || s === 0)).toBe(true);
    expect(await countQuestionsTitled(page, secondTitle)).toBe(1);
    await context.close();
  });

  test("the ask form starts in plain language for a business colleague, and a plain-language space asks for it", async () => {
    const business = await signedIn(suite, "grace@peerdesk.test");
    await business.page.goto("/ask");
    expect(await business.page.getByLabel("Plain language please").isChecked()).toBe(true);
    await business.context.close();

    const { context, page } = await signedIn(suite, "sofia@peerdesk.test");
    await page.goto("/ask");
    expect(await page.getByLabel("Technical").isChecked()).toBe(true);
    await page.getByLabel("Space", { exact: true }).selectOption({ label: "Ask IT (plain language)" });
    expect(await page.getByLabel("Plain language please").isChecked()).toBe(true);
    // The asker may still choose otherwise; another space leaves their choice alone.
    await page.getByLabel("Technical").check();
    await page.getByLabel("Space", { exact: true }).selectOption({ label: "Networking" });
    expect(await page.getByLabel("Technical").isChecked()).toBe(true);
    await context.close();
  });

  test("without JavaScript, members still vote, comment and answer with plain forms", async () => {
    const { context, page } = await signedIn(suite, "tom@peerdesk.test", { javaScriptEnabled: false });
    await page.goto("/q/1");
    const question = page.locator("#post-1");
    const before = Number(
      await question
        .getByLabel(/^Score /)
        .first()
        .textContent(),
    );
    await question.getByRole("button", { name: "Vote this question up: it is useful and clear" }).click();
    await page.waitForURL("**/q/1/**");
    expect(
      Number(
        await page
          .locator("#post-1")
          .getByLabel(/^Score /)
          .first()
          .textContent(),
      ),
    ).toBe(before + 1);

    // A too-short comment comes back with the message and the text; then a real one is posted.
    await page.locator("#post-1").getByText("Add a comment").click();
    await page.locator("#post-1").getByLabel("Your comment on this question").fill("ok");
    await page.locator("#post-1").getByRole("button", { name: "Post comment" }).click();
    await page.getByText("Comments need at least 3 characters.").waitFor();
    expect(await page.locator("#post-1").getByLabel("Your comment on this question").inputValue()).toBe("ok");
    await page
      .locator("#post-1")
      .getByLabel("Your comment on this question")
      .fill("Does the **same** happen on wired clients?");
    await page.locator("#post-1").getByRole("button", { name: "Post comment" }).click();
    await page.locator("#comments-1").getByText("happen on wired clients?").waitFor();

    await page
      .getByLabel("Your answer", { exact: true })
      .fill("Check the IKEv2 SA lifetime on both ends; mismatched lifetimes cause exactly this hourly drop.");
    await page.getByRole("button", { name: "Post your answer" }).click();
    await page.getByText("mismatched lifetimes cause exactly this hourly drop").waitFor();
    await context.close();
  });

  test("an open question page offers new answers and comments as they arrive; without JavaScript only permitted controls show, and Follow is real", async () => {
    const reader = await signedIn(suite, "grace@peerdesk.test");
    const writer = await signedIn(suite, "dev@peerdesk.test");
    const path = "/q/1";
    await reader.page.goto(path);
    await waitForViewer(reader.page);
    await writer.page.goto(path);
    await waitForViewer(writer.page);
    const text = "Turn off Fast Startup in Power Options; it keeps the old driver state across restarts.";
    // Glossary terms in the answer ("driver") become buttons, so look for a run of plain words.
    const shown = "Turn off Fast Startup in Power Options";
    await writer.page.getByLabel("Your answer", { exact: true }).fill(text);
    await writer.page.getByRole("button", { name: "Post your answer" }).click();
    await writer.page.getByText(shown).waitFor();
    // The writer's own page offers nothing new; the reader's offers it, and shows it on request.
    await reader.page.getByRole("button", { name: "1 new answer — show" }).click({ timeout: 15_000 });
    await reader.page.getByText(shown).waitFor();
    expect(await reader.page.getByRole("button", { name: /new answer/ }).count()).toBe(0);
    expect(await writer.page.getByRole("button", { name: /new answer/ }).count()).toBe(0);
    expect(await accessibilityViolations(reader.page)).toEqual([]);

    // Without JavaScript: Grace sees no Edit, Delete or Unaccept on Dev's answer, and Dev sees his own Follow state.
    const plainReader = await signedIn(suite, "grace@peerdesk.test", { javaScriptEnabled: false });
    await plainReader.page.goto(path);
    const answer = plainReader.page.locator("article", { hasText: shown }).last();
    await answer.waitFor();
    expect(await answer.getByRole("link", { name: "Edit this answer" }).count()).toBe(0);
    expect(await answer.getByLabel("Delete this answer").count()).toBe(0);
    expect(await plainReader.page.getByRole("button", { name: "Unaccept" }).count()).toBe(0);
    await plainReader.context.close();
    const plainWriter = await signedIn(suite, "dev@peerdesk.test", { javaScriptEnabled: false });
    await plainWriter.page.goto(path);
    await plainWriter.page.getByRole("button", { name: "Follow this question", pressed: true }).waitFor();
    expect(
      await plainWriter.page
        .locator("article", { hasText: shown })
        .last()
        .getByRole("link", { name: "Edit this answer" })
        .count(),
    ).toBe(1);
    await plainWriter.context.close();
    await reader.context.close();
  });

  test("a signed-in page sends each body once, keeps the bodies after hydration, and shows someone else's edit when its data reloads", async () => {
    const writer = await signedIn(suite, "dev@peerdesk.test");
    const reader = await signedIn(suite, "grace@peerdesk.test");
    const path = "/q/1";
    const first = "Check the clock skew between the laptop and the domain controller before anything else.";
    await writer.page.goto(path);
    await waitForViewer(writer.page);
    await writer.page.getByLabel("Your answer", { exact: true }).fill(first);
    await writer.page.getByRole("button", { name: "Post your answer" }).click();
    const phrase = "clock skew between the laptop";
    await writer.page.getByText(phrase).waitFor();

    // The HTML carries the body; the page data for hydration does not carry it again.
    const html = await (await reader.page.request.get(path)).text();
    expect(html.split(phrase)).toHaveLength(2);
    await reader.page.goto(path);
    await waitForViewer(reader.page);
    const answer = reader.page.locator("article[id^='answer-']", { hasText: phrase });
    await answer.waitFor();
    const bodiesAfterHydration = await reader.page
      .locator(".prose-post")
      .evaluateAll((nodes) => nodes.map((n) => n.textContent?.trim() ?? ""));
    expect(bodiesAfterHydration.length).toBeGreaterThan(1);
    expect(bodiesAfterHydration.every((text) => text.length > 0)).toBe(true);

    // Dev edits his answer; Grace's next reload of the page data (after her vote) shows the new text.
    const answerId = (await answer.getAttribute("id"))?.replace("answer-", "");
    await writer.page.goto(`/a/${answerId}/edit`);
    await writer.page
      .getByLabel("Answer", { exact: true })
      .fill("Check the time sync service on the laptop first: a skew of five minutes breaks Kerberos.");
    await writer.page.getByRole("button", { name: "Save changes" }).click();
    await writer.page.waitForURL((url) => url.pathname.startsWith("/q/1"));
    await answer.getByRole("button", { name: /Vote this answer up/ }).click();
    await reader.page.getByText("a skew of five minutes breaks").waitFor();
    expect(await reader.page.getByText(phrase).count()).toBe(0);
    const bodiesAfterReload = await reader.page
      .locator(".prose-post")
      .evaluateAll((nodes) => nodes.map((n) => n.textContent?.trim() ?? ""));
    expect(bodiesAfterReload.every((text) => text.length > 0)).toBe(true);
    await writer.context.close();
    await reader.context.close();
  });

  test("one answer edited in two tabs: the later save is refused with what was typed kept, saving again replaces the newer version knowingly, and a save after the answer was deleted hands the text back", async () => {
    const { context, page } = await signedIn(suite, "tom@peerdesk.test");
    await page.goto("/q/1");
    await waitForViewer(page);
    await page
      .getByLabel("Your answer", { exact: true })
      .fill("Restart the print spooler service, then clear its queue folder.");
    await page.getByRole("button", { name: "Post your answer" }).click();
    const answer = page.locator("article[id^='answer-']", { hasText: "Restart the print spooler service" });
    await answer.waitFor();
    const answerId = (await answer.getAttribute("id"))?.replace("answer-", "");
    const other = await context.newPage();
    await page.goto(`/a/${answerId}/edit`);
    await other.goto(`/a/${answerId}/edit`);

    const firstText = "First tab: restart the print spooler service from Services, then print a test page.";
    await page.getByLabel("Answer", { exact: true }).fill(firstText);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/q/1"));

    const secondText = "Second tab: the spooler keeps stopping when a stuck job is in the queue; delete the job first.";
    await other.getByLabel("Answer", { exact: true }).fill(secondText);
    await other.getByLabel("Edit note").fill("Say why it stops");
    await other.getByRole("button", { name: "Save changes" }).click();
    const alert = other.getByRole("alert").filter({ hasText: "You saved a newer version of this answer" });
    await alert.waitFor();
    expect(await other.getByLabel("Answer", { exact: true }).inputValue()).toBe(secondText);
    expect(await other.getByLabel("Edit note").inputValue()).toBe("Say why it stops");
    expect(await alert.getByRole("link", { name: "Open the history in a new tab" }).getAttribute("href")).toBe(
      `/posts/${answerId}/revisions`,
    );
    expect(await accessibilityViolations(other)).toEqual([]);
    expect(await sidewaysOverflow(other)).toBeLessThanOrEqual(0);

    // Having seen it, the second tab saves again: its text replaces the newer version, and both stay in the history.
    await other.getByRole("button", { name: "Save changes" }).click();
    await other.waitForURL((url) => url.pathname.startsWith("/q/1"));
    await other.getByText("delete the job first").waitFor();
    await other.goto(`/posts/${answerId}/revisions`);
    await other.getByText("Say why it stops").waitFor();
    await expect.poll(() => other.getByText(/print a test page/).count()).toBeGreaterThan(0);

    // Deleted while being edited: the save cannot land, and the error page hands back what was typed, to copy.
    await other.goto(`/a/${answerId}/edit`);
    const unsaved = "Third try: set the spooler to restart itself on failure, in the service's Recovery tab.";
    await other.getByLabel("Answer", { exact: true }).fill(unsaved);
    const noJs = await suite.context({ javaScriptEnabled: false, storageState: await context.storageState() });
    const plain = await noJs.newPage();
    await plain.goto(`/a/${answerId}/edit`);
    await plain.getByLabel("Answer", { exact: true }).fill(unsaved);
    await page.goto("/q/1");
    await waitForViewer(page);
    const mine = page.locator(`article#answer-${answerId}`);
    await mine.getByText("Delete", { exact: true }).click();
    await mine.getByRole("button", { name: "Yes, delete this answer" }).click();
    await mine.waitFor({ state: "detached" });
    await other.getByRole("button", { name: "Save changes" }).click();
    await other.getByText("This answer was deleted while you were editing it").waitFor();
    expect(await other.getByLabel("What you typed").inputValue()).toBe(`Text:\n${unsaved}`);
    expect(await accessibilityViolations(other)).toEqual([]);
    // The same without JavaScript: the plain form's post comes back as the same page.
    await plain.getByRole("button", { name: "Save changes" }).click();
    await plain.getByText("This answer was deleted while you were editing it").waitFor();
    await plain.getByRole("heading", { name: "What you wrote wasn't saved" }).waitFor();
    expect(await plain.getByLabel("What you typed").inputValue()).toBe(`Text:\n${unsaved}`);
    await noJs.close();
    await context.close();
  });

  test("cached answer cards hydrate without a mismatch, and a comment form opens in place only when asked for", async () => {
    const { context, page } = await signedIn(suite, "grace@peerdesk.test");
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    // The second visit's answers section (its cards inside) comes from the server's HTML cache (cached-html.server.tsx).
    for (let visit = 0; visit < 2; visit++) {
      await page.goto("/q/1");
      await waitForViewer(page);
    }
    expect(errors.filter((error) => /Minified React error|hydrat/i.test(error))).toEqual([]);
    // No comment form until someone asks for one; then it opens in place, without leaving the page.
    expect(await page.getByLabel(/^Your comment on this/).count()).toBe(0);
    const answer = page.locator("article[id^='answer-']").first();
    await answer.getByRole("link", { name: "Add a comment" }).click();
    const field = answer.getByLabel("Your comment on this answer");
    await field.waitFor();
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.getByLabel(/^Your comment on this/).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    const text = "Which firmware version does the dock run?";
    await field.fill(text);
    await answer.getByRole("button", { name: "Post comment" }).click();
    await answer.getByText(text).waitFor();
    // The same card from the cache with the new comment, for the next visit too.
    await page.goto("/q/1");
    await waitForViewer(page);
    await page.locator("article[id^='answer-']").first().getByText(text).waitFor();
    expect(errors.filter((error) => /Minified React error|hydrat/i.test(error))).toEqual([]);
    await context.close();
  });

  test("a moderator deletes a question, still sees it marked, and restores it; visitors see it only while it is not deleted", async () => {
    const { context, page } = await signedIn(suite, "marcus@peerdesk.test");
    await page.goto("/questions?sort=newest");
    await page.getByRole("link", { name: "LACP bond between two core switches flaps after a firmware update" }).click();
    await page.waitForURL(/\/q\/\d+\/lacp-bond/);
    const questionUrl = new URL(page.url()).pathname;
    await waitForViewer(page);
    await page.getByText("Delete", { exact: true }).first().click();
    // The question asks first, within the phone's width (a floating panel ran 99 px off it).
    const confirm = page.getByRole("button", { name: "Yes, delete this question" });
    const box = await confirm.boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= (page.viewportSize()?.width ?? 0)).toBe(true);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    // Someone else's post: the moderator may say why, and its author is told.
    await page
      .getByLabel("Why? (optional; its author is told, and the public log shows it)")
      .fill("Asked twice: the same question is open in Networking.");
    await confirm.click();
    await page.getByText("This question was deleted", { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const { context: authorContext, page: author } = await signedIn(suite, "dev@peerdesk.test");
    await author.goto("/me/moderation");
    await author
      .getByText(
        "A moderator removed your question “LACP bond between two core switches flaps after a firmware update”. Note: Asked twice: the same question is open in Networking.",
      )
      .waitFor();
    // Its address tells its author what happened to it, rather than that it never existed.
    expect((await author.goto(questionUrl))?.status()).toBe(404);
    await author
      .getByText("A moderator removed your question “LACP bond between two core switches", { exact: false })
      .waitFor();
    await authorContext.close();

    const visitor = await suite.context();
    const reader = await visitor.newPage();
    expect((await reader.goto(questionUrl))?.status()).toBe(404);
    await reader.goto("/questions?sort=newest");
    expect(
      await reader
        .getByRole("link", { name: "LACP bond between two core switches flaps after a firmware update" })
        .count(),
    ).toBe(0);

    await page.getByRole("button", { name: "Restore this question" }).click();
    await page.getByText("This question was deleted", { exact: false }).waitFor({ state: "detached" });
    expect((await reader.goto(questionUrl))?.status()).toBe(200);
    await visitor.close();
    await context.close();
  });

  test("the Q&A pages have no serious accessibility problems and fit a phone screen", async () => {
    const { context, page } = await signedIn(suite, "dev@peerdesk.test");
    for (const path of [
      "/ask",
      "/questions",
      "/questions?sort=top&period=month",
      "/questions?sort=unanswered&tag=dns",
      "/s/security?sort=newest",
      "/q/1",
      "/q/1/edit",
      "/posts/1/revisions",
      "/tags",
      "/tags?q=vpn&sort=name",
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      // Not "networkidle": signed-in pages keep a live-updates stream open.
      await page.waitForLoadState("load");
      expect(await accessibilityViolations(page), path).toEqual([]);
      const overflow = await sidewaysOverflow(page);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    // Following "More questions" never shows a question twice.
    await page.goto("/questions?sort=newest");
    const firstPage = await page.locator("main ul > li h2 a").allTextContents();
    await page.getByRole("link", { name: "More questions →" }).click();
    await page.waitForURL(/after=/);
    await expect.poll(() => page.locator("main ul > li h2 a").first().textContent()).not.toBe(firstPage[0]);
    const secondPage = await page.locator("main ul > li h2 a").allTextContents();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);
    await context.close();
  });

  test("a comment being written when its answer is deleted is not lost: the page says so and hands the text back", async () => {
    const { context, page } = await signedIn(suite, "grace@peerdesk.test");
    await page.goto("/q/11");
    await waitForViewer(page);
    const answer = page.locator("article[id^='answer-']").first();
    const answerId = (await answer.getAttribute("id"))?.replace("answer-", "");
    await answer.getByRole("link", { name: "Add a comment" }).click();
    const typed = "Which router model is this on? The firmware notes for 2.4 mention exactly this drop at renewal.";
    await answer.getByLabel("Your comment on this answer").fill(typed);

    // Meanwhile a moderator deletes the answer.
    const moderator = await signedIn(suite, "marcus@peerdesk.test");
    const origin = new URL(page.url()).origin;
    const deleted = await moderator.context.request.post(`${origin}/q/11`, {
      form: { intent: "delete", postId: String(answerId), reason: "Removed while testing" },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(deleted.status()).toBe(303);

    await answer.getByRole("button", { name: "Post comment" }).click();
    await page.getByText("This answer was deleted while you were writing your comment").waitFor();
    // Headed as what happened to the writer, not as a broken link ("Page not found").
    await page.getByRole("heading", { name: "What you wrote wasn't saved" }).waitFor();
    expect(await page.title()).toBe("What you wrote wasn't saved · PeerDesk");
    expect(await page.getByLabel("What you typed").inputValue()).toBe(typed);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await moderator.context.close();
    await context.close();
  });

  test("text being written stays when others' answers and comments are shown, and a new answer deleted meanwhile is said so", async () => {
    const reader = await signedIn(suite, "grace@peerdesk.test");
    const { page } = reader;
    // A saved draft, put back into the answer box when the page opens again.
    await page.goto("/q/1");
    await waitForHydratedEditor(page);
    const answerBox = page.getByLabel("Your answer", { exact: true });
    const draft = "Half-written: check the dock's firmware version first, then";
    await answerBox.fill(draft);
    await page.getByText("Draft saved").waitFor();
    await page.reload();
    await waitForHydratedEditor(page);
    expect(await answerBox.inputValue()).toBe(draft);
    // Said so, as on the ask form, and counted.
    await page.getByText("We restored the answer you started earlier.").waitFor();
    await page.getByText(`${draft.length} / 30,000 characters`).waitFor();
    const answer = page.locator("article[id^='answer-']").first();
    const answerId = (await answer.getAttribute("id"))?.replace("answer-", "") ?? "";
    await answer.getByRole("link", { name: "Add a comment" }).click();
    const comment = "Does this also happen with the dock's own power supply?";
    await answer.getByLabel("Your comment on this answer").fill(comment);

    // Others answer and comment meanwhile; showing them leaves both boxes as they were.
    const tom = await signedIn(suite, "tom@peerdesk.test");
    const dev = await signedIn(suite, "dev@peerdesk.test");
    await postToQuestion(tom.context.request, page.url(), {
      intent: "comment",
      postId: answerId,
      body: "Same here on the older dock model.",
    });
    await postToQuestion(dev.context.request, page.url(), {
      intent: "answer",
      body: "Swap the dock's cable for a shorter certified one; long cables drop the second screen.",
    });
    const show = page.getByRole("button", { name: "1 new answer and 1 new comment — show" });
    await show.waitFor({ timeout: 15_000 });
    // Typed just before "show", too soon for the draft to have it.
    await answerBox.press("End");
    await answerBox.pressSequentially(" the cable.");
    await show.click();
    await page.getByText("Same here on the older dock model.").waitFor();
    expect(await answer.getByLabel("Your comment on this answer").inputValue()).toBe(comment);
    expect(await answerBox.inputValue()).toBe(`${draft} the cable.`);

    // An answer deleted before "show" is pressed: the page says so, and focus goes there rather than to the page's top.
    const posted = await postToQuestion(dev.context.request, page.url(), {
      intent: "answer",
      body: "Posted by mistake: this answer is deleted straight away.",
    });
    await page.getByRole("button", { name: "1 new answer — show" }).waitFor({ timeout: 15_000 });
    const postedId = posted.split("#answer-")[1] ?? "";
    await postToQuestion(dev.context.request, page.url(), { intent: "delete", postId: postedId, reason: "" });
    await page.getByRole("button", { name: "1 new answer — show" }).click();
    const gone = page.getByText("The new answer was removed before it could be shown.");
    await gone.waitFor();
    expect(await gone.evaluate((element) => element === document.activeElement)).toBe(true);
    await Promise.all([tom.context.close(), dev.context.close(), reader.context.close()]);
  });

  test("signed out in another tab: a comment sent meanwhile goes back into its own comment form, not the answer box", async () => {
    const tab = await suite.signedInPage("sofia@peerdesk.test");
    await tab.goto("/q/1");
    await waitForViewer(tab);
    const questionPath = new URL(tab.url()).pathname;
    const answerId = (await tab.locator("article[id^='answer-']").first().getAttribute("id"))?.replace("answer-", "");
    await tab.goto(`${questionPath}?comment=${answerId}`);
    const answer = tab.locator(`#answer-${answerId}`);
    const field = answer.getByLabel("Your comment on this answer");
    const comment = "Signed-out test: which driver version fixed it for you?";
    await field.fill(comment);
    const otherTab = await tab.context().newPage();
    await otherTab.goto("/");
    await otherTab.locator("summary", { hasText: "Sofia" }).click();
    await otherTab.getByRole("button", { name: "Sign out" }).click();
    await otherTab.getByRole("link", { name: "Sign in" }).first().waitFor();

    await answer.getByRole("button", { name: "Post comment" }).click();
    await tab.waitForURL((url) => url.pathname === "/signin");
    await tab.getByLabel("Email").fill("sofia@peerdesk.test");
    await tab.getByLabel("Password").fill(DEMO_PASSWORD);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.waitForURL((url) => url.pathname === questionPath);
    await tab.getByRole("status").filter({ hasText: "We've put back what you typed" }).waitFor();
    expect(await field.inputValue()).toBe(comment);
    expect(await tab.getByLabel("Your answer", { exact: true }).inputValue()).toBe("");
    await tab.context().close();
  });

  test("a restored answer draft can be discarded: the box and its count are empty, and it doesn't come back", async () => {
    const { page, context } = await signedIn(suite, "grace@peerdesk.test");
    await page.goto("/q/3");
    await waitForHydratedEditor(page);
    const answerBox = page.getByLabel("Your answer", { exact: true });
    await answerBox.fill("Started: the printer's driver needs the 64-bit package, and");
    await page.getByText("Draft saved").waitFor();
    const other = await context.newPage();
    await other.goto("/q/3");
    await waitForHydratedEditor(other);
    await other.getByText("We restored the answer you started earlier.").waitFor();
    await other.getByText("59 / 30,000 characters").waitFor();
    await other.getByRole("button", { name: "Discard my changes" }).click();
    await other.getByText("We restored the answer you started earlier.").waitFor({ state: "detached" });
    expect(await other.getByLabel("Your answer", { exact: true }).inputValue()).toBe("");
    await other.getByText("0 / 30,000 characters").waitFor();
    await other.reload();
    await waitForViewer(other);
    await waitForHydratedEditor(other);
    expect(await other.getByLabel("Your answer", { exact: true }).inputValue()).toBe("");
    expect(await other.getByText("We restored the answer you started earlier.").count()).toBe(0);
    await context.close();
  });

  test("“Vote up” pressed in a tab opened before the vote keeps the vote there, and says so", async () => {
    // A question nobody has voted on yet, asked by Grace.
    const grace = await signedIn(suite, "grace@peerdesk.test");
    await grace.page.goto("/ask");
    const spaceId = await grace.page
      .locator("select[name=spaceId] option[value]:not([value=''])")
      .first()
      .getAttribute("value");
    const asked = await postToQuestion(grace.context.request, new URL("/ask", grace.page.url()).toString(), {
      spaceId: spaceId ?? "",
      title: "The shared calendar shows last week's bookings",
      body: "Since Monday the meeting room calendar shows the bookings of the week before. What should I check first?",
      tags: "calendar",
      audience: "plain",
      idempotencyKey: `vote-tabs-${Date.now()}`,
    });
    await grace.context.close();
    const { page: first, context } = await signedIn(suite, "tom@peerdesk.test");
    const second = await context.newPage();
    for (const tab of [first, second]) {
      await tab.goto(asked);
      await waitForViewer(tab);
    }
    const upIn = (tab: Page) => tab.getByRole("button", { name: "Vote this question up: it is useful and clear" });
    const votedIn = (tab: Page) =>
      tab.getByRole("button", { name: "You voted this question up; select again to take your vote back" });
    const scoreIn = (tab: Page) => tab.locator("article[aria-labelledby='question-title'] output").first();
    const before = Number(await scoreIn(first).textContent());
    await upIn(first).click();
    await votedIn(first).waitFor();
    /** Waits for the vote to be saved, not only shown (a reload would cancel it on its way). */
    const voteSaved = (tab: Page) => tab.waitForResponse((res) => res.request().method() === "POST");
    // The second tab still shows no vote: pressing up there keeps it up.
    await Promise.all([voteSaved(second), upIn(second).click()]);
    await votedIn(second).waitFor();
    await second.reload();
    await waitForViewer(second);
    await votedIn(second).waitFor();
    expect(await scoreIn(second).getAttribute("aria-label")).toBe(`Score ${before + 1}`);
    // The pressed button takes it back.
    await Promise.all([voteSaved(second), votedIn(second).click()]);
    await upIn(second).waitFor();
    await second.reload();
    await waitForViewer(second);
    expect(await scoreIn(second).getAttribute("aria-label")).toBe(`Score ${before}`);
    await context.close();
  });
});
