/**
 * Markdown textarea with Write/Preview tabs (preview rendered on the server by the one renderer), a character
 * counter and formatting help. Without JavaScript it is a plain labelled textarea with its error.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useIsHydrated } from "~/lib/hydrated";
import { useFieldMessageRole } from "~/lib/forms";
import { cx } from "~/lib/cx";
import { HEADING_LEVEL } from "~/lib/heading-levels";

export type MarkdownEditorProps = {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  hint?: ReactNode;
  rows?: number;
  maxLength?: number;
  required?: boolean;
  /** Where the text will be shown (HEADING_LEVEL): the preview's headings are those that will be stored. */
  headingLevel?: number;
};

type Mode = "write" | "preview";
type PreviewState =
  | { state: "empty" }
  | { state: "loading" }
  | { state: "ready"; html: string; source: string }
  | { state: "failed"; message: string };

// Plain words first: business colleagues write here too, and "Markdown" names nothing they know.
const DEFAULT_HINT =
  "You can format text: **bold**, `code`, ``` around a block of code, lists, links. Preview shows how it looks.";
// Quick Write/Preview toggling sends one request, not one per click.
const PREVIEW_DELAY_MS = 250;

const controlClass =
  "block w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 dark:bg-slate-900 dark:text-slate-100";
const okBorder = "border-slate-300 dark:border-slate-600";
const errorBorder = "border-red-600 dark:border-red-400";

function errorMessageFrom(body: unknown): string | null {
  return body && typeof body === "object" && "error" in body && typeof body.error === "string" ? body.error : null;
}

async function fetchPreview(markdown: string, headingLevel: number, signal: AbortSignal): Promise<PreviewState> {
  try {
    const res = await fetch("/api/preview", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ markdown, headingLevel }),
      signal,
    });
    const body: unknown = await res.json().catch(() => null);
    if (res.ok && body && typeof body === "object" && "html" in body && typeof body.html === "string")
      return { state: "ready", html: body.html, source: markdown };
    if (res.status === 401)
      return { state: "failed", message: "Sign in to see a preview. Your text is safe in the Write tab." };
    return {
      state: "failed",
      message: errorMessageFrom(body) ?? "The preview isn't available right now. Your text is safe in the Write tab.",
    };
  } catch {
    return {
      state: "failed",
      message: "The preview isn't available right now (are you offline?). Your text is safe in the Write tab.",
    };
  }
}

/** Announces the remaining characters only at a few milestones, so screen readers aren't interrupted on every key. */
function limitAnnouncement(length: number, maxLength: number): string {
  const remaining = maxLength - length;
  if (remaining <= 0) return `You've reached the limit of ${maxLength.toLocaleString("en")} characters.`;
  const nearLimit = Math.max(20, Math.round(maxLength / 10));
  const milestones = [nearLimit, 100, 50, 20, 10].filter((m) => m <= nearLimit).sort((a, b) => a - b);
  const milestone = milestones.find((m) => remaining <= m);
  return milestone === undefined ? "" : `${milestone.toLocaleString("en")} characters or fewer left.`;
}

function CharacterCounter({ id, length, maxLength }: { id: string; length: number; maxLength: number }) {
  const remaining = maxLength - length;
  const isNear = remaining <= Math.max(20, Math.round(maxLength / 10));
  const tone =
    remaining <= 0
      ? "font-semibold text-red-700 dark:text-red-400"
      : isNear
        ? "font-medium text-amber-800 dark:text-amber-300"
        : "text-slate-600 dark:text-slate-400";
  return (
    <>
      <p id={id} className={`text-xs tabular-nums ${tone}`}>
        {length.toLocaleString("en")} / {maxLength.toLocaleString("en")}
        <span className="sr-only"> characters</span>
      </p>
      <p className="sr-only" aria-live="polite">
        {limitAnnouncement(length, maxLength)}
      </p>
    </>
  );
}

