/**
 * The share panel's "Copy link" is the primary Button for everyone: members get `ShareLink`'s `<Button>` (React, once
 * the page is live), and signed-out readers get the one the readers' script adds to the plain page, with the same
 * classes written out (importing the helper there would bring React in). This keeps the written-out copy the same.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { buttonClass } from "./ui/Button";

const classesOf = (className: string) => [...new Set(className.split(/\s+/).filter(Boolean))].sort();

test("the Copy link a signed-out reader's script adds has the primary button's classes", () => {
  const source = readFileSync(path.resolve("app/reader/reader.ts"), "utf8");
  const assigned = /button\.className =\s*((?:"[^"]*"\s*\+?\s*)+);/.exec(source)?.[1] ?? "";
  const written = [...assigned.matchAll(/"([^"]*)"/g)].map((part) => part[1]).join("");
  expect(written).not.toBe("");
  expect(classesOf(written)).toEqual(classesOf(buttonClass("primary")));
});
