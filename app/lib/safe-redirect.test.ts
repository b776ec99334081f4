/** Return paths stay on this site: every hostile form is refused, and whatever is returned resolves to our origin. */
import { safeRedirectPath } from "./safe-redirect";

const SITE = "https://forum.example.org";

const hostile = [
  "//evil.example/phish",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example/phish",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/ \t/evil.example",
  "/\u0000/evil.example",
  "/\u2028/evil.example",
  "/%2F%2Fevil.example",
  "/%2f/evil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%09/evil.example",
  "/%0A/evil.example",
  "/%0D%0ASet-Cookie:%20x=1",
  "/%252F%252Fevil.example",
  "/%25252F%25252Fevil.example",
  "/%E0%A4%A",
  "/.//evil.example",
  "/./\\evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  " /x",
  "evil.example",
  "",
  `/${"a".repeat(3000)}`,
];

describe("safeRedirectPath", () => {
  test.each(hostile)("refuses %j and falls back", (input) => {
    expect(safeRedirectPath(input, "/fallback")).toBe("/fallback");
  });

  test.each(hostile)("whatever it returns for %j resolves to this site", (input) => {
    const target = safeRedirectPath(input);
    expect(new URL(target, SITE).origin).toBe(SITE);
  });

  test("plain paths with queries and fragments are kept", () => {
    expect(safeRedirectPath("/q/12/how-to?tab=answers#a-3")).toBe("/q/12/how-to?tab=answers#a-3");
    expect(safeRedirectPath("/sessions/4")).toBe("/sessions/4");
    expect(safeRedirectPath("/search?q=vpn%20drops&kind=howto")).toBe("/search?q=vpn%20drops&kind=howto");
    expect(safeRedirectPath("/a/b//c")).toBe("/a/b//c");
  });

  test("non-ASCII paths come back percent-encoded, so they are safe in a Location header", () => {
    const target = safeRedirectPath("/tags/résumé");
    expect(target).toBe("/tags/r%C3%A9sum%C3%A9");
    expect(() => new Headers({ location: target })).not.toThrow();
  });

  test("values that are not text fall back", () => {
    expect(safeRedirectPath(null)).toBe("/");
    expect(safeRedirectPath(undefined, "/home")).toBe("/home");
    expect(safeRedirectPath(42)).toBe("/");
  });
});
