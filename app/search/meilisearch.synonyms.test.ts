import { toMeilisearchSynonyms } from "./meilisearch.server";

describe("Meilisearch synonyms from the glossary", () => {
  test("every name of a group leads to all the others, and groups stay apart", () => {
    const synonyms = toMeilisearchSynonyms([
      ["mfa", "multi-factor authentication", "2fa"],
      ["wi-fi", "wifi"],
    ]);
    expect(synonyms).toEqual({
      mfa: ["multi-factor authentication", "2fa"],
      "multi-factor authentication": ["mfa", "2fa"],
      "2fa": ["mfa", "multi-factor authentication"],
      "wi-fi": ["wifi"],
      wifi: ["wi-fi"],
    });
  });

  test("no groups, no synonyms", () => {
    expect(toMeilisearchSynonyms([])).toEqual({});
    expect(toMeilisearchSynonyms([["alone"]])).toEqual({});
  });
});
