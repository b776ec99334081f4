/**
 * The one Markdown renderer: markdown-it without raw HTML (except balanced <kbd>, <sup> and <sub> with no attributes),
 * server-side highlighting, then an allow-list sanitizer. Runs at write time.
 */
import { domainToASCII } from "node:url";
import hljs from "highlight.js/lib/common";
import powershell from "highlight.js/lib/languages/powershell";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";
import { firstGraphemes } from "./graphemes";
import { HEADING_LEVEL } from "./heading-levels";
import { POST_IMAGE_PATH } from "./post-images";

// IT answers are full of PowerShell, which the "common" bundle leaves out.
hljs.registerLanguage("powershell", powershell);
hljs.registerAliases(["ps1", "pwsh"], { languageName: "powershell" });

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * How much code one post may have coloured. highlight.js runs on the main thread, and on some inputs its time grows
 * with the square of a block's length (30,000 "$" as Java took 9–20 s, the whole server stalled meanwhile; 2,000 of
 * them about 0.1 s). A longer block, and the blocks past a post's allowance, are shown plain: the same monospaced,
 * scrollable text without colours. The rule depends on the text alone, so a post renders the same whenever it is.
 */
export const HIGHLIGHT_LIMITS = { perBlock: 2_000, perPost: 6_000 } as const;

/** What is left of a post's allowance of coloured code (one for a whole how-to: its steps share it). */
export type HighlightAllowance = { characters: number };

export function highlightAllowance(): HighlightAllowance {
  return { characters: HIGHLIGHT_LIMITS.perPost };
}

/** The allowance of the render in progress (md.render is synchronous; markdown-it hands `highlight` no env). */
let allowance: HighlightAllowance = { characters: 0 };

function mayHighlight(code: string): boolean {
  if (code.length > HIGHLIGHT_LIMITS.perBlock || code.length > allowance.characters) return false;
  allowance.characters -= code.length;
  return true;
}

const md = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  breaks: false,
  highlight(code, lang) {
    const language = lang.trim().toLowerCase();
    if (language && hljs.getLanguage(language) && mayHighlight(code)) {
      const highlighted = hljs.highlight(code, { language, ignoreIllegals: true }).value;
      return `<pre tabindex="0"><code class="hljs language-${escapeHtml(language)}">${highlighted}</code></pre>`;
    }
    return `<pre tabindex="0"><code class="hljs">${escapeHtml(code)}</code></pre>`;
  },
});
md.linkify.set({ fuzzyEmail: false });

