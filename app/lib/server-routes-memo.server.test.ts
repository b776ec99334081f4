/** The route objects <RemixServer> renders with, built once per route table and rebuilt when a module changes. */
import { createRequire } from "node:module";
import { installServerRoutesMemo, memoizeDataRoutes, memoizeServerRoutes } from "./server-routes-memo.server";

type Create = Parameters<typeof memoizeServerRoutes>[0];
type RouteObject = { id: string; path?: string; index?: boolean; handle?: unknown; children?: RouteObject[] };
const routesModule = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
  createServerRoutes: Create;
};
const original = routesModule.createServerRoutes;

const entry = (id: string, parentId: string | undefined, extra: Record<string, unknown> = {}) => ({
  id,
  parentId,
  hasLoader: true,
  hasClientLoader: false,
  hasAction: false,
  hasErrorBoundary: false,
  module: `/build/${id}.js`,
  ...extra,
});

function build() {
  const manifest = {
    root: entry("root", undefined, { path: "" }),
    "routes/_index": entry("routes/_index", "root", { index: true }),
    "routes/q.$id.($slug)": entry("routes/q.$id.($slug)", "root", { path: "q/:id/:slug?" }),
  };
  const modules = {
    root: { default: () => null, handle: undefined },
    "routes/_index": { default: () => null },
    "routes/q.$id.($slug)": { default: () => null, handle: { isReaderPage: true } },
  };
  return { manifest, modules };
}

const shape = (routes: RouteObject[]): unknown =>
  routes.map((r) => ({ id: r.id, path: r.path, index: r.index, handle: r.handle, children: shape(r.children ?? []) }));

test("the same routes for the same table and modules, as the runtime builds them", () => {
  const memoized = memoizeServerRoutes(original);
  const { manifest, modules } = build();
  const future = {};
  const first = memoized(manifest, { ...modules }, future, false) as RouteObject[];
  // Every request passes a fresh object holding the same modules.
  expect(memoized(manifest, { ...modules }, future, false)).toBe(first);
  expect(shape(first)).toEqual(shape(original(manifest, modules, future, false) as RouteObject[]));
  expect(shape(first)).toEqual([
    {
      id: "root",
      path: "",
      index: undefined,
      handle: undefined,
      children: [
        { id: "routes/_index", path: undefined, index: true, handle: undefined, children: [] },
        {
          id: "routes/q.$id.($slug)",
          path: "q/:id/:slug?",
          index: undefined,
          handle: { isReaderPage: true },
          children: [],
        },
      ],
    },
  ]);
});

test("another module, other flags or another table build afresh", () => {
  const memoized = memoizeServerRoutes(original);
  const { manifest, modules } = build();
  const future = {};
  const first = memoized(manifest, modules, future, false);
  const changed = { ...modules, "routes/_index": { default: () => null, handle: { changed: true } } };
  const rebuilt = memoized(manifest, changed, future, false) as RouteObject[];
  expect(rebuilt).not.toBe(first);
  expect(rebuilt[0]?.children?.[0]?.handle).toEqual({ changed: true });
  expect(memoized(manifest, changed, {}, false)).not.toBe(rebuilt);
  expect(memoized(build().manifest, changed, future, false)).not.toBe(rebuilt);
});

test("installed on the module <RemixServer> calls it through", () => {
  installServerRoutesMemo();
  expect(routesModule.createServerRoutes).not.toBe(original);
  const { manifest, modules } = build();
  const future = {};
  expect(routesModule.createServerRoutes(manifest, { ...modules }, future, false)).toBe(
    routesModule.createServerRoutes(manifest, { ...modules }, future, false),
  );
});

test("a whole table's data routes are converted once, and every caller's manifest gets the same routes", () => {
  const router = createRequire(import.meta.url)("@remix-run/router") as {
    UNSAFE_convertRoutesToDataRoutes: Parameters<typeof memoizeDataRoutes>[0];
  };
  let conversions = 0;
  const counted: Parameters<typeof memoizeDataRoutes>[0] = (...args) => {
    conversions += 1;
    return router.UNSAFE_convertRoutesToDataRoutes(...args);
  };
  const convert = memoizeDataRoutes(counted);
  const { manifest, modules } = build();
  const routes = original(manifest, modules, {}, false) as object[];
  const mapRouteProperties = (route: { hasErrorBoundary?: boolean }) => ({
    hasErrorBoundary: !!route.hasErrorBoundary,
  });
  const firstManifest: Record<string, unknown> = {};
  const first = convert(routes, mapRouteProperties, undefined, firstManifest);
  const secondManifest: Record<string, unknown> = {};
  expect(convert(routes, mapRouteProperties, undefined, secondManifest)).toBe(first);
  expect(conversions).toBe(1);
  expect(Object.keys(secondManifest).sort()).toEqual(["root", "routes/_index", "routes/q.$id.($slug)"]);
  expect(secondManifest).toEqual(firstManifest);
  expect(secondManifest.root).toBe((first as { id: string }[])[0]);
  expect(shape(first as RouteObject[])).toEqual(
    shape(router.UNSAFE_convertRoutesToDataRoutes(routes, mapRouteProperties) as RouteObject[]),
  );
  // Another properties function, a subtree or a manifest already in use: converted as asked.
  convert(routes, () => ({}), undefined, {});
  convert(routes, mapRouteProperties, ["0"], {});
  convert(routes, mapRouteProperties, undefined, { other: {} });
  expect(conversions).toBe(4);
});
