/** How long until someone may try again, in words that read right on any clock ("about 9 minutes"); browser-safe. */

/** Seconds as whole minutes, rounded up so the wait is never shorter than said: 512 → "about 9 minutes". */
export function aboutMinutes(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? "about a minute" : `about ${minutes} minutes`;
}
