/**
 * Pictures in posts: an upload is recognised by its content (JPEG, PNG or WebP, as profile pictures are), decoded by
 * sharp, turned the right way up, scaled down to at most 1,600 pixels wide and 2,400 high, and re-encoded as WebP
 * without any metadata (no camera, place or time: a phone photo of a printer's display says nothing about where it
 * was taken). Kept in the database under a hash of the result, so the same picture uploaded twice is stored once;
 * everyone who uploaded it is recorded (post_image_uploaders) and counts as its uploader below.
 * The Markdown renderer shows /images/<hash>.webp and no other site address.
 *
 * A picture's life after upload:
 * - Where it is used is kept by database triggers (post_image_refs, migration 0035) on every table whose text may
 *   show it: posts, comments, revisions, drafts, suggested edits, sessions and their questions.
 * - Everyone sees it while a visible post, comment or session shows it; while it is only in deleted or held posts,
 *   drafts, old revisions or nowhere yet, only its uploaders and staff do (others get a 404).
 * - Each person may keep POST_IMAGES_MB_PER_PERSON of pictures stored (a picture several people uploaded counts for
 *   each of them); past that, uploads are refused (413). The hourly upload limit counts pictures stored: a refused
 *   upload uses none of it (a looser limit on decoding bounds the work refusals cost).
 * - Pictures used nowhere (not even in a draft or an old revision) are deleted once a day old, by a sweep that every
 *   app process runs hourly (startPostImageSweep, started beside the other background jobs in app.server.ts). A sweep
 *   rather than deleting at the moment a post goes: a picture uploaded while writing is used nowhere until the draft
 *   is saved, a deleted post may be restored by a moderator (its picture is still referenced while the post row
 *   exists), and one indexed DELETE an hour costs less than checking on every write. The sweep is idempotent, so
 *   several processes may run it.
 * - A moderator may take a picture down (removePostImage, logged): its bytes go at once, it answers 404 to everyone,
 *   the same picture can't be uploaded again (its row stays as a marker), and the stored HTML of every post, comment
 *   and session showing it gets a note in its place, which drops the cached pages showing it (their tables' triggers).
 *   Every render after that (an edit, re-rendering) puts the same note in its place: writers ask picturesShownIn
 *   which of the pictures their text shows are taken down (and the others' sizes) and pass that to settlePictures,
 *   which takes them out with withoutPictures, as the take-down does.
 */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import sharp from "sharp";
import { type Db, queryRows } from "#db/client.server";
import {
  comments,
  officeHours,
  officeHoursQuestions,
  postImageRefs,
  postImageUploaders,
  postImages,
  posts,
} from "#db/schema";
import { NO_PICTURES, type PicturesShown, withoutPictures } from "~/lib/markdown.server";
import { DEFAULT_POST_IMAGES_MB_PER_PERSON, postImagePath } from "~/lib/post-images";
import { type SweepLog, startSweep } from "~/lib/loop.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { sniffImage } from "./avatars.server";
import { recordModeration } from "./moderation.server";
import { PostingError, assertCan } from "./post-errors.server";
import { type Actor, can } from "./permissions.server";
import { consumeWriteLimit } from "./rate-limits.server";

export const POST_IMAGE_MAX_BYTES = 8 * 1024 * 1024;
const MB = 1024 * 1024;
const MAX_PIXELS = 40_000_000;
const MAX_WIDTH = 1600;
const MAX_HEIGHT = 2400;
/** How long a picture may stay unused: long enough to finish writing the post it was uploaded for. */
export const UNUSED_GRACE_HOURS = 24;

/** A picture refused for what it is, or for its uploader's storage (a PostingError: routes answer it with its status). */
export class PostImageError extends PostingError {
  constructor(message: string, status: 400 | 403 | 413 | 415) {
    super(message, {}, status);
  }
}

export type StoredPostImage = { url: string; width: number; height: number };

const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** The kinds of picture a post may show, as uploaded; an import also brings GIFs (see encodePostImage). */
type PostImageKind = NonNullable<ReturnType<typeof sniffImage>> | "gif";

