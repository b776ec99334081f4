/** The one Markdown renderer: markdown-it without raw HTML, server-side highlighting, then an allow-list sanitizer. Runs at write time. */
import hljs from "highlight.js/lib/common";
import powershell from "highlight.js/lib/languages/powershell";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

// IT answers are full of PowerShell, which the "common" bundle leaves out.
hljs.registerLanguage("powershell", powershell);
hljs.registerAliases(["ps1", "pwsh"], { languageName: "powershell" });

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const md = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  breaks: false,
  highlight(code, lang) {
    const language = lang.trim().toLowerCase();
    if (language && hljs.getLanguage(language)) {
      return `<pre tabindex="0"><code class="hljs language-${escapeHtml(language)}">${hljs.highlight(code, { language, ignoreIllegals: true }).value}</code></pre>`;
    }
    return `<pre tabindex="0"><code class="hljs">${escapeHtml(code)}</code></pre>`;
  },
});
md.linkify.set({ fuzzyEmail: false });

// GitHub-style task lists: "- [ ] step" / "- [x] step" become disabled checkboxes.
md.core.ruler.after("inline", "task-lists", (state) => {
  for (const token of state.tokens) {
    if (token.type !== "inline" || !token.children?.length) continue;
    const first = token.children[0];
    if (!first || first.type !== "text") continue;
    const match = /^\[([ xX])\]\s/.exec(first.content);
    if (!match) continue;
    first.content = first.content.slice(match[0].length);
    const checkbox = new state.Token("html_inline", "", 0);
    checkbox.content = `<input type="checkbox" disabled${match[1] === " " ? "" : " checked"}> `;
    token.children.unshift(checkbox);
  }
});

const ALLOWED_CLASS = /^(hljs(-[a-z_]+)*|language-[a-z0-9+#-]+)$/;

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "span", "em", "strong", "s", "del",
    "a", "img", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "input", "sup", "sub", "kbd",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "title"],
    code: ["class"],
    // Wide code blocks scroll sideways; focusable so keyboard users can scroll them too.
    pre: ["tabindex"],
    span: ["class"],
    th: ["style"],
    td: ["style"],
    ol: ["start"],
    input: ["type", "disabled", "checked"],
  },
  allowedStyles: { th: { "text-align": [/^(left|right|center)$/] }, td: { "text-align": [/^(left|right|center)$/] } },
  allowedClasses: { code: [ALLOWED_CLASS], span: [ALLOWED_CLASS] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? "";
      const isExternal = /^https?:\/\//i.test(href);
      // "https:evil.example" is relative on an https page but external on http: not a link we want either way.
      const base: sanitizeHtml.Attributes = { ...attribs };
      if (/^https?:/i.test(href) && !isExternal) delete base.href;
      return {
        tagName,
        attribs: isExternal ? { ...base, rel: "nofollow ugc noopener", target: "_blank" } : { ...base, rel: "nofollow ugc" },
      };
    },
    // Images load only from absolute https URLs: relative paths would point at our own routes, http leaks readers.
    img: (tagName, attribs) => {
      const safe: sanitizeHtml.Attributes = { ...attribs, loading: "lazy", referrerpolicy: "no-referrer" };
      if (!/^https:\/\/[^/\\]/i.test(attribs.src ?? "")) delete safe.src;
      return { tagName, attribs: safe };
    },
  },
};
sanitizeOptions.allowedAttributes = { ...sanitizeOptions.allowedAttributes, img: ["src", "alt", "title", "loading", "referrerpolicy"] };

/** Markdown source to safe HTML, ready to store beside the source. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), sanitizeOptions);
}

/** Plain text of Markdown for excerpts and meta descriptions. */
export function markdownToText(source: string, maxLength = 200): string {
  const text = sanitizeHtml(md.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
