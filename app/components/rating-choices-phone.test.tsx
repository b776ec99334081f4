/**
 * The five rating choices on a phone: five boxes side by side in the question page's card left "Completely" too little
 * room at 390 px (it read "Completel / y"). They are rows under each other below the sm breakpoint, five side by side
 * from it, and their words wrap between words only. The browser check at 320 and 390 px is
 * tests/e2e/rating-card-phone.e2e.ts; this one needs no build.
 */
import type { Element } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { type PromptShown, RatingFields } from "./Feedback";

const firstTime: Extract<PromptShown, { state: "open" }> = {
  state: "open",
  asksEasyToUnderstand: true,
  existing: null,
};
const rated: Extract<PromptShown, { state: "open" }> = {
  state: "open",
  asksEasyToUnderstand: true,
  existing: {
    rating: 4,
    easyToUnderstand: true,
    comment: "",
    editableUntil: "2026-09-02T10:00:00.000Z",
    isEditable: true,
  },
};

const classesOf = (element: Element | null) => (element?.attribs.class ?? "").split(/\s+/);

/** Each rating choice (a button, or a label around a radio button) with the row it sits in and its words. */
function choices(html: string) {
  const document = parseDocument(html);
  const inputs = DomUtils.findAll(
    (element) => (element.name === "button" || element.name === "input") && element.attribs.name === "rating",
    document.children,
  );
  return inputs.map((input) => {
    const choice = input.name === "button" ? input : (input.parent as Element);
    const spans = DomUtils.getChildren(choice).filter(
      (child): child is Element => child.type === "tag" && (child as Element).name === "span",
    );
    return { choice, row: choice.parent as Element, words: spans.at(-1) ?? null };
  });
}

test.each([
  ["the one-tap buttons", firstTime],
  ["the radio buttons once rated", rated],
])("%s: rows under each other on a phone, five side by side from sm, words never broken", (_, prompt) => {
  const shown = choices(renderToString(<RatingFields prompt={prompt} isSubmitting={false} />));
  expect(shown).toHaveLength(5);
  for (const { choice, row, words } of shown) {
    expect(classesOf(row)).toEqual(expect.arrayContaining(["grid", "grid-cols-1", "sm:grid-cols-5"]));
    expect(classesOf(row)).not.toContain("grid-cols-5");
    // A row of its own: the number beside the words, with room; a box of the five from sm.
    expect(classesOf(choice)).toEqual(expect.arrayContaining(["flex", "px-3", "sm:flex-col", "sm:px-0.5"]));
    expect(classesOf(choice)).not.toContain("flex-col");
    // The page breaks long words anywhere (body); a rating's words only between words.
    expect(classesOf(words)).toContain("wrap-normal");
  }
  expect(DomUtils.textContent(shown.map(({ words }) => words as Element))).toBe(
    " Not at all (out of 5) A little (out of 5) Partly (out of 5) Mostly (out of 5) Completely (out of 5)",
  );
});
