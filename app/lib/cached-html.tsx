/**
 * A part of a page whose server HTML may come from a cache of earlier renders (app/lib/cached-html.server.ts): the
 * server sends `<Tag dangerouslySetInnerHTML>` with the stored markup of `children`, the browser renders and hydrates
 * `children` as usual against it. The stored markup is looked up by everything that shapes it (`keyParts` and the kept
 * post HTML of `keptIds`), so a changed input is a different entry and nothing needs to be invalidated.
 */
import { UNSAFE_RemixContext } from "@remix-run/react";
import {
  type Context,
  type ElementType,
  type HTMLAttributes,
  type ReactElement,
  createContext,
  createElement,
  useContext,
} from "react";
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

/** Given by entry.server.tsx to the server render; the browser has none and renders everything. */
export type HtmlFragments = {
  /**
   * The HTML of `element`, stored under `keyParts` (JSON) and the kept HTML of `keptIds`, or null to render it as
   * usual. The caller promises that `element`'s markup is a function of exactly these.
   */
  html: (keyParts: unknown, keptIds: readonly string[], element: ReactElement) => string | null;
};

const HtmlFragmentsContext = createContext<HtmlFragments | null>(null);
export const HtmlFragmentsProvider = HtmlFragmentsContext.Provider;

/** One context and its value, to hand to the separate render of a cached part (see `bridge`). */
export type BridgedContext = (children: ReactElement) => ReactElement;

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

export function CachedHtml({
  as: Tag,
  attributes,
  keyParts,
  keptIds,
  isCacheable,
  contexts,
  children,
}: {
  as: ElementType;
  attributes: HTMLAttributes<HTMLElement>;
  /** Everything besides kept post HTML that the markup of `children` depends on. */
  keyParts: unknown;
  /** Element ids of kept post HTML (see app/lib/html-once.server.ts) that `children` shows. */
  keptIds: readonly string[];
  /** False when the markup depends on something not in the key (a form's result, an open form). */
  isCacheable: boolean;
  /** The page's own contexts that `children` reads (the router's and Remix's are added here). */
  contexts: readonly BridgedContext[];
  children: ReactElement;
}) {
  const fragments = useContext(HtmlFragmentsContext);
  const routerBridges = useRouterBridges();
  const html =
    fragments && isCacheable
      ? fragments.html(
          keyParts,
          keptIds,
          [...routerBridges, ...contexts].reduceRight((inner, provide) => provide(inner), children),
        )
      : null;
  if (html === null) return <Tag {...attributes}>{children}</Tag>;
  return <Tag {...attributes} dangerouslySetInnerHTML={{ __html: html }} />;
}
