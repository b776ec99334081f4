/**
 * Keeps a person's taps and keys from reaching React while the page is still hydrating.
 *
 * React 18 answers a discrete event (a tap, a key, typing) on a page that has not hydrated yet by hydrating at once,
 * synchronously. Remix's first render always waits for its own page data to be decoded (single fetch), so that
 * forced render has nothing to show and React throws "Root did not complete" (#345): a tap or a key in the first
 * moments on a slow phone became an uncaught error. Until hydration commits, these events stop at the window, before
 * React's listeners on the document; what the browser does by itself still happens (links open, forms are sent,
 * text is typed), exactly as before the page's script has loaded.
 */

/** The events React 18 hydrates synchronously for (its `isDiscreteEventThatRequiresHydration`). */
export const EVENTS_HELD_UNTIL_HYDRATED = [
  "mousedown",
  "mouseup",
  "touchcancel",
  "touchend",
  "touchstart",
  "auxclick",
  "dblclick",
  "pointercancel",
  "pointerdown",
  "pointerup",
  "dragend",
  "dragstart",
  "drop",
  "compositionend",
  "compositionstart",
  "keydown",
  "keypress",
  "keyup",
  "input",
  "textInput",
  "copy",
  "cut",
  "paste",
  "click",
  "change",
  "contextmenu",
  "reset",
  "submit",
] as const;

/** Starts holding the events back at `target` (the window); the returned function lets them through again. */
export function holdEventsUntilHydrated(target: Pick<Window, "addEventListener" | "removeEventListener">): () => void {
  const stop = (event: Event) => event.stopPropagation();
  for (const type of EVENTS_HELD_UNTIL_HYDRATED) target.addEventListener(type, stop, { capture: true });
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const type of EVENTS_HELD_UNTIL_HYDRATED) target.removeEventListener(type, stop, { capture: true });
  };
}
