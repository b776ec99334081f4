/**
 * Where keyboard focus goes after a form settles with JavaScript: to the error summary when it failed, to the new or
 * changed item (or its neighbour, when the item is gone) when it worked. Without it focus falls to `body` once the
 * submit button is disabled or its part of the page is rendered again, and keyboard and screen-reader users lose
 * their place. Without JavaScript the page loads again and starts at the top as usual.
 */
import { type RefObject, useEffect, useRef } from "react";

/** Focuses `element`, making it focusable by script only (tabindex -1) when it is not focusable already. */
export function moveFocusTo(element: Element | null | undefined): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (!element.hasAttribute("tabindex") && element.tabIndex < 0) element.setAttribute("tabindex", "-1");
  element.focus();
  return document.activeElement === element;
}

/**
 * Each time `settled` becomes a new value (a form's result, once it is in the page), focuses what `target` gives.
 * Pass null or undefined while nothing has settled.
 */
export function useFocusWhenSettled(settled: unknown, target: () => Element | null | undefined): void {
  const targetRef = useRef(target);
  targetRef.current = target;
  useEffect(() => {
    if (settled === null || settled === undefined) return;
    moveFocusTo(targetRef.current());
  }, [settled]);
}

/**
 * For lists whose rows a form removes (a page navigation that reloads the list): remembers the submitted row's place
 * and, once the page is idle again, focuses the row now there (the next one), else the new last row, else `fallback`.
 * Rows are the elements in `listRef` with `data-row-key`; `rowKeyOf` names the row a submitted form is about.
 */
export function useFocusRowAfterRemoval(
  listRef: RefObject<HTMLElement>,
  navigation: { state: string; formData?: FormData },
  rowKeyOf: (form: FormData) => string | null,
  fallback: () => Element | null | undefined,
): void {
  const place = useRef<number | null>(null);
  const submitted = navigation.state === "submitting" && navigation.formData ? rowKeyOf(navigation.formData) : null;
  const fallbackRef = useRef(fallback);
  fallbackRef.current = fallback;
  useEffect(() => {
    if (submitted === null) return;
    const index = rowsIn(listRef.current).findIndex((row) => row.dataset.rowKey === submitted);
    place.current = index >= 0 ? index : null;
  }, [submitted, listRef]);
  useEffect(() => {
    if (navigation.state !== "idle" || place.current === null) return;
    const index = place.current;
    place.current = null;
    const rows = rowsIn(listRef.current);
    moveFocusTo(rows[Math.min(index, rows.length - 1)] ?? fallbackRef.current());
  }, [navigation.state, listRef]);
}

function rowsIn(list: HTMLElement | null): HTMLElement[] {
  return list ? Array.from(list.querySelectorAll<HTMLElement>(":scope > [data-row-key]")) : [];
}