/** Refuses what is no picture to add before anything is decoded; says which kind it is otherwise. */
function checkUpload(bytes: Uint8Array): PostImageKind {
  if (bytes.length === 0) throw new PostImageError("Choose a picture to add.", 400);
  if (bytes.length > POST_IMAGE_MAX_BYTES)
    throw new PostImageError("That picture is larger than 8 MB. Take a smaller screenshot or crop it.", 413);
  const kind = sniffImage(bytes);
  if (!kind) throw new PostImageError("That file isn't a picture PeerDesk can show: use a PNG, JPEG or WebP.", 415);
  return kind;
}

/** Whether the bytes start as a GIF does ("GIF87a" or "GIF89a"). */
function isGif(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && /^GIF8[79]a$/.test(String.fromCharCode(...bytes.subarray(0, 6)));
}

/** A picture as stored: its WebP bytes, and the hash of those that names it. */
type EncodedPicture = StoredPostImage & { data: Buffer; hash: string };

/** Stores a picture not stored yet (inside the caller's transaction, its row locked or found missing there). */
async function insertPicture(tx: Db, picture: EncodedPicture): Promise<void> {
  await tx
    .insert(postImages)
    .values({ hash: picture.hash, width: picture.width, height: picture.height, bytes: picture.data })
    .onConflictDoNothing({ target: postImages.hash });
}

/**
 * Decodes a picture of the kind its first bytes say, turns it the right way up, scales it down to fit and encodes it
 * as WebP without metadata; throws PostImageError when it can't be read. A GIF (only imports bring one: the upload
 * form takes none) keeps its animation.
 */
async function encodePostImage(bytes: Uint8Array, kind: PostImageKind): Promise<EncodedPicture> {
  try {
    const input = sharp(Buffer.from(bytes), { limitInputPixels: MAX_PIXELS, animated: kind === "gif" });
    const metadata = await input.metadata();
    if (metadata.format !== kind) throw new Error("declared and decoded formats differ");
    // rotate() applies the camera's orientation before the metadata is dropped (sharp writes none unless asked).
    const { data, info } = await input
      .rotate()
      .resize(MAX_WIDTH, MAX_HEIGHT, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const hash = createHash("sha256").update(data).digest("hex").slice(0, 20);
    return { data, hash, url: postImagePath(hash), width: info.width, height: info.height };
  } catch {
    throw new PostImageError("That picture couldn't be read. It may be damaged or too large; try another one.", 400);
  }
}

/**
 * Checks, converts and stores an upload, and records this person as one of its uploaders; throws PostImageError with a
 * message for the person otherwise, or RateLimitedError. `maxStoredBytes`: how much picture data the uploader may keep
 * stored in all (POST_IMAGES_MB_PER_PERSON).
 */
export async function savePostImage(
  db: Db,
  uploaderId: string,
  bytes: Uint8Array,
  { maxStoredBytes = DEFAULT_POST_IMAGES_MB_PER_PERSON * MB }: { maxStoredBytes?: number } = {},
): Promise<StoredPostImage> {
  const kind = checkUpload(bytes);
  // Decoding is the costly part, so every decode counts here, whether the picture is then stored or refused.
  await consumeWriteLimit(db, { userId: uploaderId, kind: "imageDecode" });
  const encoded = await encodePostImage(bytes, kind);
  const { hash } = encoded;
  await db.transaction(async (tx) => {
    // One upload at a time per person, so two at once can't both fit under the limit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`post-images:${uploaderId}`}))`);
    // Counted with what it allows: a refusal below rolls the count back with everything else.
    await consumeWriteLimit(tx, { userId: uploaderId, kind: "image" });
    // Locked, so the sweep can't delete an unused copy between here and its new uploader row.
    const [existing] = await tx
      .select({
        removedAt: postImages.removedAt,
        isMine: sql<boolean>`exists (select 1 from post_image_uploaders u
          where u.hash = ${postImages.hash} and u.user_id = ${uploaderId})`,
      })
      .from(postImages)
      .where(eq(postImages.hash, hash))
      .for("update");
    if (existing?.removedAt)
      throw new PostImageError("A moderator took this picture down, so it can't be added again.", 403);
    if (!existing?.isMine) {
      // New to this person (even if someone else stored it already): it counts in their storage from now on.
      const used = await storedBytesOf(tx, uploaderId);
      if (used + encoded.data.length > maxStoredBytes)
        throw new PostImageError(
          `Your pictures already take ${megabytes(used)} of the ${megabytes(maxStoredBytes)} each person may keep, and this one would go past it. Pictures you added but didn't use in any post or draft are removed after a day, which makes room; or crop this one and try again.`,
          413,
        );
    }
    if (existing) {
      // Stored already: no second copy. An unused one counts as just added, so the sweep leaves it another day.
      await tx
        .update(postImages)
        .set({
          createdAt: sql`case when exists (select 1 from post_image_refs r where r.hash = ${hash}) then ${postImages.createdAt} else now() end`,
        })
        .where(eq(postImages.hash, hash));
    } else {
      await insertPicture(tx, encoded);
    }
    await tx.insert(postImageUploaders).values({ hash, userId: uploaderId }).onConflictDoNothing();
  });
  return { url: encoded.url, width: encoded.width, height: encoded.height };
}

/**
 * Converts and stores a picture an import found in a post (scripts/import-stackexchange.ts), its author recorded as its
 * uploader, and says where it is. Unlike an upload it counts against no limit or storage share (the operator runs the
 * import, and the pictures were part of the posts already) and it may be a GIF. Throws PostImageError when it is no
 * picture that can be read. A picture a moderator took down stays down: nothing is stored, and the posts showing its
 * address show the note (settlePictures).
 */
export async function saveImportedPicture(
  db: Db,
  authorId: string,
  bytes: Uint8Array,
): Promise<{ hash: string; url: string }> {
  const kind = isGif(bytes) && bytes.length <= POST_IMAGE_MAX_BYTES ? "gif" : checkUpload(bytes);
  const picture = await encodePostImage(bytes, kind);
  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ removedAt: postImages.removedAt })
      .from(postImages)
      .where(eq(postImages.hash, picture.hash))
      .for("update");
    if (existing?.removedAt) return;
    if (!existing) await insertPicture(tx, picture);
    await tx.insert(postImageUploaders).values({ hash: picture.hash, userId: authorId }).onConflictDoNothing();
  });
  return { hash: picture.hash, url: picture.url };
}

