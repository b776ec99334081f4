/**
 * The share panel's "Copy link" is the primary Button, for members (React, once the page is live) and for signed-out
 * readers (the readers' script adds it to the plain page, with the same classes written out).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { ShareLink } from "./ShareLink";
import { buttonClass } from "./ui/Button";

// "Copy link" shows once the page is live and the browser can copy: as it is after hydration in a browser.
vi.mock("~/lib/hydrated", () => ({ useIsHydrated: () => true }));

beforeAll(() => {
  vi.stubGlobal("navigator", { clipboard: { writeText: async () => {} } });
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const classesOf = (className: string) => [...new Set(className.split(/\s+/).filter(Boolean))].sort();

test("on a live page, Copy link in the share panel is the primary button", () => {
  const html = renderToString(<ShareLink id="share-7" url="http://forum.test/q/7" noun="question" />);
  const buttons = DomUtils.findAll(
    (el) => el.name === "button" && DomUtils.textContent(el).trim() === "Copy link",
    parseDocument(html).children,
  );
  expect(buttons).toHaveLength(1);
  expect(classesOf(buttons[0]?.attribs.class ?? "")).toEqual(classesOf(buttonClass("primary")));
});

test("the Copy link a signed-out reader's script adds has the primary button's classes too", () => {
  const source = readFileSync(path.resolve("app/reader/reader.ts"), "utf8");
  const assigned = /button\.className =\s*((?:"[^"]*"\s*\+?\s*)+);/.exec(source)?.[1] ?? "";
  const written = [...assigned.matchAll(/"([^"]*)"/g)].map((part) => part[1]).join("");
  expect(classesOf(written)).toEqual(classesOf(buttonClass("primary")));
});
