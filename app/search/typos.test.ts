import { describe, expect, test } from "vitest";
import { allowedTypos, chooseCorrection, oneTypoAway, typoDistance } from "./typos";

describe("typo tolerance", () => {
  test("Meilisearch's budget: none below 5 letters, one from 5, two from 9", () => {
    expect([
      allowedTypos("vpn"),
      allowedTypos("mail"),
      allowedTypos("emial"),
      allowedTypos("daedlaus"),
      allowedTypos("certifcate"),
    ]).toEqual([0, 0, 1, 1, 2]);
  });

  test("a swap of neighbouring letters is one typo", () => {
    expect(typoDistance("emial", "email")).toBe(1);
    expect(typoDistance("daedlaus", "daedalus")).toBe(1);
    expect(typoDistance("pasword", "password")).toBe(1);
    expect(typoDistance("daedlaus", "daed")).toBe(4);
    expect(typoDistance("kitten", "sitting")).toBe(3);
    expect(oneTypoAway("emial")).toContain("email");
    expect(oneTypoAway("pasword")).toContain("password");
    expect(oneTypoAway("emial")).not.toContain("emial");
  });

  test("the most frequent word within the budget wins; nothing beyond the budget", () => {
    expect(
      chooseCorrection("daedlaus", [
        { term: "daed", documents: 1 },
        { term: "daedalus", documents: 259 },
      ]),
    ).toBe("daedalus");
    expect(
      chooseCorrection("pasword", [
        { term: "passwords", documents: 900 },
        { term: "password", documents: 40 },
      ]),
    ).toBe("password");
    expect(
      chooseCorrection("emial", [
        { term: "email", documents: 3 },
        { term: "emails", documents: 50 },
      ]),
    ).toBe("email");
    expect(chooseCorrection("emial", [{ term: "emial", documents: 3 }])).toBeNull();
    expect(chooseCorrection("vpnn", [{ term: "vpn", documents: 3 }])).toBeNull();
  });
});
