import { heldWords } from "./held-words";

test("what a silence holds, in words: posts and session questions named apart, nothing left empty", () => {
  expect(heldWords(1, 0)).toBe("1 post");
  expect(heldWords(3, 0)).toBe("3 posts");
  expect(heldWords(0, 1)).toBe("1 session question");
  expect(heldWords(2, 2)).toBe("2 posts and 2 session questions");
  expect(heldWords(0, 0)).toBe("");
});
