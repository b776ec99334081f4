/**
 * Tailwind writes no rule for a colour shade the theme does not define, and says nothing: `text-brand-800` once left
 * the mentor badge in the body's text colour, unreadable in dark mode. Every brand shade a class names must exist.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const themeCss = readFileSync(path.resolve("app/tailwind.css"), "utf8");
const defined = new Set([...themeCss.matchAll(/--color-brand-(\d+):/g)].map((m) => m[1]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(tsx?|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

test("every brand shade used in a class is defined in the theme", () => {
  const used = new Map<string, string>();
  for (const file of sourceFiles(path.resolve("app")))
    for (const m of readFileSync(file, "utf8").matchAll(/\bbrand-(\d+)\b/g))
      if (!used.has(m[1] ?? "")) used.set(m[1] ?? "", path.relative(process.cwd(), file));
  expect(used.size).toBeGreaterThan(3);
  const missing = [...used].filter(([shade]) => !defined.has(shade)).map(([shade, file]) => `brand-${shade} (${file})`);
  expect(missing).toEqual([]);
});
