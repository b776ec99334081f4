/**
 * The how-to form's fields, shared by writing, editing and suggesting an edit. Steps can be added, removed
 * and reordered with JavaScript; without it the form shows blank step fields and an "add more steps" button
 * that sends the form back with more (nothing typed is lost either way).
 */
import { useEffect, useRef, useState } from "react";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { TagInput } from "~/components/TagInput";
import { useIsHydrated } from "~/lib/hydrated";
import { CheckboxField, RadioGroup, TextAreaField, TextField } from "~/components/ui/Field";
import { DIFFICULTY_LABELS, DIFFICULTY_OPTIONS, HOWTO_LIMITS, STEP_FIELD, stepFieldName } from "~/lib/howtos";
import { cx } from "~/lib/cx";
import { HEADING_LEVEL } from "~/lib/heading-levels";

export type HowtoFormMode = "new" | "edit" | "suggest";

/** The step fields of a form's values in order, blanks included, padded with blanks to at least `minimum`. */
function initialSteps(values: Record<string, string>, minimum: number): string[] {
  const steps = Object.entries(values)
    .flatMap(([key, value]) => {
      const match = STEP_FIELD.exec(key);
      return match ? [{ index: Number(match[1]), value }] : [];
    })
    .sort((a, b) => a.index - b.index)
    .map((s) => s.value);
  while (steps.length < Math.min(minimum, HOWTO_LIMITS.stepsMax)) steps.push("");
  return steps;
}

const smallButton = cx(
  "inline-flex min-h-11 min-w-11 items-center justify-center rounded-md border border-slate-300 bg-white px-2",
  "text-sm text-slate-800 hover:bg-slate-50 disabled:opacity-40",
  "dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
);

let nextKey = 1;

