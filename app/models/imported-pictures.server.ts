/**
 * Pictures an imported post shows from another site (Stack Exchange keeps its screenshots on an image host), copied in
 * as post pictures (app/models/post-images.server.ts) so the imported post shows them from here: readers' browsers
 * never ask the other site (which would learn who reads what, and may block or drop the picture one day), and the
 * picture is converted and stripped of metadata as an upload is.
 *
 * Only pictures on the hosts named (by default Stack Exchange's) are fetched: a dump is data from elsewhere, and its
 * addresses must not make this server fetch whatever they name. A redirect is followed only to another of those
 * hosts. A picture that can't be fetched or read stays as it was: a link to the original, as before. Each copy is
 * recorded under its original address (imported_pictures), so running the import again downloads nothing twice.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { importedPictures } from "#db/schema";
import { postImagePath } from "~/lib/post-images";
import { POST_IMAGE_MAX_BYTES, PostImageError, saveImportedPicture } from "./post-images.server";

/** Where Stack Exchange sites keep the pictures in their posts (older posts name imgur's host, newer ones sstatic). */
export const STACK_EXCHANGE_PICTURE_HOSTS: readonly string[] = ["i.stack.imgur.com", "i.sstatic.net", "i.imgur.com"];

/**
 * The address a picture is downloaded from: an `http:` address on one of Stack Exchange's hosts (older posts have a
 * few) is asked over https, which those hosts all serve, so nobody on the way can swap the picture this site then
 * serves as its own; other hosts (named for the run) as written.
 */
export function downloadAddressOf(address: string): string {
  const url = new URL(address);
  if (url.protocol !== "http:" || url.port !== "" || !STACK_EXCHANGE_PICTURE_HOSTS.includes(url.hostname.toLowerCase()))
    return address;
  url.protocol = "https:";
  return url.toString();
}

/** Redirects followed from one address (imgur sends old addresses on to their new host). */
const MAX_REDIRECTS = 3;

/**
 * Downloads in a row from one host that got no answer at all (no network, a host that is gone) after which its other
 * pictures are not tried: without a network, a dump's thousands of pictures would each wait for their time-out.
 */
const UNREACHABLE_AFTER = 5;

export type PictureCopyOptions = {
  /** Hosts (with the port, when not the protocol's) whose pictures are copied; the others stay links. */
  hosts: readonly string[];
  /** Downloads at once. */
  concurrency?: number;
  /** How long one download may take, redirects included. */
  timeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
};

export type PictureCopyReport = {
  /** Downloaded and stored by this run. */
  copied: number;
  /** Copied by an earlier run. */
  known: number;
  /** Not copied: the address and why, in words (the post keeps a link to the original). */
  failed: { url: string; reason: string }[];
};

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", "#39": "'" };

/**
 * The addresses of the pictures a post's HTML shows (`<img src>`) and of pictures it links to (`<a href>` to a file
 * named as a picture, as Stack Exchange links a shrunk picture to its full size), as the HTML's reader decodes them.
 */
export function pictureAddressesIn(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<(img|a)\b[^>]*?\s(src|href)\s*=\s*"([^"]*)"/gi)) {
    const [, tag, attribute, raw] = match;
    if (!raw || (tag?.toLowerCase() === "img") !== (attribute?.toLowerCase() === "src")) continue;
    const address = raw.replace(/&(amp|quot|apos|lt|gt|#39);/g, (_, name: string) => ENTITIES[name] ?? "");
    if (tag?.toLowerCase() === "a" && !/\.(png|jpe?g|gif|webp)(\?[^#]*)?$/i.test(address)) continue;
    found.add(address);
  }
  return [...found];
}

/** Whether the address is one to copy from: http or https, on one of the hosts. */
function isCopyable(address: string, hosts: ReadonlySet<string>): boolean {
  if (!URL.canParse(address)) return false;
  const url = new URL(address);
  return (url.protocol === "https:" || url.protocol === "http:") && hosts.has(url.host.toLowerCase());
}

/** The host answered, but not with the picture. */
class DownloadError extends Error {}

/** The picture's bytes, following redirects among the allowed hosts only and reading no more than a picture may hold. */
async function download(address: string, hosts: ReadonlySet<string>, signal: AbortSignal): Promise<Uint8Array> {
  let url = downloadAddressOf(address);
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, { redirect: "manual", signal, headers: { Accept: "image/*" } });
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      const next = new URL(response.headers.get("location") ?? "", url).toString();
      if (hop >= MAX_REDIRECTS) throw new DownloadError("too many redirects");
      if (!isCopyable(next, hosts)) throw new DownloadError(`redirected to ${new URL(next).host}, not a picture host`);
      url = downloadAddressOf(next);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DownloadError(`the host answered ${response.status}`);
    }
    if (Number(response.headers.get("content-length") ?? 0) > POST_IMAGE_MAX_BYTES) {
      await response.body?.cancel();
      throw new DownloadError("larger than 8 MB");
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
      size += part.value.length;
      if (size > POST_IMAGE_MAX_BYTES) {
        await reader?.cancel();
        throw new DownloadError("larger than 8 MB");
      }
      chunks.push(part.value);
    }
    return Buffer.concat(chunks);
  }
}

