/**
 * What the search box says about input it cannot use as typed (common words, unknown operators, "-word",
 * apostrophes), and quoted phrases and split words matching as written, on the real database.
 */
import { embeddedEngines, searchCorpus } from "../../tests/fixtures/search";
import { parseSearchInput } from "./query";

describe("input the search cannot use as typed is explained", () => {
  test("only common words: not searched, and told what to add", () => {
    for (const input of ["how do I", '"how to"', "the", "a"]) {
      const parsed = parseSearchInput(input);
      expect(parsed.isSearchable, input).toBe(false);
      expect(parsed.message, input).toMatch(/^Those words are too common to search for on their own\. Add what/);
    }
    expect(parseSearchInput("how do I reset vpn").message).toBeNull();
    // Contractions alone are common words too, not "punctuation".
    expect(parseSearchInput("won't've").message).toMatch(/^Those words are too common/);
  });

  test("an unknown operator's value is said back short", () => {
    const message = parseSearchInput(`kind:${"x".repeat(400)}`).message ?? "";
    expect(message).toContain(`kind:${"x".repeat(40)}… isn't a filter here.`);
    expect(message).not.toContain("x".repeat(41));
  });

  test("an unknown is:, kind: or space value names the ones that work", () => {
    expect(parseSearchInput("is:answered").message).toBe(
      "is:answered isn't a filter here. Try is:solved or is:unanswered.",
    );
    expect(parseSearchInput("is:open printer").message).toBe(
      "is:open isn't a filter here. Try is:solved or is:unanswered.",
    );
    expect(parseSearchInput("is:open printer").query.words).toEqual(["printer"]);
    expect(parseSearchInput("kind:blog vpn").message).toMatch(/^kind:blog isn't a filter here\. Try kind:question,/);
    expect(parseSearchInput("in:Net!work vpn").message).toMatch(/^in:net!work isn't a space name here/);
    expect(parseSearchInput("is:solved kind:how-to in:networking").message).toBeNull();
  });

  test("a word with - in front is searched for, and the page says excluding isn't supported", () => {
    const parsed = parseSearchInput("scanner -printer");
    expect(parsed.query.words).toEqual(["scanner", "printer"]);
    expect(parsed.message).toBe("Searching for printer: excluding words with - isn't supported.");
    expect(parseSearchInput("wi-fi drops").message).toBeNull();
  });

  test("apostrophes keep a word whole: contractions are common words, possessives their word", () => {
    expect(parseSearchInput("my laptop won't connect to wifi").query.words).toEqual([
      "my",
      "laptop",
      "connect",
      "to",
      "wifi",
    ]);
    expect(parseSearchInput("Outlook’s rules don't run").query.words).toEqual(["outlook", "rules", "run"]);
    expect(parseSearchInput("o'brien").query.words).toEqual(["o'brien"]);
  });
});

describe.each(embeddedEngines)("words as written: $name", ({ create }) => {
  const { ids, find } = searchCorpus(create, {
    outOfOffice: {
      title: "Automatic replies: set an out of office message for a shared mailbox",
      body: "The shared mailbox should answer while the team is away.",
    },
    newOffice: {
      title: "Conditional Access blocks sign-in from the new office",
      body: "Since we moved, people in the new office cannot sign in from their desks.",
    },
    dot1x: {
      title: "Wired 802.1X authentication fails after the switch update",
      body: "Clients get no network until they reboot.",
    },
    moduleX: {
      title: "Training module 3.x is missing from the portal",
      body: "The older module shows, the new one does not.",
    },
    won: {
      title: "Our team won the helpdesk award",
      body: "Thanks to everyone who answered tickets this year.",
    },
    laptop: {
      title: "Laptop does not connect to the office wifi",
      body: "It sees the network but never gets an address.",
    },
  });

  test("a quoted phrase with common words matches those words in order", async () => {
    expect((await find('"out of office"')).ids).toEqual([ids.outOfOffice]);
    expect((await find('"out of office"', "newest")).ids).toEqual([ids.outOfOffice]);
    expect((await find('"new office"')).ids).toEqual([ids.newOffice]);
  });

  test("a one-letter piece of a split word does not match on its own", async () => {
    expect((await find("802.1X")).ids).toEqual([ids.dot1x]);
  });

  test("a contraction is not searched as its first half", async () => {
    const found = (await find("my laptop won't connect to wifi")).ids;
    expect(found).toContain(ids.laptop);
    expect(found).not.toContain(ids.won);
  });
});
