import { contentColumns } from "~/models/howto-validation.server";
import {
  HEADING_LEVEL,
  HIGHLIGHT_LIMITS,
  NO_PICTURES,
  TAKEN_DOWN_PICTURE_NOTE,
  UNDESCRIBED_IMAGE,
  markdownToText,
  renderMarkdown,
  settlePictures,
} from "./markdown.server";

describe("Markdown rendering at write time", () => {
  test("fenced code is highlighted on the server and scrollable by keyboard", () => {
    const html = renderMarkdown("```bash\nsystemctl restart cups # printers\n```");
    expect(html).toContain('<pre tabindex="0"><code class="hljs language-bash">');
    expect(html).toMatch(/<span class="hljs-[a-z]+">/);
  });

  test("a wide table scrolls sideways on a phone, so it can be scrolled by keyboard too", () => {
    const html = renderMarkdown("| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 |");
    expect(html.startsWith('<table tabindex="0">')).toBe(true);
    // Only tables the renderer makes are focusable: one written as raw HTML stays text.
    expect(renderMarkdown('<table tabindex="5"><tr><td>x</td></tr></table>')).not.toContain("<table");
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

  test("a link whose text is another site's address shows the address it opens; words and same-site text stay", () => {
    const shown = (source: string) => [...renderMarkdown(source).matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(shown("[https://learn.microsoft.com/vpn](https://phish.example/login)")).toEqual([
      "https://phish.example/login",
    ]);
    expect(shown("[`www.contoso.com`](https://evil.example) and [contoso.com/sign-in](http://10.0.0.9/x)")).toEqual([
      "https://evil.example",
      "http://10.0.0.9/x",
    ]);
    expect(
      shown(
        "[the VPN guide](https://phish.example) [Node.js](https://nodejs.org) [web.config](https://example.org/a) " +
          "[learn.microsoft.com/vpn](https://learn.microsoft.com/en-us/vpn) [www.contoso.com](https://contoso.com/x)",
      ),
    ).toEqual(["the VPN guide", "Node.js", "web.config", "learn.microsoft.com/vpn", "www.contoso.com"]);
  });

  test("a link's shown address never passes for another domain: a host that isn't plain ASCII is shown as punycode", () => {
    const shown = (source: string) => /<a [^>]*>([^<]*)<\/a>/.exec(renderMarkdown(source))?.[1];
    const lookAlike = "https://g\u043e\u043egle.com"; // Cyrillic о's
    for (const source of [
      "<https://xn--ggle-55da.com>",
      `<${lookAlike}>`,
      "see https://xn--ggle-55da.com",
      `see ${lookAlike}`,
    ]) {
      const html = renderMarkdown(source);
      expect(html, source).toContain('href="https://xn--ggle-55da.com"');
      expect(shown(source), source).toMatch(/^(https:\/\/)?xn--ggle-55da\.com$/);
      expect(html, source).not.toContain("\u043e");
    }
    // Only the host: a path in another script, a port and a sign-in part stay as written.
    expect(shown("<https://user@xn--ggle-55da.com:8443/%D1%81%D0%B5%D1%82%D1%8C?q=1>")).toBe(
      "https://user@xn--ggle-55da.com:8443/\u0441\u0435\u0442\u044c?q=1",
    );
    expect(shown("<mailto:help@g\u043e\u043egle.com>")).toBe("mailto:help@xn--ggle-55da.com");
    expect(shown("<https://example.com/a%20b>")).toBe("https://example.com/a b");
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
    expect(html).toContain('<table tabindex="0">');
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).toContain('<input type="checkbox" disabled />');
  });

  test("headings start at the level where the text is shown, keep their order and skip no level", () => {
    const headings = (html: string) =>
      [...html.matchAll(/<(h[1-6])>([^<]*)<\/(h[1-6])>/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    // A question's body sits under the page's h1: its "#" is an h2, its "##" an h3.
    expect(headings(renderMarkdown("# Setup\n\ntext\n\n## Step one\n\n# Result"))).toEqual([
      "h2 Setup h2",
      "h3 Step one h3",
      "h2 Result h2",
    ]);
    // An answer's sits under "N answers" (h2), a step's under "Step N" (h3).
    expect(headings(renderMarkdown("## Why\n\n### Detail", HEADING_LEVEL.answer))).toEqual([
      "h3 Why h3",
      "h4 Detail h4",
    ]);
    expect(headings(renderMarkdown("# Check", HEADING_LEVEL.step))).toEqual(["h4 Check h4"]);
    // Levels the writer skipped close up; a text that opens deeper than it goes on still starts at the top level.
    expect(headings(renderMarkdown("# A\n\n#### B\n\n###### C"))).toEqual(["h2 A h2", "h3 B h3", "h4 C h4"]);
    expect(headings(renderMarkdown("### Usage\n\n## Keys\n\n## More"))).toEqual([
      "h2 Usage h2",
      "h2 Keys h2",
      "h2 More h2",
    ]);
    // Never deeper than h6, and inside quotes and lists too.
    expect(headings(renderMarkdown("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6", HEADING_LEVEL.step))).toEqual([
      "h4 1 h4",
      "h5 2 h5",
      "h6 3 h6",
      "h6 4 h6",
      "h6 5 h6",
      "h6 6 h6",
    ]);
    expect(renderMarkdown("> # Quoted", HEADING_LEVEL.answer)).toBe("<blockquote>\n<h3>Quoted</h3>\n</blockquote>\n");
    expect(renderMarkdown("Setext title\n===", HEADING_LEVEL.answer)).toBe("<h3>Setext title</h3>\n");
  });

  test("a picture stored for posts is the one site address an image may use", () => {
    expect(renderMarkdown("![Error dialog](/images/0123456789abcdef0123.webp)")).toBe(
      '<p><img src="/images/0123456789abcdef0123.webp" alt="Error dialog" loading="lazy" referrerpolicy="no-referrer" /></p>\n',
    );
    for (const src of [
      "/images/../admin.webp",
      "/images/0123456789abcdef0123.webp?x=1",
      "/api/images",
      "/avatars/u/0123456789abcdef0123/64.webp",
      "//evil.example/a.png",
      "data:image/png;base64,AAAA",
    ]) {
      const html = renderMarkdown(`![A chart](${src})`);
      expect(html, src).not.toContain("src=");
      // Named in words, not drawn as a broken picture.
      expect(html, src).not.toContain("<img");
      expect(html, src).toContain("<span>A chart (image)</span>");
    }
    expect(renderMarkdown("![](/api/images)")).toBe("<p><span>Image</span></p>\n");
  });

  test("a stored picture is settled with its size, so its place is kept before it loads; a taken-down one is the note", () => {
    const kept = "0123456789abcdef0123";
    const gone = "fedcba9876543210fedc";
    const html = renderMarkdown(
      `![Dialog](/images/${kept}.webp) [![Zoom](/images/${kept}.webp)](/images/${kept}.webp) ![Old](/images/${gone}.webp) ![Elsewhere](https://i.example/a.png) ![Unknown](/images/aaaaaaaaaaaaaaaaaaaa.webp)`,
    );
    const settled = settlePictures(html, {
      takenDown: new Set([gone]),
      sizes: new Map([[kept, { width: 1600, height: 900 }]]),
    });
    expect(settled).toContain(
      `<img src="/images/${kept}.webp" width="1600" height="900" alt="Dialog" loading="lazy" referrerpolicy="no-referrer" />`,
    );
    expect(settled).toContain(
      `<a href="/images/${kept}.webp" rel="nofollow ugc"><img src="/images/${kept}.webp" width="1600" height="900" alt="Zoom"`,
    );
    expect(settled).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    // Another site's picture, and one whose size nobody knows, are left as they were; settling twice changes nothing.
    expect(settled).toContain('<img src="https://i.example/a.png" alt="Elsewhere"');
    expect(settled).toContain('<img src="/images/aaaaaaaaaaaaaaaaaaaa.webp" alt="Unknown"');
    expect(settlePictures(settled, { takenDown: new Set(), sizes: new Map([[kept, { width: 1, height: 1 }]]) })).toBe(
      settled,
    );
    expect(settlePictures(html, NO_PICTURES)).toBe(html);
  });

  test("an undescribed image that is all of its link gets a description, so the link has a name", () => {
    const alts = (html: string) => [...html.matchAll(/alt="([^"]*)"/g)].map((m) => m[1]);
    // Stack Exchange's "click to enlarge": the image links to itself.
    expect(alts(renderMarkdown("[![](https://i.example/a.png)](https://i.example/a.png)"))).toEqual([
      UNDESCRIBED_IMAGE,
    ]);
    expect(
      alts(renderMarkdown("[![](https://i.example/a.png)\n![](https://i.example/b.png)](https://i.example/)")),
    ).toEqual([UNDESCRIBED_IMAGE, UNDESCRIBED_IMAGE]);
    // The writer's description, a link named by its text and an image outside a link stay as written.
    expect(alts(renderMarkdown("[![Sharing menu](https://i.example/a.png)](https://i.example/a.png)"))).toEqual([
      "Sharing menu",
    ]);
    expect(alts(renderMarkdown("[![](https://i.example/a.png) Download](https://i.example/)"))).toEqual([""]);
    expect(alts(renderMarkdown("![](https://i.example/a.png)"))).toEqual([""]);
  });

  test("plain-text excerpts strip markup and are cut with an ellipsis", () => {
    expect(markdownToText("**Bold** and `code` & <tags>", 100)).toBe("Bold and code & <tags>");
    const cut = markdownToText("one two three four five", 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut.endsWith("…")).toBe(true);
  });

  test("an excerpt is cut between whole characters, never in the middle of an emoji", () => {
    const lead = "x".repeat(158);
    // A skin-toned thumbs-up is two UTF-16 pairs: a cut by code units left half of the first one ("xxx\ud83d…").
    expect(markdownToText(`${lead}👍🏽 and more after it`, 160)).toBe(`${lead}👍🏽…`);
    // A family is three emoji joined by zero-width joiners: one character, kept whole.
    expect(markdownToText(`${lead}👩‍👩‍👧 and more after it`, 160)).toBe(`${lead}👩‍👩‍👧…`);
    // The limit counts characters a person sees, so a short text full of emoji is not cut at all.
    expect(markdownToText("Thanks 👍🏽👍🏽👍🏽", 10)).toBe("Thanks 👍🏽👍🏽👍🏽");
    expect(markdownToText(`${lead}👍🏽 and more after it`, 160)).not.toMatch(/\p{Cs}/u);
  });

  describe("code colours have a bounded cost", () => {
    const fence = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\``;
    const coloured = (html: string) =>
      (html.match(/<pre[^>]*><code class="hljs[^"]*">[\s\S]*?<\/code><\/pre>/g) ?? []).map((block) =>
        block.includes('<span class="hljs-'),
      );
    // Every line holds a keyword and a string, so a coloured block always has spans.
    const javaOf = (characters: number) =>
      'String s = "x";\n'
        .repeat(Math.ceil(characters / 16))
        .slice(0, characters)
        .trimEnd();

    test('a block longer than the limit is shown plain, and one of 30,000 "$" as Java (9–20 s to colour) is too', () => {
      const html = renderMarkdown(
        [
          fence("java", javaOf(HIGHLIGHT_LIMITS.perBlock - 20)),
          fence("java", javaOf(HIGHLIGHT_LIMITS.perBlock + 20)),
        ].join("\n\n"),
      );
      expect(coloured(html)).toEqual([true, false]);
      const stall = renderMarkdown(fence("java", "$".repeat(29_980)));
      expect(coloured(stall)).toEqual([false]);
      // Plain is still the code, whole and escaped, in the scrollable block.
      expect(stall).toContain(`<pre tabindex="0"><code class="hljs">${"$".repeat(29_980)}\n</code></pre>`);
    });

    test("a post colours code up to its allowance, in reading order; a how-to's steps share one", () => {
      const block = fence("java", javaOf(1_900));
      const fits = Math.floor(HIGHLIGHT_LIMITS.perPost / 1_900);
      expect(
        coloured(
          renderMarkdown(
            Array(fits + 1)
              .fill(block)
              .join("\n\n"),
          ),
        ),
      ).toEqual([...Array(fits).fill(true), false]);
      // Each render has its own allowance: the next post is coloured again.
      expect(coloured(renderMarkdown(block))).toEqual([true]);
      const howto = contentColumns(
        { title: "Set up the build server", bodyMd: block, tags: [], steps: Array(fits).fill(block) },
        NO_PICTURES,
      );
      expect([coloured(howto.bodyHtml), ...howto.steps.map((step) => coloured(step.bodyHtml))].flat()).toEqual([
        ...Array(fits).fill(true),
        false,
      ]);
    });
  });
});
