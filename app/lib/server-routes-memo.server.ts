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
 *
 * React Router's static router then converts those routes into its data routes on every render too
 * (`UNSAFE_convertRoutesToDataRoutes`, called through the router module's exports): that conversion is kept per route
 * table as well (memoizeDataRoutes), so a render reuses the same data routes, and the remembered route matches
 * (route-matching.server.ts) find their index for them at once instead of walking a new tree each time.
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

type ConvertToDataRoutes = (
  routes: object[],
  mapRouteProperties: unknown,
  parentPath?: string[],
  manifest?: Record<string, unknown>,
) => object[];

/**
 * The data routes of a whole route table (no parent path, an empty manifest to fill), converted once per table and
 * route-properties function; each caller's manifest is filled with the same entries. Like the routes, the data routes
 * are only read while rendering. Anything else (a subtree, a manifest already holding routes) is converted as asked.
 */
export function memoizeDataRoutes(original: ConvertToDataRoutes): ConvertToDataRoutes {
  const kept = new WeakMap<
    object,
    { mapRouteProperties: unknown; dataRoutes: object[]; manifest: Record<string, unknown> }
  >();
  return (routes, mapRouteProperties, parentPath, manifest) => {
    const isWhole = (parentPath === undefined || parentPath.length === 0) && (!manifest || isEmpty(manifest));
    if (!isWhole) return original(routes, mapRouteProperties, parentPath, manifest);
    let known = kept.get(routes);
    if (!known || known.mapRouteProperties !== mapRouteProperties) {
      const own: Record<string, unknown> = {};
      known = { mapRouteProperties, dataRoutes: original(routes, mapRouteProperties, parentPath, own), manifest: own };
      kept.set(routes, known);
    }
    if (manifest) Object.assign(manifest, known.manifest);
    return known.dataRoutes;
  };
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const _ in record) return false;
  return true;
}

let installed = false;

/** Wraps `createServerRoutes` and the router's `UNSAFE_convertRoutesToDataRoutes` where <RemixServer> calls them; once per process. */
export function installServerRoutesMemo(): void {
  if (installed) return;
  installed = true;
  const routes = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
    createServerRoutes: CreateServerRoutes;
  };
  routes.createServerRoutes = memoizeServerRoutes(routes.createServerRoutes);
  const router = createRequire(import.meta.url)("@remix-run/router") as {
    UNSAFE_convertRoutesToDataRoutes: ConvertToDataRoutes;
  };
  router.UNSAFE_convertRoutesToDataRoutes = memoizeDataRoutes(router.UNSAFE_convertRoutesToDataRoutes);
}
