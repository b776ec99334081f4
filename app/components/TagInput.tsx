/**
 * Tag entry: one comma-separated text field named `name` (so it works without JavaScript), enhanced into a
 * combobox that suggests existing tags for the tag being typed and shows the chosen tags as removable chips.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useIsHydrated } from "~/lib/hydrated";
import { TAG_MAX_LENGTH, normalizeTag, parseTagList } from "~/lib/tags";
import { cx } from "~/lib/cx";
import { FIELD_LEEWAY, useFieldMessageRole } from "~/lib/forms";

export type TagInputProps = {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  hint?: ReactNode;
  max?: number;
};

type Suggestion = { slug: string; uses: number };

const SUGGEST_DELAY_MS = 150;

const controlClass =
  "block w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 dark:bg-slate-900 dark:text-slate-100";
const okBorder = "border-slate-300 dark:border-slate-600";
const errorBorder = "border-red-600 dark:border-red-400";

/** The tag being typed: whatever follows the last comma. */
function currentSegment(value: string): string {
  return value.slice(value.lastIndexOf(",") + 1);
}

function isSuggestionList(body: unknown): body is { tags: Suggestion[] } {
  if (!body || typeof body !== "object" || !("tags" in body) || !Array.isArray(body.tags)) return false;
  return body.tags.every(
    (t: unknown) =>
      t &&
      typeof t === "object" &&
      "slug" in t &&
      typeof t.slug === "string" &&
      "uses" in t &&
      typeof t.uses === "number",
  );
}

