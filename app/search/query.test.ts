/** What the search box understands: phrases, operators, limits and junk, turned into a query that can always run. */
import { markMatches, markedToHtml, stripMarkers, tsqueryLexemes } from "./highlight";
import { formatSearchQuery, parseSearchInput, parseSearchParams, searchWords } from "./query";
import { SEARCH_LIMITS } from "./types";

describe("parseSearchInput", () => {
  test.each([
    ["vpn drops", { words: ["vpn", "drops"], phrases: [] }],
    ['"print spooler" crashes', { words: ["crashes"], phrases: ["print spooler"] }],
    ["“smart quotes” work", { words: ["work"], phrases: ["smart quotes"] }],
    ['"unbalanced quote', { words: ["unbalanced", "quote"], phrases: [] }],
    [
      'Why is this site called "Ask Different"?',
      { words: ["why", "is", "this", "site", "called", "ask", "different"], phrases: [] },
    ],
    ["C# and M365 on wi-fi 10.0.0.1", { words: ["c#", "and", "m365", "on", "wi-fi", "10.0.0.1"], phrases: [] }],
    ["Größe ÄNDERN", { words: ["größe", "ändern"], phrases: [] }],
  ])("%s", (input, expected) => {
    const { query } = parseSearchInput(input);
    expect({ words: query.words, phrases: query.phrases }).toEqual(expected);
  });

  test("operators become filters and leave the words", () => {
    const { query } = parseSearchInput("tag:Exchange-Online space:networking kind:how-to is:solved certificate");
    expect(query).toMatchObject({
      words: ["certificate"],
      tag: "exchange-online",
      spaceSlug: "networking",
      kinds: ["howto"],
      isSolved: true,
    });
    expect(parseSearchInput("in:security is:unanswered").query).toMatchObject({
      words: [],
      spaceSlug: "security",
      isUnanswered: true,
    });
  });

  test("explicit filters win over typed operators; bad values are ignored", () => {
    const { query } = parseSearchInput("tag:vpn space:networking", {
      tag: "dns",
      spaceSlug: "security",
      kinds: ["question"],
    });
    expect(query).toMatchObject({ tag: "dns", spaceSlug: "security", kinds: ["question"] });
    expect(parseSearchInput("space:'; drop table posts").query.spaceSlug).toBeUndefined();
    expect(parseSearchInput("kind:everything vpn").query.kinds).toBeUndefined();
  });

  test("operators typed in the text are not chosen filters: the form's controls show only what was chosen there", () => {
    const typed = parseSearchParams(new URLSearchParams({ q: "is:solved tag:vpn printer" }));
    expect(typed.query).toMatchObject({ words: ["printer"], tag: "vpn", isSolved: true });
    expect(typed.chosen).toEqual({ kinds: [], isSolved: false, isUnanswered: false, isPlainLanguage: false });
    const chosen = parseSearchParams(new URLSearchParams("q=printer&solved=1&tag=VPN&kind=question&space=office"));
    expect(chosen.chosen).toEqual({
      kinds: ["question"],
      spaceSlug: "office",
      tag: "vpn",
      isSolved: true,
      isUnanswered: false,
      isPlainLanguage: false,
    });
  });

  test("c#, c++ and .net stay whole words; a dot inside a word is not a leading dot", () => {
    expect(searchWords("C# or C++ on .NET, not ASP.NET or ...net")).toEqual([
      "c#",
      "or",
      "c++",
      "on",
      ".net",
      "not",
      "asp.net",
      "or",
      "net",
    ]);
  });

  test("junk gives a message and nothing to search, never an exception", () => {
    for (const input of ["", "   ", "!!! ??? ...", "''''", "\u0000\u0001"]) {
      const parsed = parseSearchInput(input);
      expect(parsed.isSearchable).toBe(false);
      expect(parsed.query.words).toEqual([]);
    }
    expect(parseSearchInput("!!! ???").message).toMatch(/punctuation/);
    expect(parseSearchInput("").message).toBeNull();
  });

  test("long input is cut, with a message; words and pages are bounded", () => {
    const parsed = parseSearchInput("word ".repeat(1000));
    expect(parsed.text.length).toBe(SEARCH_LIMITS.maxInputLength);
    expect(parsed.message).toMatch(/first 500 characters/);
    expect(parsed.query.words.length).toBe(SEARCH_LIMITS.maxWords);
    expect(parseSearchInput("vpn", { page: 10_000, perPage: 10_000 }).query).toMatchObject({
      page: SEARCH_LIMITS.maxPage,
      perPage: SEARCH_LIMITS.maxPerPage,
    });
    expect(parseSearchInput("vpn", { page: -3, perPage: 0 }).query).toMatchObject({ page: 1, perPage: 1 });
  });

  test("the last word is a prefix only while typing and only when it ends in a letter or digit", () => {
    expect(parseSearchInput("onedriv", { isPrefix: true }).query.isPrefix).toBe(true);
    expect(parseSearchInput("onedrive ", { isPrefix: true }).query.isPrefix).toBe(true);
    expect(parseSearchInput('"one drive"', { isPrefix: true }).query.isPrefix).toBe(false);
    expect(parseSearchInput("onedriv").query.isPrefix).toBe(false);
  });
});

