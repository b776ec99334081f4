/** Tags: normalised names (lower-case, hyphens, no duplicates) shared by posts and people's expertise. */
import { asc, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { tags } from "#db/schema";
import { slugify } from "~/lib/slug";

export const TAG_MAX_LENGTH = 35;

/** "Exchange Online", "exchange_online " and "EXCHANGE-online" all become "exchange-online". */
export function normalizeTag(raw: string): string {
  return slugify(raw, TAG_MAX_LENGTH);
}

/** Splits free text ("vpn, Windows 11  intune") into unique normalised tags, keeping the first-typed order. */
export function parseTagList(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(/[,\n]+/)) {
    const tag = normalizeTag(part);
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/** Returns the ids of the given tags, creating the missing ones. */
export async function ensureTags(db: Db, slugs: string[]): Promise<{ id: number; slug: string }[]> {
  const unique = [...new Set(slugs.map(normalizeTag).filter(Boolean))];
  if (unique.length === 0) return [];
  await db
    .insert(tags)
    .values(unique.map((slug) => ({ slug })))
    .onConflictDoNothing({ target: tags.slug });
  const rows = await db.select({ id: tags.id, slug: tags.slug }).from(tags).where(inArray(tags.slug, unique));
  return unique.flatMap((slug) => rows.filter((r) => r.slug === slug));
}

export async function listPopularTags(db: Db, limit = 30) {
  return db
    .select({
      slug: tags.slug,
      uses: sql<number>`(select count(*) from post_tags pt where pt.tag_id = ${tags.id})`.mapWith(Number),
    })
    .from(tags)
    .orderBy(sql`2 desc`, asc(tags.slug))
    .limit(limit);
}
