/**
 * Every folder made for the embedded database (PGLITE_DIR) is for the server's user only, however much of its path was
 * missing, in-process and in the worker thread; a folder that was already there is left as it was. PGLITE_DIR as
 * PGlite's own "file://" address, or empty, still names a folder PeerDesk makes private (never the working folder).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { parseEnv } from "~/lib/env.server";
import { TEST_SHARED_BUFFERS_MB } from "../tests/fixtures/db";
import { openDatabase } from "./client.server";

const modeOf = (folder: string) => (statSync(folder).mode & 0o777).toString(8);

/** Opens and closes an embedded database in `dir`, from the suite's migrated snapshot (one from nothing takes seconds). */
async function openAndClose(dir: string, pgliteWorker = false): Promise<void> {
  const snapshotPath = inject("pgliteSnapshotPath") ?? "";
  const pgliteSnapshot = snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined;
  const database = await openDatabase({
    pgliteDir: dir,
    pgliteWorker,
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot,
  });
  await database.close();
}

// The PostgreSQL run would only run these on PGlite again.
describe.skipIf(Boolean(process.env.DATABASE_URL))("folders of the embedded database", () => {
  let home = "";
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "peerdesk-parents-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test.each([false, true])(
    "every missing folder of PGLITE_DIR is made for the server's user only (worker thread: %s)",
    async (pgliteWorker) => {
      const shared = path.join(home, "shared");
      mkdirSync(shared, { mode: 0o755 });
      const dir = path.join(shared, "srv", "peerdesk", "data", "pglite");
      await openAndClose(dir, pgliteWorker);
      const made = ["srv", "srv/peerdesk", "srv/peerdesk/data", "srv/peerdesk/data/pglite"];
      expect(Object.fromEntries(made.map((folder) => [folder, modeOf(path.join(shared, folder))]))).toEqual(
        Object.fromEntries(made.map((folder) => [folder, "700"])),
      );
      expect(modeOf(shared)).toBe("755");
    },
    90_000,
  );

  test("PGLITE_DIR written as PGlite's file:// address is that folder, made private; empty is the default", async () => {
    const dir = path.join(home, "data", "pglite");
    const env = parseEnv({ PGLITE_DIR: `file://${dir}` });
    expect(env.PGLITE_DIR).toBe(dir);
    await openAndClose(env.PGLITE_DIR);
    expect([modeOf(path.join(home, "data")), modeOf(dir)]).toEqual(["700", "700"]);
    expect(parseEnv({ PGLITE_DIR: "" }).PGLITE_DIR).toBe(".data/pglite");
    expect(parseEnv({ PGLITE_DIR: " " }).PGLITE_DIR).toBe(".data/pglite");
  }, 90_000);
});
