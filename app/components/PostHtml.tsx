/**
 * Stored HTML (a post's body, a comment, glossary notes) rendered into an element whose HTML may be missing from the
 * page data (see app/lib/html-once.server.ts): the server render takes it from what the loader kept, the browser from
 * the element the server sent (read once, before hydration touches it, and remembered for remounts such as closing an
 * editor). HTML that comes in the data (after a revalidation or a client navigation) always wins, so edits show.
 */
import { type ElementType, createContext, useContext, useState } from "react";

export const KeptHtmlContext = createContext<ReadonlyMap<string, string> | null>(null);

/** Provided by entry.server.tsx around the server render. */
export const KeptHtmlProvider = KeptHtmlContext.Provider;

/** In the browser: the HTML each element had when the page arrived, or was last given in data. */
const seenInBrowser = new Map<string, string>();

function fromPage(elementId: string): string | undefined {
  if (typeof document === "undefined") return undefined;
  const remembered = seenInBrowser.get(elementId);
  if (remembered !== undefined) return remembered;
  const element = document.getElementById(elementId);
  if (!element) return undefined;
  seenInBrowser.set(elementId, element.innerHTML);
  return element.innerHTML;
}

/** The HTML for `elementId`: from the data when it has it, else kept by the server render or taken from the page. */
export function usePostHtml(elementId: string, html: string | null): string {
  const kept = useContext(KeptHtmlContext);
  const [initial] = useState(() => (html === null ? (kept?.get(elementId) ?? fromPage(elementId) ?? "") : html));
  if (html === null) return kept?.get(elementId) ?? seenInBrowser.get(elementId) ?? initial;
  if (typeof document !== "undefined") seenInBrowser.set(elementId, html);
  return html;
}

export function PostHtml({
  id,
  html,
  className,
  as: Tag = "div",
}: {
  id: string;
  html: string | null;
  className?: string;
  as?: ElementType;
}) {
  const shown = usePostHtml(id, html);
  // Written by people in any language: the browser takes its direction from the first strong character.
  return <Tag id={id} dir="auto" className={className} dangerouslySetInnerHTML={{ __html: shown }} />;
}

/** Element ids for a post's and a comment's body. */
export const postBodyId = (postId: number) => `post-body-${postId}`;
export const commentBodyId = (commentId: number) => `comment-body-${commentId}`;
