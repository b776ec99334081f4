/**
 * A part of a page whose server HTML may come from a cache of earlier renders (app/lib/cached-html.server.tsx): the
 * server sends `<Tag dangerouslySetInnerHTML>` with the stored markup of `children`, the browser renders and hydrates
 * `children` as usual against it. The stored markup is looked up by everything that shapes it (`keyParts` and the kept
 * post HTML of `keptIds`), so a changed input is a different entry and nothing needs to be invalidated. Everything
 * but the plain render lives in the server module, so the browser's bundle does not carry it.
 */
import { type ElementType, type HTMLAttributes, type ReactElement, createContext, useContext } from "react";

/** A context and its value, handed again to the separate render of a cached part (see cached-html.server.tsx). */
export type BridgedContext = (children: ReactElement) => ReactElement;

/** What a cached part's markup depends on, and what its separate render must see. */
export type CacheSpec = {
  /** Everything besides kept post HTML that the markup depends on. */
  keyParts: unknown;
  /** Element ids of kept post HTML (see app/lib/html-once.server.ts) that it shows. */
  keptIds: readonly string[];
  /** The page's own contexts that it reads (the server adds the router's and Remix's). */
  contexts: readonly BridgedContext[];
};

export type CachedHtmlProps = {
  as: ElementType;
  attributes: HTMLAttributes<HTMLElement>;
  /** Called on the server only: the part's key and contexts, or null when its markup depends on more (a form's result). */
  cache: () => CacheSpec | null;
  children: ReactElement;
};

/** Given by entry.server.tsx to the server render; the browser has none and renders everything. */
export type HtmlFragments = { render: (props: CachedHtmlProps) => ReactElement };

const HtmlFragmentsContext = createContext<HtmlFragments | null>(null);
export const HtmlFragmentsProvider = HtmlFragmentsContext.Provider;

export function CachedHtml(props: CachedHtmlProps) {
  const fragments = useContext(HtmlFragmentsContext);
  if (fragments) return fragments.render(props);
  const { as: Tag, attributes, children } = props;
  return <Tag {...attributes}>{children}</Tag>;
}
