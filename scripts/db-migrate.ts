/** npm run db:migrate: applies the committed migrations in db/migrations to DATABASE_URL (or the embedded database). */
import { openConfiguredDatabase } from "./lib";

const database = await openConfiguredDatabase();
const started = Date.now();
try {
  await database.migrate();
  console.log(`Migrations applied in ${Date.now() - started} ms.`);
} finally {
  await database.close();
}
