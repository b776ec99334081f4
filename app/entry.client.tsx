/** Hydrates the server-rendered page so forms and links are enhanced with JavaScript. */
import { RemixBrowser } from "@remix-run/react";
import { type ReactNode, StrictMode, startTransition, useLayoutEffect } from "react";
import { hydrateRoot } from "react-dom/client";
import { holdEventsUntilHydrated } from "~/lib/hydration-guard";
import { holdSubmitsWhileOffline } from "~/lib/offline";
import { rememberPost } from "~/lib/unsent-form";

// Taps and keys wait until React has hydrated the page (see hydration-guard.ts); the browser still acts on them.
const releaseEvents = holdEventsUntilHydrated(window);
/** Renders nothing of its own: lets events through once the hydrated page is committed. */
function Hydrated({ children }: { children: ReactNode }) {
  useLayoutEffect(releaseEvents, []);
  return children;
}

holdSubmitsWhileOffline(window);
// Each post's typed text, kept in this tab until its result is known (see unsent-form.ts).
window.addEventListener(
  "submit",
  (event) => {
    if (event.target instanceof HTMLFormElement) rememberPost(window.sessionStorage, event.target, window.location);
  },
  { capture: true },
);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <Hydrated>
        <RemixBrowser />
      </Hydrated>
    </StrictMode>,
  );
});
