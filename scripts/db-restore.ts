/**
 * npm run db:restore -- FILE [--force]: puts a backup (from /admin/backups or BACKUP_DIR) in place of the embedded
 * database in PGLITE_DIR, with the server stopped (refused while it runs). The database it replaces is moved aside,
 * never deleted; what an interrupted restore left beside it is removed first.
 */
import { dataDirHolder, databaseInUseMessage } from "#db/client.server";
import {
  BackupError,
  removeUnfinishedRestores,
  restoreBackup,
  unfinishedRestoresMessage,
} from "~/models/backups.server";
import { parseEnv } from "~/lib/env.server";

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith("--"));
const env = parseEnv(process.env);
const holder = env.DATABASE_URL || env.PGLITE_DIR.startsWith("memory://") ? null : dataDirHolder(env.PGLITE_DIR);
if (!file) {
  console.error("Usage: npm run db:restore -- FILE [--force]   (FILE: a peerdesk-….tar.gz backup)");
  process.exitCode = 2;
} else if (env.DATABASE_URL) {
  console.error("DATABASE_URL is set: restore PostgreSQL with its own tools (pg_restore, psql); this is for PGlite.");
  process.exitCode = 2;
} else if (env.PGLITE_DIR.startsWith("memory://")) {
  console.error("PGLITE_DIR is memory://: there is no database folder to restore into.");
  process.exitCode = 2;
} else if (holder) {
  // --force or not: a server goes on writing into the folder moved aside, or into the half-unpacked backup.
  console.error(databaseInUseMessage(holder));
  process.exitCode = 1;
} else {
  const removed = unfinishedRestoresMessage(removeUnfinishedRestores(env.PGLITE_DIR));
  if (removed) console.error(removed);
  console.error(`Restoring ${file} into ${env.PGLITE_DIR}…`);
  const started = Date.now();
  try {
    const { counts, keptAt } = await restoreBackup(file, env.PGLITE_DIR, { force: args.includes("--force") });
    console.log(
      `Restored in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts.people} people, ${counts.questions} questions, ${counts.answers} answers, ${counts.howtos} how-tos.`,
    );
    if (keptAt) console.log(`The database it replaced is in ${keptAt}; delete that folder once all is well.`);
    console.log("Start the server as usual; it applies any newer migrations.");
  } catch (error) {
    console.error(error instanceof BackupError ? error.message : `Restoring failed: ${String(error)}`);
    process.exitCode = 1;
  }
}
