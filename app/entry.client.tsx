/** Hydrates the server-rendered page so forms and links are enhanced with JavaScript. */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { holdSubmitsWhileOffline } from "~/lib/offline";

holdSubmitsWhileOffline(window);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
