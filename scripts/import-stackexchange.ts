/**
 * npm run import:stackexchange -- DIR [--space slug] [--site host] [--picture-hosts a,b | --no-pictures]: loads a Stack
 * Exchange site dump into a space (see app/models/stackexchange-import.server.ts), copying in the pictures its posts
 * show from Stack Exchange's image hosts (app/models/imported-pictures.server.ts), then rebuilds the pulse facts and
 * the search index. Safe to run again.
 */
import { rebuildQuestionFacts } from "~/models/pulse.server";
import { STACK_EXCHANGE_PICTURE_HOSTS } from "~/models/imported-pictures.server";
import { type ImportStage, importStackExchange, spaceSlugProblem } from "~/models/stackexchange-import.server";
import { createSearchEngine, reindexAll } from "~/search/engine.server";
import { parseEnv } from "~/lib/env.server";
import { progressBar } from "./progress";
import { flag, openConfiguredDatabase } from "./lib";

const dir = process.argv
  .slice(2)
  .find(
    (arg, i, args) => !arg.startsWith("--") && !(i > 0 && /^--(space|site|picture-hosts)$/.test(args[i - 1] ?? "")),
  );
const usage =
  "Usage: npm run import:stackexchange -- DIR [--space slug] [--site host] [--picture-hosts a,b | --no-pictures]\n" +
  "  DIR holds Posts.xml(.gz), Users, Comments, Tags, PostLinks.\n" +
  `  Pictures on ${STACK_EXCHANGE_PICTURE_HOSTS.join(", ")} (or the hosts given) are copied in; --no-pictures leaves them on those sites.`;
if (!dir) {
  console.error(usage);
  process.exit(2);
}
// Every option is read before the database is opened, so a mistyped command line changes nothing.
const spaceSlug = flag("space", usage);
const spaceProblem = spaceSlug === undefined ? null : spaceSlugProblem(spaceSlug);
if (spaceProblem) {
  console.error(`--space: ${spaceProblem}\n${usage}`);
  process.exit(2);
}
const site = flag("site", usage);
const pictureHosts = process.argv.includes("--no-pictures")
  ? []
  : (flag("picture-hosts", usage)
      ?.split(",")
      .map((host) => host.trim())
      .filter(Boolean) ?? STACK_EXCHANGE_PICTURE_HOSTS);
const env = parseEnv(process.env);
const database = await openConfiguredDatabase();
try {
  await database.migrate();
  const labels: Record<ImportStage, string> = {
    scan: "bytes scanned",
    users: "bytes of people",
    pictures: "pictures copied in",
    posts: "bytes of posts",
    comments: "bytes of comments",
    links: "bytes of links",
  };
  let current: { stage: ImportStage; bar: ReturnType<typeof progressBar> } | null = null;
  const report = await importStackExchange(database.db, {
    dir,
    spaceSlug,
    site,
    pictures: pictureHosts.length > 0 ? { hosts: pictureHosts } : undefined,
    onProgress: (stage, done, total) => {
      if (current?.stage !== stage) {
        current?.bar.finish();
        current = { stage, bar: progressBar(labels[stage], total) };
      }
      current.bar.update(done);
    },
  });
  (current as { bar: ReturnType<typeof progressBar> } | null)?.bar.finish();
  console.log(
    `Imported ${report.site} into /s/${report.spaceSlug}: posts ${report.posts.created} new, ${report.posts.updated} updated, ` +
      `${report.posts.unchanged} unchanged, ${report.posts.skipped} skipped; people ${report.people.created} new, ${report.people.updated} renamed; ` +
      `comments ${report.comments.created} new, ${report.comments.updated} updated, ${report.comments.unchanged} unchanged; ` +
      `links ${report.links.duplicate} duplicate and ${report.links.linked} linked new, ${report.links.known} already there.`,
  );
  const { copied, known, failed } = report.pictures;
  if (pictureHosts.length > 0) {
    console.log(
      `Pictures: ${copied} copied in, ${known} copied by an earlier run, ${failed.length} left as links to the original${failed.length > 0 ? " (running the import again tries them again):" : "."}`,
    );
    const reasons = new Map<string, string[]>();
    for (const { url, reason } of failed) reasons.set(reason, [...(reasons.get(reason) ?? []), url]);
    for (const [reason, urls] of reasons)
      console.log(`  ${urls.length} × ${reason}, e.g. ${urls.slice(0, 2).join(", ")}`);
  }
  let factsBar: ReturnType<typeof progressBar> | undefined;
  await rebuildQuestionFacts(database.db, (done, total) => {
    factsBar ??= progressBar("questions (pulse facts)", total);
    factsBar.update(done);
  });
  factsBar?.finish();
  const engine = createSearchEngine(env, database.db);
  let bar: ReturnType<typeof progressBar> | undefined;
  const indexed = await reindexAll(database.db, engine, (n, total) => {
    bar ??= progressBar("documents indexed", total);
    bar.update(n);
  });
  bar?.finish();
  console.log(
    `Search index (${engine.name}) rebuilt: ${indexed.indexed.toLocaleString("en")} documents in ${(indexed.ms / 1000).toFixed(1)} s.`,
  );
} catch (error) {
  console.error(`\nImport failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