/** Why a picture was not copied, in a few words for the operator. */
function reasonOf(error: unknown): string {
  if (error instanceof DownloadError) return error.message;
  if (error instanceof PostImageError) return "not a picture that can be read (PNG, JPEG, GIF or WebP)";
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timed out";
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
  return `could not be fetched${cause ? ` (${cause})` : error instanceof Error ? ` (${error.message})` : ""}`;
}

/**
 * Copies in the pictures on the allowed hosts among `wanted` (each address with the person whose post shows it first,
 * who becomes the copy's uploader), a few at a time, and returns where each one is now (its address here; a moderator
 * may have taken the same picture down, which settlePictures then says): those copied before from the record, the
 * others downloaded. Never throws for one picture: what could not be copied is in the report's `failed`.
 */
export async function copyImportedPictures(
  db: Db,
  wanted: ReadonlyMap<string, string>,
  { hosts, concurrency = 4, timeoutMs = 20_000, onProgress }: PictureCopyOptions,
): Promise<{ pictures: Map<string, string>; report: PictureCopyReport }> {
  const allowed = new Set(hosts.map((host) => host.toLowerCase()));
  const addresses = [...wanted.keys()].filter((address) => isCopyable(address, allowed));
  const pictures = new Map<string, string>();
  const report: PictureCopyReport = { copied: 0, known: 0, failed: [] };
  if (addresses.length === 0) return { pictures, report };

  const known = await db
    .select({ sourceUrl: importedPictures.sourceUrl, hash: importedPictures.hash })
    .from(importedPictures)
    .where(inArray(importedPictures.sourceUrl, addresses));
  for (const row of known) pictures.set(row.sourceUrl, postImagePath(row.hash));
  report.known = pictures.size;
  const queue = addresses.filter((address) => !pictures.has(address));
  let done = report.known;
  onProgress?.(done, addresses.length);

  const unanswered = new Map<string, number>();
  const copyOne = async (address: string) => {
    const host = new URL(address).host;
    if ((unanswered.get(host) ?? 0) >= UNREACHABLE_AFTER) {
      report.failed.push({ url: address, reason: `not tried: ${host} could not be reached` });
      done += 1;
      onProgress?.(done, addresses.length);
      return;
    }
    try {
      const bytes = await download(address, allowed, AbortSignal.timeout(timeoutMs));
      const picture = await saveImportedPicture(db, wanted.get(address) ?? "", bytes);
      await db
        .insert(importedPictures)
        .values({ sourceUrl: address, hash: picture.hash })
        .onConflictDoUpdate({ target: importedPictures.sourceUrl, set: { hash: picture.hash } });
      pictures.set(address, picture.url);
      report.copied += 1;
      unanswered.set(host, 0);
    } catch (error) {
      report.failed.push({ url: address, reason: reasonOf(error) });
      const isAnswered = error instanceof DownloadError || error instanceof PostImageError;
      unanswered.set(host, isAnswered ? 0 : (unanswered.get(host) ?? 0) + 1);
    }
    done += 1;
    onProgress?.(done, addresses.length);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      while (next < queue.length) await copyOne(queue[next++] ?? "");
    }),
  );
  return { pictures, report };
}