/** Bytes of pictures the person keeps stored, each picture they uploaded in full (taken-down ones hold none). */
export async function storedBytesOf(db: Db, uploaderId: string): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<string>`coalesce(sum(octet_length(${postImages.bytes})), 0)` })
    .from(postImages)
    .innerJoin(postImageUploaders, eq(postImageUploaders.hash, postImages.hash))
    .where(eq(postImageUploaders.userId, uploaderId));
  return Number(row?.bytes ?? 0);
}

/**
 * A stored picture's bytes for this viewer, or null (no such picture, taken down, or not theirs to see): everyone
 * sees a picture a visible post, comment or session shows; its uploaders and staff see it anywhere else too.
 * `isPublic` says whether the answer may be cached for everyone.
 */
export async function readPostImage(
  db: Db,
  hash: string,
  viewer: Actor = null,
): Promise<{ bytes: Buffer; isPublic: boolean } | null> {
  const [row] = await queryRows<{ bytes: Buffer | Uint8Array; is_uploader: boolean; is_public: boolean }>(
    db,
    sql`select i.bytes, ${isShownPublicly(sql`i.hash`)} as is_public,
        exists (select 1 from post_image_uploaders u where u.hash = i.hash and u.user_id = ${viewer?.id ?? ""})
          as is_uploader
      from post_images i where i.hash = ${hash} and i.removed_at is null`,
  );
  if (!row) return null;
  const bytes = Buffer.from(row.bytes);
  if (row.is_public) return { bytes, isPublic: true };
  if (row.is_uploader || can(viewer, "post.viewDeleted")) return { bytes, isPublic: false };
  return null;
}

/**
 * Whether a visible post (whose question, for an answer, is visible too), a visible comment on one, a session or a
 * session question not set aside shows the picture. Keys are cast inside CASE so a draft's key is never read as a number.
 */
