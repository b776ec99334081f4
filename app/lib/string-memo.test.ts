import { memoizeByString } from "./string-memo";

describe("memoizeByString", () => {
  test("computes each distinct string once and gives the same result again", () => {
    const seen: string[] = [];
    const upper = memoizeByString(
      (s) => {
        seen.push(s);
        return s.toUpperCase();
      },
      { maxChars: 1_000 },
    );
    expect(upper("abc")).toBe("ABC");
    expect(upper("abc")).toBe("ABC");
    // Equal content built another way is the same entry; different content is not.
    expect(upper(["a", "b", "c"].join(""))).toBe("ABC");
    expect(upper("abd")).toBe("ABD");
    expect(seen).toEqual(["abc", "abd"]);
  });

  test("stays within its size, dropping the least recently used", () => {
    const seen: string[] = [];
    const same = memoizeByString(
      (s) => {
        seen.push(s);
        return s;
      },
      { maxChars: 40 },
    );
    for (const s of ["aaaaaaaaaa", "bbbbbbbbbb", "aaaaaaaaaa", "cccccccccc"]) same(s);
    // 20 characters each (argument and result): "b" was the least recently used when "c" came.
    expect(same.stats()).toEqual({ entries: 2, chars: 40 });
    same("aaaaaaaaaa");
    same("bbbbbbbbbb");
    expect(seen).toEqual(["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "bbbbbbbbbb"]);
    // Too large to keep at all: computed every time, nothing else dropped.
    const long = "x".repeat(30);
    same(long);
    same(long);
    expect(seen.filter((s) => s === long)).toHaveLength(2);
  });
});
