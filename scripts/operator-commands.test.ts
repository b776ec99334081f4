/** Operator commands refuse a database a server has open, and say in one line what is wrong when a service is missing. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "#db/client.server";
import { embeddedDatabaseRefusal, isEmbeddedDatabaseInUse } from "./lib";
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
  test("an embedded database is refused while a server has it open (postmaster.pid), and not once it closed", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "peerdesk-in-use-")), "pglite");
    try {
      expect(isEmbeddedDatabaseInUse(dir)).toBe(false);
      const database = await openDatabase({ pgliteDir: dir, pgliteSharedBuffersMb: 16 });
      try {
        await database.db.execute(sql`select 1`);
        expect(isEmbeddedDatabaseInUse(dir)).toBe(true);
        expect(embeddedDatabaseRefusal(dir, [])).toBe(
          `The forum's database in ${dir} is in use by a running server. Stop the server, then run this again. (If no server is running because it stopped without closing, add --force.)`,
        );
        expect(embeddedDatabaseRefusal(dir, ["--email", "ops@corp.example", "--force"])).toBeNull();
      } finally {
        await database.close();
      }
      expect(isEmbeddedDatabaseInUse(dir)).toBe(false);
      expect(embeddedDatabaseRefusal(dir, [])).toBeNull();
      expect(embeddedDatabaseRefusal("memory://", [])).toBeNull();
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
