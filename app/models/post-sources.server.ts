/**
 * Where imported posts came from and what their community linked them to: the original's address, author and licence
 * (shown beside each imported post, as CC BY-SA asks), and "possible duplicate of" links kept from the import.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import type { PostSource } from "./post-sources.types";
export type { PostSource } from "./post-sources.types";

export type DuplicateLink = { id: number; title: string };
export type ThreadProvenance = { sources: Record<number, PostSource>; duplicateOf: DuplicateLink[] };

/** The sources of these posts (a question and its answers) and the visible questions this one duplicates. */
export async function getThreadProvenance(db: Db, questionId: number, postIds: number[]): Promise<ThreadProvenance> {
  const ids = `{${[questionId, ...postIds].filter((id) => Number.isSafeInteger(id)).join(",")}}`;
  const sources = await queryRows<PostSource & { post_id: number; author_url: string | null; author_name: string }>(
    db,
    sql`select post_id, url, author_name, author_url, license from post_sources where post_id = any(${ids}::int[])`,
  );
  const duplicateOf = await queryRows<DuplicateLink>(
    db,
    sql`select q.id, q.title from post_links l join posts q on q.id = l.related_post_id
      where l.post_id = ${questionId} and l.kind = 'duplicate' and q.deleted_at is null and q.kind = 'question' order by l.created_at, q.id`,
  );
  return {
    sources: Object.fromEntries(
      sources.map((row) => [
        row.post_id,
        { url: row.url, authorName: row.author_name, authorUrl: row.author_url, license: row.license },
      ]),
    ),
    duplicateOf,
  };
}