function isShownPublicly(hash: ReturnType<typeof sql>) {
  const keyOf = (source: string) => sql.raw(`case when r.source_type = '${source}' then r.source_key::integer end`);
  return sql`(
    exists (select 1 from post_image_refs r
      join posts p on p.id = ${keyOf("post")} left join posts q on q.id = p.parent_id
      where r.hash = ${hash} and r.source_type = 'post' and p.deleted_at is null and q.deleted_at is null)
    or exists (select 1 from post_image_refs r
      join comments c on c.id = ${keyOf("comment")} join posts p on p.id = c.post_id left join posts q on q.id = p.parent_id
      where r.hash = ${hash} and r.source_type = 'comment' and c.deleted_at is null and p.deleted_at is null
        and q.deleted_at is null)
    or exists (select 1 from post_image_refs r where r.hash = ${hash} and r.source_type = 'session')
    or exists (select 1 from post_image_refs r join session_questions s on s.id = ${keyOf("session_question")}
      where r.hash = ${hash} and r.source_type = 'session_question' and s.state <> 'skipped' and s.hidden_at is null)
  )`;
}

/**
 * A moderator takes a picture down: its bytes are deleted at once, every address of it answers 404, it can't be
 * uploaded again, the posts, comments and sessions that showed it show a note instead (and the cached pages showing
 * them are dropped when this commits), and the moderation log says who did it and why. Throws PostingError (403, 404,
 * 409) otherwise.
 *
 * Locks the rows showing the picture first, then the picture: the order every write takes them in (an edit locks its
 * post, then the pictures its text shows), so a take-down and an edit wait for each other and never deadlock. A row
 * that came to show the picture while the take-down waited for the picture (a write that had just read it) is found
 * once the picture is locked: the locks are then given back (a savepoint) and taken again in order, that row included.
 */
export async function removePostImage(
  db: Db,
  { actor, hash, reason }: { actor: Actor; hash: string; reason: string },
): Promise<void> {
  assertCan(actor, "image.remove");
  const takeDown = { actorId: actor.id, hash, reason: reason.trim() };
  await db.transaction(async (tx) => {
    let showing = await rowsShowing(tx, hash);
    for (let attempt = 1; ; attempt++) {
      const isLastAttempt = attempt === LOCK_ATTEMPTS;
      const more = await tx
        .transaction((savepoint) => takeDownInOrder(savepoint, { ...takeDown, showing, isLastAttempt }))
        .then(
          () => null,
          (error: unknown) => {
            if (error instanceof ShowingMoreRows) return error.showing;
            throw error;
          },
        );
      if (!more) return;
      showing = more;
    }
  });
}

/** How many times a take-down locks the rows showing its picture before it stops giving the locks back. */
const LOCK_ATTEMPTS = 3;

/**
 * The take-down itself, in a savepoint: the rows `showing` the picture locked, then the picture. Throws
 * ShowingMoreRows (the savepoint then rolls back, its locks with it) when more rows show the picture than were locked,
 * unless `isLastAttempt`: then those are locked after the picture (a deadlock is possible then, never a row missed).
 */
async function takeDownInOrder(
  tx: Db,
  {
    actorId,
    hash,
    reason,
    showing,
    isLastAttempt,
  }: { actorId: string; hash: string; reason: string; showing: RowsShowing; isLastAttempt: boolean },
): Promise<void> {
  await lockRowsShowing(tx, showing);
  const [image] = await tx
    .select({ removedAt: postImages.removedAt })
    .from(postImages)
    .where(eq(postImages.hash, hash))
    .for("update");
  if (!image)
    throw new PostingError("There is no picture at that address.", { image: "No picture has that address." }, 404);
  if (image.removedAt)
    throw new PostingError("That picture was taken down already.", { image: "Already taken down." }, 409);
  // Complete now: every write that had read the picture has committed, and later ones will find it taken down.
  const now = await rowsShowing(tx, hash);
  if (!isCoveredBy(now, showing)) {
    if (!isLastAttempt) throw new ShowingMoreRows(now);
    await lockRowsShowing(tx, now);
  }
  await tx
    .update(postImages)
    .set({ bytes: Buffer.alloc(0), removedAt: new Date(), removedBy: actorId })
    .where(eq(postImages.hash, hash));
  await takeOutOfStoredHtml(tx, hash, now);
  await recordModeration(tx, { actorId, action: "image.remove", targetType: "image", targetId: hash, reason });
}

/** The rows whose stored HTML shows a picture (post_image_refs knows them), by table, ids descending. */
type RowsShowing = { posts: number[]; comments: number[]; sessions: number[]; sessionQuestions: number[] };

