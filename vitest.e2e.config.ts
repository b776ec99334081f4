/** Browser tests: the production build served by server.js, driven in Debian's chromium through playwright-core. */
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve("app"), "#db": path.resolve("db") } },
  test: {
    globals: true,
    include: ["tests/e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One seeded database for the run; each file's server starts from a copy of it.
    globalSetup: ["tests/e2e/seeded-template.ts"],
    pool: "forks",
    // Each file starts its own server and browser; two at a time keep a 2-core machine busy (about 90 % with two, no
    // faster with three). E2E_WORKERS overrides.
    maxWorkers: Number(process.env.E2E_WORKERS) || 2,
    // expect.poll waits for what a page does after a request (a comment posted, focus moved): vitest's default of one
    // second is less than a round trip takes on a busy 2-core machine running two browsers and their servers.
    expect: { poll: { timeout: 10_000 } },
  },
});
