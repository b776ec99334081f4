/** Hydrates the server-rendered page so forms and links are enhanced with JavaScript. */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { holdSubmitsWhileOffline } from "~/lib/offline";
import { rememberPost } from "~/lib/unsent-form";

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
      <RemixBrowser />
    </StrictMode>,
  );
});