test("parseSearchParams reads the form fields", () => {
  const params = new URLSearchParams(
    "q=vpn&kind=question&kind=howto&space=networking&tag=DNS&solved=1&plain=on&sort=votes&page=2&perPage=5",
  );
  expect(parseSearchParams(params).query).toMatchObject({
    words: ["vpn"],
    kinds: ["question", "howto"],
    spaceSlug: "networking",
    tag: "dns",
    isSolved: true,
    isPlainLanguage: true,
    sort: "votes",
    page: 2,
    perPage: 5,
  });
  expect(parseSearchParams(new URLSearchParams("q=vpn&sort=random&page=abc")).query).toMatchObject({
    sort: "relevance",
    page: 1,
  });
});

test("formatSearchQuery writes a query back as text", () => {
  expect(
    formatSearchQuery({ words: ["cert"], phrases: ["mail flow"], tag: "exchange-online", spaceSlug: "microsoft-365" }),
  ).toBe('"mail flow" cert tag:exchange-online space:microsoft-365');
});

test("searchWords lower-cases and drops surrounding punctuation", () => {
  expect(searchWords("Hello, World... (test) node.js.")).toEqual(["hello", "world", "test", "node.js"]);
});

describe("highlights", () => {
  test("markers become <mark>, everything else is escaped", () => {
    expect(markedToHtml('a \uE000<b>\uE001 & "c"')).toBe("a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot;");
  });
  test("stray and nested markers never unbalance the tags", () => {
    expect(markedToHtml("\uE001x\uE000y\uE000z")).toBe("x<mark>yz</mark>");
    expect(markedToHtml("\uE000\uE001")).toBe("");
  });
  test("indexed text cannot carry markers", () => {
    expect(stripMarkers("a\uE000b\uE001c\uE002d\uE003")).toBe("abcd");
  });
});

describe("marking matches from a query's lexemes", () => {
  const lexemes = tsqueryLexemes("'exchang' & 'certif' & ( 'expir' | 'polici' ) & 'it' & 'onedriv':*");
  test("reads lexemes and prefixes from a tsquery's text", () => {
    expect(tsqueryLexemes("'o''brien' & 'vpn':* & !'dns'")).toEqual([
      { lexeme: "o'brien", isPrefix: false },
      { lexeme: "vpn", isPrefix: true },
      { lexeme: "dns", isPrefix: false },
    ]);
  });
  test("marks the words the stems come from, and leaves short stems to whole words", () => {
    expect(
      markMatches("Exchange certificate EXPIRED; policy items and OneDrive it", lexemes)
        .replace(/\uE000/g, "[")
        .replace(/\uE001/g, "]"),
    ).toBe("[Exchange] [certificate] [EXPIRED]; [policy] items and [OneDrive] [it]");
  });
  test("crops long text around the first match, with ellipses where it was cut", () => {
    const text = `${"word ".repeat(100)}the certificate expired ${"tail ".repeat(100)}`.trim();
    const snippet = markMatches(text, lexemes, 20);
    expect(snippet.startsWith("… ")).toBe(true);
    expect(snippet.endsWith(" …")).toBe(true);
    expect(snippet.split(" ").filter((w) => w !== "…").length).toBe(20);
    expect(snippet).toContain("\uE000certificate\uE001");
    expect(markMatches("short text", lexemes, 20)).toBe("short text");
  });
});
