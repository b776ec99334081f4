/**
 * The small script signed-out readers get on reading pages instead of the Remix client runtime (see
 * app/lib/reader-pages.ts): the page already works as plain HTML, this only adds what a reader notices. Ages for
 * <time data-relative> ("3 minutes ago", kept fresh), the header search box's suggestions (the same accessible
 * combobox as the React one: arrow keys, Enter, Escape), the share panel's "Copy link" button, an answer's "Share"
 * copying its link, and a how-to's
 * ticked steps remembered in this browser. Built by scripts/build-reader.mjs into public/build/.
 */
import { stepProgressKey } from "~/lib/howtos";
import { RELATIVE_TIME_REFRESH_MS, refreshRelativeTimes } from "~/lib/time";
import { KIND_LABELS } from "~/search/present";
import type { SearchKind } from "~/search/types";

type Suggestion = {
  id: number;
  kind: SearchKind;
  url: string;
  titleHtml: string;
  spaceName: string;
  isSolved: boolean;
};

const SUGGEST_DELAY_MS = 150;

function relativeTimes(): void {
  refreshRelativeTimes(document);
  setInterval(() => refreshRelativeTimes(document), RELATIVE_TIME_REFRESH_MS);
}

function isSuggestionBody(body: unknown): body is { hits: Suggestion[] } {
  return Boolean(body && typeof body === "object" && "hits" in body && Array.isArray(body.hits));
}

function headerSearch(): void {
  const input = document.querySelector<HTMLInputElement>("form[role=search] input#site-search");
  const form = input?.form;
  if (!input || !form) return;
  const list = document.createElement("ul");
  list.id = "site-search-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  list.className =
    "absolute inset-x-0 top-full z-30 mt-1 max-h-96 overflow-y-auto " +
    "rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900";
  form.append(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  const cache = new Map<string, Suggestion[]>();
  let hits: Suggestion[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;

  const render = () => {
    const isShown = hits.length > 0 && input.value.trim().length >= 2;
    list.hidden = !isShown;
    input.setAttribute("aria-expanded", String(isShown));
    if (isShown && active >= 0) input.setAttribute("aria-activedescendant", `site-search-option-${active}`);
    else input.removeAttribute("aria-activedescendant");
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const item = document.createElement("li");
        item.id = `site-search-option-${i}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", String(i === active));
        const highlight = i === active ? "bg-brand-50 dark:bg-slate-800" : "hover:bg-slate-50 dark:hover:bg-slate-800";
        item.className = `cursor-pointer rounded px-3 py-2 text-sm ${highlight}`;
        const title = document.createElement("span");
        title.className = "block font-medium text-slate-900 dark:text-slate-100";
        // Escaped by the search engine adapters; only <mark> remains.
        title.innerHTML = hit.titleHtml;
        const meta = document.createElement("span");
        meta.className = "block text-xs text-slate-600 dark:text-slate-400";
        meta.textContent = `${KIND_LABELS[hit.kind]?.one ?? ""}${hit.isSolved ? " · solved" : ""} · ${hit.spaceName}`;
        item.append(title, meta);
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => window.location.assign(hit.url));
        return item;
      }),
    );
  };
  const close = () => {
    hits = [];
    active = -1;
    render();
  };
  const show = (query: string, found: Suggestion[]) => {
    if (input.value.trim() !== query) return;
    hits = found;
    active = -1;
    render();
  };

  input.addEventListener("input", () => {
    const query = input.value.trim();
    clearTimeout(timer);
    controller?.abort();
    if (query.length < 2) return close();
    const cached = cache.get(query);
    if (cached) return show(query, cached);
    const request = new AbortController();
    controller = request;
    timer = setTimeout(() => {
      fetch(`/api/search?suggest=1&q=${encodeURIComponent(query)}`, { signal: request.signal })
        .then((res) => (res.ok ? res.json() : null))
        .then((body: unknown) => {
          const found = isSuggestionBody(body) ? body.hits : [];
          cache.set(query, found);
          show(query, found);
        })
        // Suggestions are a convenience: when they fail, Enter still searches.
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && hits.length > 0) {
      event.preventDefault();
      active = (active + 1) % hits.length;
      render();
    } else if (event.key === "ArrowUp" && hits.length > 0) {
      event.preventDefault();
      active = active <= 0 ? hits.length - 1 : active - 1;
      render();
    } else if (event.key === "Escape" && !list.hidden) {
      // Only the list closes, as in HeaderSearch.tsx: the search box's own Escape would also empty it.
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      const hit = hits[active];
      if (hit) {
        event.preventDefault();
        window.location.assign(hit.url);
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}

function copyButtons(): void {
  if (!navigator.clipboard) return;
  for (const panel of document.querySelectorAll<HTMLElement>("[data-share-link]")) {
    const field = panel.querySelector<HTMLInputElement>("input");
    const status = panel.querySelector<HTMLElement>("[aria-live]");
    if (!field || !status) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copy link";
    // The primary Button's classes (components/ui/Button.tsx), as on the React page's Copy link (ShareLink.tsx): importing
    // the helper would bring React into this script. app/components/share-link-button.test.tsx keeps the two the same.
    button.className =
      "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold no-underline " +
      "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-slate-400";
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(
        () => (status.textContent = "Link copied."),
        () => (status.textContent = "Couldn't copy: select the link and copy it yourself."),
      );
    });
    field.after(button);
  }
}

/** "Share" under an answer (app/components/AnswerShareLink.tsx): a tap copies the answer's link and says so. */
function answerShareLinks(): void {
  if (!navigator.clipboard) return;
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const link = target?.closest<HTMLAnchorElement>("a[data-answer-share]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const status = link.nextElementSibling;
    navigator.clipboard.writeText(link.href).then(
      () => {
        if (status) status.textContent = "Link to this answer copied.";
      },
      () => window.location.assign(link.href),
    );
  });
}

function howtoSteps(): void {
  const section = document.querySelector<HTMLElement>("[data-howto-steps]");
  const howtoId = Number(section?.dataset.howtoId);
  const revision = Number(section?.dataset.revision);
  if (!section || !Number.isInteger(howtoId) || !Number.isInteger(revision)) return;
  const key = stepProgressKey(howtoId, revision);
  const boxes = [...section.querySelectorAll<HTMLInputElement>("ol input[type=checkbox]")];
  const progress = document.createElement("p");
  progress.className = "text-sm text-slate-700 print:hidden dark:text-slate-300";
  progress.setAttribute("aria-live", "polite");
  progress.dataset.testid = "step-progress";
  section.querySelector("h2")?.after(progress);
  const update = () => {
    const done = boxes.filter((box) => box.checked).length;
    progress.textContent = `${done === boxes.length && done > 0 ? "All done! " : ""}${done} of ${boxes.length} steps done`;
  };
  try {
    const saved: unknown = JSON.parse(window.localStorage.getItem(key) ?? "[]");
    if (Array.isArray(saved))
      for (const i of saved) if (Number.isInteger(i) && boxes[i]) (boxes[i] as HTMLInputElement).checked = true;
  } catch {
    // Unreadable storage: start with nothing ticked.
  }
  for (const box of boxes) {
    box.addEventListener("change", () => {
      update();
      try {
        window.localStorage.setItem(key, JSON.stringify(boxes.flatMap((b, i) => (b.checked ? [i] : []))));
      } catch {
        // Private mode or full storage: the ticks still work for this visit.
      }
    });
  }
  update();
}

relativeTimes();
headerSearch();
copyButtons();
answerShareLinks();
howtoSteps();