function StepsEditor({
  values,
  errors,
  minimumSteps,
  onChange,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  minimumSteps: number;
  onChange: () => void;
}) {
  const isHydrated = useIsHydrated();
  // Keys are stable per step, so moving a step moves its (uncontrolled) text field with what was typed in it.
  const [keys, setKeys] = useState<{ key: number; initial: string }[]>(() =>
    initialSteps(values, minimumSteps).map((initial) => ({ key: nextKey++, initial })),
  );
  const [announcement, setAnnouncement] = useState("");
  const focusAfter = useRef<{ key: number; control: "up" | "down" | "field" } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after the steps (keys) re-render, to move focus there
  useEffect(() => {
    const wanted = focusAfter.current;
    if (!wanted) return;
    focusAfter.current = null;
    const item = listRef.current?.querySelector<HTMLElement>(`[data-step-key="${wanted.key}"]`);
    // A step moved to the top or bottom has that move button disabled: its other one keeps the keyboard in the tools.
    const target =
      wanted.control === "field"
        ? item?.querySelector<HTMLElement>("textarea")
        : (item?.querySelector<HTMLElement>(`[data-move="${wanted.control}"]:not(:disabled)`) ??
          item?.querySelector<HTMLElement>("[data-move]:not(:disabled)"));
    (target ?? item?.querySelector<HTMLElement>("textarea") ?? addRef.current)?.focus();
  }, [keys]);

  const change = (
    next: { key: number; initial: string }[],
    message: string,
    focus: { key: number; control: "up" | "down" | "field" } | null,
  ) => {
    focusAfter.current = focus;
    setKeys(next);
    setAnnouncement(message);
    // Let the draft autosave see the new order (it listens for input events).
    setTimeout(onChange, 0);
  };
  const move = (index: number, by: -1 | 1) => {
    const target = index + by;
    const item = keys[index];
    if (!item || target < 0 || target >= keys.length) return;
    const next = [...keys];
    next.splice(index, 1);
    next.splice(target, 0, item);
    change(next, `Step ${index + 1} moved to position ${target + 1}.`, {
      key: item.key,
      control: by === -1 ? "up" : "down",
    });
  };
  const remove = (index: number) => {
    const next = keys.filter((_, i) => i !== index);
    const neighbour = next[Math.min(index, next.length - 1)];
    change(next, `Step ${index + 1} removed.`, neighbour ? { key: neighbour.key, control: "field" } : null);
  };
  const add = () => {
    const item = { key: nextKey++, initial: "" };
    change([...keys, item], `Step ${keys.length + 1} added.`, { key: item.key, control: "field" });
  };

  return (
    <fieldset className="space-y-3" aria-describedby={errors.steps ? "steps-error" : "steps-hint"}>
      <legend className="text-base font-semibold">Steps</legend>
      <p id="steps-hint" className="text-sm text-slate-600 dark:text-slate-400">
        One action per step, {HOWTO_LIMITS.stepsMin} to {HOWTO_LIMITS.stepsMax} steps. Empty step fields are ignored.
        You can format text: **bold**, `code`, lists, links.
      </p>
      {errors.steps ? (
        <p id="steps-error" role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          {errors.steps}
        </p>
      ) : null}
      <ol ref={listRef} className="space-y-4">
        {keys.map((item, i) => (
          <li
            key={item.key}
            data-step-key={item.key}
            className="rounded-lg border border-slate-200 p-3 dark:border-slate-800"
          >
            <MarkdownEditor
              name={stepFieldName(i)}
              label={`Step ${i + 1}`}
              headingLevel={HEADING_LEVEL.step}
              defaultValue={item.initial}
              error={errors[`steps.${i}`]}
              rows={3}
              hint=""
              maxLength={HOWTO_LIMITS.stepMax}
            />
            {isHydrated ? (
              <div className="mt-2 flex flex-wrap gap-2">
                <button
                  type="button"
                  data-move="up"
                  className={smallButton}
                  onClick={() => move(i, -1)}
                  disabled={i === 0}
                  aria-label={`Move step ${i + 1} up`}
                >
                  <span aria-hidden="true">↑</span>&nbsp;Up
                </button>
                <button
                  type="button"
                  data-move="down"
                  className={smallButton}
                  onClick={() => move(i, 1)}
                  disabled={i === keys.length - 1}
                  aria-label={`Move step ${i + 1} down`}
                >
                  <span aria-hidden="true">↓</span>&nbsp;Down
                </button>
                <button
                  type="button"
                  className={smallButton}
                  onClick={() => remove(i)}
                  disabled={keys.length <= 1}
                  aria-label={`Remove step ${i + 1}`}
                >
                  Remove
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      {isHydrated ? (
        <button
          ref={addRef}
          type="button"
          className={smallButton}
          onClick={add}
          disabled={keys.length >= HOWTO_LIMITS.stepsMax}
        >
          + Add a step
        </button>
      ) : keys.length < HOWTO_LIMITS.stepsMax ? (
        <button type="submit" name="intent" value="addSteps" formNoValidate className={smallButton}>
          Add more steps
        </button>
      ) : null}
    </fieldset>
  );
}

export function HowtoFields({
  mode,
  values,
  errors,
  spaces = [],
  minimumSteps,
  onStepsChange = () => undefined,
}: {
  mode: HowtoFormMode;
  values: Record<string, string>;
  errors: Record<string, string>;
  spaces?: { id: number; name: string; isPlainLanguage: boolean }[];
  /** How many step fields to show at least (blank ones pad the list). */
  minimumSteps: number;
  onStepsChange?: () => void;
}) {
  return (
    <div className="space-y-5">
      {mode === "new" ? (
        <div>
          <label htmlFor="howto-space" className="mb-1 block text-sm font-medium">
            Space
          </label>
          <select
            id="howto-space"
            name="spaceId"
            defaultValue={values.spaceId ?? ""}
            aria-invalid={errors.spaceId ? true : undefined}
            aria-describedby={errors.spaceId ? "howto-space-error" : undefined}
            className={cx(
              "block w-full rounded-lg border bg-white px-3 py-2 text-base",
              "dark:bg-slate-900",
              errors.spaceId ? "border-red-600" : "border-slate-300 dark:border-slate-600",
            )}
          >
            <option value="">Choose a space…</option>
            {spaces.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {errors.spaceId ? (
            <p id="howto-space-error" role="alert" className="mt-1 text-sm font-medium text-red-700 dark:text-red-400">
              {errors.spaceId}
            </p>
          ) : null}
        </div>
      ) : null}
      <TextField
        label="Title"
        name="title"
        defaultValue={values.title}
        error={errors.title}
        maxLength={HOWTO_LIMITS.titleMax + 50}
        hint={`What will the reader be able to do? ${HOWTO_LIMITS.titleMin} to ${HOWTO_LIMITS.titleMax} characters, e.g. "Set up a shared mailbox in Outlook".`}
      />
      <TextAreaField
        label="Summary"
        name="summary"
        rows={3}
        defaultValue={values.summary}
        error={errors.summary}
        maxLength={HOWTO_LIMITS.summaryMax + 100}
        hint={`One paragraph: what this achieves and who it is for (${HOWTO_LIMITS.summaryMin} to ${HOWTO_LIMITS.summaryMax} characters).`}
      />
      <TextField
        label="Applies to"
        name="appliesTo"
        defaultValue={values.appliesTo}
        error={errors.appliesTo}
        maxLength={HOWTO_LIMITS.appliesToMax + 30}
        hint="Product and version, e.g. “Outlook for Windows (Microsoft 365), version 2405”."
      />
      <RadioGroup
        label="Difficulty"
        name="difficulty"
        defaultValue={values.difficulty}
        error={errors.difficulty}
        options={DIFFICULTY_OPTIONS.map((d) => ({
          value: d,
          label: DIFFICULTY_LABELS[d],
          hint:
            d === "beginner"
              ? "Anyone can follow it."
              : d === "intermediate"
                ? "Some IT experience helps."
                : "For IT professionals.",
        }))}
      />
      <TextField
        label="Estimated time (minutes)"
        name="estimatedMinutes"
        type="number"
        inputMode="numeric"
        min={HOWTO_LIMITS.minutesMin}
        max={HOWTO_LIMITS.minutesMax}
        defaultValue={values.estimatedMinutes}
        error={errors.estimatedMinutes}
        hint={`Roughly how long it takes, ${HOWTO_LIMITS.minutesMin} to ${HOWTO_LIMITS.minutesMax} minutes.`}
        className="max-w-xs"
      />
      {mode === "suggest" ? null : (
        <CheckboxField
          name="plainLanguage"
          label="Written in plain language"
          hint="For business colleagues: no jargon, every click spelled out."
          defaultChecked={values.plainLanguage === "on"}
        />
      )}
      <MarkdownEditor
        name="prerequisites"
        label="Before you start (optional)"
        headingLevel={HEADING_LEVEL.prerequisites}
        rows={3}
        maxLength={HOWTO_LIMITS.prerequisitesMax}
        defaultValue={values.prerequisites}
        error={errors.prerequisites}
        hint="What the reader needs first: access, software, a phone nearby… Lists and **bold** work."
      />
      <StepsEditor values={values} errors={errors} minimumSteps={minimumSteps} onChange={onStepsChange} />
      <TagInput
        name="tags"
        label="Tags (optional)"
        defaultValue={values.tags}
        error={errors.tags}
        hint={`Up to ${HOWTO_LIMITS.tagsMax} tags, separated by commas. For example: outlook, shared-mailbox`}
      />
      {mode === "new" ? null : (
        <TextField
          label={mode === "suggest" ? "What did you change, and why?" : "Edit note (optional)"}
          name="note"
          defaultValue={values.note}
          error={errors.note}
          maxLength={HOWTO_LIMITS.noteMax + 50}
          hint={
            mode === "suggest"
              ? "The author sees this with your suggestion."
              : "Shown in the revision history, e.g. “Updated for version 2405”."
          }
        />
      )}
    </div>
  );
}
