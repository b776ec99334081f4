/**
 * Vitest global set-up for the browser tests: starts the built server once on a fresh embedded database with demo
 * content, stops it, and hands its data directory to the test files. Each file's server starts from a copy instead of
 * creating a PGlite cluster, replaying every migration and seeding again (about 8 s of a 2-core machine per file).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startServer } from "./harness";

declare module "vitest" {
  export interface ProvidedContext {
    /** A stopped server's PGlite data directory, migrated and seeded with the demo content. */
    seededPgliteDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), "peerdesk-e2e-template-"));
  const pgliteDir = path.join(dir, "pglite");
  // Runs even when browser tests are skipped on request: it needs only the build, not chromium.
  const server = await startServer({ PGLITE_DIR: pgliteDir }, { fromTemplate: false });
  await server.stop();
  project.provide("seededPgliteDir", pgliteDir);
  return () => rmSync(dir, { recursive: true, force: true });
}