function FormattingHelp() {
  const rows: [string, string][] = [
    ["**bold**  _italic_", "bold, italic"],
    ["`Get-Service`", "code in a sentence"],
    ["```powershell\nGet-Service\n```", "a highlighted code block (logs, scripts)"],
    ["- item  /  1. item", "lists"],
    ["- [ ] step", "a checklist"],
    ["[text](https://…)", "a link"],
    ["![description](https://…)", "an image (https only)"],
    ["> quoted text", "a quote"],
    ["| a | b |\n|---|---|", "a table"],
  ];
  return (
    <details className="mt-2 text-sm">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-slate-700 dark:text-slate-300">
        Formatting help
      </summary>
      <table className="mt-1 w-full border-collapse text-left">
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            <th scope="col" className="py-1 pr-3 font-medium">
              You type
            </th>
            <th scope="col" className="py-1 font-medium">
              You get
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([typed, result]) => (
            <tr key={result} className="border-b border-slate-100 align-top dark:border-slate-800">
              <td className="py-1 pr-3">
                <code className="whitespace-pre-wrap rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">
                  {typed}
                </code>
              </td>
              <td className="py-1 text-slate-700 dark:text-slate-300">{result}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-slate-600 dark:text-slate-400">HTML tags are shown as text. Links open in a new tab.</p>
    </details>
  );
}

type Person = { handle: string; name: string };
type MentionState = { start: number; query: string; people: Person[]; active: number };

/** "@pri" or "@غريس" just before the caret (not part of an email address or URL): the handle or name being typed. */
export function mentionBeforeCaret(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|[^\p{L}\p{N}\p{M}_@/.-])@([\p{L}\p{N}][\p{L}\p{N}\p{M}-]{0,29})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[2] ?? "";
  return { start: caret - query.length - 1, query: query.toLowerCase() };
}

