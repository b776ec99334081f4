/** Email without SMTP: an answer becomes a message admins can read; its unsubscribe link works without signing in; settings save. */
import { accessibilityViolations, hasChromium, signInAs, phoneSuite } from "./harness";

describe.skipIf(!hasChromium)("email", () => {
  const suite = phoneSuite({ MAIL_INTERVAL_SECONDS: "1" });

  beforeAll(async () => {});

  test("an answer is emailed (kept for admins without SMTP); the unsubscribe link turns it off without signing in", async () => {
    const helperContext = await suite.context();
    const helper = await helperContext.newPage();
    await signInAs(helper, "priya@peerdesk.test");
    await helper.goto("/q/1");
    const title = (await helper.getByRole("heading", { level: 1 }).textContent())?.trim() ?? "";
    await helper
      .getByLabel("Your answer")
      .fill("One more thing to check: the switch ports' LACP rate must match on both ends.");
    await helper.getByRole("button", { name: "Post your answer" }).click();
    await helper.getByText("LACP rate must match").waitFor();
    await helperContext.close();

    const adminContext = await suite.context();
    const admin = await adminContext.newPage();
    await signInAs(admin, "admin@peerdesk.test");
    const subject = `Priya Raman answered “${title}”`;
    await expect
      .poll(
        async () => {
          await admin.goto("/admin/mail");
          return admin.getByRole("link", { name: subject }).count();
        },
        { timeout: 15_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await admin.getByText("No SMTP_URL is set").waitFor();
    await admin.getByRole("link", { name: subject }).first().click();
    const body = (await admin.locator("article pre").textContent()) ?? "";
    const link = /https?:\/\/\S+\/unsubscribe\?token=[\w.-]+/.exec(body)?.[0];
    expect(link).toBeTruthy();
    expect(await accessibilityViolations(admin)).toEqual([]);
    await adminContext.close();

    // The recipient, not signed in, follows the link from the email.
    const visitorContext = await suite.context();
    const visitor = await visitorContext.newPage();
    await visitor.goto(new URL(link!).pathname + new URL(link!).search);
    await visitor.getByText("Stop emails about answers to questions you follow?").waitFor();
    await visitor.getByRole("button", { name: "Unsubscribe" }).click();
    await visitor.getByText("Done: you won't get emails about answers to questions you follow any more.").waitFor();
    await visitor.goto("/unsubscribe?token=made.up");
    await visitor.getByText("This unsubscribe link is not valid any more").waitFor();
    await visitorContext.close();
  });

  test("email settings: a choice per kind, saved", async () => {
    const context = await suite.context();
    const page = await context.newPage();
    await signInAs(page, "grace@peerdesk.test");
    await page.goto("/settings/notifications");
    const group = page.getByRole("group", { name: "Someone mentions you" });
    await group.getByRole("radio", { name: "Daily digest" }).check();
    await page.getByRole("button", { name: "Save email settings" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    expect(
      await page
        .getByRole("group", { name: "Someone mentions you" })
        .getByRole("radio", { name: "Daily digest" })
        .isChecked(),
    ).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
