/**
 * Renders stored posts again from their Markdown when the renderer changed since they were stored (their
 * `render_version` is below POST_RENDER_VERSION): at start-up in the background, or all at once with
 * `npm run posts:rerender`. Pages showing a re-rendered post are dropped from every process's page cache by the posts
 * table's trigger (migration 0013), and the post is searched by its new text (search outbox).
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { type HowtoStep, POST_RENDER_VERSION, type PostKind } from "#db/schema";
import {
  HEADING_LEVEL,
  type PicturesShown,
  highlightAllowance,
  renderMarkdown,
  settlePictures,
} from "~/lib/markdown.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { picturesShownIn } from "./post-images.server";
import { settleStoredPictureSizes } from "./picture-sizes.server";

type StoredRow = {
  id: number;
  kind: PostKind;
  body_md: string;
  body_html: string;
  prerequisites_md: string | null;
  prerequisites_html: string | null;
  steps: HowtoStep[] | null;
};

export type RerenderProgress = { done: number; total: number; changed: number };

/** How many posts still hold HTML from an older renderer. */
export async function countStalePosts(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from posts where render_version < ${POST_RENDER_VERSION}`,
  );
  return row?.n ?? 0;
}

/**
 * The row as the current renderer stores it (its stored pictures settled: `pictures`, from picturesShownIn), or null
 * when its HTML is already what the renderer gives.
 */
function rendered(
  row: StoredRow,
  pictures: PicturesShown,
): Omit<StoredRow, "kind" | "body_md" | "prerequisites_md"> | null {
  // One allowance of coloured code for the whole post (a how-to's steps included), spent in reading order, as when saved.
  const highlight = highlightAllowance();
  const render = (source: string, headingLevel: number) =>
    settlePictures(renderMarkdown(source, headingLevel, highlight), pictures);
  const bodyHtml = render(row.body_md, HEADING_LEVEL[row.kind]);
  const prerequisitesHtml = row.prerequisites_md
    ? render(row.prerequisites_md, HEADING_LEVEL.prerequisites)
    : row.prerequisites_html;
  const steps =
    row.steps?.map((step) => ({ bodyMd: step.bodyMd, bodyHtml: render(step.bodyMd, HEADING_LEVEL.step) })) ?? null;
  const isSame =
    bodyHtml === row.body_html &&
    prerequisitesHtml === row.prerequisites_html &&
    (steps ?? []).every((step, i) => step.bodyHtml === row.steps?.[i]?.bodyHtml);
  if (isSame) return null;
  return { id: row.id, body_html: bodyHtml, prerequisites_html: prerequisitesHtml, steps };
}

/**
 * Renders one batch of stale posts again; resolves with how many it looked at and how many changed (0 looked at: none
 * left). The rows are locked while they are rendered, so an edit saved meanwhile waits and is never overwritten with
 * HTML of the text before it; rows another process is rendering are skipped.
 */
export async function rerenderStaleBatch(db: Db, batchSize = 100): Promise<{ looked: number; changed: number }> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<StoredRow>(
      tx,
      sql`select id, kind, body_md, body_html, prerequisites_md, prerequisites_html, steps from posts
        where render_version < ${POST_RENDER_VERSION} order by id limit ${batchSize} for update skip locked`,
    );
    if (rows.length === 0) return { looked: 0, changed: 0 };
    // Not locking the pictures: these posts are locked already, and a take-down waits for them before rewriting them.
    const pictures = await picturesShownIn(
      tx,
      rows.flatMap((row) => [row.body_md, row.prerequisites_md, ...(row.steps ?? []).map((step) => step.bodyMd)]),
      { isLocking: false },
    );
    const changed = rows.flatMap((row) => {
      const next = rendered(row, pictures);
      return next ? [next] : [];
    });
    if (changed.length > 0) {
      await tx.execute(sql`update posts p set body_html = r.body_html, prerequisites_html = r.prerequisites_html,
          steps = r.steps, render_version = ${POST_RENDER_VERSION}
        from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb)
          as r(id int, body_html text, prerequisites_html text, steps jsonb)
        where p.id = r.id`);
      // The search document's text comes from the stored HTML (a key, a superscript, a link now read as such).
      await enqueueSearchUpdate(
        tx,
        changed.map((row) => row.id),
      );
    }
    const unchanged = rows.filter((row) => !changed.some((next) => next.id === row.id)).map((row) => row.id);
    if (unchanged.length > 0)
      await tx.execute(
        sql`update posts set render_version = ${POST_RENDER_VERSION} where id = any(${`{${unchanged.join(",")}}`}::int[])`,
      );
    return { looked: rows.length, changed: changed.length };
  });
}

/** Renders every stale post again, batch by batch, reporting progress; resolves with the totals. */
export async function rerenderStalePosts(
  db: Db,
  options: {
    batchSize?: number;
    onProgress?: (progress: RerenderProgress) => void;
    betweenBatches?: () => Promise<void>;
  } = {},
): Promise<RerenderProgress> {
  const total = await countStalePosts(db);
  const progress: RerenderProgress = { done: 0, total, changed: 0 };
  for (;;) {
    const { looked, changed } = await rerenderStaleBatch(db, options.batchSize);
    if (looked === 0) break;
    progress.done += looked;
    progress.changed += changed;
    options.onProgress?.(progress);
    await options.betweenBatches?.();
  }
  return progress;
}

/**
 * Renders stale posts again in the background (after an upgrade that changed the renderer), a batch at a time with a
 * pause between batches so readers are served meanwhile; any number of processes may run it (rows are claimed). Then
 * gives the pictures sessions show their sizes (settleStoredPictureSizes), which have no render version.
 */
export function startRerenderingStalePosts(
  db: Db,
  log: (level: "info" | "error", msg: string, fields: Record<string, unknown>) => void,
): { stop: () => Promise<void> } {
  let isStopped = false;
  const run = (async () => {
    if ((await countStalePosts(db)) > 0) {
      const startedAt = Date.now();
      const result = await rerenderStalePosts(db, {
        onProgress: ({ done, total, changed }) => {
          if (done % 1000 < 100) log("info", "rendering stored posts again", { done, total, changed });
        },
        betweenBatches: async () => {
          if (isStopped) throw new StoppedError();
          await new Promise((resolve) => setTimeout(resolve, 20).unref());
        },
      });
      log("info", "stored posts rendered again", { ...result, ms: Date.now() - startedAt });
    }
    if (isStopped) return;
    const settled = await settleStoredPictureSizes(db);
    if (settled > 0) log("info", "pictures in sessions given their sizes", { changed: settled });
  })().catch((error: unknown) => {
    if (!(error instanceof StoppedError))
      log("error", "rendering stored posts again failed; it continues at the next start", { error: String(error) });
  });
  return {
    stop: async () => {
      isStopped = true;
      await run;
    },
  };
}

class StoppedError extends Error {}