const PICTURE_PLACEHOLDER = "Describe the picture";
const PICTURE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Pictures in the text: a screenshot or photo (chosen with "Add a picture", pasted, or dropped on the field) is
 * uploaded (/api/images re-encodes it without metadata) and its Markdown put at the caret, with the description
 * selected so the writer types over it (it is what a screen reader reads out). Only with JavaScript; without it,
 * pictures are linked from elsewhere with ![description](https://…).
 */
function usePictureUpload(textareaRef: { current: HTMLTextAreaElement | null }, onInserted: (length: number) => void) {
  const [status, setStatus] = useState<{ failed: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    if (file.size > PICTURE_MAX_BYTES) {
      setStatus({ failed: true, text: "That picture is larger than 8 MB. Take a smaller screenshot or crop it." });
      return;
    }
    setBusy(true);
    setStatus({ failed: false, text: "Adding the picture…" });
    try {
      const form = new FormData();
      form.set("file", file);
      const res = await fetch("/api/images", { method: "POST", body: form });
      const body: unknown = await res.json().catch(() => null);
      const markdown =
        body && typeof body === "object" && "markdown" in body && typeof body.markdown === "string"
          ? body.markdown
          : null;
      const textarea = textareaRef.current;
      if (!res.ok || !markdown || !textarea) {
        setStatus({
          failed: true,
          text: errorMessageFrom(body) ?? "The picture couldn't be added right now. Your text is safe.",
        });
        return;
      }
      const start = textarea.selectionStart;
      const before = textarea.value.slice(0, start);
      const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
      textarea.setRangeText(`${lead}${markdown}\n`, start, textarea.selectionEnd, "end");
      const described = start + lead.length + 2;
      textarea.focus();
      textarea.setSelectionRange(described, described + PICTURE_PLACEHOLDER.length);
      // Autosave and counters listen for input.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      onInserted(textarea.value.length);
      setStatus({ failed: false, text: `Picture added. Type over “${PICTURE_PLACEHOLDER}” to say what it shows.` });
    } catch {
      setStatus({ failed: true, text: "The picture couldn't be added (are you offline?). Your text is safe." });
    } finally {
      setBusy(false);
    }
  };
  /** A pasted or dropped picture (the first image among the files), uploaded instead of the browser's default. */
  const takeFiles = (event: { preventDefault: () => void }, files: FileList | undefined) => {
    const picture = [...(files ?? [])].find((file) => file.type.startsWith("image/"));
    if (!picture || busy) return;
    event.preventDefault();
    void upload(picture);
  };
  return { upload, takeFiles, status, busy };
}

type PictureUpload = ReturnType<typeof usePictureUpload>;

function AddPicture({ picture: { upload, status, busy } }: { picture: PictureUpload }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <div className="mt-1 flex flex-wrap items-center gap-x-3">
      <button
        type="button"
        disabled={busy}
        onClick={() => inputRef.current?.click()}
        className="inline-flex min-h-11 items-center rounded-md px-2 text-sm font-medium text-brand-700 hover:bg-slate-100 disabled:opacity-60 dark:text-brand-300 dark:hover:bg-slate-800"
      >
        Add a picture
      </button>
      <input
        ref={inputRef}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        aria-label="Picture to add"
        hidden
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = "";
          if (file) void upload(file);
        }}
      />
      <p
        role="status"
        className={`text-sm ${status?.failed ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
      >
        {status?.text ?? "or paste or drop one into the text"}
      </p>
    </div>
  );
}

/**
 * @mention suggestions while typing: after "@" and a letter, up to six people (handle or name) from /api/people;
 * arrow keys choose, Enter or Tab inserts "@handle ", Escape closes. The textarea stays a plain textarea.
 */
function useMentionSuggestions(
  textareaRef: { current: HTMLTextAreaElement | null },
  onInserted: (length: number) => void,
) {
  const [mention, setMention] = useState<MentionState | null>(null);
  const cache = useRef(new Map<string, Person[]>());
  const pending = useRef<AbortController | null>(null);

  const update = () => {
    const textarea = textareaRef.current;
    if (!textarea || textarea.selectionStart !== textarea.selectionEnd) return setMention(null);
    const found = mentionBeforeCaret(textarea.value, textarea.selectionStart);
    if (!found) return setMention(null);
    const cached = cache.current.get(found.query);
    if (cached) return setMention(cached.length ? { ...found, people: cached, active: 0 } : null);
    pending.current?.abort();
    const controller = new AbortController();
    pending.current = controller;
    setTimeout(() => {
      if (controller.signal.aborted) return;
      fetch(`/api/people?q=${encodeURIComponent(found.query)}`, { signal: controller.signal })
        .then((res) => (res.ok ? res.json() : { people: [] }))
        .then((body: { people?: Person[] }) => {
          const people = Array.isArray(body.people) ? body.people : [];
          cache.current.set(found.query, people);
          const now = textareaRef.current
            ? mentionBeforeCaret(textareaRef.current.value, textareaRef.current.selectionStart)
            : null;
          if (now && now.query === found.query) setMention(people.length ? { ...found, people, active: 0 } : null);
        })
        .catch(() => undefined);
    }, 120);
  };

  const insert = (person: Person) => {
    const textarea = textareaRef.current;
    if (!textarea || !mention) return;
    const before = textarea.value.slice(0, mention.start);
    const after = textarea.value.slice(textarea.selectionStart);
    const inserted = `@${person.handle} `;
    textarea.value = `${before}${inserted}${after}`;
    const caret = before.length + inserted.length;
    textarea.setSelectionRange(caret, caret);
    textarea.focus();
    // Autosave and counters listen for input.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    onInserted(textarea.value.length);
    setMention(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!mention) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setMention({ ...mention, active: (mention.active + step + mention.people.length) % mention.people.length });
    } else if (event.key === "Enter" || event.key === "Tab") {
      const person = mention.people[mention.active];
      if (!person) return;
      event.preventDefault();
      insert(person);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setMention(null);
    }
  };
  return { mention, update, insert, onKeyDown, close: () => setMention(null) };
}

export function MarkdownEditor({
  name,
  label,
  defaultValue,
  error,
  hint,
  rows = 8,
  maxLength,
  required,
  headingLevel = HEADING_LEVEL.question,
}: MarkdownEditorProps) {
  const id = useId();
  const isHydrated = useIsHydrated();
  const errorRole = useFieldMessageRole();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const tabRefs = useRef<Record<Mode, HTMLButtonElement | null>>({ write: null, preview: null });
  const [mode, setMode] = useState<Mode>("write");
  const [length, setLength] = useState(defaultValue?.length ?? 0);
  const [preview, setPreview] = useState<PreviewState>({ state: "empty" });
  const shownHint = hint ?? DEFAULT_HINT;
  const ids = {
    hint: `${id}-hint`,
    error: `${id}-error`,
    count: `${id}-count`,
    writeTab: `${id}-tab-write`,
    previewTab: `${id}-tab-preview`,
    writePanel: `${id}-panel-write`,
    previewPanel: `${id}-panel-preview`,
  };
  const showCounter = isHydrated && maxLength !== undefined;
  const mentions = useMentionSuggestions(textareaRef, setLength);
  const picture = usePictureUpload(textareaRef, setLength);
  const listboxId = `${id}-mentions`;
  const describedBy =
    [shownHint ? ids.hint : null, error ? ids.error : null, showCounter ? ids.count : null].filter(Boolean).join(" ") ||
    undefined;

  // The browser may restore typed text on back/forward navigation, and a form reset empties it; count what is really there.
  useEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    setLength(textarea.value.length);
    const form = textarea.form;
    const onReset = () =>
      setTimeout(() => {
        setLength(textarea.value.length);
        setMode("write");
      });
    form?.addEventListener("reset", onReset);
    return () => form?.removeEventListener("reset", onReset);
  }, []);

  // The source of the preview on screen, so switching tabs without editing doesn't ask the server again.
  const renderedSource = useRef<string | null>(null);
  useEffect(() => {
    if (mode !== "preview") return;
    const markdown = textareaRef.current?.value ?? "";
    if (!markdown.trim()) {
      renderedSource.current = null;
      setPreview({ state: "empty" });
      return;
    }
    if (markdown === renderedSource.current) return;
    setPreview({ state: "loading" });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void fetchPreview(markdown, headingLevel, controller.signal).then((next) => {
        if (controller.signal.aborted) return;
        renderedSource.current = next.state === "ready" ? markdown : null;
        setPreview(next);
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [mode, headingLevel]);

  const choose = (next: Mode, { focus = false } = {}) => {
    setMode(next);
    if (focus) tabRefs.current[next]?.focus();
  };
  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const order: Mode[] = ["write", "preview"];
    const index = order.indexOf(mode);
    const target =
      event.key === "ArrowRight"
        ? order[(index + 1) % order.length]
        : event.key === "ArrowLeft"
          ? order[(index + order.length - 1) % order.length]
          : event.key === "Home"
            ? "write"
            : event.key === "End"
              ? "preview"
              : undefined;
    if (!target) return;
    event.preventDefault();
    choose(target, { focus: true });
  };

  const tab = (which: Mode, text: string) => (
    <button
      ref={(el) => {
        tabRefs.current[which] = el;
      }}
      type="button"
      role="tab"
      id={which === "write" ? ids.writeTab : ids.previewTab}
      aria-selected={mode === which}
      aria-controls={which === "write" ? ids.writePanel : ids.previewPanel}
      tabIndex={mode === which ? 0 : -1}
      onClick={() => choose(which)}
      onKeyDown={onTabKeyDown}
      className={`min-h-11 rounded-t-md border-b-2 px-3 text-sm font-medium ${
        mode === which
          ? "border-brand-600 text-brand-700 dark:border-brand-300 dark:text-brand-300"
          : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
      }`}
    >
      {text}
    </button>
  );

  return (
    <div>
      <div className="mb-1 flex flex-wrap items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium">
          {label}
        </label>
        {isHydrated ? (
          <div role="tablist" aria-label="Write or preview" className="flex gap-1">
            {tab("write", "Write")}
            {tab("preview", "Preview")}
          </div>
        ) : null}
      </div>
      <div
        id={ids.writePanel}
        role={isHydrated ? "tabpanel" : undefined}
        aria-labelledby={isHydrated ? ids.writeTab : undefined}
        hidden={mode !== "write"}
      >
        <textarea
          ref={textareaRef}
          id={id}
          name={name}
          defaultValue={defaultValue}
          rows={rows}
          maxLength={maxLength}
          required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onInput={(event) => {
            setLength(event.currentTarget.value.length);
            mentions.update();
          }}
          onKeyDown={mentions.onKeyDown}
          onPaste={(event) => picture.takeFiles(event, event.clipboardData?.files)}
          onDrop={(event) => picture.takeFiles(event, event.dataTransfer?.files)}
          onClick={mentions.update}
          onBlur={() => setTimeout(mentions.close, 150)}
          aria-autocomplete={isHydrated ? "list" : undefined}
          aria-controls={mentions.mention ? listboxId : undefined}
          aria-activedescendant={mentions.mention ? `${listboxId}-${mentions.mention.active}` : undefined}
          // A required, empty field must be visible when the browser points at it.
          onInvalid={() => setMode("write")}
          className={`${controlClass} ${error ? errorBorder : okBorder}`}
        />
        {mentions.mention ? (
          <ul
            id={listboxId}
            role="listbox"
            aria-label="People to mention"
            className="mt-1 max-w-sm rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          >
            {mentions.mention.people.map((person, index) => (
              <li
                key={person.handle}
                id={`${listboxId}-${index}`}
                role="option"
                aria-selected={index === mentions.mention?.active}
                // mousedown, so the textarea keeps focus (blur would close the list first).
                onMouseDown={(event) => {
                  event.preventDefault();
                  mentions.insert(person);
                }}
                className={cx(
                  "flex min-h-11 cursor-pointer flex-col",
                  "justify-center rounded px-2 text-sm",
                  index === mentions.mention?.active ? "bg-brand-50 dark:bg-slate-800" : "",
                )}
              >
                <span className="font-medium">{person.name}</span>
                <span className="text-xs text-slate-600 dark:text-slate-400">@{person.handle}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {isHydrated ? <AddPicture picture={picture} /> : null}
      </div>
      {isHydrated ? (
        <div
          id={ids.previewPanel}
          role="tabpanel"
          aria-labelledby={ids.previewTab}
          aria-busy={preview.state === "loading"}
          tabIndex={0}
          hidden={mode !== "preview"}
          className={`min-h-32 overflow-x-auto rounded-lg border px-3 py-2 ${okBorder}`}
        >
          {preview.state === "ready" && mode === "preview" ? (
            // The HTML comes from renderMarkdown's allow-list sanitizer on the server, the same HTML that would be stored.
            <div className="prose-post" dangerouslySetInnerHTML={{ __html: preview.html }} />
          ) : (
            <p
              className={`text-sm ${preview.state === "failed" ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
            >
              {preview.state === "loading"
                ? "Loading preview…"
                : preview.state === "failed"
                  ? preview.message
                  : "Nothing to preview yet."}
            </p>
          )}
        </div>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-x-3">
        <div className="min-w-0 flex-1">
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
        </div>
        {showCounter && maxLength !== undefined ? (
          <div className="mt-1">
            <CharacterCounter id={ids.count} length={length} maxLength={maxLength} />
          </div>
        ) : null}
      </div>
      <FormattingHelp />
    </div>
  );
}
