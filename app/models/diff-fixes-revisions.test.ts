/** Revision diffs stay bounded: huge, very different versions fall back to a coarse but exact diff instead of blocking the server. */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { getRevisionHistory } from "./question-history.server";
import { type DiffPart, TOO_LARGE_TO_COMPARE, diffText, newDiffBudget, recordRevision } from "./revisions.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** Random words from a fixed seed, about `chars` characters long: two of these share almost no run of words. */
function randomWords(seed: number, chars: number): string {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = Array.from({ length: 2 + Math.floor(random() * 8) }, () =>
      String.fromCharCode(97 + Math.floor(random() * 26)),
    ).join("");
    words.push(word);
    length += word.length + 1;
  }
  return words.join(" ");
}

const textBefore = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.op !== "added")
    .map((p) => p.text)
    .join("");
const textAfter = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.op !== "removed")
    .map((p) => p.text)
    .join("");

test("two long, entirely different texts are shown whole, old then new, and still give back both texts", () => {
  const before = randomWords(1, 29_500);
  const after = randomWords(2, 29_500);
  const { parts, isWordByWord } = diffText(before, after);
  expect(isWordByWord).toBe(false);
  expect(parts.map((p) => p.op)).toEqual(["removed", "added"]);
  expect(textBefore(parts)).toBe(before);
  expect(textAfter(parts)).toBe(after);
});

test("a rewritten paragraph is shown whole while a lightly edited one beside it is still diffed word by word", () => {
  const intro = "The VPN drops every morning after the laptop wakes up.";
  const rewrittenBefore = randomWords(3, 8_000);
  const rewrittenAfter = randomWords(4, 8_000);
  const before = `${intro}\n\n${rewrittenBefore}\n\nThanks for any help.`;
  const after = `${intro.replace("every morning", "each morning")}\n\n${rewrittenAfter}\n\nThanks for any help.`;
  const { parts, isWordByWord } = diffText(before, after);
  expect(isWordByWord).toBe(false);
  expect(parts.slice(0, 4)).toEqual([
    { op: "same", text: "The VPN drops " },
    { op: "removed", text: "every" },
    { op: "added", text: "each" },
    { op: "same", text: " morning after the laptop wakes up.\n\n" },
  ]);
  expect(parts).toContainEqual({ op: "removed", text: rewrittenBefore });
  expect(parts).toContainEqual({ op: "added", text: rewrittenAfter });
  expect(parts.at(-1)).toEqual({ op: "same", text: "\n\nThanks for any help." });
  expect(textBefore(parts)).toBe(before);
  expect(textAfter(parts)).toBe(after);
});

test("a typo fixed inside one very long paragraph is still found word by word", () => {
  const words = randomWords(5, 30_000).split(" ");
  const before = words.join(" ");
  words[2_000] = "corrected";
  const after = words.join(" ");
  const { parts, isWordByWord } = diffText(before, after);
  expect(isWordByWord).toBe(true);
  expect(parts.filter((p) => p.op === "added")).toEqual([{ op: "added", text: "corrected" }]);
  expect(textBefore(parts)).toBe(before);
  expect(textAfter(parts)).toBe(after);
});

test("once a page's allowance is spent, even a small change is shown whole (but exactly)", () => {
  const budget = newDiffBudget();
  for (let seed = 10; budget.edits > 0; seed += 2)
    diffText(randomWords(seed, 5_000), randomWords(seed + 1, 5_000), budget);
  const { parts, isWordByWord } = diffText(
    "It drops hourly when it sleeps",
    "It drops every hour when it sleeps",
    budget,
  );
  expect(isWordByWord).toBe(false);
  expect(parts).toEqual([
    { op: "same", text: "It drops " },
    { op: "removed", text: "hourly" },
    { op: "added", text: "every hour" },
    { op: "same", text: " when it sleeps" },
  ]);
});

test("a history of fifty huge rewrites: the newest are compared first, the rest shown whole with a note, all exact", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const postId = await makeQuestion(db, author, await makeSpace(db), { title: "Why does the VPN drop?" });
  const bodies = Array.from({ length: 50 }, (_, i) => randomWords(100 + i, 30_000));
  for (const bodyMd of bodies)
    await recordRevision(db, {
      postId,
      editorId: author.id,
      content: { title: "Why does the VPN drop?", bodyMd, tags: [] },
    });
  const history = await getRevisionHistory(db, postId);
  const revisions = history?.revisions ?? [];
  expect(revisions).toHaveLength(51);
  const [newest] = revisions;
  expect(newest?.bodyDiff.map((p) => p.op)).toEqual(["removed", "added"]);
  expect(newest?.diffNote).toBe(TOO_LARGE_TO_COMPARE);
  // Every version says what changed, exactly: the version before it struck through, then its own text.
  for (const [i, revision] of revisions.slice(0, 50).entries()) {
    const older = revisions[i + 1];
    expect(revision.diffNote).toBe(TOO_LARGE_TO_COMPARE);
    expect(textAfter(revision.bodyDiff)).toBe(bodies[49 - i]);
    expect(textBefore(revision.bodyDiff)).toBe(older ? textAfter(older.bodyDiff) : "");
  }
  expect(revisions.at(-1)?.diffNote).toBeNull();
});