// markdown-it shows a link's host in Unicode (xn--ggle-55da.com as "gооgle.com", with Cyrillic o's), which lets a
// look-alike pass for a trusted domain. A host that isn't plain ASCII is shown in its ASCII (punycode) form, as the
// address the link really goes to; the rest of the text stays readable (percent-escapes decoded).
const readableLinkText = md.normalizeLinkText.bind(md);
md.normalizeLinkText = (url) =>
  readableLinkText(url).replace(
    /^([a-z][a-z0-9+.-]*:(?:\/\/)?(?:[^@/?#]*@)?)([^/?#:@]+)/i,
    (whole: string, head: string, host: string) =>
      /^[\x21-\x7e]*$/.test(host) ? whole : `${head}${domainToASCII(host) || encodeURIComponent(host)}`,
  );

// Wide tables scroll sideways on a phone (the stylesheet makes them blocks): focusable, as <pre> is, so keyboard
// users can scroll them too.
md.renderer.rules.table_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrSet("tabindex", "0");
  return self.renderToken(tokens, idx, options);
};

export { HEADING_LEVEL };

type RenderEnv = { headingLevel?: number };

md.core.ruler.push("nest-headings", (state) => {
  const top = Math.min(Math.max((state.env as RenderEnv | undefined)?.headingLevel ?? HEADING_LEVEL.question, 1), 6);
  const opens = state.tokens.filter((token) => token.type === "heading_open");
  if (opens.length === 0) return;
  const used = [...new Set(opens.map((token) => Number(token.tag.slice(1))))].sort((a, b) => a - b);
  let previous = top - 1;
  let open: (typeof state.tokens)[number] | null = null;
  for (const token of state.tokens) {
    if (token.type === "heading_open") {
      const level = Math.min(top + used.indexOf(Number(token.tag.slice(1))), previous + 1, 6);
      previous = level;
      token.tag = `h${level}`;
      open = token;
    } else if (token.type === "heading_close" && open) {
      token.tag = open.tag;
      open = null;
    }
  }
});

/**
 * The host a link's text claims to go to: text with a scheme ("https://learn.microsoft.com/vpn") or "www.", or a bare
 * lower-case domain under a common generic ending ("contoso.com/login"). Names that merely contain dots ("Node.js",
 * "web.config", "System.Net.Http", "v1.2") claim nothing.
 */
export function hostShownBy(text: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s/?#@]*@)?([^\s/?#:@]+)(?::\d+)?(?:[/?#]\S*)?$/i;
  const www = /^(www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:[/?#]\S*)?$/i;
  const bare = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|gov|edu|info|biz|app|dev|cloud|ai))(?:[/?#]\S*)?$/;
  const trimmed = text.trim();
  const match = withScheme.exec(trimmed) ?? www.exec(trimmed) ?? bare.exec(trimmed);
  return match?.[1]?.toLowerCase() ?? null;
}

const sameSite = (a: string, b: string) => a.replace(/^www\./, "") === b.toLowerCase().replace(/^www\./, "");

// A link whose words are an address ("[https://learn.microsoft.com](https://phish.example/login)") shows where it
// really goes instead: its text becomes the address it opens, so a reader who checks the shown address isn't misled.
// Links with words ("[the VPN guide](…)") and links whose shown address is the same site keep their text. A link that
// shows its own address is marked `data-bare`, so a printed page doesn't print the address again after it.
md.core.ruler.after("inline", "honest-link-text", (state) => {
  for (const token of state.tokens) {
    const children = token.type === "inline" ? token.children : null;
    if (!children) continue;
    for (let open = 0; open < children.length; open++) {
      const link = children[open];
      if (link?.type !== "link_open") continue;
      const close = children.findIndex((child, at) => at > open && child.type === "link_close");
      const inside = children.slice(open + 1, close);
      if (close < 0 || !inside.every((child) => child.type === "text" || child.type === "code_inline")) continue;
      const href = String(link.attrGet("href") ?? "");
      const text = inside.map((child) => child.content).join("");
      const shown = hostShownBy(text);
      if (shown && /^https?:\/\//i.test(href) && URL.canParse(href) && !sameSite(shown, new URL(href).hostname)) {
        const address = new state.Token("text", "", 0);
        address.content = md.normalizeLinkText(href);
        children.splice(open + 1, inside.length, address);
        link.attrSet("data-bare", "");
      } else if (text === href || text === md.normalizeLinkText(href)) link.attrSet("data-bare", "");
    }
  }
});

// GitHub-style task lists: "- [ ] step" / "- [x] step" become disabled checkboxes.
md.core.ruler.after("inline", "task-lists", (state) => {
  for (const token of state.tokens) {
    if (token.type !== "inline" || !token.children?.length) continue;
    const first = token.children[0];
    if (first?.type !== "text") continue;
    const match = /^\[([ xX])\]\s/.exec(first.content);
    if (!match) continue;
    first.content = first.content.slice(match[0].length);
    const checkbox = new state.Token("html_inline", "", 0);
    checkbox.content = `<input type="checkbox" disabled${match[1] === " " ? "" : " checked"}> `;
    token.children.unshift(checkbox);
  }
});

/**
 * The only raw HTML posts may use: <kbd>Ctrl</kbd>, x<sup>2</sup>, H<sub>2</sub>O, written exactly so (no attributes,
 * any letter case) and closed in the same paragraph; their content is Markdown again. Anything else, an unclosed tag
 * included, stays visible text, as all other HTML does.
 */
const INLINE_TAG = /<(\/?)(kbd|sup|sub)>/gi;

/**
 * Where each tag opened in `src` is closed: open position → position of its "</tag>", nesting counted per tag name.
 * Found in one pass per paragraph (and kept for it), so a post full of unclosed tags costs no more than a normal one.
 */
const closingTags = new WeakMap<object, { src: string; pairs: Map<number, number> }>();

function closingTagsOf(state: { src: string }): Map<number, number> {
  const cached = closingTags.get(state);
  if (cached && cached.src === state.src) return cached.pairs;
  const pairs = new Map<number, number>();
  const open: Record<string, number[]> = { kbd: [], sup: [], sub: [] };
  for (const match of state.src.matchAll(INLINE_TAG)) {
    const stack = open[(match[2] ?? "").toLowerCase()];
    if (!stack) continue;
    if (match[1] !== "/") stack.push(match.index);
    else {
      const start = stack.pop();
      if (start !== undefined) pairs.set(start, match.index);
    }
  }
  closingTags.set(state, { src: state.src, pairs });
  return pairs;
}

md.inline.ruler.before("autolink", "kbd-sup-sub", (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
  const open = /^<(kbd|sup|sub)>/i.exec(state.src.slice(state.pos, state.pos + 5));
  const tag = open?.[1]?.toLowerCase();
  if (!open || !tag) return false;
  const close = closingTagsOf(state).get(state.pos);
  // Closed outside the text being parsed (e.g. after the end of a link's text): not a tag here.
  if (close === undefined || close >= state.posMax) return false;
  if (!silent) {
    const oldMax = state.posMax;
    state.push(`${tag}_open`, tag, 1);
    state.pos += open[0].length;
    state.posMax = close;
    state.md.inline.tokenize(state);
    state.posMax = oldMax;
    state.push(`${tag}_close`, tag, -1);
  }
  state.pos = close + tag.length + 3;
  return true;
});

/**
 * An image by plain http would leak readers' addresses to (and could be changed by) anyone on the way, so it is not
 * shown; rather than vanish it becomes a link to the image (just its text inside another link, where a link can't be).
 */
const defaultImage = md.renderer.rules.image;
type InlineToken = NonNullable<Parameters<NonNullable<typeof defaultImage>>[0][number]>;

/**
 * Whether the image at `idx` is all there is inside the link around it (nothing but images with no description and
 * blank space): a screen reader would then announce a link with no name.
 */
function isAllOfItsLink(tokens: InlineToken[], idx: number): boolean {
  let depth = 0;
  let start = -1;
  for (let i = idx - 1; i >= 0 && start < 0; i--) {
    const type = tokens[i]?.type;
    if (type === "link_close") depth++;
    else if (type === "link_open") {
      if (depth === 0) start = i;
      else depth--;
    }
  }
  if (start < 0) return false;
  for (let i = start + 1; i < tokens.length && tokens[i]?.type !== "link_close"; i++) {
    const token = tokens[i];
    if (!token || token.type === "softbreak" || (token.type === "text" && !token.content.trim())) continue;
    if (token.type !== "image" || token.children?.some((child) => child.content.trim())) return false;
  }
  return true;
}

/** The description an image the writer left undescribed gets when it alone makes up a link (a "click to enlarge"). */
export const UNDESCRIBED_IMAGE = "Image (no description)";

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token?.attrGet("src") ?? "");
  if (!token || !/^http:\/\//i.test(src)) {
    const html = defaultImage ? defaultImage(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    return token && isAllOfItsLink(tokens, idx) ? html.replace(' alt=""', ` alt="${UNDESCRIBED_IMAGE}"`) : html;
  }
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  const opened = tokens.slice(0, idx).filter((before) => before.type === "link_open").length;
  const closed = tokens.slice(0, idx).filter((before) => before.type === "link_close").length;
  const openLinks = opened - closed;
  const label = escapeHtml(alt ? `${alt} (image)` : `Image: ${src}`);
  // An address no browser can open (http://javascript:alert(1) has no valid port) is not worth a link.
  return openLinks > 0 || !URL.canParse(src) ? label : `<a href="${escapeHtml(src)}">${label}</a>`;
};

/** What a link to another site carries in stored HTML: no endorsement, user content, a new tab without an opener. */
export const EXTERNAL_LINK_ATTRIBUTES = { rel: "nofollow ugc noopener", target: "_blank" } as const;

const ALLOWED_CLASS = /^(hljs(-[a-z_]+)*|language-[a-z0-9+#-]+)$/;

/** The only elements stored post HTML may contain (the XSS test checks rendered output against this list). */
export const ALLOWED_TAGS: readonly string[] = [
  "p",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "code",
  "span",
  "em",
  "strong",
  "s",
  "del",
  "a",
  "img",
  "ul",
  "ol",
  "li",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "input",
  "sup",
  "sub",
  "kbd",
];

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: {
    a: ["href", "title", "rel", "target", "data-bare"],
    img: ["src", "alt", "title"],
    code: ["class"],
    // Wide code blocks and tables scroll sideways; focusable so keyboard users can scroll them too.
    pre: ["tabindex"],
    table: ["tabindex"],
    span: ["class"],
    th: ["style"],
    td: ["style"],
    ol: ["start"],
    input: ["type", "disabled", "checked"],
  },
  allowedStyles: { th: { "text-align": [/^(left|right|center)$/] }, td: { "text-align": [/^(left|right|center)$/] } },
  allowedClasses: { code: [ALLOWED_CLASS], span: [ALLOWED_CLASS] },
  // ftp: links (old file servers, vendor downloads) keep their address; they open like external web links.
  allowedSchemes: ["http", "https", "ftp", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? "";
      const isExternal = /^(https?|ftp):\/\//i.test(href);
      // "https:evil.example" is relative on an https page but external on http: not a link we want either way.
      const base: sanitizeHtml.Attributes = { ...attribs };
      if (/^(https?|ftp):/i.test(href) && !isExternal) delete base.href;
      return {
        tagName,
        attribs: isExternal ? { ...base, ...EXTERNAL_LINK_ATTRIBUTES } : { ...base, rel: "nofollow ugc" },
      };
    },
    // Images load only from absolute https URLs or as pictures stored for posts (/images/<hash>.webp): other
    // relative paths would point at our own routes, http leaks readers.
    // Any other picture (a relative path) is named in words, as http ones are above, instead of drawn broken.
    img: (tagName, attribs) => {
      const src = attribs.src ?? "";
      if (/^https:\/\/[^/\\]/i.test(src) || POST_IMAGE_PATH.test(src))
        return { tagName, attribs: { ...attribs, loading: "lazy", referrerpolicy: "no-referrer" } };
      const alt = attribs.alt?.trim();
      return { tagName: "span", attribs: {}, text: alt ? `${alt} (image)` : "Image" };
    },
  },
};
sanitizeOptions.allowedAttributes = {
  ...sanitizeOptions.allowedAttributes,
  img: ["src", "alt", "title", "loading", "referrerpolicy"],
};

/**
 * Markdown source to safe HTML, ready to store beside the source; its headings start at `headingLevel` (see
 * HEADING_LEVEL: where the text is shown).
 */
export function renderMarkdown(
  source: string,
  headingLevel: number = HEADING_LEVEL.question,
  highlight: HighlightAllowance = highlightAllowance(),
): string {
  allowance = highlight;
  try {
    return sanitizeHtml(md.render(source, { headingLevel } satisfies RenderEnv), sanitizeOptions);
  } finally {
    allowance = { characters: 0 };
  }
}

/** What a picture a moderator took down says in its place in rendered HTML. */
export const TAKEN_DOWN_PICTURE_NOTE = "[Picture taken down by a moderator]";

/**
 * Rendered HTML without the pictures a moderator took down (their hashes): each <img> of one becomes the note, and
 * links to one lose their address. The one rule for both the take-down rewriting stored HTML and every render after it
 * (edits, re-rendering), so the two can't differ. The sanitizer above writes every attribute double-quoted with `"`,
 * `<` and `>` escaped, so a tag ends at its first `>`.
 */
export function withoutPictures(html: string, takenDown: ReadonlySet<string>): string {
  let result = html;
  for (const hash of takenDown) {
    if (!result.includes(`/images/${hash}.webp`)) continue;
    const address = `/images/${hash}\\.webp`;
    result = result
      .replace(new RegExp(`<img\\b[^>]*\\bsrc="[^"]*${address}"[^>]*>`, "g"), `<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`)
      .replace(new RegExp(`\\shref="[^"]*${address}[^"]*"`, "g"), "");
  }
  return result;
}

/** The stored pictures a text shows, as its writer looked them up (picturesShownIn): which a moderator took down, and the others' sizes. */
export type PicturesShown = {
  takenDown: ReadonlySet<string>;
  sizes: ReadonlyMap<string, { width: number; height: number }>;
};

/** A text that shows no stored picture. */
export const NO_PICTURES: PicturesShown = { takenDown: new Set(), sizes: new Map() };

/**
 * Rendered HTML as it is stored: without the pictures a moderator took down (withoutPictures), and every other stored
 * picture with its width and height, so a browser keeps its place before it loads: a reader's text doesn't jump as
 * lazy pictures arrive (the stylesheet's `h-auto max-w-full` still scales it to fit a phone).
 */
export function settlePictures(html: string, pictures: PicturesShown): string {
  const result = withoutPictures(html, pictures.takenDown);
  if (pictures.sizes.size === 0) return result;
  return result.replace(/<img\b([^>]*)\ssrc="\/images\/([0-9a-f]{20})\.webp"([^>]*)>/g, (tag, before, hash, after) => {
    const size = pictures.sizes.get(hash);
    if (!size || /\swidth="/.test(tag)) return tag;
    return `<img${before} src="/images/${hash}.webp" width="${size.width}" height="${size.height}"${after}>`;
  });
}

/** Plain text of Markdown for excerpts and meta descriptions: at most `maxLength` characters a person sees. */
export function markdownToText(source: string, maxLength = 200): string {
  // Rendered with no allowance: colours would be stripped anyway, and highlighting is the slow part of a render.
  const text = sanitizeHtml(md.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  const isShortEnough = firstGraphemes(text, maxLength).length === text.length;
  return isShortEnough ? text : `${firstGraphemes(text, maxLength - 1).trimEnd()}…`;
}
