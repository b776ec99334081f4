/** npm run db:seed: adds the demo community to an empty database (refuses if spaces already exist). */
import { seedDemoContent } from "./seed/demo";
import { countSpaces } from "~/models/spaces.server";
import { openConfiguredDatabase } from "./lib";
import { progressBar } from "./progress";

const database = await openConfiguredDatabase();
try {
  await database.migrate();
  if ((await countSpaces(database.db)) > 0) {
    console.error("This database already has spaces; demo content is only added to an empty one.");
    process.exitCode = 1;
  } else {
    let bar: ReturnType<typeof progressBar> | undefined;
    await seedDemoContent(database.db, {
      onProgress: (done, total, label) => {
        bar ??= progressBar("steps of demo content", total);
        bar.update(done, label);
      },
    });
    bar?.finish();
    process.stderr.write("Demo content added.\n");
  }
} finally {
  await database.close();
}
