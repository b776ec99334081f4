/** The remembered route matches: the router's own answers, mapped onto whichever route objects the caller passes. */
import { type AgnosticRouteObject, matchRoutes } from "@remix-run/router";
import { memoizeMatchRoutes } from "./route-matching.server";

function tree(): AgnosticRouteObject[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        { id: "routes/q.$id.($slug)", path: "q/:id/:slug?" },
        { id: "routes/q.$id.edit", path: "q/:id/edit" },
        { id: "routes/howtos.$id", path: "howtos/:id", children: [{ id: "routes/howtos.$id._index", index: true }] },
      ],
    },
  ];
}

const memoized = memoizeMatchRoutes(matchRoutes as Parameters<typeof memoizeMatchRoutes>[0]);
const summary = (matches: ReturnType<typeof matchRoutes>) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ??
  null;

test("answers exactly as the router does, for hits and misses alike", () => {
  for (const path of ["/", "/q/12", "/q/12/how-to-fix", "/q/12/edit", "/howtos/7", "/nowhere/at/all", "/q/12/edit"]) {
    const routes = tree();
    expect(summary(memoized(routes, path) as ReturnType<typeof matchRoutes>)).toEqual(
      summary(matchRoutes(routes, path)),
    );
    expect(summary(memoized(routes, { pathname: path }) as ReturnType<typeof matchRoutes>)).toEqual(
      summary(matchRoutes(routes, path)),
    );
  }
});

test("a second tree of the same shape gets its own route objects and its own params", () => {
  const first = tree();
  const second = tree();
  const a = memoized(first, "/q/5/slug");
  const b = memoized(second, "/q/5/slug");
  expect(a?.at(-1)?.route).toBe(first[0]?.children?.[1]);
  expect(b?.at(-1)?.route).toBe(second[0]?.children?.[1]);
  const params = a?.at(-1)?.params ?? {};
  params.id = "changed";
  expect(memoized(first, "/q/5/slug")?.at(-1)?.params.id).toBe("5");
});
