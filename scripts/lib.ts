/** Shared bits of operator commands: open the configured database (PostgreSQL or embedded) and parse --flags. */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import {
  type Database,
  dataDirHolder,
  dataDirLeftOpenMessage,
  databaseInUseMessage,
  databaseStartProblem,
  isDataDirLeftOpen,
  openDatabase,
} from "#db/client.server";
import { parseEnv } from "~/lib/env.server";

/**
 * Opens DATABASE_URL or the embedded database in PGLITE_DIR, or ends the command (exit code 1) with one line: when a
 * running server or another command has the embedded database open (PGlite is one process: two would corrupt it),
 * --force or not; when it was left open by one that stopped without closing it, unless `--force`; and when PostgreSQL
 * can't be reached.
 */
export async function openConfiguredDatabase(args: readonly string[] = process.argv.slice(2)): Promise<Database> {
  const env = parseEnv(process.env);
  const refusal = env.DATABASE_URL ? null : embeddedDatabaseRefusal(env.PGLITE_DIR, args);
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  const config = { databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR };
  let database: Database | null = null;
  try {
    database = await openDatabase({
      ...config,
      pgliteSharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
    });
    // The pool connects on the first query: try one now, so a wrong address or password is one line, not a dump.
    await database.db.execute(sql`select 1`);
  } catch (error) {
    // The server's own one line for each way a database can't be opened (never DATABASE_URL's password).
    console.error(databaseStartProblem(error, config));
    await database?.close().catch(() => {});
    process.exit(1);
  }
  console.error(
    database.kind === "postgres"
      ? "Using PostgreSQL from DATABASE_URL."
      : `Using the embedded database in ${env.PGLITE_DIR}.`,
  );
  return database;
}

/**
 * Why a command must not open the embedded database in `pgliteDir` now, or null: a live process holds it (its lock;
 * --force can't help), or one that stopped without closing it left it open (safe with --force, which the line says).
 */
export function embeddedDatabaseRefusal(pgliteDir: string, args: readonly string[]): string | null {
  if (pgliteDir.startsWith("memory://")) return null;
  const holder = dataDirHolder(pgliteDir);
  if (holder) return databaseInUseMessage(holder);
  if (args.includes("--force") || !isDataDirLeftOpen(pgliteDir)) return null;
  return dataDirLeftOpenMessage(pgliteDir);
}

/**
 * Asks `question` on the terminal (stderr) and reads the answer without showing it, as for a password: readline's
 * echo goes to an output that is muted once the question is written. Null when stdin is not a terminal.
 */
export async function askWithoutEcho(question: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  let isMuted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!isMuted) process.stderr.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  rl.on("SIGINT", () => {
    rl.close();
    process.stderr.write("\n");
    process.exit(130);
  });
  const answer = rl.question(question);
  isMuted = true;
  try {
    return await answer;
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** A command line a command can't run with: the operator is told why, with the command's usage, and it exits with 2. */
export class UsageError extends Error {}

/**
 * The value of `--name value` or `--name=value` among `args`; undefined when the flag isn't given. A flag with nothing
 * after it, or with another flag after it, is refused: taking `--no-pictures` as a value hides the mistake.
 */
export function flagValue(args: readonly string[], name: string): string | undefined {
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  const index = args.indexOf(`--${name}`);
  if (eq === undefined && index < 0) return undefined;
  const value = eq === undefined ? args[index + 1] : eq.slice(name.length + 3);
  if (value === undefined || value === "" || (eq === undefined && value.startsWith("--")))
    throw new UsageError(
      `--${name} needs a value after it, as in --${name} VALUE${value ? ` (${value} is another option; a value that starts with -- is written --${name}=VALUE)` : ""}.`,
    );
  return value;
}

/** `flagValue` for this command's own arguments; a usage mistake is said with `usage` and ends the command (exit code 2). */
export function flag(name: string, usage?: string): string | undefined {
  try {
    return flagValue(process.argv.slice(2), name);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(usage ? `${error.message}\n${usage}` : error.message);
    process.exit(2);
  }
}
