/** Every payload in the XSS corpus, rendered and read back with a real HTML parser, must contain nothing that can run or leak. */
import { DomUtils, parseDocument } from "htmlparser2";
import { XSS_PAYLOADS } from "../../tests/fixtures/xss-payloads";
import { ALLOWED_TAGS, renderMarkdown } from "./markdown.server";

// Links are resolved as a browser would on both an https and a plain-http (development) page.
const SITES = [new URL("https://peerdesk.example/q/1/question"), new URL("http://peerdesk.example/q/1/question")];

const FORBIDDEN_ELEMENTS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "style",
  "link",
  "svg",
  "math",
  "form",
  "button",
  "select",
  "textarea",
  "meta",
  "base",
  "template",
  "noscript",
  "video",
  "audio",
  "source",
  "portal",
  "details",
  "div",
]);
// What the renderer may emit at all; anything else means the allow-list leaked.
const ALLOWED_ELEMENTS = new Set(ALLOWED_TAGS);
const URL_ATTRIBUTES = [
  "src",
  "srcset",
  "action",
  "formaction",
  "data",
  "xlink:href",
  "background",
  "poster",
  "srcdoc",
  "lowsrc",
  "dynsrc",
  "ping",
];
const SAFE_LINK_PROTOCOLS = new Set(["http:", "https:", "ftp:", "mailto:"]);

/** Everything wrong with one rendered document, as readable sentences (empty when it is safe). */
function problemsIn(html: string): string[] {
  const problems: string[] = [];
  const document = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  for (const el of DomUtils.findAll(() => true, document.children)) {
    const tag = el.name;
    if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`forbidden element <${tag}>`);
    else if (!ALLOWED_ELEMENTS.has(tag)) problems.push(`unexpected element <${tag}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (name.startsWith("on")) problems.push(`event handler ${name} on <${tag}>`);
      if (
        name === "style" &&
        !((tag === "th" || tag === "td") && /^text-align:\s*(left|right|center);?$/.test(value))
      ) {
        problems.push(`style="${value}" on <${tag}>`);
      }
      if (URL_ATTRIBUTES.includes(name) && !(tag === "img" && name === "src"))
        problems.push(`URL attribute ${name} on <${tag}>`);
    }
    if (tag === "a" && el.attribs.href !== undefined) {
      const href = el.attribs.href;
      for (const site of SITES) {
        let resolved: URL | null = null;
        try {
          resolved = new URL(href, site);
        } catch {
          problems.push(`unparseable href ${JSON.stringify(href)}`);
        }
        if (!resolved) continue;
        if (!SAFE_LINK_PROTOCOLS.has(resolved.protocol))
          problems.push(`href with ${resolved.protocol} ${JSON.stringify(href)}`);
        const isExternal = resolved.protocol !== "mailto:" && resolved.host !== site.host;
        if (isExternal && el.attribs.rel !== "nofollow ugc noopener")
          problems.push(`external link ${JSON.stringify(href)} has rel=${JSON.stringify(el.attribs.rel)}`);
        if (isExternal && !/^(https?|ftp):\/\//i.test(href))
          problems.push(`external link written as a relative URL ${JSON.stringify(href)}`);
      }
    }
    if (tag === "a" && el.attribs.target !== undefined && el.attribs.target !== "_blank")
      problems.push(`target=${el.attribs.target}`);
    if (tag === "img" && el.attribs.src !== undefined) {
      const src = el.attribs.src;
      if (!/^https:\/\//i.test(src) || new URL(src).protocol !== "https:")
        problems.push(`image not by https: ${JSON.stringify(src)}`);
    }
    if (tag === "input" && (el.attribs.type !== "checkbox" || el.attribs.disabled === undefined))
      problems.push(`live <input> ${JSON.stringify(el.attribs)}`);
    if (tag === "code" || tag === "span") {
      for (const cls of (el.attribs.class ?? "").split(/\s+/).filter(Boolean)) {
        if (!/^(hljs(-[a-z_]+)*|language-[a-z0-9+#-]+)$/.test(cls)) problems.push(`class ${cls} on <${tag}>`);
      }
    }
  }
  return problems;
}

describe("XSS corpus", () => {
  test("has at least 110 distinct payloads", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(110);
    expect(new Set(XSS_PAYLOADS).size).toBe(XSS_PAYLOADS.length);
  });

  test.each(XSS_PAYLOADS.map((payload, i) => [i, payload] as const))(
    "payload %i renders harmless: %j",
    (_i, payload) => {
      const html = renderMarkdown(payload);
      expect({ payload, html, problems: problemsIn(html) }).toEqual({ payload, html, problems: [] });
    },
  );

  test("the checker itself notices dangerous HTML", () => {
    expect(problemsIn('<a href="java&#x09;script:alert(1)">x</a>')).toContain(
      'href with javascript: "java\\tscript:alert(1)"',
    );
    expect(problemsIn('<img src="/a.png"><p onclick="x" style="color:red">y</p><svg></svg>')).toHaveLength(4);
    expect(problemsIn('<a href="//evil.example" rel="nofollow ugc">x</a>').length).toBeGreaterThan(0);
  });

  test("safe content still renders as the good parts of Markdown", () => {
    const html = renderMarkdown(
      "[docs](https://example.com) [local](/q/2) ![logo](https://example.com/a.png)\n\n| a |\n|:-:|\n| 1 |",
    );
    expect(problemsIn(html)).toEqual([]);
    expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener" target="_blank">docs</a>');
    expect(html).toContain('<a href="/q/2" rel="nofollow ugc">local</a>');
    expect(html).toContain('src="https://example.com/a.png"');
    expect(html).toContain('<th style="text-align:center">a</th>');
  });
});
