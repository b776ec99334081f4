/**
 * Stored pictures carry their width and height in the HTML that shows them (settlePictures), so a phone reader's text
 * doesn't jump as lazy pictures load. Posts stored before got them from the start-up re-render (POST_RENDER_VERSION 4);
 * session descriptions and session answers have no render version, so this pass gives theirs (comments show a picture
 * as a link, never inline). It reads only rows that show a stored picture with no size (among those post_image_refs
 * names) and writes only what it changes, so once done a start-up costs a look at the rows showing pictures.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { settlePictures } from "~/lib/markdown.server";

/** An `<img>` of a picture stored here with no width: what settlePictures gives a size. */
const UNSIZED_PICTURE = String.raw`<img(?![^>]*\swidth=")[^>]*\ssrc="/images/[0-9a-f]{20}\.webp"`;

const TABLES = [
  { table: "qa_sessions", column: "description_html", source: "session" },
  { table: "session_questions", column: "answer_html", source: "session_question" },
] as const;

/** Gives the stored pictures shown by sessions and their answers their sizes, a batch at a time; returns the rows changed. */
export async function settleStoredPictureSizes(db: Db, { batchSize = 200 } = {}): Promise<number> {
  let changed = 0;
  for (const { table, column, source } of TABLES) {
    for (let afterId = 0; ; ) {
      const batch = await db.transaction(async (tx) => {
        // The cast is inside CASE: a draft's key is not a number.
        const rows = await queryRows<{ id: number; html: string }>(
          tx,
          sql`select t.id, t.${sql.raw(column)} as html from ${sql.raw(table)} t
            where t.id > ${afterId} and t.${sql.raw(column)} ~ ${UNSIZED_PICTURE}
              and t.id in (select case when r.source_type = ${source} then r.source_key::integer end
                           from post_image_refs r where r.source_type = ${source})
            order by t.id limit ${batchSize} for update of t skip locked`,
        );
        if (rows.length === 0) return null;
        const hashes = new Set(
          rows.flatMap((row) =>
            [...row.html.matchAll(/\/images\/([0-9a-f]{20})\.webp/g)].map((match) => match[1] ?? ""),
          ),
        );
        const sizes = await queryRows<{ hash: string; width: number; height: number }>(
          tx,
          sql`select hash, width, height from post_images
            where hash = any(${`{${[...hashes].join(",")}}`}::text[]) and removed_at is null`,
        );
        const pictures = {
          takenDown: new Set<string>(),
          sizes: new Map(sizes.map((size) => [size.hash, { width: size.width, height: size.height }])),
        };
        let written = 0;
        for (const row of rows) {
          const html = settlePictures(row.html, pictures);
          if (html === row.html) continue;
          await tx.execute(sql`update ${sql.raw(table)} set ${sql.raw(column)} = ${html} where id = ${row.id}`);
          written += 1;
        }
        return { lastId: rows.at(-1)?.id ?? afterId, written };
      });
      if (!batch) break;
      changed += batch.written;
      afterId = batch.lastId;
    }
  }
  return changed;
}
