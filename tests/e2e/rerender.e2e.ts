/**
 * A post stored by an older renderer (its keys shown as text) reads as the current renderer writes it after an
 * upgrade: the server renders it again from its Markdown at start, and the phone shows the keys as keys.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { openDatabase, queryRows } from "#db/client.server";
import {
  type RunningServer,
  accessibilityViolations,
  hasChromium,
  launchBrowser,
  newPhoneContext,
  startServer,
} from "./harness";

const BODY =
  "Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd> and choose **Lock**; the quota is 10<sup>6</sup> files.";
/** What releases before keys were kept stored for BODY. */
const OLD_HTML =
  "<p>Press &lt;kbd&gt;Ctrl&lt;/kbd&gt;+&lt;kbd&gt;Alt&lt;/kbd&gt;+&lt;kbd&gt;Del&lt;/kbd&gt; and choose <strong>Lock</strong>; the quota is 10&lt;sup&gt;6&lt;/sup&gt; files.</p>";

describe.skipIf(!hasChromium)("posts stored before an upgrade of the renderer, on a phone", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "peerdesk-rerender-"));
  const pgliteDir = path.join(dir, "pglite");
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let questionId = 0;

  beforeAll(async () => {
    // A forum with demo content, stopped; then one of its questions as an older release stored it.
    const first = await startServer({ PGLITE_DIR: pgliteDir });
    await first.stop();
    const database = await openDatabase({ pgliteDir });
    const [row] = await queryRows<{ id: number }>(
      database.db,
      sql`select id from posts where kind = 'question' and deleted_at is null order by id limit 1`,
    );
    questionId = row?.id ?? 0;
    await database.db.execute(
      sql`update posts set body_md = ${BODY}, body_html = ${OLD_HTML}, render_version = 0 where id = ${questionId}`,
    );
    await database.close();
    server = await startServer({ PGLITE_DIR: pgliteDir, SEED_DEMO: "false" });
    browser = await launchBrowser();
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("after the upgrade the old question shows its keys and superscript, not their tags as text", async () => {
    if (!browser || !server) throw new Error("not started");
    const page = await (await newPhoneContext(browser, server.url)).newPage();
    const question = page.getByRole("region", { name: "Question", exact: true });
    // The server renders stale posts in the background as it starts: look again until it has reached this one.
    await expect
      .poll(
        async () => {
          await page.goto(`/q/${questionId}`);
          return question.locator("kbd").count();
        },
        { timeout: 60_000 },
      )
      .toBe(3);
    expect(await question.locator("kbd").allTextContents()).toEqual(["Ctrl", "Alt", "Del"]);
    expect(await question.locator("sup").textContent()).toBe("6");
    expect(await question.textContent()).not.toContain("<kbd>");
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
