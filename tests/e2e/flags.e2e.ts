/**
 * Trust and safety on a phone: a new account's post with a link is held (its author sees "waiting for review"); a
 * member flags another post as spam; the moderator, with the review queue open, sees it arrive live, hides it, and the
 * flagger is told the outcome. Every page is checked with axe.
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

async function ask(page: Page, title: string, details: string) {
  await page.goto("/ask?space=networking");
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details", { exact: true }).fill(details);
  await page.getByLabel("Tags", { exact: true }).fill("vpn");
  await page.getByLabel("Technical").check();
  await page.getByRole("button", { name: "Post your question" }).click();
}

describe.skipIf(!hasChromium)("flags and the review queue on a phone", () => {
  const suite = phoneSuite();

  test("a new account's link is held; a spam flag reaches the moderator live, who hides it; the flagger is told", async () => {
    // A newcomer signs up.
    const newcomer = await (await suite.context()).newPage();
    await newcomer.goto("/signup");
    await newcomer.getByLabel("Your name").fill("Sam Seller");
    await newcomer.getByLabel("Email").fill("sam.seller@example.com");
    await newcomer.getByLabel("Password").fill("licences cheap every tuesday");
    await newcomer.getByLabel("I'm a business colleague").check();
    await newcomer.getByRole("button", { name: "Create account" }).click();
    await newcomer.waitForURL("**/settings/profile?welcome=1");

    // Their first question carries a link: saved, but held for review.
    await ask(
      newcomer,
      "Cheap office licences for the whole team",
      "Get every licence you need at https://cheap-licences.example/offer and save money this week.",
    );
    await newcomer.waitForURL("**/me/moderation?held=1");
    await newcomer.getByText("Your post is saved and waiting for review.").waitFor();
    await newcomer.getByText(/checked by a moderator first/).waitFor();
    await expectAccessible(newcomer, "waiting for review");

    // The moderator opens the queue: the held question is there, and the header shows the count.
    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    await moderator.goto("/review");
    await moderator.getByRole("heading", { name: /Cheap office licences/ }).waitFor();
    await moderator.getByText("Hidden and waiting for review", { exact: false }).waitFor();
    const countBefore = Number(
      await moderator
        .getByTestId("review-count")
        .innerText()
        .then((t) => t.replace(/\D/g, "")),
    );
    expect(countBefore).toBeGreaterThanOrEqual(1);
    await expectAccessible(moderator, "review queue");

    // The newcomer's second question has no link, so it is published.
    const spamTitle = "Which printer drivers do you recommend for laptops";
    await ask(newcomer, spamTitle, "Visit our shop for the best drivers, prices and bundles in town, call us today.");
    await newcomer.waitForURL(/\/q\/\d+\//);
    const spamPath = new URL(newcomer.url()).pathname;

    // A member flags it as spam through the plain form.
    const member = await suite.signedInPage("grace@peerdesk.test");
    await member.goto(spamPath);
    await member.getByRole("link", { name: "Flag this question for moderators" }).click();
    await member.getByRole("heading", { name: "Flag for moderators" }).waitFor();
    await expectAccessible(member, "flag form");
    await member.getByLabel("Spam").check();
    await member.getByRole("button", { name: "Send flag" }).click();
    await member.getByRole("heading", { name: "Thanks, your flag was received" }).waitFor();

    // The moderator's open queue shows it without a reload, and the header count moves.
    await moderator.getByRole("heading", { name: new RegExp(spamTitle) }).waitFor();
    await expect
      .poll(async () => Number((await moderator.getByTestId("review-count").innerText()).replace(/\D/g, "")))
      .toBe(countBefore + 1);
    const card = moderator
      .getByRole("listitem")
      .filter({ has: moderator.getByRole("heading", { name: new RegExp(spamTitle) }) });
    await card.getByText("Spam", { exact: true }).waitFor();
    await card.getByRole("button", { name: "Hide", exact: true }).click();
    await moderator.waitForURL("**/review?decided=hide");

    // Gone for visitors at once.
    const visitor = await (await suite.context()).newPage();
    const response = await visitor.goto(spamPath);
    expect(response?.status()).toBe(404);

    // The flagger is told.
    await member.goto("/notifications");
    await member.getByText("Moderators reviewed", { exact: false }).first().click();
    await member.waitForURL("**/me/moderation");
    await member.getByText("A moderator agreed with your flag", { exact: false }).waitFor();
    await expectAccessible(member, "moderation outcomes");

    // A spam flag upheld on a new account silences it: the newcomer can't post.
    await ask(
      newcomer,
      "Another question about drivers for laptops",
      "Is there any other shop that sells printer drivers cheaply?",
    );
    await newcomer.getByText(/silenced/).waitFor();
  });
});
