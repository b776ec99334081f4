/**
 * Remembers which routes a path matches, so a request does not rebuild the route table to find out.
 *
 * Why: Remix's router answers `matchRoutes(routes, path)` by flattening the whole route tree into branches, ranking
 * them and compiling a regular expression per branch tried, every time; a page render asks two or three times (the
 * request handler, the static handler and React Router's <Routes> during rendering), about 8 % of the CPU of a busy
 * server. The route tree never changes while a server runs, so the answer for a path never changes either.
 *
 * How: the request handler and React Router call `matchRoutes` through the `@remix-run/router` module's exports,
 * so wrapping that one export memoizes both. Each render builds fresh route objects, so the cache keeps route ids, not
 * objects: a hit maps the ids back onto the routes passed in, found through an index built once per route array.
 * Params are copied for every caller. The static handler (which runs the loaders and actions) matches with the
 * router's internal function, out of reach of that wrapper: see branchStaticHandlers below.
 */
import { createRequire } from "node:module";

type RouteLike = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteLike[] };
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: RouteLike };
type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => Match[] | null;
type Remembered = { routeId: string; params: Match["params"]; pathname: string; pathnameBase: string }[] | null;

const MAX_PATHS = 2_000;
const indexes = new WeakMap<RouteLike[], { shape: number; byId: Map<string, RouteLike> } | null>();
/** Route tree shapes seen so far, numbered, so cache keys stay short. */
const shapes = new Map<string, number>();
const remembered = new Map<string, Remembered>();

/** Every route by id, and a number that is the same for two route trees of the same shape; null when a route has no id. */
function indexOf(routes: RouteLike[]) {
  if (indexes.has(routes)) return indexes.get(routes) ?? null;
  const byId = new Map<string, RouteLike>();
  const parts: string[] = [];
  let complete = true;
  const walk = (list: RouteLike[], depth: number) => {
    for (const route of list) {
      if (route.id === undefined) complete = false;
      else byId.set(route.id, route);
      parts.push(`${depth}:${route.id}:${route.path ?? ""}:${route.index ? 1 : 0}:${route.caseSensitive ? 1 : 0}`);
      if (route.children) walk(route.children, depth + 1);
    }
  };
  walk(routes, 0);
  const signature = parts.join("|");
  let shape = shapes.get(signature);
  if (shape === undefined) {
    shape = shapes.size;
    shapes.set(signature, shape);
  }
  const index = complete ? { shape, byId } : null;
  indexes.set(routes, index);
  return index;
}

export function memoizeMatchRoutes(original: MatchRoutes): MatchRoutes {
  return (routes, location, basename) => {
    const index = indexOf(routes);
    const pathname = typeof location === "string" ? location : location.pathname;
    // Query strings and hashes don't take part in matching; anything unusual goes to the router as it is.
    if (!index || pathname === undefined || (typeof location === "string" && /[?#]/.test(location)))
      return original(routes, location, basename);
    const key = `${index.shape}\n${basename ?? "/"}\n${pathname}`;
    let result = remembered.get(key);
    if (result === undefined) {
      const matches = original(routes, location, basename);
      result = matches
        ? matches.map((m) => ({
            routeId: m.route.id ?? "",
            params: { ...m.params },
            pathname: m.pathname,
            pathnameBase: m.pathnameBase,
          }))
        : null;
      if (remembered.size >= MAX_PATHS) remembered.clear();
      remembered.set(key, result);
    }
    if (result === null) return null;
    const matches: Match[] = [];
    for (const m of result) {
      const route = index.byId.get(m.routeId);
      if (!route) return original(routes, location, basename);
      matches.push({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route });
    }
    return matches;
  };
}

type StaticHandler = {
  dataRoutes: RouteLike[];
  query: (request: Request, options?: unknown) => Promise<unknown>;
  queryRoute: (request: Request, options?: unknown) => Promise<unknown>;
};
type CreateStaticHandler = (routes: RouteLike[], options?: { basename?: string }) => StaticHandler;

/**
 * Static handlers whose `query` and `queryRoute` match a request against the one branch of routes its path leads to.
 *
 * Why: the static handler matches every request against the whole route table with the router's internal
 * `matchRoutes` (flattening and ranking all of it, compiling a regular expression per branch tried), which the wrapper
 * above cannot reach: about 5 % of a small signed-in page's CPU.
 *
 * How: Remix's request handler creates its static handler once, through the router module's exports. The handler
 * returned here finds a request's branch with the remembered matches, and passes the request to a handler built (once
 * per branch) for just that chain of routes, each with only the next one as its child: matching there gives the same
 * routes and params (the full table's best match is among the branch's, and nothing else is), and loaders, actions,
 * error boundaries and status codes are those of the same route objects. A path that matches nothing goes to the
 * handler for the whole table, as does anything the index can't map.
 */
export function branchStaticHandlers(create: CreateStaticHandler, matchRoutes: MatchRoutes): CreateStaticHandler {
  return (routes, options) => {
    const whole = create(routes, options);
    const index = indexOf(routes);
    if (!index) return whole;
    const byBranch = new Map<string, StaticHandler>();
    const handlerFor = (request: Request): StaticHandler => {
      const matches = matchRoutes(whole.dataRoutes, new URL(request.url).pathname, options?.basename);
      if (!matches) return whole;
      const key = matches.map((m) => m.route.id).join("\n");
      let handler = byBranch.get(key);
      if (handler === undefined) {
        let branch: RouteLike | undefined;
        for (let i = matches.length - 1; i >= 0; i--) {
          const route = index.byId.get(matches[i]?.route.id ?? "");
          if (!route) return whole;
          branch = { ...route, children: branch ? [branch] : undefined };
        }
        if (!branch) return whole;
        handler = create([branch], options);
        byBranch.set(key, handler);
      }
      return handler;
    };
    return {
      ...whole,
      query: (request, queryOptions) => handlerFor(request).query(request, queryOptions),
      queryRoute: (request, queryOptions) => handlerFor(request).queryRoute(request, queryOptions),
    };
  };
}

let installed = false;

/** Wraps `matchRoutes` and `createStaticHandler` on the router module every Remix package shares; once per process. */
export function installRouteMatchCache(): void {
  if (installed) return;
  installed = true;
  const router = createRequire(import.meta.url)("@remix-run/router") as {
    matchRoutes: MatchRoutes;
    createStaticHandler: CreateStaticHandler;
  };
  router.matchRoutes = memoizeMatchRoutes(router.matchRoutes);
  router.createStaticHandler = branchStaticHandlers(router.createStaticHandler, router.matchRoutes);
}
