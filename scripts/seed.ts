/** npm run db:seed: adds the demo community to an empty database (refuses if spaces already exist). */
import { seedDemoContent } from "./seed/demo";
import { countSpaces } from "~/models/spaces.server";
import { openConfiguredDatabase } from "./lib";

const database = await openConfiguredDatabase();
try {
  await database.migrate();
  if ((await countSpaces(database.db)) > 0) {
    console.error("This database already has spaces; demo content is only added to an empty one.");
    process.exitCode = 1;
  } else {
    await seedDemoContent(database.db, {
      onProgress: (done, total, label) =>
        process.stderr.write(`\r[${"#".repeat(done * 5).padEnd(total * 5, ".")}] ${done}/${total} ${label.padEnd(24)}`),
    });
    process.stderr.write("\nDemo content added.\n");
  }
} finally {
  await database.close();
}
