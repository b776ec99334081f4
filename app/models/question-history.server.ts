/** A question's or answer's revision history, each revision with its word diff against the one before. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type PostKind, type RevisionContent, posts } from "#db/schema";
import { type DiffPart, TOO_LARGE_TO_COMPARE, diffText, listRevisions, newDiffBudget } from "./revisions.server";

export type RevisionView = {
  number: number;
  note: string;
  createdAt: Date;
  editorName: string | null;
  editorHandle: string | null;
  title: string | null;
  titleDiff: DiffPart[] | null;
  bodyDiff: DiffPart[];
  /** Said when part of this version's change was too large to compare word by word and is shown whole instead. */
  diffNote: string | null;
  tags: string[];
  tagsAdded: string[];
  tagsRemoved: string[];
  /** A question's switch between plain language and technical, in words; null when it did not change or is unknown. */
  audienceChange: string | null;
};

/**
 * Every revision of a post, newest first, each with a word diff against the revision before it (the first shows its
 * full text). The page's diffs share one bounded allowance of work, so a long history of huge edits stays cheap.
 */
export async function getRevisionHistory(
  db: Db,
  postId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      parentId: posts.parentId,
      deletedAt: posts.deletedAt,
    })
    .from(posts)
    .where(eq(posts.id, postId))
    .limit(1);
  if (!post || (post.deletedAt && !includeDeleted)) return null;
  const [parent] =
    post.parentId !== null
      ? await db
          .select({ id: posts.id, title: posts.title, deletedAt: posts.deletedAt })
          .from(posts)
          .where(eq(posts.id, post.parentId))
          .limit(1)
      : [];
  if (parent?.deletedAt && !includeDeleted) return null;
  const revisions = await listRevisions(db, postId);
  // One allowance for the whole page, spent newest first: the versions a reader looks at first get the finest diffs.
  const budget = newDiffBudget();
  const views: RevisionView[] = revisions
    .map((r, i) => ({ r, previous: revisions[i - 1] }))
    .reverse()
    .map(({ r, previous }) => {
      const tagsNow = r.content.tags ?? [];
      const tagsBefore = previous?.content.tags ?? [];
      // The original is shown whole; later versions as changes against the one before.
      const title =
        r.content.title === null
          ? null
          : previous
            ? diffText(previous.content.title ?? "", r.content.title, budget)
            : { parts: [{ op: "same" as const, text: r.content.title }], isWordByWord: true };
      const body = previous
        ? diffText(previous.content.bodyMd, r.content.bodyMd, budget)
        : { parts: [{ op: "same" as const, text: r.content.bodyMd }], isWordByWord: true };
      return {
        number: r.number,
        note: r.note,
        createdAt: r.createdAt,
        editorName: r.editorName,
        editorHandle: r.editorHandle,
        title: r.content.title,
        titleDiff: title?.parts ?? null,
        bodyDiff: body.parts,
        diffNote: body.isWordByWord && (title?.isWordByWord ?? true) ? null : TOO_LARGE_TO_COMPARE,
        tags: tagsNow,
        tagsAdded: previous ? tagsNow.filter((t) => !tagsBefore.includes(t)) : [],
        tagsRemoved: tagsBefore.filter((t) => !tagsNow.includes(t)),
        audienceChange: audienceChange(previous?.content ?? null, r.content),
      };
    });
  const kind: PostKind = post.kind;
  return {
    post: { id: post.id, kind, isDeleted: post.deletedAt !== null },
    question: parent ?? { id: post.id, title: post.title },
    revisions: views,
  };
}

/**
 * Who a question asks to answer, where it changed: a sentence, as a struck-through word would read as the opposite.
 * Versions saved before the flag was recorded (and answers, which have none) say nothing rather than guess.
 */
function audienceChange(before: RevisionContent | null, after: RevisionContent): string | null {
  if (after.isPlainLanguage === undefined) return null;
  if (before === null) return after.isPlainLanguage ? "Asked for plain language" : null;
  if (before.isPlainLanguage === undefined || before.isPlainLanguage === after.isPlainLanguage) return null;
  return after.isPlainLanguage ? "Marked as asking for plain language" : "Marked as technical";
}
