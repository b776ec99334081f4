/**
 * Builds the route objects React Router renders a page with once per route table, instead of once per render.
 *
 * Why: Remix's <RemixServer> turns the build's route manifest and route modules into React Router routes (components,
 * error boundaries, handles) on every render, although neither changes while a server runs: a few per cent of a
 * page render's CPU.
 *
 * How: <RemixServer> calls `createServerRoutes` through the exports of @remix-run/react's routes module, so wrapping
 * that one export is enough. The routes are kept per manifest (the same object for every request of one build) and
 * reused while the route modules, the future flags and SPA mode are the same ones; anything else builds afresh.
 * The routes are read, never changed, by rendering (React Router copies them into its own data routes).
 */
import { createRequire } from "node:module";

type CreateServerRoutes = (
  manifest: Record<string, unknown>,
  routeModules: Record<string, unknown>,
  future: unknown,
  isSpaMode: boolean,
  ...rest: unknown[]
) => unknown[];

type Kept = { routeModules: Record<string, unknown>; future: unknown; isSpaMode: boolean; routes: unknown[] };

/** True when both hold the very same module under every route id. */
function sameModules(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ids = Object.keys(a);
  if (ids.length !== Object.keys(b).length) return false;
  for (const id of ids) if (a[id] !== b[id]) return false;
  return true;
}

export function memoizeServerRoutes(original: CreateServerRoutes): CreateServerRoutes {
  const kept = new WeakMap<object, Kept>();
  return (manifest, routeModules, future, isSpaMode, ...rest) => {
    // Only the top-level call (the whole tree) is kept; the recursive calls for children pass more arguments.
    if (rest.length > 0) return original(manifest, routeModules, future, isSpaMode, ...rest);
    const known = kept.get(manifest);
    if (
      known &&
      known.future === future &&
      known.isSpaMode === isSpaMode &&
      sameModules(known.routeModules, routeModules)
    )
      return known.routes;
    const routes = original(manifest, routeModules, future, isSpaMode);
    kept.set(manifest, { routeModules: { ...routeModules }, future, isSpaMode, routes });
    return routes;
  };
}

let installed = false;

/** Wraps `createServerRoutes` on the module <RemixServer> calls it through; once per process. */
export function installServerRoutesMemo(): void {
  if (installed) return;
  installed = true;
  const routes = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
    createServerRoutes: CreateServerRoutes;
  };
  routes.createServerRoutes = memoizeServerRoutes(routes.createServerRoutes);
}
