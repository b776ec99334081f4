/** The account data download as a zip: the same JSON file beside the person's images (profile picture, post pictures). */
import { asc, eq } from "drizzle-orm";
import { zipSync } from "fflate";
import type { Db } from "#db/client.server";
import { avatarImages, postImages } from "#db/schema";

/** Names inside the zip; fixed so the file reads the same for everyone (no names taken from what people typed). */
export const ZIP_DATA_FILE = "data.json";
export const avatarFileName = (size: number) => `images/profile-picture-${size}.webp`;
/** A picture the person added to a post, by the address it has in posts (/images/<hash>.webp). */
export const postImageFileName = (hash: string) => `images/posts/${hash}.webp`;

/**
 * The images PeerDesk keeps for a person: their profile picture's sizes and the pictures they uploaded for posts
 * (other images in posts are links elsewhere). Stored pictures are already compressed WebP: they go in as they are,
 * only the JSON is deflated.
 */
export async function accountDataZip(db: Db, { userId, json }: { userId: string; json: string }): Promise<Uint8Array> {
  const pictures = await db
    .select({ size: avatarImages.size, bytes: avatarImages.bytes })
    .from(avatarImages)
    .where(eq(avatarImages.userId, userId))
    .orderBy(asc(avatarImages.size));
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {
    [ZIP_DATA_FILE]: [new TextEncoder().encode(json), { level: 6 }],
  };
  for (const picture of pictures) files[avatarFileName(picture.size)] = [new Uint8Array(picture.bytes), { level: 0 }];
  const uploads = await db
    .select({ hash: postImages.hash, bytes: postImages.bytes })
    .from(postImages)
    .where(eq(postImages.uploaderId, userId))
    .orderBy(asc(postImages.id));
  for (const upload of uploads) files[postImageFileName(upload.hash)] = [new Uint8Array(upload.bytes), { level: 0 }];
  return zipSync(files, { mtime: new Date() });
}