/** Said inside a take-down's savepoint when more rows show the picture than it locked: it rolls back and locks again. */
class ShowingMoreRows extends Error {
  constructor(readonly showing: RowsShowing) {
    super("more rows show the picture than were locked");
  }
}

async function rowsShowing(tx: Db, hash: string): Promise<RowsShowing> {
  const refs = await tx
    .select({ sourceType: postImageRefs.sourceType, sourceKey: postImageRefs.sourceKey })
    .from(postImageRefs)
    .where(eq(postImageRefs.hash, hash));
  const idsOf = (source: string) =>
    refs
      .filter((ref) => ref.sourceType === source)
      .map((ref) => Number(ref.sourceKey))
      .sort((a, b) => b - a);
  return {
    posts: idsOf("post"),
    comments: idsOf("comment"),
    sessions: idsOf("session"),
    sessionQuestions: idsOf("session_question"),
  };
}

function isCoveredBy(rows: RowsShowing, locked: RowsShowing): boolean {
  return (Object.keys(rows) as (keyof RowsShowing)[]).every((table) =>
    rows[table].every((id) => locked[table].includes(id)),
  );
}

/**
 * Locks the rows showing a picture, before the picture itself: posts (an answer before its question, as an answer's
 * edit, acceptance and deletion lock them), then comments, sessions and session questions (each after the row it
 * belongs to).
 */
async function lockRowsShowing(tx: Db, rows: RowsShowing): Promise<void> {
  if (rows.posts.length > 0)
    await tx
      .select({ id: posts.id })
      .from(posts)
      .where(inArray(posts.id, rows.posts))
      .orderBy(desc(posts.id))
      .for("update");
  if (rows.comments.length > 0)
    await tx
      .select({ id: comments.id })
      .from(comments)
      .where(inArray(comments.id, rows.comments))
      .orderBy(desc(comments.id))
      .for("update");
  if (rows.sessions.length > 0)
    await tx
      .select({ id: officeHours.id })
      .from(officeHours)
      .where(inArray(officeHours.id, rows.sessions))
      .orderBy(desc(officeHours.id))
      .for("update");
  if (rows.sessionQuestions.length > 0)
    await tx
      .select({ id: officeHoursQuestions.id })
      .from(officeHoursQuestions)
      .where(inArray(officeHoursQuestions.id, rows.sessionQuestions))
      .orderBy(desc(officeHoursQuestions.id))
      .for("update");
}

/**
 * The pictures the texts show (any /images/<hash>.webp in them, as post_image_refs counts): which a moderator took
 * down, and the sizes of the others, for settlePictures to apply to their rendered HTML before it is stored. One query
 * for all of them, none when they show no stored picture. In a writing transaction, call it after locking the rows
 * the write changes (and before writing the texts): it locks the pictures' rows (key share), so a take-down under way
 * finishes first and is seen here, or waits for this write to commit and then rewrites it. A take-down locks the rows
 * showing the picture first, then the picture (removePostImage): the same order, so neither waits for the other in a
 * circle. `isLocking: false` where the rows are locked already and nothing waits for the pictures (re-rendering): a
 * take-down waits for those rows before rewriting them.
 */
export async function picturesShownIn(
  db: Db,
  texts: readonly (string | null | undefined)[],
  { isLocking = true }: { isLocking?: boolean } = {},
): Promise<PicturesShown> {
  const hashes = new Set<string>();
  for (const text of texts) {
    if (!text?.includes("/images/")) continue;
    for (const match of text.matchAll(/\/images\/([0-9a-f]{20})\.webp/g)) if (match[1]) hashes.add(match[1]);
  }
  if (hashes.size === 0) return NO_PICTURES;
  const query = db
    .select({
      hash: postImages.hash,
      removedAt: postImages.removedAt,
      width: postImages.width,
      height: postImages.height,
    })
    .from(postImages)
    .where(inArray(postImages.hash, [...hashes]));
  const rows = isLocking ? await query.for("key share") : await query;
  return {
    takenDown: new Set(rows.filter((row) => row.removedAt !== null).map((row) => row.hash)),
    sizes: new Map(
      rows.filter((row) => row.removedAt === null).map((row) => [row.hash, { width: row.width, height: row.height }]),
    ),
  };
}

