/** Text counted and cut in the characters a person sees, and the letter an avatar shows for any name. */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { Avatar } from "~/components/ui/Avatar";
import { firstGraphemes, graphemeCount } from "./graphemes";
import { initialOf } from "./initial";
import { seededRandom } from "./seeded-random";

const LONE_SURROGATE = /\p{Cs}/u;

test("an emoji with a skin tone, a ZWJ sequence and a letter with a separate accent each count as one character", () => {
  expect(graphemeCount("Yazıcı 👩🏽‍💼")).toBe(8);
  expect(graphemeCount("👍🏽👩‍👩‍👧")).toBe(2);
  expect(graphemeCount("Cafe\u0301")).toBe(4);
  expect(graphemeCount("")).toBe(0);
  // Windows' line ending is one character.
  expect(graphemeCount("a\r\nb")).toBe(3);
  expect(graphemeCount("Drücker\r\n")).toBe(8);
  // Counting can stop at a minimum: enough to know the text reaches it.
  expect(graphemeCount("👍🏽👍🏽👍🏽👍🏽", 3)).toBe(3);
  expect(graphemeCount("abcdef", 3)).toBe(3);
});

test("long text is counted and cut as one pass over it would, wherever its characters fall", () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const pieces = [
    "a",
    " ",
    "\r",
    "\n",
    "e",
    "\u0301",
    "👩",
    "🏽",
    "\u200d",
    "💼",
    "🇩",
    "🇪",
    "ก",
    "\u0e33",
    "क",
    "\u094d",
    "ष",
  ];
  const random = seededRandom(29);
  for (const size of [300, 3_000]) {
    let text = "";
    while (text.length < size) text += random.pick(pieces);
    // A letter under more accents than fit the segmenter's window, too.
    text += `o${"\u0308".repeat(700)}${text}`;
    const starts = [...segmenter.segment(text)].map((segment) => segment.index);
    expect(graphemeCount(text)).toBe(starts.length);
    for (const max of [1, 100, 255, 256, 257, 1_000, starts.length - 1]) {
      expect(firstGraphemes(text, max)).toBe(text.slice(0, starts[max]));
    }
  }
});

test("cutting keeps whole characters: never half an emoji or a letter without its accent", () => {
  expect(firstGraphemes("ab👍🏽cd", 3)).toBe("ab👍🏽");
  expect(firstGraphemes("ab👩‍👩‍👧cd", 2)).toBe("ab");
  expect(firstGraphemes("ab👩‍👩‍👧cd", 3)).toBe("ab👩‍👩‍👧");
  expect(firstGraphemes("Cafe\u0301 au lait", 4)).toBe("Cafe\u0301");
  expect(firstGraphemes("short", 10)).toBe("short");
  expect(firstGraphemes("exact", 5)).toBe("exact");
  for (let max = 0; max < 8; max++) expect(firstGraphemes("x👍🏽y👩‍👩‍👧z🇩🇪", max)).not.toMatch(LONE_SURROGATE);
});

test("an avatar shows the first letter of a name, in any script, even when the name starts with an emoji", () => {
  expect(initialOf("ana")).toBe("A");
  expect(initialOf("łukasz")).toBe("Ł");
  expect(initialOf("张伟")).toBe("张");
  expect(initialOf("ölçüm ekibi")).toBe("Ö");
  // A letter typed with a separate accent keeps it.
  expect(initialOf("e\u0301lodie")).toBe("E\u0301");
  expect(initialOf("👍🏽 Ana")).toBe("A");
  expect(initialOf("🚀 Rocket team")).toBe("R");
  expect(initialOf("3M support")).toBe("M");
  // "ß" capitalised would be two letters ("SS"), which does not fit.
  expect(initialOf("ßeta")).toBe("ß");
  // No letter at all: a neutral question mark, not half an emoji.
  expect(initialOf("👩🏽‍💼")).toBe("?");
  expect(initialOf("")).toBe("?");
});

test("the Avatar component shows that letter, never a broken character", () => {
  for (const decorative of [true, false]) {
    const html = renderToString(createElement(Avatar, { name: "👍🏽 Ana", image: null, decorative }));
    expect(html).toMatch(/>A<\/span>$/);
    expect(html).not.toMatch(LONE_SURROGATE);
    expect(html).not.toContain("\ufffd");
  }
});
