/**
 * A reader's first visit on a phone, for `bench:pages`: chromium (playwright-core) with a phone viewport, a fresh
 * browser context per visit (empty HTTP cache, no cookies), the network throttled through the DevTools protocol to
 * "Slow 4G" and the CPU slowed 4×; reports largest contentful paint and the bytes transferred by kind.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The browser tests' flags (tests/e2e/harness.ts): headless, no sandbox or GPU, no background traffic. */
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * "Slow 4G" as stated in the issue: 150 ms added to every request's round trip, 1.6 Mbit/s down, 750 kbit/s up
 * (Network.emulateNetworkConditions takes bytes per second), and Emulation.setCPUThrottlingRate 4.
 */
export const SLOW_4G = { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 } as const;
export const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const PHONE_AGENT =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

export type Bytes = { html: number; js: number; css: number; other: number; total: number };
export type MobileVisit = {
  lcp: number | null;
  fcp: number | null;
  ttfb: number;
  domContentLoaded: number;
  load: number;
  requests: number;
  bytes: Bytes;
};
export type MobileResult = { page: string; path: string; visits: MobileVisit[]; median: MobileVisit };

export const hasChromium = () => existsSync(CHROMIUM_PATH);

function kindOf(type: string): keyof Omit<Bytes, "total"> {
  if (type === "Document") return "html";
  if (type === "Script") return "js";
  if (type === "Stylesheet") return "css";
  return "other";
}

async function visit(browser: Browser, url: string): Promise<MobileVisit> {
  const context = await browser.newContext({ ...PHONE, userAgent: PHONE_AGENT });
  try {
    const page = await context.newPage();
    // Record every LCP candidate from the start; the last one before the reader interacts is the page's LCP.
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number | null };
      w.__lcp = null;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    const types = new Map<string, string>();
    const bytes: Bytes = { html: 0, js: 0, css: 0, other: 0, total: 0 };
    let requests = 0;
    cdp.on("Network.responseReceived", (event) => types.set(event.requestId, event.type));
    cdp.on("Network.loadingFinished", (event) => {
      const kind = kindOf(types.get(event.requestId) ?? "Other");
      bytes[kind] += event.encodedDataLength;
      bytes.total += event.encodedDataLength;
      requests += 1;
    });
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...SLOW_4G });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    // A page the browser does not consider in front may be rendered without painting (background throttling): no
    // paint entries, so no FCP or LCP to read. The visit is a reader looking at the page, so it is brought to front.
    await page.bringToFront();
    const response = await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status()} in the browser`);
    // Scripts that load after the load event (hydration, route modules) still count as this visit's bytes.
    await page.waitForLoadState("networkidle", { timeout: 120_000 });
    // On a busy machine the first paint can come after the network went idle: wait for it rather than read nothing.
    // Still none after a minute is reported as "-" (no paint), not as a number.
    await page
      .waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, undefined, {
        timeout: 60_000,
      })
      .catch(() => undefined);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return {
        lcp: (window as unknown as { __lcp: number | null }).__lcp,
        fcp: fcp ? fcp.startTime : null,
        ttfb: nav ? nav.responseStart : 0,
        domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0,
        load: nav ? nav.loadEventEnd : 0,
      };
    });
    return { ...timing, requests, bytes };
  } finally {
    await context.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

function medianVisit(visits: MobileVisit[]): MobileVisit {
  const of = (pick: (v: MobileVisit) => number | null) => {
    const values = visits.map(pick).filter((v): v is number => v !== null);
    return values.length ? median(values) : null;
  };
  const bytesOf = (key: keyof Bytes) => median(visits.map((v) => v.bytes[key]));
  return {
    lcp: of((v) => v.lcp),
    fcp: of((v) => v.fcp),
    ttfb: of((v) => v.ttfb) ?? 0,
    domContentLoaded: of((v) => v.domContentLoaded) ?? 0,
    load: of((v) => v.load) ?? 0,
    requests: median(visits.map((v) => v.requests)),
    bytes: {
      html: bytesOf("html"),
      js: bytesOf("js"),
      css: bytesOf("css"),
      other: bytesOf("other"),
      total: bytesOf("total"),
    },
  };
}

/** Visits each page `runs` times, each in a fresh context (a first visit every time), and keeps the medians. */
export async function measureMobile(
  base: string,
  pages: { name: string; path: string }[],
  { runs = 3 }: { runs?: number } = {},
): Promise<MobileResult[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  try {
    const results: MobileResult[] = [];
    for (const page of pages) {
      const visits: MobileVisit[] = [];
      for (let i = 0; i < runs; i++) visits.push(await visit(browser, base + page.path));
      results.push({ page: page.name, path: page.path, visits, median: medianVisit(visits) });
    }
    return results;
  } finally {
    await browser.close();
  }
}