function useTagSuggestions(query: string, enabled: boolean): Suggestion[] {
  const cache = useRef(new Map<string, Suggestion[]>());
  const [result, setResult] = useState<{ query: string; tags: Suggestion[] }>({ query: "", tags: [] });
  useEffect(() => {
    if (!enabled || !query) return;
    const cached = cache.current.get(query);
    if (cached) {
      setResult({ query, tags: cached });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/tags?q=${encodeURIComponent(query)}`, { signal: controller.signal })
        .then((res) => (res.ok ? res.json() : null))
        .then((body: unknown) => {
          const tags = isSuggestionList(body) ? body.tags : [];
          cache.current.set(query, tags);
          setResult({ query, tags });
        })
        // Suggestions are a convenience: when they fail, the field still takes whatever is typed.
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, enabled]);
  return enabled && query && result.query === query ? result.tags : [];
}

function tagCount(count: number): string {
  return count === 1 ? "1 existing tag" : `${count} existing tags`;
}

export function TagInput({ name, label, defaultValue, error, hint, max = 5 }: TagInputProps) {
  const id = useId();
  const isHydrated = useIsHydrated();
  const errorRole = useFieldMessageRole();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(defaultValue ?? "");
  const [isFocused, setIsFocused] = useState(false);
  const [isDismissed, setIsDismissed] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [message, setMessage] = useState("");
  const changedByScript = useRef(false);

  // Keep anything typed before the page finished loading; later, a failed submit hands back what was sent.
  const isFirstRender = useRef(true);
  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      const typed = inputRef.current?.value;
      if (typed !== undefined) setValue(typed);
      return;
    }
    setValue(defaultValue ?? "");
  }, [defaultValue]);

  // Draft autosave listens for input events on the form; changes made here (chips, suggestions) must count too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of value, to announce it as input
  useEffect(() => {
    if (!changedByScript.current) return;
    changedByScript.current = false;
    inputRef.current?.dispatchEvent(new Event("input", { bubbles: true }));
  }, [value]);

  const tags = parseTagList(value);
  const segment = currentSegment(value);
  const query = normalizeTag(segment);
  const earlierTags = parseTagList(value.slice(0, value.lastIndexOf(",") + 1));
  const suggestions = useTagSuggestions(query, isHydrated && isFocused).filter((s) => !earlierTags.includes(s.slug));
  // A tag typed out in full needs no list (and the list would only cover the next field).
  const hasNewSuggestions = suggestions.some((s) => s.slug !== query);
  const isOpen = isFocused && !isDismissed && hasNewSuggestions;
  const isOverLimit = tags.length > max;

  const shownHint = hint ?? `1 to ${max} tags, separated by commas. For example: vpn, windows-11`;
  const ids = {
    hint: `${id}-hint`,
    error: `${id}-error`,
    normalized: `${id}-normalized`,
    list: `${id}-suggestions`,
    status: `${id}-status`,
  };
  const normalizedNote =
    segment.trim() && query && query !== segment.trim() ? `“${segment.trim()}” will be saved as “${query}”.` : "";
  const describedBy =
    [
      shownHint ? ids.hint : null,
      error ? ids.error : null,
      isHydrated && normalizedNote ? ids.normalized : null,
      isHydrated && isOverLimit ? ids.status : null,
    ]
      .filter(Boolean)
      .join(" ") || undefined;
  const optionId = (i: number) => `${id}-option-${i}`;

  const update = (next: string) => {
    changedByScript.current = true;
    setValue(next);
    setIsDismissed(false);
    setActiveIndex(-1);
  };

  const choose = (slug: string) => {
    if (!earlierTags.includes(slug) && earlierTags.length >= max) {
      setMessage(`You can add up to ${max} tags. Remove one to add “${slug}”.`);
      setIsDismissed(true);
      return;
    }
    const next = [...new Set([...earlierTags, slug])];
    update(`${next.join(", ")}, `);
    setMessage(`Added tag ${slug}.`);
    setIsDismissed(true);
    inputRef.current?.focus();
  };

  const remove = (slug: string) => {
    const rest = tags.filter((t) => t !== slug);
    update(rest.length ? `${rest.join(", ")}, ` : "");
    setMessage(`Removed tag ${slug}.`);
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "," && tags.length >= max && segment.trim()) {
      event.preventDefault();
      setMessage(`You can add up to ${max} tags.`);
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!hasNewSuggestions) return;
      event.preventDefault();
      setIsDismissed(false);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActiveIndex((i) =>
        isOpen ? (i + step + suggestions.length) % suggestions.length : step === 1 ? 0 : suggestions.length - 1,
      );
      return;
    }
    // Enter adds the highlighted suggestion, else the tag typed, else nothing: in a one-line field it would otherwise
    // post the whole form half written. (Without JavaScript the field is a plain input again.)
    if (event.key === "Enter" && !event.nativeEvent.isComposing) {
      event.preventDefault();
      const picked = isOpen && activeIndex >= 0 ? suggestions[activeIndex]?.slug : undefined;
      const typed = picked ?? query;
      if (typed) choose(typed);
      return;
    }
    if (event.key === "Escape" && isOpen) {
      event.preventDefault();
      setIsDismissed(true);
      setActiveIndex(-1);
    }
  };

  const statusText = isOverLimit
    ? `That's ${tags.length} tags; the limit is ${max}. Remove ${tags.length - max}.`
    : message;

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <div className="relative">
        <input
          ref={inputRef}
          id={id}
          name={name}
          type="text"
          // Room for every tag at its longest, commas and spaces, and a little over for the message to explain.
          maxLength={max * (TAG_MAX_LENGTH + 2) + FIELD_LEEWAY}
          value={value}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            setIsDismissed(false);
            setActiveIndex(-1);
            setMessage("");
          }}
          onKeyDown={onKeyDown}
          onFocus={() => setIsFocused(true)}
          onBlur={() => {
            setIsFocused(false);
            setActiveIndex(-1);
          }}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          role={isHydrated ? "combobox" : undefined}
          aria-autocomplete={isHydrated ? "list" : undefined}
          aria-expanded={isHydrated ? isOpen : undefined}
          aria-controls={isHydrated ? ids.list : undefined}
          aria-activedescendant={isOpen && activeIndex >= 0 ? optionId(activeIndex) : undefined}
          aria-invalid={error || isOverLimit ? true : undefined}
          aria-describedby={describedBy}
          className={`${controlClass} ${error || isOverLimit ? errorBorder : okBorder}`}
        />
        {isHydrated ? (
          <ul
            id={ids.list}
            role="listbox"
            aria-label={`Existing tags matching “${query}”`}
            hidden={!isOpen}
            className={cx(
              "absolute z-20 mt-1 max-h-64 w-full overflow-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg",
              "dark:border-slate-700 dark:bg-slate-900",
            )}
          >
            {suggestions.map((s, i) => (
              <li
                key={s.slug}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(s.slug)}
                className={cx(
                  "flex min-h-11 cursor-pointer items-center",
                  "justify-between gap-3 px-3 text-sm",
                  i === activeIndex
                    ? "bg-brand-100 text-brand-700 dark:bg-brand-700 dark:text-white"
                    : "hover:bg-slate-100 dark:hover:bg-slate-800",
                )}
              >
                <span className="font-medium">{s.slug}</span>
                <span className={`text-xs ${i === activeIndex ? "" : "text-slate-600 dark:text-slate-400"}`}>
                  {s.uses === 1 ? "1 post" : `${s.uses.toLocaleString("en")} posts`}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {isHydrated && tags.length > 0 ? (
        <ul aria-label="Chosen tags" className="mt-2 flex flex-wrap gap-2">
          {tags.map((tag, i) => (
            <li
              key={tag}
              className={cx(
                "inline-flex items-center gap-1 rounded-full py-0.5 pl-3 pr-1 text-sm",
                i >= max
                  ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200"
                  : "bg-brand-50 text-brand-700 dark:bg-slate-800 dark:text-brand-300",
              )}
            >
              {tag}
              <button
                type="button"
                onClick={() => remove(tag)}
                aria-label={`Remove tag ${tag}`}
                className="inline-flex size-8 items-center justify-center rounded-full hover:bg-white/70 dark:hover:bg-slate-700"
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {isHydrated && normalizedNote ? (
        <p id={ids.normalized} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {normalizedNote}
        </p>
      ) : null}
      {shownHint ? (
        <p id={ids.hint} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {shownHint}
        </p>
      ) : null}
      {error ? (
        <p id={ids.error} className="mt-1 text-sm font-medium text-red-700 dark:text-red-400" role={errorRole}>
          {error}
        </p>
      ) : null}
      {isHydrated ? (
        <p
          id={ids.status}
          aria-live="polite"
          className={
            isOverLimit || message.startsWith("You can")
              ? "mt-1 text-sm font-medium text-red-700 dark:text-red-400"
              : "sr-only"
          }
        >
          {statusText}
        </p>
      ) : null}
      {isHydrated ? (
        <p className="sr-only" aria-live="polite">
          {isOpen ? `${tagCount(suggestions.length)} match. Use the up and down arrows to choose, Enter to add.` : ""}
        </p>
      ) : null}
    </div>
  );
}
