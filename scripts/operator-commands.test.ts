/** Operator commands refuse a database a server has open, and say in one line what is wrong when a service is missing. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "#db/client.server";
import { embeddedDatabaseRefusal } from "./lib";
import { closedPort } from "../tests/fixtures/ports";

/** Runs an operator command as an operator would, without a terminal (stdin closed), on a throw-away database. */
function runCommand(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), [script, ...args], {
      env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: "memory://", PEERDESK_ADMIN_PASSWORD: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stderr, stdout }));
  });
}

describe("operator commands", () => {
  test("an embedded database is refused while a server has it open, --force or not; one left open by a crash only without --force", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "peerdesk-in-use-")), "pglite");
    try {
      expect(embeddedDatabaseRefusal(dir, [])).toBeNull();
      const database = await openDatabase({ pgliteDir: dir, pgliteSharedBuffersMb: 16, holder: "server" });
      try {
        await database.db.execute(sql`select 1`);
        // --force can't help while the server runs: the line doesn't suggest it.
        const running = `The server is running on this database (process ${process.pid}): stop it first.`;
        expect(embeddedDatabaseRefusal(dir, [])).toBe(running);
        expect(embeddedDatabaseRefusal(dir, ["--email", "ops@corp.example", "--force"])).toBe(running);
      } finally {
        await database.close();
      }
      expect(embeddedDatabaseRefusal(dir, [])).toBeNull();
      expect(embeddedDatabaseRefusal("memory://", [])).toBeNull();

      // What a server killed while it had the folder open leaves: PGlite's postmaster.pid and its own lock.
      const { pid: gone } = spawnSync(process.execPath, ["-e", ""]);
      writeFileSync(path.join(dir, "postmaster.pid"), "-42\n/pglite/data\n");
      writeFileSync(path.join(dir, "peerdesk.pid"), `${gone}\nserver\n`);
      expect(embeddedDatabaseRefusal(dir, [])).toBe(
        `The database in ${dir} was not closed properly: the server or command that had it open stopped without closing it, and nothing has it open now. It is safe to run this again with --force (the database recovers its saved changes as it opens).`,
      );
      expect(embeddedDatabaseRefusal(dir, ["--force"])).toBeNull();
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  test("without a terminal or a password, create-admin says how to give one; search:drain says the engine is missing in one line", async () => {
    const port = await closedPort();
    const [createAdmin, drain] = await Promise.all([
      runCommand("scripts/create-admin.ts", ["--email", "ops@corp.example", "--name", "Ops Person"], {}),
      runCommand("scripts/search-drain.ts", ["--once"], { MEILISEARCH_URL: `http://127.0.0.1:${port}` }),
    ]);
    expect(createAdmin.status).toBe(1);
    expect(createAdmin.stderr).toContain(
      "No password given: pass --password=…, set PEERDESK_ADMIN_PASSWORD, or run this in a terminal to be asked.",
    );
    expect(createAdmin.stdout).toBe("");
    expect(drain.status).toBe(1);
    expect(drain.stderr).toMatch(/^Draining the search outbox failed: .+ Check MEILISEARCH_URL/m);
    expect(drain.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 120_000);
});
