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
    pool: "forks",
    // Each file starts its own server and browser; two at a time fits a 2-core machine.
    maxWorkers: 2,
  },
});
