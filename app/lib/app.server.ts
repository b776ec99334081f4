/** Starts PeerDesk's services once per process: configuration, database (migrated), demo content, auth. */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Database, openDatabase } from "#db/client.server";
import { seedDemoContent } from "#db/seed";
import { type Auth, createAuth } from "~/auth/auth.server";
import { countSpaces } from "~/models/spaces.server";
import { type Env, parseEnv } from "./env.server";
import { logEvent } from "./log.server";

export type AppServices = { env: Env; database: Database; db: Database["db"]; auth: Auth; baseURL: string };

/**
 * In development a secret is generated once and kept beside the embedded database (or under .data/ with
 * PostgreSQL), so sessions survive restarts; an in-memory database gets a secret that lives as long as it does.
 */
function developmentSecret(env: Env): string {
  if (!env.DATABASE_URL && env.PGLITE_DIR.startsWith("memory://")) return randomBytes(32).toString("hex");
  const dir = env.DATABASE_URL ? path.resolve(".data") : path.resolve(path.dirname(path.resolve(env.PGLITE_DIR)));
  const file = path.join(dir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let started: Promise<AppServices> | undefined;

export function startApp(source: Record<string, string | undefined> = process.env): Promise<AppServices> {
  started ??= boot(source);
  return started;
}

async function boot(source: Record<string, string | undefined>): Promise<AppServices> {
  const env = parseEnv(source);
  const baseURL = env.APP_URL ?? `http://localhost:${env.PORT}`;
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
  if (database.kind === "pglite") {
    logEvent("info", "embedded database (PGlite): single process only; set DATABASE_URL for PostgreSQL", { dir: env.PGLITE_DIR });
    const startedAt = Date.now();
    await database.migrate();
    logEvent("info", "migrations applied", { ms: Date.now() - startedAt });
  }
  const auth = createAuth(database.db, { secret: env.BETTER_AUTH_SECRET ?? developmentSecret(env), baseURL });
  const shouldSeed = env.SEED_DEMO === "true" || (env.SEED_DEMO === "auto" && database.kind === "pglite");
  if (shouldSeed && (await countSpaces(database.db)) === 0) {
    await seedDemoContent(database.db, { onProgress: (done, total, label) => logEvent("info", "seeding demo content", { done, total, label }) });
  }
  if (database.kind === "pglite") {
    const startedAt = Date.now();
    await database.maintain();
    logEvent("info", "database statistics refreshed", { ms: Date.now() - startedAt });
    // Hourly thereafter; unref'd so it never keeps the process alive.
    setInterval(() => {
      database.maintain().catch((error: unknown) => logEvent("error", "database maintenance failed", { error: String(error) }));
    }, 60 * 60 * 1000).unref();
  }
  return { env, database, db: database.db, auth, baseURL };
}
