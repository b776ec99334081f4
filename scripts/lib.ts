/** Shared bits of operator commands: open the configured database (PostgreSQL or embedded) and parse --flags. */
import { type Database, openDatabase } from "#db/client.server";
import { parseEnv } from "~/lib/env.server";

export async function openConfiguredDatabase(): Promise<Database> {
  const env = parseEnv(process.env);
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR,
    pgliteSharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
  });
  console.error(
    database.kind === "postgres"
      ? "Using PostgreSQL from DATABASE_URL."
      : `Using the embedded database in ${env.PGLITE_DIR} (stop the server first: it is single-process).`,
  );
  return database;
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
