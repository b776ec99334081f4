/**
 * The server side of app/lib/cached-html.tsx: renders a part of a page to HTML once per distinct input and keeps it in
 * a process-wide LRU bounded by bytes, so a signed-in question page does not render thirty unchanged answer cards
 * again for every request. Keys are a hash of the inputs themselves (the post, its comments, its kept body HTML, the
 * viewer's permissions for it, the address), so a vote, an edit, a comment, an accepted answer or a deletion is a
 * new key at once; old entries just age out.
 *
 * The markup comes from react-dom's synchronous renderer (renderToString), run from inside the page's streaming render.
 * They are separate renderer instances in react-dom, so the nested render keeps its own hook state and restores the
 * shared dispatcher; it does not see the page's context values (it is a secondary renderer), so CachedHtml hands it the
 * router's, Remix's and the caller's contexts again. Its markup is the same as the streaming renderer's for the same
 * elements (text separators included), which hydration needs; app/components/AnswerCard.test.tsx checks that page for
 * page. What is cached must not use useId (ids would be counted from a different root).
 */
import { createHash } from "node:crypto";
import { renderToString } from "react-dom/server";
import type { HtmlFragments } from "./cached-html";

export type HtmlFragmentCache = {
  /** The renderer for one request, given the post HTML its loaders kept (see html-once.server.ts). */
  forRequest: (kept: ReadonlyMap<string, string> | null) => HtmlFragments;
  stats: () => { entries: number; bytes: number; hits: number; misses: number };
  clear: () => void;
};

export function createHtmlFragmentCache({ maxBytes }: { maxBytes: number }): HtmlFragmentCache {
  const entries = new Map<string, string>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const store = (key: string, html: string) => {
    const size = key.length + html.length * 2;
    if (size > maxBytes) return;
    entries.set(key, html);
    bytes += size;
    // Oldest (least recently used) first in a Map.
    for (const [oldKey, oldHtml] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(oldKey);
      bytes -= oldKey.length + oldHtml.length * 2;
    }
  };
  return {
    forRequest(kept) {
      return {
        html(keyParts, keptIds, element) {
          const hash = createHash("sha256").update(JSON.stringify(keyParts));
          for (const id of keptIds) {
            const html = kept?.get(id);
            // The id's length prefix keeps "a"+"bc" apart from "ab"+"c"; missing and empty differ too.
            hash.update(html === undefined ? "\0-" : `\0${html.length}:${html}`);
          }
          const key = hash.digest("base64");
          const found = entries.get(key);
          if (found !== undefined) {
            hits++;
            entries.delete(key);
            entries.set(key, found);
            return found;
          }
          misses++;
          let html: string;
          try {
            html = renderToString(element);
          } catch {
            // Rendered as usual by the page instead, where an error reaches the page's error handling.
            return null;
          }
          store(key, html);
          return html;
        },
      };
    },
    stats: () => ({ entries: entries.size, bytes, hits, misses }),
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}

/** The app's cache: 32 MB (about 2,000 answer cards of 8 KB each, rendered for a few kinds of viewer). */
export const htmlFragmentCache = createHtmlFragmentCache({ maxBytes: 32 * 1024 * 1024 });
