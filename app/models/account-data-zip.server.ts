/** The account data download as a zip: the same JSON file beside the person's images (their profile picture sizes). */
import { asc, eq } from "drizzle-orm";
import { zipSync } from "fflate";
import type { Db } from "#db/client.server";
import { avatarImages } from "#db/schema";

/** Names inside the zip; fixed so the file reads the same for everyone (no names taken from what people typed). */
export const ZIP_DATA_FILE = "data.json";
export const avatarFileName = (size: number) => `images/profile-picture-${size}.webp`;

/**
 * PeerDesk keeps no uploaded images besides profile pictures (post images are links), so those are the images.
 * Stored pictures are already compressed WebP: they go in as they are, only the JSON is deflated.
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
  return zipSync(files, { mtime: new Date() });
}
