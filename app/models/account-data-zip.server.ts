/**
 * The account data download as a zip: the same JSON file beside the person's images (profile picture, post
 * pictures), streamed. Someone may have hundreds of pictures of up to a few MB each, so they are read from the
 * database a few at a time, only as fast as the download takes them, and each batch leaves memory once written.
 */
import { asc, eq } from "drizzle-orm";
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import type { Db } from "#db/client.server";
import { avatarImages } from "#db/schema";
import { postImagesAfter } from "./post-images.server";

/** Names inside the zip; fixed so the file reads the same for everyone (no names taken from what people typed). */
export const ZIP_DATA_FILE = "data.json";
export const avatarFileName = (size: number) => `images/profile-picture-${size}.webp`;
/** A picture the person added to a post, by the address it has in posts (/images/<hash>.webp). */
export const postImageFileName = (hash: string) => `images/posts/${hash}.webp`;

/** Post pictures read from the database per step of the download. */
const PICTURES_PER_BATCH = 4;

/**
 * The images PeerDesk keeps for a person: their profile picture's sizes and the pictures they uploaded for posts
 * (other images in posts are links elsewhere). Stored pictures are already compressed WebP: they go in as they are,
 * only the JSON is deflated. The stream is pulled: nothing more is read while the reader hasn't taken what was made.
 */
export function accountDataZip(
  db: Db,
  { userId, json, picturesPerBatch = PICTURES_PER_BATCH }: { userId: string; json: string; picturesPerBatch?: number },
): ReadableStream<Uint8Array> {
  const mtime = new Date();
  let zip: Zip | undefined;
  let step: "start" | "pictures" | "done" = "start";
  let afterId = 0;
  let madeSomething = false;
  const add = (name: string, bytes: Uint8Array, deflate: boolean) => {
    const file = deflate ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    file.mtime = mtime;
    zip?.add(file);
    file.push(bytes, true);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        madeSomething = true;
        controller.enqueue(chunk);
        if (final) {
          step = "done";
          controller.close();
        }
      });
    },
    // Each pull adds files until the zip has produced something, so a waiting reader is always answered.
    async pull() {
      madeSomething = false;
      while (!madeSomething && step !== "done") {
        if (step === "start") {
          add(ZIP_DATA_FILE, new TextEncoder().encode(json), true);
          const pictures = await db
            .select({ size: avatarImages.size, bytes: avatarImages.bytes })
            .from(avatarImages)
            .where(eq(avatarImages.userId, userId))
            .orderBy(asc(avatarImages.size));
          for (const picture of pictures) add(avatarFileName(picture.size), new Uint8Array(picture.bytes), false);
          step = "pictures";
          continue;
        }
        const batch = await postImagesAfter(db, { uploaderId: userId, afterId, limit: picturesPerBatch });
        for (const upload of batch) add(postImageFileName(upload.hash), new Uint8Array(upload.bytes), false);
        afterId = batch.at(-1)?.id ?? afterId;
        if (batch.length < picturesPerBatch) zip?.end();
      }
    },
    cancel() {
      zip?.terminate();
    },
  });
}
