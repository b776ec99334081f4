import { markdownToText, renderMarkdown } from "./markdown.server";

describe("Markdown rendering at write time", () => {
  test("fenced code is highlighted on the server and scrollable by keyboard", () => {
    const html = renderMarkdown("```bash\nsystemctl restart cups # printers\n```");
    expect(html).toContain('<pre tabindex="0"><code class="hljs language-bash">');
    expect(html).toMatch(/<span class="hljs-[a-z]+">/);
  });

  test("PowerShell, the language of half of IT, is highlighted too (also as ps1)", () => {
    for (const lang of ["powershell", "ps1"]) {
      const html = renderMarkdown(`\`\`\`${lang}\nGet-Service -Name Spooler | Restart-Service\n\`\`\``);
      expect(html).toMatch(/<span class="hljs-built_in">Get-Service<\/span>/);
    }
  });

  test("raw HTML is shown as text, not run", () => {
    const html = renderMarkdown("<script>alert(1)</script> <img src=x onerror=alert(1)>");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  test("javascript: links are not links; external links get rel=nofollow ugc noopener", () => {
    expect(renderMarkdown("[x](javascript:alert(1))")).not.toContain("href");
    const html = renderMarkdown("see https://example.com/path");
    expect(html).toContain('href="https://example.com/path"');
    expect(html).toContain('rel="nofollow ugc noopener"');
  });

  test("images only by https; an http image becomes a link to it instead of vanishing", () => {
    expect(renderMarkdown("![a](https://example.com/a.png)")).toContain('src="https://example.com/a.png"');
    expect(renderMarkdown("![Printer menu](http://example.com/a.png)")).toBe(
      '<p><a href="http://example.com/a.png" rel="nofollow ugc noopener" target="_blank">Printer menu (image)</a></p>\n',
    );
    expect(renderMarkdown("![](HTTP://example.com/a.png)")).toContain(">Image: HTTP://example.com/a.png</a>");
    expect(renderMarkdown("![a][img]\n\n[img]: http://example.com/a.png")).toContain(
      '<a href="http://example.com/a.png"',
    );
    // Inside a link there can be no second link: the image's text stays, the outer link keeps its address.
    expect(renderMarkdown("[![a](http://example.com/a.png)](https://example.com)")).toBe(
      '<p><a href="https://example.com" rel="nofollow ugc noopener" target="_blank">a (image)</a></p>\n',
    );
    expect(renderMarkdown('![a <b> "q"](http://example.com/a.png)')).toContain('>a &lt;b&gt; "q" (image)</a>');
    expect(renderMarkdown("![x](http://javascript:alert(1))")).toBe("<p>x (image)</p>\n");
  });

  test("<kbd>, <sup> and <sub> written in a post show as such, with Markdown inside", () => {
    expect(renderMarkdown("Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>")).toBe(
      "<p>Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd></p>\n",
    );
    expect(renderMarkdown("2<sup>10</sup> bytes, H<sub>2</sub>O, <KBD>**Win**</KBD>")).toBe(
      "<p>2<sup>10</sup> bytes, H<sub>2</sub>O, <kbd><strong>Win</strong></kbd></p>\n",
    );
    expect(renderMarkdown("<kbd><kbd>Ctrl</kbd>+<kbd>C</kbd></kbd>")).toBe(
      "<p><kbd><kbd>Ctrl</kbd>+<kbd>C</kbd></kbd></p>\n",
    );
  });

  test("anything else about those tags stays visible text: attributes, unclosed or stray tags, code, other paragraphs", () => {
    expect(renderMarkdown('<kbd class="x" onclick="alert(1)">Ctrl</kbd>')).toBe(
      '<p>&lt;kbd class="x" onclick="alert(1)"&gt;Ctrl&lt;/kbd&gt;</p>\n',
    );
    expect(renderMarkdown("<kbd>Ctrl and more")).toBe("<p>&lt;kbd&gt;Ctrl and more</p>\n");
    expect(renderMarkdown("Ctrl</kbd> <sup>1</sub>")).toBe("<p>Ctrl&lt;/kbd&gt; &lt;sup&gt;1&lt;/sub&gt;</p>\n");
    expect(renderMarkdown("`<kbd>Ctrl</kbd>` and \\<kbd>x</kbd>")).toBe(
      "<p><code>&lt;kbd&gt;Ctrl&lt;/kbd&gt;</code> and &lt;kbd&gt;x&lt;/kbd&gt;</p>\n",
    );
    expect(renderMarkdown("<kbd>Ctrl\n\nAlt</kbd>")).toBe("<p>&lt;kbd&gt;Ctrl</p>\n<p>Alt&lt;/kbd&gt;</p>\n");
    expect(renderMarkdown("<kbd><script>alert(1)</script></kbd>")).toBe(
      "<p><kbd>&lt;script&gt;alert(1)&lt;/script&gt;</kbd></p>\n",
    );
  });

  test("links keep safe addresses: ftp and mailto as well as the web", () => {
    expect(renderMarkdown("[ISO](ftp://ftp.example.com/pub/x.iso)")).toBe(
      '<p><a href="ftp://ftp.example.com/pub/x.iso" rel="nofollow ugc noopener" target="_blank">ISO</a></p>\n',
    );
    expect(renderMarkdown("get ftp://ftp.example.com/pub/")).toContain('href="ftp://ftp.example.com/pub/"');
    expect(renderMarkdown("[mail us](mailto:help@example.com)")).toContain('href="mailto:help@example.com"');
    expect(renderMarkdown("[x](ftp:javascript:alert(1))")).not.toContain("href");
  });

  test("tables and task lists render", () => {
    const html = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo");
    expect(html).toContain("<table>");
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).toContain('<input type="checkbox" disabled />');
  });

  test("plain-text excerpts strip markup and are cut with an ellipsis", () => {
    expect(markdownToText("**Bold** and `code` & <tags>", 100)).toBe("Bold and code & <tags>");
    const cut = markdownToText("one two three four five", 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut.endsWith("…")).toBe(true);
  });
});