/**
 * Inside the take-down: rewrites the stored HTML of the posts (body, prerequisites, how-to steps), comments, sessions
 * and session answers that show the picture (`showing`, from post_image_refs). Their tables' page cache triggers (as
 * for an edit) drop the pages showing them when the take-down commits, so no cached page keeps a broken picture. Each
 * row is locked (lockRowsShowing) before it is read, so an edit committing meanwhile is rewritten, not overwritten with
 * the text before it.
 */
async function takeOutOfStoredHtml(tx: Db, hash: string, showing: RowsShowing): Promise<void> {
  const takenDown = new Set([hash]);
  const without = (html: string) => withoutPictures(html, takenDown);

  const postIds = showing.posts;
  const changedPosts: number[] = [];
  if (postIds.length > 0) {
    const rows = await tx
      .select({
        id: posts.id,
        bodyHtml: posts.bodyHtml,
        prerequisitesHtml: posts.prerequisitesHtml,
        steps: posts.steps,
      })
      .from(posts)
      .where(inArray(posts.id, postIds))
      .for("update");
    for (const row of rows) {
      const next = {
        bodyHtml: without(row.bodyHtml),
        prerequisitesHtml: row.prerequisitesHtml === null ? null : without(row.prerequisitesHtml),
        steps: row.steps?.map((step) => ({ ...step, bodyHtml: without(step.bodyHtml) })) ?? null,
      };
      const isSame =
        next.bodyHtml === row.bodyHtml &&
        next.prerequisitesHtml === row.prerequisitesHtml &&
        JSON.stringify(next.steps) === JSON.stringify(row.steps);
      if (isSame) continue;
      await tx.update(posts).set(next).where(eq(posts.id, row.id));
      changedPosts.push(row.id);
    }
  }
  // The search document's text comes from the stored HTML.
  await enqueueSearchUpdate(tx, changedPosts);

  const commentIds = showing.comments;
  if (commentIds.length > 0) {
    const rows = await tx
      .select({ id: comments.id, bodyHtml: comments.bodyHtml })
      .from(comments)
      .where(inArray(comments.id, commentIds))
      .for("update");
    for (const row of rows) {
      const bodyHtml = without(row.bodyHtml);
      if (bodyHtml !== row.bodyHtml) await tx.update(comments).set({ bodyHtml }).where(eq(comments.id, row.id));
    }
  }
  const sessionIds = showing.sessions;
  if (sessionIds.length > 0) {
    const rows = await tx
      .select({ id: officeHours.id, descriptionHtml: officeHours.descriptionHtml })
      .from(officeHours)
      .where(inArray(officeHours.id, sessionIds))
      .for("update");
    for (const row of rows) {
      const descriptionHtml = without(row.descriptionHtml);
      if (descriptionHtml !== row.descriptionHtml)
        await tx.update(officeHours).set({ descriptionHtml }).where(eq(officeHours.id, row.id));
    }
  }
  const sessionQuestionIds = showing.sessionQuestions;
  if (sessionQuestionIds.length > 0) {
    const rows = await tx
      .select({ id: officeHoursQuestions.id, answerHtml: officeHoursQuestions.answerHtml })
      .from(officeHoursQuestions)
      .where(inArray(officeHoursQuestions.id, sessionQuestionIds))
      .for("update");
    for (const row of rows) {
      const answerHtml = row.answerHtml === null ? null : without(row.answerHtml);
      if (answerHtml !== row.answerHtml)
        await tx.update(officeHoursQuestions).set({ answerHtml }).where(eq(officeHoursQuestions.id, row.id));
    }
  }
}

/** The newest pictures, for moderators: who added each, how big, and how many places use it. */
export async function listRecentPostImages(db: Db, { limit = 20 }: { limit?: number } = {}) {
  return db
    .select({
      hash: postImages.hash,
      width: postImages.width,
      height: postImages.height,
      bytes: sql<number>`octet_length(${postImages.bytes})::int`,
      createdAt: postImages.createdAt,
      // Everyone who uploaded it, first first (none left once they all deleted their accounts).
      uploaderNames: sql<string[]>`coalesce((select array_agg(p.name order by u.created_at, p.name)
        from post_image_uploaders u join users p on p.id = u.user_id where u.hash = ${postImages.hash}), '{}')`,
      uses: sql<number>`(select count(*)::int from post_image_refs r where r.hash = ${postImages.hash})`,
    })
    .from(postImages)
    .where(isNull(postImages.removedAt))
    .orderBy(sql`${postImages.createdAt} desc`, sql`${postImages.id} desc`)
    .limit(limit);
}

