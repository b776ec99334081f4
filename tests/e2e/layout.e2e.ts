/**
 * Layout on real screens: the header on desktop widths (search box not squeezed), every main link visible on a phone,
 * long unbroken words never widening the page, nothing scrolling sideways at 320 px, plain words first for business colleagues, and small fixes that
 * regress quietly (/favicon.ico, /admin/spaces after hydration).
 */
import type { Page } from "playwright-core";
import { accessibilityViolations, hasChromium, phoneSuite, sidewaysOverflow } from "./harness";

const MAIN_LINKS = ["Questions", "How-tos", "Spaces", "Mentors", "Sessions", "Pulse"];

/** A 390 px phone with its text zoomed to 200 %: 195 CSS pixels wide. */
const ZOOMED_PHONE = { viewport: { width: 195, height: 422 }, deviceScaleFactor: 2 };

/**
 * Tabs from the top of the page through the header and returns each stop's name and the top of its box. The header
 * wraps into rows; a stop whose top is well above the one before went back up a row.
 */
async function headerTabStops(page: Page): Promise<{ name: string; top: number }[]> {
  const stops: { name: string; top: number }[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || !(element.closest("body > header") || element.matches("a[href='#main']"))) return null;
      const name = element.getAttribute("aria-label") ?? element.id ?? "";
      return { name: name || (element.textContent ?? "").trim(), top: Math.round(element.getBoundingClientRect().top) };
    });
    if (!stop) break;
    stops.push(stop);
  }
  return stops;
}

/** The stops that are above the stop before them by more than a row's slack (items of one row differ by a few px). */
function wentBackUp(stops: { name: string; top: number }[]): string[] {
  return stops.flatMap((stop, i) => {
    const before = stops[i - 1];
    return before && stop.top < before.top - 12 ? [`${before.name}@${before.top} → ${stop.name}@${stop.top}`] : [];
  });
}

