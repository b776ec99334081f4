import { markdownToText, renderMarkdown } from "./markdown.server";

describe("Markdown rendering at write time", () => {
  test("fenced code is highlighted on the server and scrollable by keyboard", () => {
    const html = renderMarkdown("```bash\nsystemctl restart cups # printers\n```");
    expect(html).toContain('<pre tabindex="0"><code class="hljs language-bash">');
    expect(html).toMatch(/<span class="hljs-[a-z]+">/);
  });

  test("PowerShell, the language of half of IT, is highlighted too (also as ps1)", () => {
    for (const lang of ["powershell", "ps1"]) {
      const html = renderMarkdown("```" + lang + "\nGet-Service -Name Spooler | Restart-Service\n```");
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

  test("images only by https", () => {
    expect(renderMarkdown("![a](http://example.com/a.png)")).not.toContain("src=");
    expect(renderMarkdown("![a](https://example.com/a.png)")).toContain('src="https://example.com/a.png"');
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
