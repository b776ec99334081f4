/** The remembered route matches: the router's own answers, mapped onto whichever route objects the caller passes. */
import { type AgnosticRouteObject, createStaticHandler, matchRoutes } from "@remix-run/router";
import { branchStaticHandlers, memoizeMatchRoutes } from "./route-matching.server";

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

/** A route table with loaders, as Remix hands the static handler one. */
function dataTree(): AgnosticRouteObject[] {
  return [
    {
      id: "root",
      path: "",
      hasErrorBoundary: true,
      loader: () => "root data",
      children: [
        { id: "routes/_index", index: true, loader: () => "home" },
        { id: "routes/q.$id.($slug)", path: "q/:id/:slug?", loader: ({ params }) => `question ${params.id}` },
        {
          id: "routes/q.$id.edit",
          path: "q/:id/edit",
          loader: () => {
            throw new Response("Only its author may edit it.", { status: 403 });
          },
        },
        {
          id: "routes/howtos.$id",
          path: "howtos/:id",
          loader: ({ params }) => `how-to ${params.id}`,
          children: [{ id: "routes/howtos.$id._index", index: true, loader: () => "how-to body" }],
        },
        {
          id: "routes/broken",
          path: "broken",
          loader: () => {
            throw new Error("the loader broke");
          },
        },
      ],
    },
  ];
}

type Context = {
  statusCode: number;
  loaderData: unknown;
  errors: unknown;
  matches: { route: { id: string }; params: unknown }[];
};
const seen = (context: unknown) => {
  const c = context as Context;
  return {
    statusCode: c.statusCode,
    loaderData: c.loaderData,
    errors: c.errors,
    matches: c.matches.map((m) => ({ id: m.route.id, params: m.params })),
  };
};

test("the static handler answers every request as the whole table's does, building one handler per branch", async () => {
  const created: number[] = [];
  const create = (routes: Parameters<typeof createStaticHandler>[0], options?: { basename?: string }) => {
    const count = (list: typeof routes): number =>
      list.reduce((n, route) => n + 1 + count((route.children ?? []) as typeof routes), 0);
    created.push(count(routes));
    return createStaticHandler(routes, options);
  };
  const branching = branchStaticHandlers(
    create as unknown as Parameters<typeof branchStaticHandlers>[0],
    memoized as Parameters<typeof branchStaticHandlers>[1],
  );
  const whole = createStaticHandler(dataTree());
  const handler = branching(dataTree() as Parameters<typeof branching>[0]);
  const paths = ["/", "/q/12", "/q/13/why-the-vpn-drops", "/q/12/edit", "/howtos/7", "/broken", "/nowhere", "/q/14"];
  for (const path of paths) {
    const request = () => new Request(`http://localhost${path}`);
    expect(seen(await handler.query(request()))).toEqual(seen(await whole.query(request())));
  }
  // One handler for the whole table (7 routes), then one per branch, root and leaf: home, question, edit, how-to (with
  // its index route), broken; /q/14 reuses the question's, and /nowhere goes to the whole table's.
  expect(created).toEqual([7, 2, 2, 2, 3, 2]);
  // A single route's data (what a page's data request asks for), and a route that is not on the path's branch.
  const one = (await handler.queryRoute(new Request("http://localhost/q/12"), {
    routeId: "routes/q.$id.($slug)",
  })) as unknown;
  expect(one).toEqual(
    await whole.queryRoute(new Request("http://localhost/q/12"), { routeId: "routes/q.$id.($slug)" }),
  );
  expect(one).toBe("question 12");
  const stray = await handler
    .queryRoute(new Request("http://localhost/q/12"), { routeId: "routes/howtos.$id" })
    .catch((error: unknown) => error);
  const wholeStray = await whole
    .queryRoute(new Request("http://localhost/q/12"), { routeId: "routes/howtos.$id" })
    .catch((error: unknown) => error);
  expect(stray).toEqual(wholeStray);
  expect((stray as { status?: number }).status).toBe(403);
});
