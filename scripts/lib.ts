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

export function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}
