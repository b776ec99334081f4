/**
 * npm run posts:rerender: renders every post stored by an older renderer again from its Markdown, now, with a progress
 * bar (app processes also do it in the background at start). Pages showing a changed post are dropped from the page
 * caches and the post's search document is queued for an update. Safe to run while the forum runs on PostgreSQL.
 */
import { countStalePosts, rerenderStalePosts } from "~/models/post-rendering.server";
import { progressBar } from "./progress";
import { openConfiguredDatabase } from "./lib";

const database = await openConfiguredDatabase();
try {
  await database.migrate();
  const total = await countStalePosts(database.db);
  console.error(`${total.toLocaleString("en")} posts to render again…`);
  const bar = progressBar("posts", total);
  const result = await rerenderStalePosts(database.db, { onProgress: ({ done }) => bar.update(done) });
  bar.finish();
  console.log(
    `Rendered ${result.done.toLocaleString("en")} posts again; ${result.changed.toLocaleString("en")} show differently now.`,
  );
} catch (error) {
  console.error(`\nRendering posts again failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
