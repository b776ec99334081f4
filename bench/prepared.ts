/**
 * npx tsx bench/prepared.ts [options]: the two queries every signed-in question page runs (the session's person,
 * app/auth/viewer.server.ts, and the reader's state on the question, app/models/question-viewer.server.ts), planned on
 * every call (`queryRows`) next to prepared once (`preparedRows`), alternating in one process on a copy of the
 * bench:pages data set; prints p50/p95/mean per call and checks that both give the same rows. Options:
 *   --data DIR   the PGlite data set (default the bench:pages one: 20,000 posts)
 *   --runs N     timed calls of each per round (default 300), --rounds N (default 3)
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type SQL, sql } from "drizzle-orm";
import { openDatabase, queryRows } from "#db/client.server";
import { preparedRows } from "#db/prepared.server";
import { sessionViewerQuery } from "~/auth/viewer.server";
import { viewerQuery } from "~/models/question-viewer.server";
import { argValues, percentile, positiveNumberArg } from "./lib";

const args = process.argv.slice(2);
const dataSource = path.resolve(argValues(args, "data")[0] ?? "bench/.data/pglite-v2-50-2000-20000");
const runs = positiveNumberArg(args, "runs", 300);
const rounds = positiveNumberArg(args, "rounds", 3);

const scratch = mkdtempSync(path.join(os.tmpdir(), "peerdesk-prepared-"));
cpSync(dataSource, scratch, { recursive: true });
const database = await openDatabase({ pgliteDir: scratch });
try {
  const db = database.db;
  const [question] = await queryRows<{ id: number; author_id: string }>(
    db,
    sql`select id, author_id from posts where kind = 'question' order by answer_count desc limit 1`,
  );
  if (!question) throw new Error(`No question in ${dataSource}: run npm run bench:pages once to seed it.`);
  const [reader] = await queryRows<{ id: string }>(
    db,
    sql`select id from users where id <> ${question.author_id} and email like 'member%' order by email limit 1`,
  );
  if (!reader) throw new Error("No member in the data set.");
  // A live session for the reader, as signing in makes one.
  const token = `bench-prepared-${Date.now()}`;
  await db.execute(sql`
    insert into sessions (id, token, user_id, expires_at, created_at, updated_at)
    values (${token}, ${token}, ${reader.id}, now() + interval '1 day', now(), now())`);
  const queries: [string, SQL][] = [
    ["session's person", sessionViewerQuery(token, reader.id)],
    [`reader's state on /q/${question.id}`, viewerQuery(question.id, false, reader.id)],
  ];

  const summary = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    return [percentile(sorted, 0.5), percentile(sorted, 0.95), mean].map((v) => v.toFixed(2));
  };

  console.log(`data: ${dataSource}; ${rounds} rounds × ${runs} calls of each, alternating`);
  console.log(["query", "how", "p50 ms", "p95 ms", "mean ms", "same rows"].join("\t"));
  for (const [label, query] of queries) {
    const planned = await queryRows(db, query);
    const prepared = await preparedRows(db, query);
    const same = isDeepStrictEqual(planned, prepared);
    const times = { planned: [] as number[], prepared: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < runs; i++) {
        for (const how of i % 2 === 0 ? (["planned", "prepared"] as const) : (["prepared", "planned"] as const)) {
          const started = performance.now();
          if (how === "planned") await queryRows(db, query);
          else await preparedRows(db, query);
          times[how].push(performance.now() - started);
        }
      }
    }
    console.log([label, "planned each call", ...summary(times.planned), "—"].join("\t"));
    console.log([label, "prepared once", ...summary(times.prepared), same ? "yes" : "NO"].join("\t"));
    if (!same) process.exitCode = 1;
  }
} finally {
  await database.close();
  rmSync(scratch, { recursive: true, force: true });
}
