/**
 * The header's search box: a plain GET form to /search, enhanced into a combobox that offers matching questions,
 * answers and how-tos while typing (from /api/search?suggest=1). Arrow keys move, Enter opens, Escape closes.
 */
import { useNavigate } from "@remix-run/react";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useIsHydrated } from "~/lib/hydrated";
import { KIND_LABELS } from "~/search/present";
import type { SearchKind } from "~/search/types";
import { cx } from "~/lib/cx";

type Suggestion = {
  id: number;
  kind: SearchKind;
  url: string;
  titleHtml: string;
  spaceName: string;
  isSolved: boolean;
};

const SUGGEST_DELAY_MS = 150;

function isSuggestionBody(body: unknown): body is { hits: Suggestion[] } {
  return Boolean(body && typeof body === "object" && "hits" in body && Array.isArray(body.hits));
}

function useSuggestions(text: string, isEnabled: boolean): { text: string; hits: Suggestion[] } {
  const cache = useRef(new Map<string, Suggestion[]>());
  const [result, setResult] = useState<{ text: string; hits: Suggestion[] }>({ text: "", hits: [] });
  useEffect(() => {
    const query = text.trim();
    if (!isEnabled || query.length < 2) return;
    const cached = cache.current.get(query);
    if (cached) {
      setResult({ text: query, hits: cached });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/search?suggest=1&q=${encodeURIComponent(query)}`, { signal: controller.signal })
        .then((res) => (res.ok ? res.json() : null))
        .then((body: unknown) => {
          const hits = isSuggestionBody(body) ? body.hits : [];
          cache.current.set(query, hits);
          setResult({ text: query, hits });
        })
        // Suggestions are a convenience: when they fail, Enter still searches.
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, isEnabled]);
  return result;
}

function suggestionCount(count: number): string {
  return count === 1 ? "1 suggestion" : `${count} suggestions`;
}

export function HeaderSearch() {
  const id = useId();
  const isHydrated = useIsHydrated();
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [isOpen, setIsOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const suggestions = useSuggestions(text, isHydrated && isOpen);
  const hits = suggestions.text === text.trim() ? suggestions.hits : [];
  const isListShown = isOpen && text.trim().length >= 2 && hits.length > 0;
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;

  const close = () => {
    setIsOpen(false);
    setActiveIndex(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" && hits.length > 0) {
      event.preventDefault();
      setIsOpen(true);
      setActiveIndex((i) => (i + 1) % hits.length);
    } else if (event.key === "ArrowUp" && hits.length > 0) {
      event.preventDefault();
      setActiveIndex((i) => (i <= 0 ? hits.length - 1 : i - 1));
    } else if (event.key === "Escape" && isListShown) {
      // Only the list closes: a search box's own Escape would also empty what was typed (a second Escape still does).
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && isListShown && activeIndex >= 0) {
      const hit = hits[activeIndex];
      if (hit) {
        event.preventDefault();
        close();
        navigate(hit.url);
      }
    }
  };

  return (
    <form
      action="/search"
      method="get"
      role="search"
      aria-label="Search PeerDesk"
      className="relative min-w-0 flex-[1_1_10rem] sm:ml-2 sm:min-w-60 sm:flex-1"
      onSubmit={close}
    >
      <label htmlFor="site-search" className="sr-only">
        Search PeerDesk
      </label>
      <input
        id="site-search"
        name="q"
        type="search"
        // One short word: beside the logo on a phone the box is narrow (room for about 150 px of text at 360 px wide).
        // The label, read out, says the rest.
        placeholder="Search"
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          setIsOpen(true);
          setActiveIndex(-1);
        }}
        onFocus={() => setIsOpen(true)}
        onBlur={() => setTimeout(close, 150)}
        onKeyDown={onKeyDown}
        role={isHydrated ? "combobox" : undefined}
        aria-autocomplete={isHydrated ? "list" : undefined}
        aria-expanded={isHydrated ? isListShown : undefined}
        aria-controls={isHydrated ? listId : undefined}
        aria-activedescendant={isListShown && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        className="w-full rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 text-base dark:border-slate-700 dark:bg-slate-900"
      />
      {isHydrated ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Suggestions"
          hidden={!isListShown}
          className={cx(
            "absolute inset-x-0 top-full z-30 mt-1 max-h-96 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg",
            "dark:border-slate-700 dark:bg-slate-900",
          )}
        >
          {hits.map((hit, i) => (
            <li
              key={`${hit.kind}-${hit.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              className={cx(
                "cursor-pointer rounded px-3 py-2 text-sm",
                i === activeIndex ? "bg-brand-50 dark:bg-slate-800" : "hover:bg-slate-50 dark:hover:bg-slate-800",
              )}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => {
                close();
                navigate(hit.url);
              }}
            >
              <span
                dir="auto"
                className="block font-medium text-slate-900 dark:text-slate-100"
                dangerouslySetInnerHTML={{ __html: hit.titleHtml }}
              />
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {KIND_LABELS[hit.kind].one}
                {hit.isSolved ? " · solved" : ""} · {hit.spaceName}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {isHydrated ? (
        <p className="sr-only" aria-live="polite">
          {isListShown ? `${suggestionCount(hits.length)}. Use the up and down arrows to choose, Enter to open.` : ""}
        </p>
      ) : null}
    </form>
  );
}
