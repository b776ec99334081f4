/** Tag normalisation shared by the tag field in the browser and the rules on the server, so both agree on what a tag becomes. */
import { slugify } from "./slug";

export const TAG_MAX_LENGTH = 35;

/** "Exchange Online", "exchange_online " and "EXCHANGE-online" all become "exchange-online". */
export function normalizeTag(raw: string): string {
  return slugify(raw, TAG_MAX_LENGTH);
}

/** Splits free text ("vpn, Windows 11  intune") into unique normalised tags, keeping the first-typed order. */
export function parseTagList(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(/[,\n]+/)) {
    const tag = normalizeTag(part);
    if (tag) seen.add(tag);
  }
  return [...seen];
}