describe.skipIf(!hasChromium)("layout on real screens", () => {
  // Six sign-ins from one address within a minute: more than the default limit of five allows.
  const suite = phoneSuite();

  test("desktop 1024–1920 px, signed in: the search box keeps its room and every main link shows", async () => {
    const page = await suite.signedInPage("admin@peerdesk.test", {
      viewport: { width: 1024, height: 768 },
      isMobile: false,
      hasTouch: false,
    });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    for (const width of [1024, 1280, 1440, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/questions");
      const search = await page.locator("#site-search").boundingBox();
      expect(search?.width ?? 0, `search box at ${width} px`).toBeGreaterThanOrEqual(200);
      for (const name of MAIN_LINKS)
        expect(
          await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).isVisible(),
        ).toBe(true);
      expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)).toBeLessThanOrEqual(width);
    }
    // Tab follows the header as seen: logo, search, Ask and the account menu, then the main links on their own row.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/questions");
    const stops = await headerTabStops(page);
    expect(stops[0]?.name).toBe("Skip to content");
    expect(stops.map((stop) => stop.name)).toContain("Pulse");
    expect(wentBackUp(stops)).toEqual([]);
    // /admin/spaces hydrates without errors, and its enhanced controls work.
    await page.goto("/admin/spaces");
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(errors).toEqual([]);
  });

  test("on a phone: every main link in view without sideways scrolling; a 60-letter word never widens the page", async () => {
    const page = await suite.signedInPage("grace@peerdesk.test");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of MAIN_LINKS) {
      const box = await nav.getByRole("link", { name, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), name).toBeLessThanOrEqual(390);
    }
    expect(await nav.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    // Business colleagues meet plain words: tags optional in plain language, formatting help one tap away.
    await page.goto("/ask?space=ask-it-plain-language");
    expect(await page.getByText("fenced blocks", { exact: false }).isVisible()).toBe(false);
    // The editor's own formatting help, one tap away.
    await page.getByText("Formatting help", { exact: true }).first().click();
    await page.getByText("You type").first().waitFor();
    const word = "Supercalifragilisticexpialidociousnetworkconfigurationproblem";
    const title = `Printer says ${word} on screen`;
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page
      .getByLabel("Details", { exact: true })
      .fill(`The office printer shows ${word}${word} and stops. What can I do?`);
    await page.getByLabel("Plain language please").check();
    await page.getByRole("button", { name: "Post your question" }).click();
    await page.waitForURL(/\/q\/\d+\//);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)).toBeLessThanOrEqual(390);
    for (const path of ["/questions?sort=newest", "/", "/s/ask-it-plain-language"]) {
      await page.goto(path);
      await page.getByRole("link", { name: title }).first().waitFor();
      expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0), path).toBeLessThanOrEqual(390);
    }
    expect(await accessibilityViolations(page)).toEqual([]);

    // The search hint speaks plainly; the operators are one tap away.
    await page.goto("/search");
    expect(await page.getByText("tag:vpn").isVisible()).toBe(false);
    await page.getByText("Search tips").click();
    expect(await page.getByText("tag:vpn").isVisible()).toBe(true);
  });

  test("on a phone, 320–430 px, the header search box's placeholder fits inside it, signed out and signed in", async () => {
    const visitor = await (await suite.context()).newPage();
    const member = await suite.signedInPage("grace@peerdesk.test");
    const cut: string[] = [];
    for (const [who, page] of [
      ["visitor", visitor],
      ["member", member],
    ] as const) {
      for (const width of [320, 340, 360, 375, 390, 414, 430]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto("/questions");
        // The placeholder's width in the box's own font, measured by the browser, against the room inside its padding.
        const room = await page.locator("#site-search").evaluate((input: HTMLInputElement) => {
          const style = getComputedStyle(input);
          const context = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D;
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const inner =
            input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
          return { text: context.measureText(input.placeholder).width, inner, placeholder: input.placeholder };
        });
        expect(room.placeholder).not.toBe("");
        if (room.text > room.inner)
          cut.push(`${who} at ${width} px: ${Math.round(room.text)} > ${Math.round(room.inner)}`);
      }
    }
    expect(cut).toEqual([]);
    // Its name for screen readers stays whole.
    expect(await visitor.locator("label[for='site-search']").textContent()).toBe("Search PeerDesk");
  });

  test("320 px wide (WCAG's reflow width: a small phone, or a phone at 200 % text): no page scrolls sideways", async () => {
    // Long names, as real communities have: a space's widens the how-to filter's list, a person's the ban button.
    const member = await suite.signedInPage("grace@peerdesk.test", { viewport: { width: 320, height: 640 } });
    await member.goto("/settings/profile");
    await member.getByLabel("Display name", { exact: true }).fill("Grace Kim-Oyelaran de la Fuente Vasquez");
    await member.getByRole("button", { name: "Save profile" }).click();
    await member.getByText("Your profile was saved.").waitFor();
    const page = await suite.signedInPage("admin@peerdesk.test", { viewport: { width: 320, height: 640 } });
    await page.goto("/admin/spaces");
    const newSpace = page.getByRole("region", { name: "New space" });
    await newSpace.getByLabel("Name", { exact: true }).fill("Procurement and software licence management");
    await newSpace.getByRole("button", { name: "Create space" }).click();
    await page.getByText("Created “Procurement and software licence management”.").waitFor();
    const wide: string[] = [];
    for (const path of [
      "/",
      "/questions",
      "/howtos",
      "/spaces",
      "/tags",
      "/mentors",
      "/sessions",
      "/pulse",
      "/status",
      "/search?q=vpn",
      "/glossary",
      "/q/1",
      "/howtos/50",
      "/ask",
      "/notifications",
      "/saved",
      "/settings/profile",
      "/review",
      "/moderation",
      "/admin/users",
      "/admin/spaces",
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await page.waitForLoadState("load");
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) wide.push(`${path} by ${overflow} px`);
    }
    expect(wide).toEqual([]);
  });

  test("a phone at 200 % text (195 px): staff headers, the session form and /admin/spaces wrap instead of scrolling sideways", async () => {
    const moderator = await suite.signedInPage("marcus@peerdesk.test", ZOOMED_PHONE);
    const wide: string[] = [];
    for (const path of ["/moderation", "/review", "/sessions/new"]) {
      await moderator.goto(path);
      await moderator.getByRole("heading", { level: 1 }).first().waitFor();
      const overflow = await sidewaysOverflow(moderator);
      if (overflow > 0) wide.push(`marcus ${path} by ${overflow} px`);
    }
    // "Ask" and "Review" stay words on one line, and the account menu's button stays on the screen.
    const header = moderator.locator("body > header");
    for (const link of [header.getByRole("link", { name: "Ask", exact: true }), header.getByTestId("review-count")]) {
      const box = await link.boundingBox();
      expect(box?.height ?? 0).toBeLessThan(60);
    }
    const account = await header.locator("details summary").boundingBox();
    expect((account?.x ?? 0) + (account?.width ?? 0)).toBeLessThanOrEqual(195);
    // The same with the root font size at 200 % on a 390 px screen.
    await moderator.setViewportSize({ width: 390, height: 844 });
    await moderator.goto("/moderation");
    await moderator.evaluate(() => {
      document.documentElement.style.fontSize = "200%";
    });
    const overflow = await sidewaysOverflow(moderator);
    if (overflow > 0) wide.push(`marcus /moderation at 200 % root font by ${overflow} px`);

    const admin = await suite.signedInPage("admin@peerdesk.test", ZOOMED_PHONE);
    for (const path of ["/admin/users", "/admin/spaces", "/sessions/new"]) {
      await admin.goto(path);
      await admin.getByRole("heading", { level: 1 }).first().waitFor();
      const overflow = await sidewaysOverflow(admin);
      if (overflow > 0) wide.push(`admin ${path} by ${overflow} px`);
    }
    expect(wide).toEqual([]);
  });

  test("a phone at 200 % text (195 px): the account menu and a glossary note stay on the screen", async () => {
    const page = await suite.signedInPage("sofia@peerdesk.test", ZOOMED_PHONE);
    await page.locator("body > header details summary").click();
    const menu = page.locator("body > header details > div");
    await menu.getByRole("link", { name: "My impact" }).waitFor();
    const panel = await menu.boundingBox();
    expect(panel?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((panel?.x ?? 0) + (panel?.width ?? 0)).toBeLessThanOrEqual(195);

    // The pop-up fits the screen (scrolling inside itself if it must): its term shows and Close is reachable.
    await page.goto("/q/1");
    await page.locator("button.glossary-term", { hasText: "VPN" }).first().click();
    const note = page.locator(".glossary-note:popover-open");
    await note.waitFor();
    const box = await note.boundingBox();
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(422);
    expect(await note.locator("strong").first().isVisible()).toBe(true);
    await note.getByRole("button", { name: "Close" }).click();
    await note.waitFor({ state: "detached" });

    // On a phone (320 px) Tab goes through the header row by row as it is seen, the skip link first.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto("/questions");
    const stops = await headerTabStops(page);
    expect(stops[0]?.name).toBe("Skip to content");
    expect(stops.map((stop) => stop.name)).toEqual(
      expect.arrayContaining(["site-search", "Ask", "Questions", "Pulse"]),
    );
    expect(wentBackUp(stops)).toEqual([]);
  });

  test("dark mode on a phone: text keeps its contrast, for members and on staff pages", async () => {
    const page = await suite.signedInPage("admin@peerdesk.test", { colorScheme: "dark" });
    expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
    for (const path of ["/", "/questions", "/q/1", "/howtos", "/mentors", "/moderation", "/pulse", "/admin/spaces"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      expect(await accessibilityViolations(page), path).toEqual([]);
    }
  });

  test("printing a how-to or a question from dark mode: dark text on white, the post only, glossary words kept", async () => {
    const page = await suite.signedInPage("grace@peerdesk.test", { colorScheme: "dark" });
    await page.goto("/howtos");
    await page.getByRole("link", { name: "Check whether an email is a scam before you click anything" }).click();
    await page.waitForURL(/\/howtos\/\d+/);
    const howtoPath = new URL(page.url()).pathname;
    for (const path of [howtoPath, "/q/1"]) {
      await page.emulateMedia({ media: "screen", colorScheme: "dark" });
      await page.goto(path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.emulateMedia({ media: "print", colorScheme: "dark" });
      const printed = await page.evaluate(() => {
        // Relative luminance of a computed colour, read by the browser itself (oklch, rgb…) through a 1×1 canvas.
        const luminance = (color: string) => {
          const ctx = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D;
          ctx.fillStyle = color;
          ctx.fillRect(0, 0, 1, 1);
          const [r = 0, g = 0, b = 0] = ctx.getImageData(0, 0, 1, 1).data;
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        };
        const shown = (el: Element | null) => el !== null && (el as HTMLElement).offsetParent !== null;
        const h1 = document.querySelector("h1") as HTMLElement;
        return {
          title: luminance(getComputedStyle(h1).color),
          text: luminance(getComputedStyle(document.body).color),
          page: luminance(getComputedStyle(document.body).backgroundColor),
          siteHeader: shown(document.querySelector("nav[aria-label=Main]")),
          siteFooter: shown(document.querySelector("nav[aria-label=Footer]")),
          forms: [...document.querySelectorAll("form")].filter(shown).length,
          buttons: [...document.querySelectorAll("button:not(.glossary-term)")].filter(shown).length,
          glossaryWords: [...document.querySelectorAll("button.glossary-term")].filter(shown).length,
          allGlossaryWords: document.querySelectorAll("button.glossary-term").length,
        };
      });
      expect(printed.title, path).toBeLessThan(0.3);
      expect(printed.text, path).toBeLessThan(0.3);
      expect(printed.page, path).toBeGreaterThan(0.9);
      expect(printed, path).toMatchObject({ siteHeader: false, siteFooter: false, forms: 0, buttons: 0 });
      expect(printed.glossaryWords, path).toBe(printed.allGlossaryWords);
      if (path === howtoPath) expect(printed.glossaryWords).toBeGreaterThan(0);
    }
  });

  test("printing an answer with a wide table and links, signed out: the table fits the paper, links print where they go, no Follow or Save", async () => {
    const sofia = await suite.signedInPage("sofia@peerdesk.test", { viewport: { width: 1024, height: 900 } });
    await sofia.goto("/q/2");
    const answer = [
      "Print test: clear the spooler, then [reset the printer](/howtos/1) as the how-to shows.",
      "",
      "| Setting | Where to find it | What to do | Who can do it |",
      "| --- | --- | --- | --- |",
      "| Spool folder | `C:\\Windows\\System32\\spool\\PRINTERS\\Contoso-Floor3-HP-LaserJet-M612-Queue-Archive\\Drivers\\x64\\3` | Delete every file in it after stopping the Print Spooler service | Anyone with an administrator account on the print server |",
      "| Driver isolation | Print Management, Drivers, the driver's Properties | Set it to Isolated so one driver's crash leaves the others printing | IT only |",
      "",
      "Microsoft explains it at [the spooler guide](https://learn.microsoft.com/troubleshoot/windows-client/printing/printer-spooler).",
    ].join("\n");
    await sofia.getByLabel("Your answer").fill(answer);
    await sofia.getByRole("button", { name: "Post your answer" }).click();
    await sofia.locator("article", { hasText: "Print test: clear the spooler" }).first().waitFor();

    // A4 at 96 dpi, less the browser's default margins: about 718 px for the page's content.
    const page = await (await suite.context({ viewport: { width: 718, height: 1000 } })).newPage();
    await page.goto("/q/2");
    await page.locator("article", { hasText: "Print test: clear the spooler" }).first().waitFor();
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => {
      const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;
      const post = [...document.querySelectorAll(".prose-post")].find((el) =>
        el.textContent?.includes("Print test: clear the spooler"),
      ) as HTMLElement;
      const table = post.querySelector("table") as HTMLTableElement;
      const after = (selector: string) => getComputedStyle(post.querySelector(selector) as Element, "::after").content;
      return {
        display: getComputedStyle(table).display,
        tableOverflow: Math.round(table.getBoundingClientRect().right - post.getBoundingClientRect().right),
        clippedCells: [...table.querySelectorAll("th, td")].filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
          .length,
        internalLink: after('a[href="/howtos/1"]'),
        externalLink: after('a[href^="https://learn.microsoft.com"]'),
        followOrSave: [...document.querySelectorAll("a")]
          .filter((link) => /^(Follow|Save)\b/.test(link.textContent?.trim() ?? ""))
          .filter(shown)
          .map((link) => link.textContent?.trim()),
      };
    });
    expect(printed.display).toBe("table");
    expect(printed.tableOverflow).toBeLessThanOrEqual(1);
    expect(printed.clippedCells).toBe(0);
    expect(printed.internalLink).toBe('" (/howtos/1)"');
    expect(printed.externalLink).toBe(
      '" (https://learn.microsoft.com/troubleshoot/windows-client/printing/printer-spooler)"',
    );
    expect(printed.followOrSave).toEqual([]);
  });

  test("sign-up asks IT or business colleague with nothing preselected, and says so when left out; /favicon.ico is served", async () => {
    const page = await (await suite.context()).newPage();
    await page.goto("/signup");
    expect(await page.locator("input[name=audience]:checked").count()).toBe(0);
    await page.getByLabel("Your name").fill("New Colleague");
    await page.getByLabel("Email").fill("new.colleague@example.test");
    await page.getByLabel("Password").fill("a long and unusual sentence for testing");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Please choose the option that describes you best.").waitFor();
    expect(await page.getByLabel("Your name").inputValue()).toBe("New Colleague");
    expect(await accessibilityViolations(page)).toEqual([]);

    const icon = await page.request.get("/favicon.ico");
    expect(icon.status()).toBe(200);
    expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });
});
