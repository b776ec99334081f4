/**
 * Pictures in posts: an upload is recognised by its content (JPEG, PNG or WebP, as profile pictures are), decoded by
 * sharp, turned the right way up, scaled down to at most 1,600 pixels wide and 2,400 high, and re-encoded as WebP
 * without any metadata (no camera, place or time: a phone photo of a printer's display says nothing about where it
 * was taken). Kept in the database under a hash of the result, so the same picture uploaded twice is stored once and
 * browsers may cache it for good. The Markdown renderer shows /images/<hash>.webp and no other site address.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import sharp, { type OutputInfo } from "sharp";
import type { Db } from "#db/client.server";
import { postImages } from "#db/schema";
import { sniffImage } from "./avatars.server";
import { PostingError } from "./post-errors.server";

export const POST_IMAGE_MAX_BYTES = 8 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;
const MAX_WIDTH = 1600;
const MAX_HEIGHT = 2400;

/** A picture refused for what it is (a PostingError: routes answer it as any refused write, with its status). */
export class PostImageError extends PostingError {
  constructor(message: string, status: 400 | 413 | 415) {
    super(message, {}, status);
  }
}

export type StoredPostImage = { url: string; width: number; height: number };

/** Checks, converts and stores an upload; throws PostImageError with a message for the person otherwise. */
export async function savePostImage(db: Db, uploaderId: string, bytes: Uint8Array): Promise<StoredPostImage> {
  if (bytes.length === 0) throw new PostImageError("Choose a picture to add.", 400);
  if (bytes.length > POST_IMAGE_MAX_BYTES)
    throw new PostImageError("That picture is larger than 8 MB. Take a smaller screenshot or crop it.", 413);
  const kind = sniffImage(bytes);
  if (!kind) throw new PostImageError("That file isn't a picture PeerDesk can show: use a PNG, JPEG or WebP.", 415);
  let encoded: { data: Buffer; info: OutputInfo };
  try {
    const input = sharp(Buffer.from(bytes), { limitInputPixels: MAX_PIXELS });
    const metadata = await input.metadata();
    if (metadata.format !== kind) throw new Error("declared and decoded formats differ");
    // rotate() applies the camera's orientation before the metadata is dropped (sharp writes none unless asked).
    encoded = await input
      .rotate()
      .resize(MAX_WIDTH, MAX_HEIGHT, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new PostImageError("That picture couldn't be read. It may be damaged or too large; try another one.", 400);
  }
  const hash = createHash("sha256").update(encoded.data).digest("hex").slice(0, 20);
  await db
    .insert(postImages)
    .values({ hash, uploaderId, width: encoded.info.width, height: encoded.info.height, bytes: encoded.data })
    .onConflictDoNothing({ target: postImages.hash });
  return { url: `/images/${hash}.webp`, width: encoded.info.width, height: encoded.info.height };
}

/** A stored picture's bytes, or null. */
export async function readPostImage(db: Db, hash: string): Promise<Buffer | null> {
  const [row] = await db.select({ bytes: postImages.bytes }).from(postImages).where(eq(postImages.hash, hash)).limit(1);
  return row?.bytes ?? null;
}
