import { parseDocument, DomUtils } from "htmlparser2";
import { buildGlossaryMatcher, findTermsIn, isCaseSensitiveForm } from "./glossary-match";
import { escapeHtml, markGlossaryTerms } from "./glossary-html.server";
import { renderMarkdown } from "./markdown.server";

const ENTRIES = [
  {
    slug: "vpn",
    term: "VPN",
    expansion: "virtual private network",
    explanation: "A secure tunnel to the office.",
    synonyms: [],
  },
  {
    slug: "mfa",
    term: "MFA",
    expansion: "multi-factor authentication",
    explanation: "A second proof that it's you.",
    synonyms: ["2FA", "two-step verification"],
  },
  { slug: "teams", term: "Teams", expansion: "Microsoft Teams", explanation: "Chat & calls.", synonyms: [] },
  { slug: "ip-address", term: "IP address", expansion: "", explanation: "A device's address.", synonyms: ["IP"] },
  { slug: "backup", term: "backup", expansion: "", explanation: "A copy kept elsewhere.", synonyms: [] },
  { slug: "att", term: "AT&T", expansion: "", explanation: "A phone company.", synonyms: [] },
];
const html = buildGlossaryMatcher(ENTRIES, escapeHtml);
const text = buildGlossaryMatcher(ENTRIES);
const mark = (markdown: string) => markGlossaryTerms(renderMarkdown(markdown), html, "g7");

describe("recognising terms", () => {
  test("lowercase words and long acronyms in any case; mixed-case names and short acronyms only as written", () => {
    expect(isCaseSensitiveForm("backup")).toBe(false);
    expect(isCaseSensitiveForm("VPN")).toBe(false);
    expect(isCaseSensitiveForm("2FA")).toBe(true);
    expect(isCaseSensitiveForm("IP")).toBe(true);
    expect(isCaseSensitiveForm("Teams")).toBe(true);
    const found = (input: string) => findTermsIn(text, input).map((entry) => entry.term);
    expect(found("our teams use the Vpn and take Backups")).toEqual(["VPN", "backup"]);
    expect(found("Open Teams, check the IP and the ip address")).toEqual(["Teams", "IP address"]);
    expect(found("VPNs, 2fa and 2FA")).toEqual(["VPN", "MFA"]);
    expect(found("two-step  verification")).toEqual(["MFA"]);
    expect(found("OpenVPN and backupexec and MFAs")).toEqual(["MFA"]);
  });
});

describe("explaining terms in a post", () => {
  test("the first use of each term becomes a button that opens its explanation, later uses stay text", () => {
    const out = mark("The VPN drops. Is the VPN on? Set up 2FA first.");
    expect(out).toContain(
      '<button type="button" class="glossary-term" popovertarget="g7-vpn">VPN</button><span id="g7-vpn" popover class="glossary-note">',
    );
    expect(out).toContain(
      "<strong><bdi>VPN</bdi></strong> (<bdi>virtual private network</bdi>): <bdi>A secure tunnel to the office.</bdi>",
    );
    expect(out).toContain('<a href="/glossary#vpn">More in the glossary</a>');
    expect(out).toContain('popovertarget="g7-mfa">2FA</button>');
    expect(out.match(/class="glossary-term"/g)).toHaveLength(2);
    expect(out).toContain("Is the VPN on?");
  });

  test("the explanation is escaped, and terms written with & are found in escaped HTML", () => {
    const out = mark("Teams and AT&T");
    expect(out).toContain("Chat &amp; calls.");
    expect(out).toContain('popovertarget="g7-att">AT&amp;T</button>');
  });

  test("nothing is marked inside code, links, keys or headings; the text after them still is", () => {
    const out = mark(
      "# VPN help\n\nRun `vpn connect`, see [the VPN page](https://example.com), press <kbd>VPN</kbd>.\n\n```\nvpn up\n```\n\nThen the VPN works.",
    );
    const document = parseDocument(out);
    const buttons = DomUtils.findAll(
      (el) => el.name === "button" && el.attribs.class === "glossary-term",
      document.children,
    );
    expect(buttons).toHaveLength(1);
    expect(DomUtils.textContent(buttons[0] ?? [])).toBe("VPN");
    expect(out).toContain("<h2>VPN help</h2>");
    expect(out).toContain("Then the <button");
  });

  test("entities and words that merely contain a term are left alone; the result is still well formed", () => {
    const out = markGlossaryTerms("<p>A&nbsp;b &#98;ackup &quot;backup&quot; rebackup</p>", html, "g7");
    expect(out).toContain("A&nbsp;b &#98;ackup");
    expect(out.match(/class="glossary-term"/g)).toHaveLength(1);
    expect(out).toContain("&quot;<button");
  });

  test("terms explained in one part of a post are not explained again in the next", () => {
    const seen = new Set<number>();
    const first = markGlossaryTerms("<p>VPN</p>", html, "g8", seen);
    const second = markGlossaryTerms("<p>VPN and MFA</p>", html, "g8", seen);
    expect(first).toContain("glossary-term");
    expect(second).not.toContain('popovertarget="g8-vpn"');
    expect(second).toContain('popovertarget="g8-mfa"');
  });

  test("an empty glossary leaves the HTML exactly as it was", () => {
    const empty = buildGlossaryMatcher([], escapeHtml);
    expect(markGlossaryTerms("<p>VPN</p>", empty, "g9")).toBe("<p>VPN</p>");
  });
});
