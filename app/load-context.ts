/** What server.js hands every loader and action. */
import type { AppServices } from "~/server/app.server";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    services: AppServices;
    cspNonce: string;
  }
  // Turns on single-fetch type inference for useLoaderData/useActionData.
  interface Future {
    v3_singleFetch: true;
  }
}
