import { expect, test } from "vitest";
import { diffWords } from "./revisions.server";

test("a small edit in a long text shows only the changed words, the rest as unchanged runs", () => {
  const before = "It drops hourly when the laptop sleeps.";
  const after = "It drops every hour when the laptop sleeps.";
  expect(diffWords(before, after)).toEqual([
    { op: "same", text: "It drops " },
    { op: "removed", text: "hourly" },
    { op: "added", text: "every hour" },
    { op: "same", text: " when the laptop sleeps." },
  ]);
});

test("texts far larger than the old 4-million-cell table are still diffed word by word", () => {
  const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
  const before = words.join(" ");
  const changed = [...words];
  changed[10] = "first-change";
  changed[2500] = "middle-change";
  changed.splice(4000, 1);
  const parts = diffWords(before, changed.join(" "));
  expect(parts.filter((part) => part.op === "removed").map((part) => part.text.trim())).toEqual([
    "w10",
    "w2500",
    "w4000",
  ]);
  expect(parts.filter((part) => part.op === "added").map((part) => part.text.trim())).toEqual([
    "first-change",
    "middle-change",
  ]);
  // Putting the runs back together gives both texts exactly.
  expect(
    parts
      .filter((part) => part.op !== "added")
      .map((part) => part.text)
      .join(""),
  ).toBe(before);
  expect(
    parts
      .filter((part) => part.op !== "removed")
      .map((part) => part.text)
      .join(""),
  ).toBe(changed.join(" "));
});

test("an empty text on either side is one added or removed run", () => {
  expect(diffWords("", "new text")).toEqual([{ op: "added", text: "new text" }]);
  expect(diffWords("old text", "")).toEqual([{ op: "removed", text: "old text" }]);
});
