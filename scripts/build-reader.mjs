/**
 * Builds the readers' enhancement script (app/reader/reader.ts) into public/build/ under a content hash, and writes
 * build/reader.json ({ src, integrity }) for the server to link it. Runs after `remix build` (npm run build).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const result = await build({
  entryPoints: ["app/reader/reader.ts"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  platform: "browser",
  tsconfig: "tsconfig.json",
  write: false,
  legalComments: "none",
});
const code = result.outputFiles[0]?.contents;
if (!code) throw new Error("esbuild produced no output for app/reader/reader.ts");
const hash = createHash("sha256").update(code).digest();
const name = `reader-${hash.toString("hex").slice(0, 10).toUpperCase()}.js`;
mkdirSync("public/build", { recursive: true });
mkdirSync("build", { recursive: true });
writeFileSync(path.join("public/build", name), code);
const manifest = { src: `/build/${name}`, integrity: `sha256-${hash.toString("base64")}` };
writeFileSync("build/reader.json", `${JSON.stringify(manifest)}\n`);
console.log(`reader script: ${manifest.src} (${code.length} bytes)`);
