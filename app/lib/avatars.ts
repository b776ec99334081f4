/**
 * How large a profile picture may be, in one place for the upload form's check in the browser, the server's check
 * and the body limit in front of the route (app/server/http-guards.server.ts): as large as a post's picture, which
 * takes a phone camera's usual photo (2–8 MB); the stored picture is a small square whatever was sent.
 */
export const AVATAR_MAX_MB = 8;
export const AVATAR_MAX_BYTES = AVATAR_MAX_MB * 1024 * 1024;

export const AVATAR_TOO_LARGE_MESSAGE = `That picture is larger than ${AVATAR_MAX_MB} MB. Choose a smaller one, or crop it and try again.`;
