/**
 * A backup copies the whole database, so only the backups page's own button makes one: a post without its intent (or
 * with another) is refused with words and makes no backup. On a real embedded database in a folder (backups are of
 * its files), through the route's action, signed in as an admin.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { inject } from "vitest";
import { type Database, openDatabase } from "#db/client.server";
import { moderationLog } from "#db/schema";
import { type BackupSchedule, listBackups } from "~/models/backups.server";
import { action } from "~/routes/admin.backups";
import { TEST_SHARED_BUFFERS_MB } from "../../tests/fixtures/db";
import { type Browser, type TestServices, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let scratch: string;
let database: Database;
let backups: BackupSchedule;
let admin: Browser;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-backup-intent-"));
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
    everyHours: 0,
    keep: 3,
    lastFailure: () => null,
    stop: async () => {},
  };
  // The services the server gives the page: the database itself and its backup folder, beside the usual ones.
  const services: TestServices & { database: Database; backups: BackupSchedule } = {
    ...testServices(database),
    database,
    backups,
  };
  ({ browser: admin } = await signedInAdmin(services, "10.59.2.1"));
}, 120_000);
afterAll(async () => {
  await database?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const backupsLogged = async () =>
  (await database.db.select().from(moderationLog).where(eq(moderationLog.action, "site.backup"))).length;

test("a post without the page's Make a backup button makes no backup and says why", async () => {
  for (const fields of [{}, { intent: "bogus" }, { junk: "1" }] as Record<string, string>[]) {
    const { data, status } = payload<{ ok: boolean; message?: string }>(
      await admin.submit(action, "/admin/backups", fields),
    );
    expect(status, JSON.stringify(fields)).toBe(400);
    expect(data).toEqual({
      ok: false,
      message: "That isn't something this page can do, so no backup was made. Reload the page and try again.",
    });
  }
  expect(await listBackups(backups.dir)).toEqual([]);
  expect(await backupsLogged()).toBe(0);
});

test("the page's own button still makes one", async () => {
  const { data, status } = payload<{ ok: boolean; name?: string }>(
    await admin.submit(action, "/admin/backups", { intent: "make-backup" }),
  );
  expect(status).toBe(200);
  expect(data.ok).toBe(true);
  expect((await listBackups(backups.dir)).map((b) => b.name)).toEqual([data.name]);
  expect(await backupsLogged()).toBe(1);
}, 60_000);
