/** Unit and integration tests: real databases (PGlite in-process, or PostgreSQL when DATABASE_URL is set). */
import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Files that test the embedded database itself (its folder, worker thread, backups) or commands that always use it:
 * a run against PostgreSQL (DATABASE_URL set) would run them on PGlite again, as the PGlite run already has.
 */
const EMBEDDED_DATABASE_ONLY = [
  "app/models/backups.server.test.ts",
  "tests/backups.test.ts",
  "db/pglite-worker-client.server.test.ts",
  "scripts/operator-commands.test.ts",
];

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve("app"),
      "#db": path.resolve("db"),
    },
  },
  test: {
    globals: true,
    environment: "node",
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**", ...(process.env.DATABASE_URL ? EMBEDDED_DATABASE_ONLY : [])],
    // A hang detector, not a speed check: tests that hash passwords a few dozen times (sign-in locks, two-step
    // sign-in for an office) took over 30 s on a busy 2-core machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // One database migrated per run; each file starts from a copy of it (see tests/fixtures/db.ts).
    globalSetup: ["tests/fixtures/migrated-template.ts"],
    pool: "forks",
    // A worker process runs its files one after another without loading every module and PGlite's WebAssembly again
    // for each (about a third of the suite's CPU). Files still share nothing that matters: each has its own database,
    // and the app's caches are kept per database (WeakMaps keyed by it), as they must be for a server anyway.
    isolate: false,
    // Vitest's default leaves a core idle (CPUs - 1: one worker on a 2-core CI machine). Set-up is CPU work in
    // PGlite's WebAssembly and the server tests wait on child processes, so every core gets a worker.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
