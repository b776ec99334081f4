/** Starts the production server on a fresh database and a headless Debian chromium for browser tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from "playwright-core";
import { inject } from "vitest";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { TEST_SHARED_BUFFERS_MB } from "../fixtures/db";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Browser tests are skipped only when someone asks for it (PEERDESK_SKIP_BROWSER_TESTS=1); a missing chromium otherwise
// fails the suite loudly, so CI can never pass without having run them.
const skipRequested = process.env.PEERDESK_SKIP_BROWSER_TESTS === "1";
export const hasChromium = !skipRequested;
if (skipRequested) console.warn("Browser tests skipped on request (PEERDESK_SKIP_BROWSER_TESTS=1).");

export const PHONE = { width: 390, height: 844 } as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export type RunningServer = {
  url: string;
  stop: () => Promise<void>;
  logs: () => string;
  /**
   * Waits until the server's output from offset `from` on holds `text`, and returns that part. A log line reaches
   * this process through a pipe a moment after the answer it belongs to, so reading `logs()` right after a
   * response may miss it on a busy machine.
   */
  waitForLog: (text: string, from?: number, timeoutMs?: number) => Promise<string>;
};

/**
 * The built app (npm run build first) on its own embedded database with demo content. In the browser tests a new
 * database starts as a copy of the one their global set-up seeded (tests/e2e/seeded-template.ts), unless `fromTemplate`
 * is false.
 */
export async function startServer(
  extraEnv: Record<string, string> = {},
  // WebAuthn refuses IP addresses as a site's id: the passkey test serves at localhost instead.
  { startTimeoutMs = 180_000, hostname = "127.0.0.1", fromTemplate = true } = {},
): Promise<RunningServer> {
  if (!existsSync("build/index.js")) throw new Error("No build found: run `npm run build` before the browser tests.");
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "peerdesk-e2e-"));
  const pgliteDir = extraEnv.PGLITE_DIR ?? path.join(dir, "pglite");
  // Only the browser tests' configuration seeds one (vitest.e2e.config.ts); elsewhere the server seeds its own.
  const template = fromTemplate && extraEnv.SEED_DEMO !== "false" ? inject("seededPgliteDir") : undefined;
  if (template && !existsSync(pgliteDir)) cpSync(template, pgliteDir, { recursive: true });
  const url = `http://${hostname}:${port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["server.js"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      PGLITE_DIR: pgliteDir,
      BETTER_AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
      SEED_DEMO: "true",
      LOG_REQUESTS: "false",
      PGLITE_SHARED_BUFFERS_MB: String(TEST_SHARED_BUFFERS_MB),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    logs: () => output,
    waitForLog: async (text, from = 0, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.slice(from).includes(text)) {
        if (Date.now() > deadline) {
          throw new Error(
            `the server did not log ${JSON.stringify(text)} within ${timeoutMs} ms:\n${output.slice(from)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return output.slice(from);
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No chromium at ${CHROMIUM_PATH}: apt-get install chromium, set CHROMIUM_PATH, or PEERDESK_SKIP_BROWSER_TESTS=1 to skip on purpose.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPhoneContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: PHONE,
    // A phone's layout (CSS pixels, touch, the mobile viewport) with one device pixel per CSS pixel: the app serves no
    // resolution-dependent images or styles, and painting four times the pixels in software cost about 15 % of the
    // browser suite's CPU (questions.e2e.ts: 54 s of CPU at 2, 48 s at 1).
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    ...options,
  });
}

const axeSource = readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core in the page; returns moderate, serious and critical violations (ids and the first offending node).
 * Moderate covers how screen-reader users find their way: headings that skip a level, landmarks of one name.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // CSP blocks inline scripts the page did not sign, so axe is evaluated through the devtools protocol.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    // Also WCAG 2.2's target size (24 px, or room around): most readers tap here.
    const r = await axe.run(document, { resultTypes: ["violations"], rules: { "target-size": { enabled: true } } });
    return r.violations
      .filter((v) => v.impact === "moderate" || v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${JSON.stringify(v.nodes[0]?.target)}`);
  });
  return result;
}

/**
 * How many CSS pixels the page scrolls sideways: its width past the layout viewport's. Not `window.innerWidth`: on a
 * phone (isMobile) chromium zooms out to fit a page that is too wide, and innerWidth grows with it, so a check against
 * it can never fail.
 */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * The WCAG contrast ratio of the element's text on its own background colour (both as the browser paints them, any
 * CSS colour space). axe leaves out text of one or two characters ("too short to determine"), so a count badge
 * ("3") needs this.
 */
export async function textContrast(page: Page, selector: string): Promise<number> {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    if (!element) throw new Error(`no ${css}`);
    const style = getComputedStyle(element);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no canvas");
    const luminance = (color: string) => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = color;
      context.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
      const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
    return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
  }, selector);
}

/** Signs a demo person in on this page (the demo password) and waits for the home page. */
export async function signInAs(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

export type PhoneSuite = {
  /** Set once the suite's beforeAll has run. */
  server: RunningServer;
  browser: Browser;
  /** A phone-sized context, closed after the file's tests. */
  context: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  /** A page in a new phone context, signed in as `email` (sign-in is rate limited per address: about five per file). */
  signedInPage: (email: string, options?: BrowserContextOptions) => Promise<Page>;
};

/**
 * One server and one browser for a test file: started before its tests, closed after them with every context opened
 * through the suite. Call inside `describe`.
 */
export function phoneSuite(extraEnv: Record<string, string> = {}): PhoneSuite {
  const contexts: BrowserContext[] = [];
  const suite: PhoneSuite = {
    server: undefined as unknown as RunningServer,
    browser: undefined as unknown as Browser,
    async context(options = {}) {
      const context = await newPhoneContext(suite.browser, suite.server.url, options);
      contexts.push(context);
      return context;
    },
    async signedInPage(email, options = {}) {
      const page = await (await suite.context(options)).newPage();
      await signInAs(page, email);
      return page;
    },
  };
  beforeAll(async () => {
    // Side by side: the server's start is mostly waiting on its own process. Whichever started is closed after a failure.
    const [server, browser] = await Promise.allSettled([startServer(extraEnv), launchBrowser()]);
    if (server.status === "fulfilled") suite.server = server.value;
    if (browser.status === "fulfilled") suite.browser = browser.value;
    if (server.status === "rejected") throw server.reason;
    if (browser.status === "rejected") throw browser.reason;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
