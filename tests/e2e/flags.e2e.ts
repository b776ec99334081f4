/**
 * Trust and safety on a phone: a new account's post with a link is held (its author sees "waiting for review"), and so
 * is its comment with a link; a member flags another post as spam; the moderator, with the review queue open, sees it
 * arrive live, hides it, the flagger is told and the new account is silenced; a duplicate flag is settled by closing
 * the question from the queue; the moderator lifts the silence; an admin makes a space hold new members' first
 * questions and the newcomer's next question there waits for review. Every page is checked with axe.
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow, textContrast } from "./harness";

async function expectAccessible(page: Page, label: string) {
  expect(await accessibilityViolations(page), label).toEqual([]);
  const overflow = await sidewaysOverflow(page);
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

  /** Opens the confirmation link from the newcomer's email (kept at /admin/mail without SMTP), as they would. */
  async function confirmAddress(page: Page, email: string) {
    const admin = await suite.signedInPage("admin@peerdesk.test");
    let link: string | undefined;
    await expect
      .poll(
        async () => {
          await admin.goto("/admin/mail");
          const message = admin.getByRole("link", { name: "Confirm your PeerDesk email address" }).first();
          if ((await message.count()) === 0) return false;
          await message.click();
          const body = (await admin.locator("article pre").textContent()) ?? "";
          if (!body.includes(email)) return false;
          link = /https?:\/\/\S+\/verify-email\?token=[\w.-]+/.exec(body)?.[0];
          return link !== undefined;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true);
    await admin.close();
    await page.goto(new URL(link ?? "/", page.url()).pathname + new URL(link ?? "/", page.url()).search);
    await page.getByRole("button", { name: "Yes, this is my address" }).click();
    await page.getByRole("heading", { name: "Your email address is confirmed" }).waitFor();
  }

  test("a new account's link and comment are held; a spam flag reaches the moderator live, who hides it; the flagger is told; a duplicate is closed from the queue; the silence is lifted; a space that holds first questions holds theirs", async () => {
    // A newcomer signs up.
    const newcomer = await (await suite.context()).newPage();
    await newcomer.goto("/signup");
    await newcomer.getByLabel("Your name").fill("Sam Seller");
    await newcomer.getByLabel("Email").fill("sam.seller@example.com");
    await newcomer.getByLabel("Password").fill("licences cheap every tuesday");
    await newcomer.getByLabel("I'm a business colleague").check();
    await newcomer.getByRole("button", { name: "Create account" }).click();
    await newcomer.waitForURL("**/settings/profile?welcome=1");
    await confirmAddress(newcomer, "sam.seller@example.com");

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
    // Where it will appear says it is waiting, not that a moderator removed it (held posts are hidden the same way).
    await newcomer.getByRole("link", { name: "Where it will appear" }).first().click();
    await newcomer.getByText(/is waiting for a moderator's review, so only you can open it/).waitFor();
    expect(await newcomer.getByText(/removed/).count()).toBe(0);

    // The moderator opens the queue: the held question is there, and the header shows the count.
    const moderator = await suite.signedInPage("marcus@peerdesk.test");
    await moderator.goto("/review");
    await moderator.getByRole("heading", { name: /Cheap office licences/ }).waitFor();
    await moderator.getByText("Hidden and waiting for review", { exact: false }).waitFor();
    const countBefore = Number(
      await moderator
        .getByTestId("review-count")
        .textContent()
        .then((t) => (t ?? "").replace(/\D/g, "")),
    );
    expect(countBefore).toBeGreaterThanOrEqual(1);
    await expectAccessible(moderator, "review queue");
    // axe skips a one-digit count; its badge must be readable too (amber-600 with white was 3.2 : 1).
    expect(await textContrast(moderator, "[data-testid=review-count] > span:not(.sr-only)")).toBeGreaterThanOrEqual(
      4.5,
    );

    // The newcomer's second question has no link, so it is published.
    const spamTitle = "Which printer drivers do you recommend for laptops";
    await ask(newcomer, spamTitle, "Visit our shop for the best drivers, prices and bundles in town, call us today.");
    await newcomer.waitForURL(/\/q\/\d+\//);
    const spamPath = new URL(newcomer.url()).pathname;

    // A comment with a link from the new account is held too, and the page says so instead of dropping it silently.
    await newcomer.getByText("Add a comment").first().click();
    await newcomer
      .getByLabel("Your comment on this question")
      .fill("More drivers at https://cheap-licences.example/drivers for everyone.");
    await newcomer.getByRole("button", { name: "Post comment" }).first().click();
    await newcomer.getByText("Your comment is saved and waiting for review.", { exact: false }).waitFor();
    await expectAccessible(newcomer, "comment waiting for review");
    // It reaches the moderator's open queue without a reload.
    const pendingCount = async () =>
      Number(((await moderator.getByTestId("review-count").textContent()) ?? "").replace(/\D/g, ""));
    await expect.poll(pendingCount).toBe(countBefore + 1);

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
    // (The held comment sits under the same question title: the flagged question's card is the one with the flag.)
    const card = moderator
      .getByRole("listitem")
      .filter({ has: moderator.getByRole("heading", { name: new RegExp(spamTitle) }) })
      .filter({ has: moderator.getByText("Spam", { exact: true }) });
    await card.waitFor();
    await expect.poll(pendingCount).toBe(countBefore + 2);
    await card.getByRole("button", { name: "Hide", exact: true }).click();
    await moderator.waitForURL("**/review?decided=hide");

    // Gone for visitors at once.
    const visitor = await (await suite.context()).newPage();
    const response = await visitor.goto(spamPath);
    expect(response?.status()).toBe(404);

    // The flagger is told.
    await member.goto("/notifications");
    await member.getByText("From the moderators: A moderator agreed with your flag", { exact: false }).first().click();
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

    // A duplicate: another member asks what was asked before, the flag reaches the queue, the moderator closes it there.
    const asker = await suite.signedInPage("tom@peerdesk.test");
    const duplicateTitle = "How do I get the VPN token onto my new phone";
    await ask(asker, duplicateTitle, "I changed phones yesterday and the VPN app asks for a token I no longer have.");
    await asker.waitForURL(/\/q\/\d+\//);
    const duplicatePath = new URL(asker.url()).pathname;
    await member.goto(duplicatePath);
    await member.getByRole("link", { name: "Flag this question for moderators" }).click();
    await member.getByRole("radio", { name: /Duplicate of another question/ }).check();
    await member.getByLabel("Link to the original question (for duplicates)").fill("/q/1");
    await member.getByRole("button", { name: "Send flag" }).click();
    await member.getByRole("heading", { name: "Thanks, your flag was received" }).waitFor();

    const duplicateCard = moderator
      .getByRole("listitem")
      .filter({ has: moderator.getByRole("heading", { name: new RegExp(duplicateTitle) }) });
    await duplicateCard.waitFor();
    await duplicateCard.getByText("Close this question instead").click();
    // Forgetting the link keeps the choice and says what is missing.
    await duplicateCard.getByRole("radio", { name: /It has been asked before/ }).check();
    await duplicateCard.getByRole("button", { name: "Close the question" }).click();
    const retry = moderator
      .getByRole("listitem")
      .filter({ has: moderator.getByRole("heading", { name: new RegExp(duplicateTitle) }) });
    await retry.getByText("Paste the link (or number) of the question this one duplicates.").first().waitFor();
    expect(await retry.getByRole("radio", { name: /It has been asked before/ }).isChecked()).toBe(true);
    await retry.getByLabel("Link to the original question (for a duplicate)").fill("/q/1");
    await retry.getByRole("button", { name: "Close the question" }).click();
    await moderator.waitForURL("**/review?decided=close");
    await moderator.getByText("The question is closed and its flaggers were told.", { exact: false }).waitFor();
    await expectAccessible(moderator, "review queue after closing");

    // The flagger hears it was closed; a visitor opening the duplicate lands on the original.
    await member.goto("/me/moderation");
    await member.getByText("closed the question as a duplicate", { exact: false }).waitFor();
    await visitor.goto(duplicatePath);
    await visitor.waitForURL(/\/q\/1\b.*duplicate=/);

    // The reopen queue is one tab away (nothing edited yet).
    await moderator.getByRole("link", { name: /Reopen votes/ }).click();
    await moderator.getByRole("heading", { name: /Closed questions to look at again/ }).waitFor();
    await expectAccessible(moderator, "reopen queue");

    // The moderator lifts the newcomer's silence from the queue; the newcomer is told in plain words.
    await moderator.getByRole("link", { name: /Flagged and held/ }).click();
    await moderator.getByRole("button", { name: "Lift silence for Sam Seller" }).click();
    await moderator.waitForURL("**/review?decided=liftSilence**");
    await moderator.getByText("The silence is lifted", { exact: false }).waitFor();
    await newcomer.goto("/me/moderation");
    await newcomer.getByText("lifted the silence on your account: you can post again", { exact: false }).waitFor();
    await expectAccessible(newcomer, "silence lifted");

    // An admin asks for new members' first questions in Networking to wait for a moderator.
    const admin = await suite.signedInPage("admin@peerdesk.test");
    await admin.goto("/admin/spaces");
    const networking = admin.locator("ol > li").filter({ hasText: "/s/networking" });
    await networking.getByText("Rename or edit description").click();
    await networking.getByLabel("Hold new members' first questions").check();
    await networking.getByRole("button", { name: "Save changes" }).click();
    await admin.getByText("Saved.").waitFor();
    expect(await networking.getByLabel("Hold new members' first questions").isChecked()).toBe(true);
    await expectAccessible(admin, "space settings");

    // The newcomer has nothing published there yet, so their plain question (no links) waits for review.
    const firstTitle = "How do I join the office wi-fi from my own laptop";
    await ask(newcomer, firstTitle, "The guest network works but the staff one keeps asking me for a certificate.");
    await newcomer.waitForURL("**/me/moderation?held=1");
    await newcomer
      .getByText(/first question in this space/)
      .first()
      .waitFor();
    await moderator.goto("/review");
    await moderator
      .getByRole("listitem")
      .filter({ has: moderator.getByRole("heading", { name: new RegExp(firstTitle) }) })
      .getByText(/first question in this space/)
      .waitFor();

    // The admin's sensitivity settings: a refused form saves nothing, keeps what was typed and says why by the field.
    await admin.goto("/review");
    await admin.getByText("Sensitivity settings").click();
    const threshold = admin.getByLabel(/Flag weight that hides a post/);
    const days = admin.getByLabel("Days an account counts as new");
    const before = await threshold.inputValue();
    await threshold.fill("5");
    await days.fill("three");
    await admin.getByRole("button", { name: "Save settings" }).click();
    await admin.getByText("Nothing was saved: please fix the highlighted settings.").waitFor();
    expect(await days.getAttribute("aria-invalid")).toBe("true");
    expect([await threshold.inputValue(), await days.inputValue()]).toEqual(["5", "three"]);
    await expectAccessible(admin, "settings refused");
    await admin.goto("/review");
    await admin.getByText("Sensitivity settings").click();
    expect(await threshold.inputValue()).toBe(before);
    await threshold.fill("5");
    await admin.getByRole("button", { name: "Save settings" }).click();
    await admin.getByText("Settings saved.", { exact: false }).waitFor();
    expect(await threshold.inputValue()).toBe("5");
  }, 300_000);
});
