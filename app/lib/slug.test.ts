/** Slugs spell letters that have an ASCII spelling instead of cutting them out, and keep every slug already in use. */
import { hasUnspellableLetters, slugify } from "./slug";

describe("slugs of international text", () => {
  test.each([
    ["Straße", "strasse"],
    ["Drucker yazıcı", "drucker-yazici"],
    ["Größe", "grosse"],
    ["ışık", "isik"],
    ["Ærøskøbing", "aeroskobing"],
    ["Łódź İstanbul", "lodz-istanbul"],
    ["Œuvre Þing ŋ", "oeuvre-thing-ng"],
    ["ﬁle x²", "file-x2"],
  ])("%j becomes %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  test("slugs that were already right stay the same (accents dropped, München is still munchen)", () => {
    expect(slugify("München Café Réseau ünïcödé")).toBe("munchen-cafe-reseau-unicode");
    expect(slugify("C# and C++ on Wi-Fi")).toBe("c-sharp-and-c-plus-plus-on-wi-fi");
    expect(slugify("node.js   --  Outlook!")).toBe("node-js-outlook");
    expect(slugify("Straße ".repeat(10), 20)).toBe("strasse-strasse-stra");
    expect(slugify("Straße ".repeat(10), 16)).toBe("strasse-strasse");
  });

  test("letters with no Latin spelling are left out of the slug, and said to be", () => {
    expect(slugify("日本語 outlook")).toBe("outlook");
    expect(slugify("日本語")).toBe("");
    expect(hasUnspellableLetters("日本語 outlook")).toBe(true);
    expect(hasUnspellableLetters("१२३")).toBe(true);
    // Other scripts have no spelling here (a table, not a transliteration library: slugs are made in the browser too).
    expect(slugify("Сеть и VPN")).toBe("vpn");
    expect(hasUnspellableLetters("сеть")).toBe(true);
    expect(hasUnspellableLetters("الشبكات")).toBe(true);
    expect(hasUnspellableLetters("Straße, yazıcı, Ærø, c++, c#, 🔥")).toBe(false);
  });
});
