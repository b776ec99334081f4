/** The fields of a question (title, body, tags, audience, and the space when asking), shared by the ask and edit forms. */
import { useId, useState } from "react";
import { QA_LIMITS } from "~/lib/qa";
import { MarkdownEditor } from "./MarkdownEditor";
import { TagInput } from "./TagInput";
import { type SimilarFound, SimilarQuestions } from "./SimilarQuestions";
import { useIsHydrated } from "~/lib/hydrated";
import { RadioGroup, TextField } from "./ui/Field";
import { cx } from "~/lib/cx";
import { useFieldMessageRole } from "~/lib/forms";

export type SpaceOption = { id: number; name: string; isPlainLanguage: boolean };

function SpaceSelect({
  spaces,
  defaultValue,
  error,
}: {
  spaces: SpaceOption[];
  defaultValue?: string;
  error?: string;
}) {
  const id = useId();
  const errorRole = useFieldMessageRole();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        Space
      </label>
      <select
        id={id}
        name="spaceId"
        defaultValue={defaultValue ?? ""}
        onChange={(event) => {
          // A plain-language space's questions are for business colleagues: ask for plain language there (a click, so
          // the draft's autosave hears it; the asker can still choose otherwise).
          const chosen = spaces.find((space) => String(space.id) === event.currentTarget.value);
          const plain = event.currentTarget.form?.querySelector<HTMLInputElement>(
            'input[name="audience"][value="plain"]',
          );
          if (chosen?.isPlainLanguage && plain && !plain.checked) plain.click();
        }}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        className={cx(
          "block min-h-11 w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900",
          "dark:bg-slate-900 dark:text-slate-100",
          error ? "border-red-600 dark:border-red-400" : "border-slate-300 dark:border-slate-600",
        )}
      >
        <option value="" disabled>
          Choose a space…
        </option>
        {spaces.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} role={errorRole} className="mt-1 text-sm font-medium text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Where people who know the topic will see it.
        </p>
      )}
    </div>
  );
}

/** The Tags hint: suggestions as you type come with JavaScript only; without it, tags are typed with commas between. */
function tagsHint(isHydrated: boolean): string {
  return isHydrated
    ? "Topics like vpn or outlook help the right people find it. Optional for plain-language questions: suggestions appear as you type."
    : "Topics like vpn or outlook help the right people find it, separated by commas. Optional for plain-language questions.";
}

export function QuestionFields({
  values,
  errors,
  spaces,
  similar,
}: {
  values: { title?: string; body?: string; tags?: string; audience?: string; spaceId?: string };
  errors: Record<string, string>;
  /** Only when asking: the spaces still taking questions. */
  spaces?: SpaceOption[];
  /** Only when asking: the questions like the typed title the server found (a refused question, without JavaScript). */
  similar?: SimilarFound;
}) {
  const [title, setTitle] = useState(values.title ?? "");
  const isHydrated = useIsHydrated();
  return (
    <>
      {spaces ? <SpaceSelect spaces={spaces} defaultValue={values.spaceId} error={errors.spaceId} /> : null}
      <TextField
        label="Title"
        name="title"
        defaultValue={values.title}
        error={errors.title}
        required
        maxLength={QA_LIMITS.titleMax + 50}
        autoComplete="off"
        onChange={(event) => setTitle(event.target.value)}
        hint={
          `What goes wrong, and where? ${QA_LIMITS.titleMin}–${QA_LIMITS.titleMax} characters. ` +
          "For example: “Outlook asks for my password every morning on Windows 11”."
        }
      />
      {spaces ? <SimilarQuestions title={title} initial={similar} /> : null}
      <MarkdownEditor
        name="body"
        label="Details"
        rows={10}
        defaultValue={values.body}
        error={errors.body}
        maxLength={QA_LIMITS.bodyMax}
        required
        hint={
          "What you tried, what you expected, what happened (error messages help). " +
          `${QA_LIMITS.bodyMin}–${QA_LIMITS.bodyMax.toLocaleString("en")} characters.`
        }
      />
      <TagInput
        name="tags"
        label="Tags"
        defaultValue={values.tags}
        error={errors.tags}
        max={QA_LIMITS.tagsMax}
        hint={tagsHint(isHydrated)}
      />
      <RadioGroup
        label="How should answers be written?"
        name="audience"
        defaultValue={values.audience ?? "technical"}
        error={errors.isPlainLanguage ?? errors.audience}
        options={[
          {
            value: "plain",
            label: "Plain language please",
            hint: "I'm not in IT: explain it without jargon, step by step.",
          },
          { value: "technical", label: "Technical", hint: "I work in IT: commands, settings and details welcome." },
        ]}
      />
    </>
  );
}
