/** The address of a picture stored for a post (/images/<20 hex digits>.webp): the one site address a post's image may use. */
export const POST_IMAGE_PATH = /^\/images\/[0-9a-f]{20}\.webp$/;

/** Where a stored picture is served: /images/<hash>.webp. */
export function postImagePath(hash: string): string {
  return `/images/${hash}.webp`;
}

/** How much picture data (MB, after re-encoding) one person may keep stored, unless POST_IMAGES_MB_PER_PERSON says. */
export const DEFAULT_POST_IMAGES_MB_PER_PERSON = 100;

/**
 * The hash of a stored picture from what a moderator pastes: its address (/images/<hash>.webp, with or without the
 * site in front) or the hash alone; null for anything else.
 */
export function postImageHashFrom(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  if (/^[0-9a-f]{20}$/.test(trimmed)) return trimmed;
  return /^(?:https?:\/\/[^/\s]+)?\/images\/([0-9a-f]{20})\.webp(?:[?#].*)?$/.exec(trimmed)?.[1] ?? null;
}
