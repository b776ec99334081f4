/** The route objects <RemixServer> renders with, built once per route table and rebuilt when a module changes. */
import { createRequire } from "node:module";
import { installServerRoutesMemo, memoizeServerRoutes } from "./server-routes-memo.server";

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
