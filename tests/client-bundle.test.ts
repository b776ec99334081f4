/**
 * What a signed-in reader's browser downloads for a question or a how-to: the client entry, the root and the page's
 * route module with every chunk they import, read from the build's own manifest. Signed-out readers get the small
 * reader script instead (tests/e2e and bench:pages measure that one); these pages keep their live features for
 * signed-in readers, within the budget the product had before the speed work (129 KB gzipped at most).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ensureBuild } from "./fixtures/build";

type Manifest = {
  entry: { module: string; imports?: string[] };
  routes: Record<string, { module: string; imports?: string[] }>;
};

const BUDGET_BYTES = 129 * 1024;

function readManifest(): Manifest {
  const server = readFileSync(path.resolve("build/index.js"), "utf8");
  const url = /"(\/build\/manifest-[A-Za-z0-9]+\.js)"/.exec(server)?.[1];
  if (!url) throw new Error("the server build names no client manifest");
  const text = readFileSync(path.resolve(`public${url}`), "utf8");
  return JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as Manifest;
}

/** Every module a page loads, following static imports between chunks. */
function pageModules(manifest: Manifest, routeId: string): Map<string, string> {
  const route = manifest.routes[routeId];
  const root = manifest.routes.root;
  if (!route || !root) throw new Error(`no route ${routeId} in the manifest`);
  const modules = new Map<string, string>();
  const visit = (url: string) => {
    if (modules.has(url)) return;
    const source = readFileSync(path.resolve(`public${url}`), "utf8");
    modules.set(url, source);
    for (const match of source.matchAll(/(?:from|import)\s*"(\/build\/[^"]+\.js)"/g)) visit(match[1] ?? "");
  };
  for (const part of [manifest.entry, root, route]) {
    visit(part.module);
    for (const url of part.imports ?? []) visit(url);
  }
  return modules;
}

describe("JavaScript for signed-in readers of reading pages", () => {
  beforeAll(() => ensureBuild());

  test.each([
    ["a question", "routes/q.$id.($slug)"],
    ["a how-to", "routes/howtos.$id._index"],
  ])("%s: no form-validation library, and within the budget", (_, routeId) => {
    const modules = pageModules(readManifest(), routeId);
    // zod validates forms on the server; a schema built in a shared module's top level would ship it (14 KB).
    const withZod = [...modules].filter(([, source]) => source.includes("ZodFirstPartyTypeKind")).map(([url]) => url);
    expect(withZod).toEqual([]);
    // A server-only module the page imports for its loader is dropped from the browser build, not shipped as an empty
    // module of its own (patches/@remix-run+dev: Remix's empty modules are marked free of side effects). Without it the
    // question page loaded 16 and the how-to page 11. Two may stay: the answer cards' cache keys, named in code that runs
    // on the server only, and one that pages sharing a chunk with the question page still name.
    const empty = [...modules].filter(([, source]) => /\bexports\s*=\s*\{\s*\}/.test(source)).map(([url]) => url);
    expect(empty.length, empty.join(", ")).toBeLessThanOrEqual(2);
    const gzipped = [...modules.values()].reduce((sum, source) => sum + gzipSync(source).length, 0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    // The walk found the page's real code, not an empty shell.
    expect(modules.size).toBeGreaterThan(5);
    expect(gzipped).toBeGreaterThan(50 * 1024);
  });
});
