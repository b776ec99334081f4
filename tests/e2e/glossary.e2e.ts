/** The IT glossary on a phone: a visitor taps a term in a post to read its explanation (also without JavaScript), a moderator adds a term, and answering a plain-language question points out jargon. */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite } from "./harness";

const WIFI_QUESTION = /office Wi-Fi slow in the meeting room/;
const DNS_HOWTO = /Check which DNS server a Windows laptop really uses on the VPN/;

/** What screen readers are told about a button's expanded state (from Chromium's accessibility tree, not an attribute). */
async function announcedExpanded(page: Page, name: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
    nodes: {
      role?: { value?: unknown };
      name?: { value?: unknown };
      properties?: { name: string; value: { value?: unknown } }[];
    }[];
  };
  await cdp.detach();
  const button = nodes.find((node) => node.role?.value === "button" && node.name?.value === name);
  return button?.properties?.find((property) => property.name === "expanded")?.value.value;
}

async function openWifiQuestion(page: Page): Promise<void> {
  await page.goto("/s/networking");
  await page.getByRole("link", { name: WIFI_QUESTION }).click();
  await page.waitForURL(/\/q\/\d+\//);
  await page.getByRole("heading", { level: 1, name: WIFI_QUESTION }).waitFor();
}

describe.skipIf(!hasChromium)("the glossary on a phone", () => {
  const suite = phoneSuite();

  test("a visitor reads a post with a known term and opens its explanation by tap, then closes it", async () => {
    const page = await (await suite.context()).newPage();
    await openWifiQuestion(page);
    const question = page.getByRole("region", { name: "Question" });
    const term = question.getByRole("button", { name: "Wi-Fi" });
    // Only the first use in the post is marked.
    expect(await question.getByRole("button", { name: "Wi-Fi" }).count()).toBe(1);
    const note = page.locator(".glossary-note:popover-open");
    expect(await note.count()).toBe(0);

    await term.tap();
    await note.waitFor();
    expect(await note.textContent()).toContain("Wi-Fi (wireless network): The network you join without a cable");
    expect(await announcedExpanded(page, "Wi-Fi")).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    await note.getByRole("button", { name: "Close" }).tap();
    await note.waitFor({ state: "detached" });
    expect(await announcedExpanded(page, "Wi-Fi")).toBe(false);

    // By keyboard: Enter opens it, Escape closes it.
    await term.focus();
    await page.keyboard.press("Enter");
    await note.waitFor();
    await page.keyboard.press("Escape");
    await note.waitFor({ state: "detached" });

    // The explanation links to the glossary, which has the term at its anchor.
    await term.tap();
    await note.getByRole("link", { name: "More in the glossary" }).tap();
    await page.waitForURL((url) => url.pathname === "/glossary" && url.hash === "#wi-fi");
    await page.locator("#wi-fi").getByText("The network you join without a cable").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test("the explanation opens by tap without JavaScript too", async () => {
    const page = await (await suite.context({ javaScriptEnabled: false })).newPage();
    await openWifiQuestion(page);
    await page.getByRole("region", { name: "Question" }).getByRole("button", { name: "Wi-Fi" }).tap();
    await page.locator(".glossary-note:popover-open").waitFor();
  });

  test("a how-to explains its terms too: the first use across its prerequisites and steps opens by tap", async () => {
    const page = await (await suite.context()).newPage();
    await page.goto("/howtos");
    await page.getByRole("link", { name: DNS_HOWTO }).click();
    await page.waitForURL(/\/howtos\/\d+/);
    await page.getByRole("heading", { level: 1, name: DNS_HOWTO }).waitFor();
    const before = page.getByRole("region", { name: "Before you start" });
    const steps = page.getByRole("region", { name: "Steps" });
    // "The VPN connected" comes first, in "Before you start": marked there, and not again in the steps.
    expect(await before.getByRole("button", { name: "VPN" }).count()).toBe(1);
    expect(await steps.getByRole("button", { name: "VPN" }).count()).toBe(0);
    const dns = steps.getByRole("button", { name: "DNS" });
    expect(await dns.count()).toBe(1);
    const note = page.locator(".glossary-note:popover-open");
    expect(await note.count()).toBe(0);

    await dns.tap();
    await note.waitFor();
    expect(await note.textContent()).toContain("DNS (Domain Name System): The internet's phone book");
    expect(await announcedExpanded(page, "DNS")).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await note.getByRole("button", { name: "Close" }).tap();
    await note.waitFor({ state: "detached" });

    await before.getByRole("button", { name: "VPN" }).tap();
    await note.waitFor();
    expect(await note.textContent()).toContain("VPN (");
  });

  test("the glossary page lists terms A to Z and its search box finds a term by a synonym", async () => {
    const page = await (await suite.context()).newPage();
    await page.goto("/");
    await page.getByRole("contentinfo").getByRole("link", { name: "IT glossary" }).click();
    await page.waitForURL("**/glossary");
    await page.getByRole("heading", { level: 1, name: "IT glossary" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Letters" }).getByRole("link").count()).toBeGreaterThan(10);
    await page.getByRole("searchbox", { name: "Search the glossary" }).fill("2FA");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("1 term matches “2FA”").waitFor();
    await page.locator("#mfa").getByText("multi-factor authentication").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test("a moderator adds a term; a mistake keeps what was typed", async () => {
    const page = await suite.signedInPage("marcus@peerdesk.test");
    await page.goto("/glossary");
    await page.getByRole("link", { name: "Add a term" }).click();
    await page.waitForURL("**/glossary/new");
    await page.getByLabel("Term").fill("Zigbee");
    await page.getByLabel("Synonyms (optional)").fill("smart-home radio");
    await page.getByLabel("Plain-language explanation").fill("Radio");
    await page.getByRole("button", { name: "Add to the glossary" }).click();
    await page.getByText("Please explain the term in a sentence or two of plain words.").waitFor();
    expect(await page.getByLabel("Term").inputValue()).toBe("Zigbee");
    expect(await page.getByLabel("Synonyms (optional)").inputValue()).toBe("smart-home radio");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page
      .getByLabel("Plain-language explanation")
      .fill("A low-power radio that smart-home gadgets such as bulbs and sensors use to talk to each other.");
    await page.getByRole("button", { name: "Add to the glossary" }).click();
    await page.waitForURL((url) => url.pathname === "/glossary" && url.hash === "#zigbee");
    await page.locator("#zigbee").getByText("Also called: smart-home radio").waitFor();
    await page.goto("/moderation");
    await page.getByText("added a glossary term").first().waitFor();
  });

  test("an entry edited in two tabs: the later save shows the entry as it is now and keeps what was typed", async () => {
    const page = await suite.signedInPage("marcus@peerdesk.test");
    await page.goto("/glossary");
    await page.getByRole("link", { name: "Edit VPN", exact: true }).click();
    await page.waitForURL(/\/glossary\/\d+\/edit$/);
    const other = await page.context().newPage();
    await other.goto(page.url());

    const first = "A private tunnel across the internet into the office network, so home feels like the office.";
    await page.getByLabel("Plain-language explanation").fill(first);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === "/glossary");

    const second = "A secure connection to the office network from anywhere.";
    await other.getByLabel("Plain-language explanation").fill(second);
    await other.getByRole("button", { name: "Save changes" }).click();
    await other.getByRole("alert").filter({ hasText: "You changed this entry in another tab or window" }).waitFor();
    expect(await other.getByLabel("Plain-language explanation").inputValue()).toBe(second);
    const now = other.getByRole("region", { name: "The entry as it is now" });
    await now.getByText(first).waitFor();
    // The line under the heading says who changed it last: the change that refused this save, not the older one.
    await other.getByText("Last changed by Marcus Lee on").waitFor();
    expect(await other.getByText("with the starting glossary").count()).toBe(0);
    expect(await accessibilityViolations(other)).toEqual([]);

    // Having read it, saving again replaces it.
    await other.getByRole("button", { name: "Save changes" }).click();
    await other.waitForURL((url) => url.pathname === "/glossary");
    await other.locator("#vpn").getByText(second).waitFor();
  });

  test("answering a plain-language question points out terms the reader may not know", async () => {
    const page = await suite.signedInPage("tom@peerdesk.test");
    await openWifiQuestion(page);
    const answer = page.getByLabel("Your answer");
    await answer.pressSequentially("Ask IT to check the DHCP range and whether the VPN is on.", { delay: 5 });
    const hint = page.getByTestId("glossary-hint");
    await hint.waitFor();
    expect(await hint.textContent()).toBe("Your reader may not know: DHCP, VPN — add a short explanation?");
    expect(await hint.getByRole("link", { name: "VPN" }).getAttribute("href")).toBe("/glossary#vpn");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Spelling out what the acronym stands for answers the hint for that term.
    await answer.pressSequentially(" A VPN (virtual private network) is a secure tunnel to the office.", { delay: 5 });
    await expect.poll(() => hint.textContent()).toBe("Your reader may not know: DHCP — add a short explanation?");
  });
});
