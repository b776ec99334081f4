/** Admins manage spaces and people; banned people cannot sign in; everyone else gets 403 in the admin area. */
import type { BrowserContext, Page } from "playwright-core";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow, signInAs } from "./harness";

describe.skipIf(!hasChromium)("admin area", () => {
  const suite = phoneSuite();
  let admin: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    admin = await suite.context();
    page = await admin.newPage();
    await signInAs(page, "admin@peerdesk.test");
  });

  test("an admin creates, renames, reorders and archives spaces", async () => {
    await page.goto("/admin");
    await page.waitForURL("**/admin/spaces");
    const newSpace = page.getByRole("region", { name: "New space" });
    await newSpace.getByLabel("Name").fill("Cloud & Hosting");
    await newSpace.getByLabel("Description").fill("Azure, AWS and the bills that come with them.");
    await newSpace.getByRole("button", { name: "Create space" }).click();
    await page.getByText("Created “Cloud & Hosting”.").waitFor();

    // The same name again (any case) is refused beside the field, keeping the description typed.
    await newSpace.getByLabel("Name").fill("cloud & hosting");
    await newSpace.getByLabel("Description").fill("A second try");
    await newSpace.getByRole("button", { name: "Create space" }).click();
    await newSpace.getByText("There's already a space called “Cloud & Hosting”.").waitFor();
    expect(await newSpace.getByLabel("Description").inputValue()).toBe("A second try");

    // Move the new (last) space up one place.
    await page.getByRole("button", { name: "Move Cloud & Hosting up" }).click();
    const names = page.locator("ol > li > div > p.font-semibold");
    await expect
      .poll(async () => {
        const order = await names.allTextContents();
        return order.length - order.findIndex((t) => t.includes("Cloud & Hosting"));
      })
      .toBe(2);

    // Rename it.
    const item = page.locator("ol > li", { hasText: "Cloud & Hosting" });
    await item.getByText("Rename or edit description").click();
    await item.getByLabel("Name").fill("Cloud");
    await item.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();

    // Two tabs on one space: the later save is refused, keeping what was typed, with the saved version beside it.
    const otherTab = await admin.newPage();
    await otherTab.goto("/admin/spaces");
    const otherItem = otherTab.locator("ol > li").filter({ hasText: "/s/cloud-hosting" });
    await otherItem.getByText("Rename or edit description").click();
    await otherItem.getByLabel("Description").fill("Cloud platforms and their bills.");
    await page.goto("/admin/spaces");
    const thisItem = page.locator("ol > li").filter({ hasText: "/s/cloud-hosting" });
    await thisItem.getByText("Rename or edit description").click();
    await thisItem.getByLabel("Description").fill("Azure and AWS.");
    await thisItem.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    await otherItem.getByRole("button", { name: "Save changes" }).click();
    await otherTab.getByText("You changed this space in another tab or window after you opened its form").waitFor();
    expect(await otherItem.getByLabel("Description").inputValue()).toBe("Cloud platforms and their bills.");
    const current = otherItem.getByRole("region", { name: "The space as it is now" });
    await current.getByText("Azure and AWS.").waitFor();
    expect(await sidewaysOverflow(otherTab)).toBe(0);
    expect(await accessibilityViolations(otherTab)).toEqual([]);
    // Saved again, knowing the other version, it replaces it.
    await otherItem.getByRole("button", { name: "Save changes" }).click();
    await otherTab.getByText("Saved.").waitFor();
    await otherTab.goto("/admin/spaces");
    await otherItem.getByText("Rename or edit description").click();
    expect(await otherItem.getByLabel("Description").inputValue()).toBe("Cloud platforms and their bills.");
    await otherTab.close();

    // Archive it: it leaves the public list but stays readable at its address.
    await page
      .locator("ol > li", { hasText: "Cloud" })
      .filter({ hasText: "/s/cloud-hosting" })
      .getByRole("button", { name: "Archive" })
      .click();
    await page.getByText("Space archived.").waitFor();
    await page.goto("/spaces");
    expect(await page.getByRole("link", { name: "Cloud", exact: true }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto("/s/cloud-hosting");
    await page.getByText("This space is archived", { exact: false }).waitFor();

    // Every change is in the public moderation log.
    await page.goto("/moderation");
    await page.getByText("created a space “Cloud & Hosting”").waitFor();
    await page.getByText("archived a space").waitFor();
  });

  test("an admin bans a member, who can no longer sign in, and changes a role", async () => {
    // Tom is signed in elsewhere before the ban.
    const tomContext = await suite.context();
    const tom = await tomContext.newPage();
    await signInAs(tom, "tom@peerdesk.test");

    await page.goto("/admin/users?q=tom");
    // A ban is asked twice: "Ban …" opens the confirmation, with the reason and "Yes, ban …".
    await page.getByText("Ban Tom Becker…").click();
    // The reason is public, and the field says so where it is typed (its description).
    const reason = page.getByLabel("Ban reason (optional)");
    expect(await reason.getAttribute("aria-describedby")).toBeTruthy();
    await page.getByText("Shown publicly on their profile and in the moderation log.").waitFor();
    await reason.fill("Spam links");
    await page.getByRole("button", { name: "Yes, ban Tom Becker" }).click();
    await page.getByText("Account banned and signed out everywhere.").waitFor();

    // His existing session is gone, and signing in again is refused with a clear message.
    await tom.goto("/settings/profile");
    await tom.waitForURL("**/signin?redirectTo=**");
    await tom.getByLabel("Email").fill("tom@peerdesk.test");
    await tom.getByLabel("Password").fill(DEMO_PASSWORD);
    await tom.getByRole("button", { name: "Sign in" }).click();
    await tom.getByText("This account has been suspended.", { exact: false }).waitFor();
    await tomContext.close();

    await page.goto("/admin/users?q=grace");
    await page.getByLabel("Role for Grace Kim").selectOption("mentor");
    await page.getByRole("button", { name: "Save role" }).click();
    await page.getByText("Role changed to mentor.").waitFor();
    await page.goto("/u/grace-kim");
    await page.getByText("Mentor", { exact: false }).first().waitFor();
  });

  test("an admin makes a backup of the database and finds it to download, on a phone", async () => {
    await page.goto("/admin");
    await page.getByRole("link", { name: "Backups" }).click();
    await page.getByRole("heading", { name: "Backups" }).waitFor();
    await page.getByText("No backups yet.").waitFor();
    await page.getByText("A backup is made every 24 hours while the site runs.", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Make a backup now" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Backup made: peerdesk-\d{8}-\d{6}\.tar\.gz/ })
      .waitFor();
    const download = page.getByRole("link", { name: /^Download the backup of / });
    // The list is read again after the action's message shows: wait for it rather than count at once.
    await download.first().waitFor();
    expect(await download.count()).toBe(1);
    expect(await download.getAttribute("href")).toMatch(/^\/admin\/backups\/peerdesk-\d{8}-\d{6}\.tar\.gz$/);
    expect(await sidewaysOverflow(page)).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto("/moderation");
    await page.getByText("made a backup of the site's database").first().waitFor();
  });

  test("members and visitors cannot reach the admin area or its actions", async () => {
    const member = await suite.context();
    const memberPage = await member.newPage();
    await signInAs(memberPage, "dev@peerdesk.test");
    for (const path of ["/admin/spaces", "/admin/users", "/admin/backups"]) {
      const response = await memberPage.goto(path);
      expect(response?.status(), path).toBe(403);
      await memberPage.getByRole("heading", { name: "Not allowed" }).waitFor();
      // Whose page it is, in plain words, and the way home.
      await memberPage.getByText("This page is for admins.").waitFor();
      await memberPage.getByRole("link", { name: "Back to the home page" }).waitFor();
    }
    // A hand-made POST from a member's session is refused as well.
    const status = await memberPage.evaluate(async () => {
      const body = new URLSearchParams({ intent: "create", name: "Sneaky", description: "" });
      const res = await fetch("/admin/spaces", { method: "POST", body });
      return res.status;
    });
    expect(status).toBe(403);
    await member.close();

    const visitor = await suite.context();
    const visitorPage = await visitor.newPage();
    await visitorPage.goto("/admin/users");
    await visitorPage.waitForURL("**/signin?redirectTo=%2Fadmin%2Fusers");
    await visitor.close();
  });
});
