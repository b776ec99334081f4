/**
 * Asking without your name: a question posted as "someone from the community". Everyone but staff acting on it sees
 * that instead of the asker, on every surface; so do the asker's own comments, answers and notifications in that
 * thread (their name there would give them away). Staff may reveal the asker, and each reveal is logged.
 */
import { type SQL, and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { posts, users } from "#db/schema";
import { recordModeration } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";

export const ANONYMOUS_NAME = "someone from the community";

/** For selects joining `posts` to its author in `users`: the name others see. */
export const publicAuthorName = sql<string>`(case when ${anonymousInThread(sql`${posts.id}`, sql`${posts.authorId}`)} then ${ANONYMOUS_NAME} else ${users.name} end)`;
/** …and the profile handle others see (none for the anonymous asker). */
export const publicAuthorHandle = sql<
  string | null
>`(case when ${anonymousInThread(sql`${posts.id}`, sql`${posts.authorId}`)} then null else ${users.handle} end)`;

/**
 * True (in SQL) when `personId` is the asker of the anonymous question whose thread holds `postId` (the question
 * itself, or an answer to it): then their name stays hidden on that post, its comments and its notifications.
 */
export function anonymousInThread(postId: SQL, personId: SQL): SQL<boolean> {
  // Two primary-key look-ups: the thread's question of the post, then whether it is anonymous and theirs. (Written as
  // a join, PostgreSQL estimated almost no anonymous questions and hashed a scan of every post instead: 37 → 6 ms for
  // a 20-question list of 20,000 posts.)
  return sql<boolean>`exists (select 1 from posts anon_q
    where anon_q.id = (select coalesce(anon_p.parent_id, anon_p.id) from posts anon_p where anon_p.id = ${postId})
      and anon_q.is_anonymous and anon_q.author_id = ${personId})`;
}

/** `name` unless the person is the anonymous asker of the thread holding `postId`. */
export function nameInThread(postId: SQL, personId: SQL, name: SQL): SQL<string | null> {
  return sql<string | null>`(case when ${anonymousInThread(postId, personId)} then ${ANONYMOUS_NAME} else ${name} end)`;
}

/** `handle` unless the person is the anonymous asker of the thread holding `postId` (then null: no profile link). */
export function handleInThread(postId: SQL, personId: SQL, handle: SQL): SQL<string | null> {
  return sql<string | null>`(case when ${anonymousInThread(postId, personId)} then null else ${handle} end)`;
}

/** Whether a question was asked without a name (false for anything else). */
export async function isAnonymousQuestion(db: Db, questionId: number): Promise<boolean> {
  const [row] = await db
    .select({ isAnonymous: posts.isAnonymous })
    .from(posts)
    .where(and(eq(posts.id, questionId), eq(posts.kind, "question")))
    .limit(1);
  return row?.isAnonymous ?? false;
}

/**
 * A moderator reveals who asked an anonymous question, to act on it (a flag, abuse). The reveal is recorded in the
 * public moderation log (who looked, and why; never who the asker is).
 */
export async function revealAsker(
  db: Db,
  { actor, questionId, reason }: { actor: Actor; questionId: number; reason: string },
): Promise<{ id: string; name: string; handle: string | null }> {
  assertCan(actor, "question.revealAsker", undefined, "Only moderators can see who asked.");
  const why = reason.trim().slice(0, 300);
  if (why.length < 3)
    throw new PostingError("Say why you need to know who asked.", { reason: "Say why you need to know who asked." });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: users.id, name: users.name, handle: users.handle, isAnonymous: posts.isAnonymous })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(posts.id, questionId), eq(posts.kind, "question")))
      .limit(1);
    if (!row) throw new PostingError("This question doesn't exist.", {}, 404);
    if (!row.isAnonymous) throw new PostingError("This question shows its asker already.", {}, 409);
    await recordModeration(tx, {
      actorId: actor.id,
      action: "question.revealAsker",
      targetType: "question",
      targetId: String(questionId),
      reason: why,
    });
    return { id: row.id, name: row.name, handle: row.handle };
  });
}