/**
 * Deletes pictures used nowhere (no post, comment, revision, draft, suggestion or session mentions them) that are
 * older than the grace period. Taken-down markers stay. Returns how many went and the bytes freed.
 */
export async function sweepUnusedPostImages(
  db: Db,
  { graceHours = UNUSED_GRACE_HOURS, now = new Date() }: { graceHours?: number; now?: Date } = {},
): Promise<{ deleted: number; bytes: number }> {
  const cutoff = new Date(now.getTime() - graceHours * 60 * 60 * 1000);
  const rows = await queryRows<{ bytes: number }>(
    db,
    sql`delete from post_images i
      where i.removed_at is null and i.created_at < ${cutoff.toISOString()}::timestamptz
        and not exists (select 1 from post_image_refs r where r.hash = i.hash)
      returning octet_length(i.bytes)::int as bytes`,
  );
  return { deleted: rows.length, bytes: rows.reduce((sum, row) => sum + Number(row.bytes), 0) };
}

/** Runs the sweep every `everyMs` (an hour by default) in the background; never throws, logs what it removed. */
export function startPostImageSweep(
  db: Db,
  options: { everyMs?: number; log: SweepLog },
): { stop: () => Promise<void> } {
  return startSweep(() => sweepUnusedPostImages(db), {
    ...options,
    removed: "unused post pictures deleted",
    failed: "post picture sweep failed",
  });
}

/**
 * Account deletion, inside its transaction (after the person's drafts and removed questions are gone): they stop being
 * an uploader of every picture. Those used nowhere that nobody else uploaded go now; a picture someone else uploaded
 * too stays theirs (counted in their storage, theirs to see and use, swept as usual once a day unused), and one shown
 * in posts that stay is kept, no longer naming this person. Taken-down markers stay, so the pictures can't come back.
 */
export async function forgetUploader(tx: Db, userId: string): Promise<void> {
  await tx.execute(
    sql`delete from post_images i where i.removed_at is null
      and exists (select 1 from post_image_uploaders u where u.hash = i.hash and u.user_id = ${userId})
      and not exists (select 1 from post_image_uploaders u where u.hash = i.hash and u.user_id <> ${userId})
      and not exists (select 1 from post_image_refs r where r.hash = i.hash)`,
  );
  await tx.delete(postImageUploaders).where(eq(postImageUploaders.userId, userId));
}

/**
 * The pictures the person uploaded, with their bytes, for their data download, a few at a time (keyset by id) so
 * memory stays bounded; taken-down ones have no bytes to give.
 */
export async function postImagesAfter(
  db: Db,
  { uploaderId, afterId, limit }: { uploaderId: string; afterId: number; limit: number },
) {
  return db
    .select({ id: postImages.id, hash: postImages.hash, bytes: postImages.bytes })
    .from(postImages)
    .innerJoin(postImageUploaders, eq(postImageUploaders.hash, postImages.hash))
    .where(
      and(eq(postImageUploaders.userId, uploaderId), isNull(postImages.removedAt), sql`${postImages.id} > ${afterId}`),
    )
    .orderBy(asc(postImages.id))
    .limit(limit);
}

/**
 * The pictures the person uploaded, for the JSON data download: when they added each, and when a moderator took it
 * down (then it has no address any more: it answers 404 to everyone, and the zip download has no file for it).
 */
export async function postImagesUploadedBy(db: Db, uploaderId: string) {
  return db
    .select({
      hash: postImages.hash,
      width: postImages.width,
      height: postImages.height,
      uploadedAt: postImageUploaders.createdAt,
      takenDownAt: postImages.removedAt,
    })
    .from(postImageUploaders)
    .innerJoin(postImages, eq(postImages.hash, postImageUploaders.hash))
    .where(eq(postImageUploaders.userId, uploaderId))
    .orderBy(asc(postImageUploaders.createdAt), asc(postImages.id));
}
