/**
 * Forms sent without a connection. With JavaScript a form is sent by `fetch`, and a fetch that can't leave the phone
 * fails like a broken page: the route's error page replaces the form and what was typed with it. So while the browser
 * says it is offline, a form's submit is held back (nothing is sent, the form stays as it is) and the page says so.
 */
export const OFFLINE_SUBMIT_EVENT = "peerdesk:offline-submit";

/** Holds back every form submission made while the browser is offline, and announces it (see OfflineNotice). */
export function holdSubmitsWhileOffline(target: Window): void {
  // Capturing on the window runs before React's own submit handler (on the document) and the browser's sending.
  target.addEventListener(
    "submit",
    (event) => {
      if (target.navigator.onLine) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      target.dispatchEvent(new Event(OFFLINE_SUBMIT_EVENT));
    },
    { capture: true },
  );
}

/**
 * Whether an error is a request that never reached the server (offline, a dropped connection): `fetch` rejects with a
 * TypeError whose wording differs by browser.
 */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /failed to fetch|load failed|networkerror|network connection was lost/i.test(error.message)
  );
}
