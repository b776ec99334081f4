/** The address of a picture stored for a post (/images/<20 hex digits>.webp): the one site address a post's image may use. */
export const POST_IMAGE_PATH = /^\/images\/[0-9a-f]{20}\.webp$/;
