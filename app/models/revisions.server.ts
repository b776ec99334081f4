/** Revisions: every version of a post's editable content, with who and when, and a word-level diff between two. */
import { asc, eq, max, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type RevisionContent, posts, revisions, users } from "#db/schema";
import { handleInThread, nameInThread } from "./anonymity.server";

/** Stores the post's content as its next revision; call inside the transaction that changes the post. */
export async function recordRevision(
  tx: Db,
  {
    postId,
    editorId,
    content,
    note = "",
  }: { postId: number; editorId: string | null; content: RevisionContent; note?: string },
): Promise<number> {
  // Lock the post row so two simultaneous edits get consecutive numbers instead of colliding.
  await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, postId)).for("update");
  const [existing] = await tx
    .select({ n: max(revisions.number) })
    .from(revisions)
    .where(eq(revisions.postId, postId));
  const number = (existing?.n ?? 0) + 1;
  await tx.insert(revisions).values({ postId, number, editorId, note, content });
  await tx.update(posts).set({ revisionCount: number }).where(eq(posts.id, postId));
  return number;
}

export async function listRevisions(db: Db, postId: number) {
  return db
    .select({
      number: revisions.number,
      note: revisions.note,
      content: revisions.content,
      createdAt: revisions.createdAt,
      editorName: nameInThread(sql`${revisions.postId}`, sql`${revisions.editorId}`, sql`${users.name}`),
      editorHandle: handleInThread(sql`${revisions.postId}`, sql`${revisions.editorId}`, sql`${users.handle}`),
    })
    .from(revisions)
    .leftJoin(users, eq(users.id, revisions.editorId))
    .where(eq(revisions.postId, postId))
    .orderBy(asc(revisions.number));
}

export type DiffPart = { op: "same" | "added" | "removed"; text: string };

/** Word-level diff (longest common subsequence over words and whitespace), merged into runs. */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = before.split(/(\s+)/).filter((t) => t !== "");
  const b = after.split(/(\s+)/).filter((t) => t !== "");
  // Trim the common prefix and suffix first: edits are usually small, and this keeps the table small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const parts: DiffPart[] = [];
  const push = (op: DiffPart["op"], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  if (start > 0) push("same", a.slice(0, start).join(""));
  if (midA.length * midB.length > 4_000_000) {
    // Too large to align word by word: show it as a replacement.
    if (midA.length) push("removed", midA.join(""));
    if (midB.length) push("added", midB.join(""));
  } else {
    const rows = midA.length + 1;
    const cols = midB.length + 1;
    const table = new Uint32Array(rows * cols);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        table[i * cols + j] =
          midA[i] === midB[j]
            ? (table[(i + 1) * cols + j + 1] ?? 0) + 1
            : Math.max(table[(i + 1) * cols + j] ?? 0, table[i * cols + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length && j < midB.length) {
      const wordA = midA[i] ?? "";
      const wordB = midB[j] ?? "";
      if (wordA === wordB) {
        push("same", wordA);
        i++;
        j++;
      } else if ((table[(i + 1) * cols + j] ?? 0) >= (table[i * cols + j + 1] ?? 0)) {
        push("removed", wordA);
        i++;
      } else {
        push("added", wordB);
        j++;
      }
    }
    while (i < midA.length) push("removed", midA[i++] ?? "");
    while (j < midB.length) push("added", midB[j++] ?? "");
  }
  if (endA < a.length) push("same", a.slice(endA).join(""));
  return parts;
}
