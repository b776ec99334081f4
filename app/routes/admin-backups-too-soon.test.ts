/**
 * "Make a backup now" pressed again right after a backup: presses at once share one backup, but a press after it
 * finished is refused in words (a 429 with Retry-After) and writes nothing, so a few presses can't push the scheduled
 * backups out of the newest few kept; a refused press doesn't count against the admin's hourly limit either. On a real
 * embedded database in a folder, through the route's action and loader, signed in as an admin.
 */
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DomUtils, parseDocument } from "htmlparser2";
import { eq } from "drizzle-orm";
import { inject } from "vitest";
import { type Database, openDatabase } from "#db/client.server";
import { writeLimits } from "#db/schema";
import { type BackupSchedule, backupName } from "~/models/backups.server";
import * as backupsRoute from "~/routes/admin.backups";
import { TEST_SHARED_BUFFERS_MB } from "../../tests/fixtures/db";
import { renderRoute } from "../../tests/fixtures/render-route";
import { type Browser, type TestServices, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let scratch: string;
let database: Database;
let backups: BackupSchedule;
let admin: Browser;
let adminId: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-backup-too-soon-"));
  let snapshotPath = "";
  try {
    snapshotPath = inject("pgliteSnapshotPath") ?? "";
  } catch {
    // Run outside the unit suite's set-up: migrate from scratch.
  }
  database = await openDatabase({
    pgliteDir: path.join(scratch, "pglite"),
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
  });
  await database.migrate();
  backups = {
    dir: path.join(scratch, "backups"),
    everyHours: 24,
    keep: 7,
    lastFailure: () => null,
    stop: async () => {},
  };
  // The services the server gives the page: the database itself and its backup folder, beside the usual ones.
  const services: TestServices & { database: Database; backups: BackupSchedule } = {
    ...testServices(database),
    database,
    backups,
  };
  ({ browser: admin, id: adminId } = await signedInAdmin(services, "10.61.9.1"));
}, 120_000);
afterAll(async () => {
  await database?.close();
  rmSync(scratch, { recursive: true, force: true });
});

type Answer = { ok: boolean; name?: string; message?: string };

const press = () => admin.submit(backupsRoute.action, "/admin/backups", { intent: "make-backup" });

/** How many backups the admin's hourly limit has counted. */
async function countedPresses(): Promise<number> {
  const [row] = await database.db
    .select({ count: writeLimits.count })
    .from(writeLimits)
    .where(eq(writeLimits.key, `backup:${adminId}`));
  return row?.count ?? 0;
}

test("a press right after a backup is refused in words and writes nothing; presses at once share one", async () => {
  const made = await Promise.all([press(), press(), press()]);
  const names = made.map((answer) => payload<Answer>(answer).data.name);
  expect(made.map((answer) => payload<Answer>(answer).status)).toEqual([200, 200, 200]);
  const [name] = names;
  if (!name) throw new Error("no backup named");
  expect(new Set(names)).toEqual(new Set([name]));
  expect(readdirSync(backups.dir)).toEqual([name]);
  expect(await countedPresses()).toBe(3);

  // The admin presses again three times, as the finished backup shows.
  for (let again = 0; again < 3; again++) {
    const refused = await press();
    const { data, status } = payload<Answer>(refused);
    expect(status).toBe(429);
    expect(data.ok).toBe(false);
    expect(data.message).toMatch(
      new RegExp(
        `^A backup was made (less than a minute|1 minute) ago \\(${name.replaceAll(".", "\\.")}\\): it already holds everything up to then\\. You can make another from \\d\\d:\\d\\d UTC\\.$`,
      ),
    );
    const init = (refused as { init: ResponseInit | null }).init;
    expect(Number(new Headers(init?.headers).get("Retry-After"))).toBeGreaterThan(13 * 60);
  }
  expect(readdirSync(backups.dir)).toEqual([name]);
  // Refused presses are not counted: the admin's next backup is not held back by them.
  expect(await countedPresses()).toBe(3);

  // The page says so, and shows the refusal above the button.
  const refusal = payload<Answer>(await press()).data;
  const page = DomUtils.textContent(
    parseDocument(await renderRoute(admin, backupsRoute, { path: "/admin/backups", actionData: refusal })),
  );
  expect(page).toContain(
    "You can make one yourself once the newest is 15 minutes old: one made sooner would hold almost nothing new, and would push an older one out.",
  );
  expect(page).toContain(refusal.message);

  // Twenty minutes on (the backup renamed as if made then), a press makes one again.
  const [made0] = readdirSync(backups.dir);
  const older = backupName(new Date(Date.now() - 20 * 60_000));
  renameSync(path.join(backups.dir, made0 ?? ""), path.join(backups.dir, older));
  const later = payload<Answer>(await press());
  expect(later.status).toBe(200);
  expect(readdirSync(backups.dir).sort()).toEqual([older, later.data.name].sort());
}, 120_000);
