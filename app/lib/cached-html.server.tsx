/**
 * The server side of app/lib/cached-html.tsx: renders a part of a page to HTML once per distinct input and keeps it in
 * a process-wide LRU bounded by bytes, so a signed-in question page does not render thirty unchanged answer cards
 * again for every request. Keys are a hash of the inputs themselves (the post, its comments, its kept body HTML, the
 * viewer's permissions for it, the address), so a vote, an edit, a comment, an accepted answer or a deletion is a
 * new key at once; old entries just age out.
 *
 * The markup comes from react-dom's synchronous renderer (renderToString), run from inside the page's streaming render.
 * They are separate renderer instances in react-dom, so the nested render keeps its own hook state and restores the
 * shared dispatcher; it does not see the page's context values (it is a secondary renderer), so it is handed the
 * router's, Remix's, the kept post HTML's and the caller's contexts again. Its markup is the same as the streaming
 * renderer's for the same elements (text separators included), which hydration needs; AnswerCard.test.tsx checks
 * that page for page. What is cached must not use useId (ids would be counted from a different root). A cached part may
 * hold cached parts (the answers section holds the answer cards): its own separate render takes them from the cache,
 * as renderToString runs to its end and restores the renderer's state before the outer render goes on.
 */
import { type Hash, createHash } from "node:crypto";
import { UNSAFE_RemixContext } from "@remix-run/react";
import { type Context, type ReactElement, createElement, useContext } from "react";
import { renderToString } from "react-dom/server";
// The router's own contexts, which Remix's links and fetchers read; a dependency of @remix-run/react, pinned by it.
import {
  UNSAFE_DataRouterContext,
  UNSAFE_DataRouterStateContext,
  UNSAFE_FetchersContext,
  UNSAFE_LocationContext,
  UNSAFE_NavigationContext,
  UNSAFE_RouteContext,
  UNSAFE_ViewTransitionContext,
} from "react-router-dom";
import { KeptHtmlContext } from "~/components/PostHtml";
import { type BridgedContext, type CachedHtmlProps, type HtmlFragments, HtmlFragmentsProvider } from "./cached-html";
import { memoizeByString } from "./string-memo";

/** A kept body's digest, worked out once per body rather than for every card on every request (see string-memo.ts). */
const bodyDigest = memoizeByString((body) => createHash("sha256").update(body).digest("base64"), {
  maxChars: 8_000_000,
});

/**
 * Digests of the objects in key parts, by identity: a question page's posts come from the page memo as the same objects
 * request after request (see withHtmlOnce in the question route), so thirty answers are serialised and hashed once,
 * not on every request (about a millisecond of each signed-in render). An object used in a key must therefore not be
 * changed afterwards; loader data never is. Objects made per request simply miss and are forgotten with the request.
 */
const partDigests = new WeakMap<object, string>();

function partDigest(value: object): string {
  let digest = partDigests.get(value);
  if (digest === undefined) {
    digest = createHash("sha256").update(JSON.stringify(value)).digest("base64");
    partDigests.set(value, digest);
  }
  return digest;
}

/** The hash of a part's key: each top-level field by name, objects by their digest, other values as JSON. */
function keyHash(keyParts: unknown): Hash {
  const hash = createHash("sha256");
  if (keyParts === null || typeof keyParts !== "object" || Array.isArray(keyParts)) {
    return hash.update(`=${JSON.stringify(keyParts)}`);
  }
  for (const [name, value] of Object.entries(keyParts)) {
    // JSON escapes control characters, so "\0" only ever separates fields.
    hash.update(
      `${JSON.stringify(name)}${value !== null && typeof value === "object" ? `#${partDigest(value)}` : `=${JSON.stringify(value)}`}\0`,
    );
  }
  return hash;
}

/** Provides `value` of `context` to the separate render of a cached part, which does not see the page's providers. */
export function bridge<T>(context: Context<T>, value: T): BridgedContext {
  return (children) => createElement(context.Provider, { value }, children);
}

/** The router and Remix contexts every part with links or forms reads. */
function useRouterBridges(): BridgedContext[] {
  return [
    bridge(UNSAFE_RemixContext, useContext(UNSAFE_RemixContext)),
    bridge(UNSAFE_DataRouterContext, useContext(UNSAFE_DataRouterContext)),
    bridge(UNSAFE_DataRouterStateContext, useContext(UNSAFE_DataRouterStateContext)),
    bridge(UNSAFE_FetchersContext, useContext(UNSAFE_FetchersContext)),
    bridge(UNSAFE_ViewTransitionContext, useContext(UNSAFE_ViewTransitionContext)),
    bridge(UNSAFE_NavigationContext, useContext(UNSAFE_NavigationContext)),
    bridge(UNSAFE_LocationContext, useContext(UNSAFE_LocationContext)),
    bridge(UNSAFE_RouteContext, useContext(UNSAFE_RouteContext)),
  ];
}

type StoredHtml = (keyParts: unknown, keptIds: readonly string[], element: ReactElement) => string | null;

/** The part from the cache (or rendered and stored now), inside the element the page renders around it. */
function ServerCachedHtml({
  as: Tag,
  attributes,
  cache,
  children,
  html,
  kept,
  fragments,
}: CachedHtmlProps & { html: StoredHtml; kept: ReadonlyMap<string, string> | null; fragments: HtmlFragments }) {
  const routerBridges = useRouterBridges();
  const spec = cache();
  const stored =
    spec &&
    html(
      spec.keyParts,
      spec.keptIds,
      [
        ...routerBridges,
        bridge(KeptHtmlContext, kept),
        // Parts inside this one (an answer card in the answers section) come from the cache too when it is rendered.
        (inner: ReactElement) => <HtmlFragmentsProvider value={fragments}>{inner}</HtmlFragmentsProvider>,
        ...spec.contexts,
      ].reduceRight((inner, provide) => provide(inner), children),
    );
  if (!stored) return <Tag {...attributes}>{children}</Tag>;
  return <Tag {...attributes} dangerouslySetInnerHTML={{ __html: stored }} />;
}

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
      const html: StoredHtml = (keyParts, keptIds, element) => {
        const hash = keyHash(keyParts);
        for (const id of keptIds) {
          const body = kept?.get(id);
          // Fixed-length digests keep "a"+"bc" apart from "ab"+"c"; missing and empty differ too.
          hash.update(body === undefined ? "\0-" : `\0${bodyDigest(body)}`);
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
        let rendered: string;
        try {
          rendered = renderToString(element);
        } catch {
          // Rendered as usual by the page instead, where an error reaches the page's error handling.
          return null;
        }
        store(key, rendered);
        return rendered;
      };
      const fragments: HtmlFragments = {
        render: (props) => <ServerCachedHtml {...props} html={html} kept={kept} fragments={fragments} />,
      };
      return fragments;
    },
    stats: () => ({ entries: entries.size, bytes, hits, misses }),
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}

/**
 * The app's cache: 64 MB, counted as two bytes a character: about 2,000 answer cards of 8 KB each (rendered for a few
 * kinds of viewer) and, beside them, about 100 answers sections of thirty such cards (a section holds its cards' markup
 * again, so it does not push out the cards it is made of).
 */
export const htmlFragmentCache = createHtmlFragmentCache({ maxBytes: 64 * 1024 * 1024 });
