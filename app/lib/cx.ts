/** Joins class names, skipping the empty ones, so long Tailwind lists can be written one group per line. */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
