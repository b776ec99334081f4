/**
 * Profile pictures: an upload is recognised by its content (JPEG, PNG or WebP magic bytes, then decoded by sharp),
 * never by its name or declared type; re-encoded as square WebP in three sizes without any metadata (no camera,
 * place or time); kept in the database so every app process serves it; addressed by a content hash so caches
 * never need to ask whether it changed, only (now and then) whether it may still be shown.
 */
import { createHash } from "node:crypto";
import { and, eq, notExists } from "drizzle-orm";
import sharp from "sharp";
import type { Db } from "#db/client.server";
import { AVATAR_SIZES, type AvatarSize, avatarImages, hiddenProfiles, users } from "#db/schema";
import { AVATAR_MAX_BYTES, AVATAR_TOO_LARGE_MESSAGE } from "~/lib/avatars";

/** Bigger pictures are refused before decoding (a decompression bomb can be small on disk). */
const MAX_PIXELS = 40_000_000;

export type ImageKind = "jpeg" | "png" | "webp";

/** The image type a file's first bytes announce, or null: the name and the browser's declared type don't count. */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const starts = (...values: number[]) => values.every((value, i) => bytes[i] === value);
  if (bytes.length >= 3 && starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (bytes.length >= 8 && starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (bytes.length >= 12 && starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP")
    return "webp";
  return null;
}

export class AvatarError extends Error {}

export type ProcessedAvatar = { hash: string; images: { size: AvatarSize; bytes: Buffer }[] };

/** Checks and converts an upload; throws AvatarError with a message for the person otherwise. */
export async function processAvatar(bytes: Uint8Array): Promise<ProcessedAvatar> {
  if (bytes.length === 0) throw new AvatarError("Choose a picture to upload.");
  if (bytes.length > AVATAR_MAX_BYTES) throw new AvatarError(AVATAR_TOO_LARGE_MESSAGE);
  const kind = sniffImage(bytes);
  if (!kind) throw new AvatarError("That file isn't a JPEG, PNG or WebP picture.");
  const input = Buffer.from(bytes);
  let width = 0;
  let height = 0;
  try {
    // Only the header is read here, so the size can be told apart from a damaged file; decoding below is limited.
    const metadata = await sharp(input, { limitInputPixels: false }).metadata();
    if (metadata.format !== kind) throw new AvatarError("That file isn't a JPEG, PNG or WebP picture.");
    width = metadata.width ?? 0;
    height = metadata.height ?? 0;
  } catch (error) {
    if (error instanceof AvatarError) throw error;
    throw new AvatarError("That picture couldn't be read. It may be damaged; try another one.");
  }
  if (width < 16 || height < 16) throw new AvatarError("That picture is too small. Use one at least 16 pixels wide.");
  // A camera's usual photo (12 megapixels) passes; its full-resolution mode (48 and more) is told what to do.
  if (width * height > MAX_PIXELS)
    throw new AvatarError(
      `That picture has more than ${MAX_PIXELS / 1_000_000} megapixels. Choose a smaller copy of it, or crop it, and try again.`,
    );
  try {
    const images = await Promise.all(
      AVATAR_SIZES.map(async (size) => ({
        size,
        // rotate() applies the camera's orientation before the metadata (EXIF, XMP, ICC, GPS) is dropped: sharp
        // writes none unless asked with withMetadata(), which we never do.
        bytes: await sharp(input, { limitInputPixels: MAX_PIXELS })
          .rotate()
          .resize(size, size, { fit: "cover", position: "attention" })
          .webp({ quality: 82 })
          .toBuffer(),
      })),
    );
    const digest = createHash("sha256");
    for (const image of images) digest.update(image.bytes);
    return { hash: digest.digest("hex").slice(0, 20), images };
  } catch {
    throw new AvatarError("That picture couldn't be read. It may be damaged; try another one.");
  }
}

/** The picture's address for each size (users.image holds the base: /avatars/<user>/<hash>). */
export function avatarUrls(userId: string, hash: string): { size: AvatarSize; url: string }[] {
  return AVATAR_SIZES.map((size) => ({ size, url: `${avatarBase(userId, hash)}/${size}.webp` }));
}

function avatarBase(userId: string, hash: string): string {
  return `/avatars/${encodeURIComponent(userId)}/${hash}`;
}

/** Stores a processed picture as the person's own, replacing any earlier one. */
export async function saveAvatar(db: Db, { userId, avatar }: { userId: string; avatar: ProcessedAvatar }) {
  await db.transaction(async (tx) => {
    await tx.delete(avatarImages).where(eq(avatarImages.userId, userId));
    await tx
      .insert(avatarImages)
      .values(avatar.images.map((image) => ({ userId, size: image.size, hash: avatar.hash, bytes: image.bytes })));
    // users.image changes: the page cache trigger on users drops every page that may show the old picture.
    await tx
      .update(users)
      .set({ image: avatarBase(userId, avatar.hash), updatedAt: new Date() })
      .where(eq(users.id, userId));
  });
}

/** Back to the letter avatar. */
export async function removeAvatar(db: Db, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(avatarImages).where(eq(avatarImages.userId, userId));
    await tx.update(users).set({ image: null, updatedAt: new Date() }).where(eq(users.id, userId));
  });
}

/**
 * One stored size, only under its current hash (an old address finds nothing), and never while a moderator hides the
 * profile: the profile page then shows no picture to anyone, staff included. A ban doesn't hide it (the suspended
 * member's profile still shows it).
 */
export async function readAvatar(
  db: Db,
  { userId, hash, size }: { userId: string; hash: string; size: number },
): Promise<Buffer | null> {
  if (!(AVATAR_SIZES as readonly number[]).includes(size) || !/^[0-9a-f]{20}$/.test(hash)) return null;
  const [row] = await db
    .select({ bytes: avatarImages.bytes })
    .from(avatarImages)
    .where(
      and(
        eq(avatarImages.userId, userId),
        eq(avatarImages.size, size),
        eq(avatarImages.hash, hash),
        notExists(
          db.select({ userId: hiddenProfiles.userId }).from(hiddenProfiles).where(eq(hiddenProfiles.userId, userId)),
        ),
      ),
    )
    .limit(1);
  return row?.bytes ?? null;
}
