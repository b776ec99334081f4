/** Labelled form controls that show their error beside the field and keep the typed value. */
import { useActionData } from "@remix-run/react";
import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId, useRef } from "react";
import { useFocusWhenSettled } from "~/lib/focus";
import { ACCOUNT_LIMITS } from "~/lib/account-limits";
import { FIELD_LEEWAY, useFieldMessageRole } from "~/lib/forms";

const controlClass =
  "block w-full rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 dark:bg-slate-900 dark:text-slate-100";
const okBorder = "border-slate-300 dark:border-slate-600";
const errorBorder = "border-red-600 dark:border-red-400";

type Common = { label: string; error?: string; hint?: ReactNode };

function Describe({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  const role = useFieldMessageRole();
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700 dark:text-red-400" role={role}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** What marks a control (or a group of them) as refused, in page order: the first one takes focus after a submit. */
const INVALID = '[aria-invalid="true"], [data-invalid]';

/**
 * After a refused submit (a new action result) moves focus to this control when it is the first refused one in its
 * form and nothing took focus already (a form's `FormAlert focusOn`, rendered above the fields, goes first). Otherwise
 * focus would stay on `body` once the submit button is disabled, and keyboard users would start again from the top.
 */
function useFocusWhenRefused(error: string | undefined, control: () => HTMLElement | null | undefined) {
  const result = useActionData();
  useFocusWhenSettled(error ? result : null, () => {
    const element = control();
    const active = document.activeElement;
    if (!element || active?.closest('[role="alert"]')) return null;
    const scope = element.closest("form") ?? document.body;
    const first = scope.querySelector(INVALID);
    return first && (first === element || first.contains(element)) ? element : null;
  });
}

function describedBy(id: string, hint: ReactNode, error?: string) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/**
 * A one-line field's cap when its form names none: an address's or a password's own limit with room for the server to
 * say so, else more than any one-line field here takes. Either way a stray paste stops in the field, well inside every
 * request's size limit, instead of having the whole form refused.
 */
function defaultMaxLength(type: string | undefined): number {
  if (type === "password") return ACCOUNT_LIMITS.passwordMax + FIELD_LEEWAY;
  if (type === "email") return ACCOUNT_LIMITS.emailMax + FIELD_LEEWAY;
  return 1000;
}

export function TextField({
  label,
  error,
  hint,
  className,
  maxLength,
  ...props
}: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  useFocusWhenRefused(error, () => ref.current);
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        maxLength={maxLength ?? defaultMaxLength(props.type)}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${controlClass} ${error ? errorBorder : okBorder}`}
      />
      <Describe id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextAreaField({
  label,
  error,
  hint,
  className,
  ...props
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  useFocusWhenRefused(error, () => ref.current);
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${controlClass} ${error ? errorBorder : okBorder}`}
      />
      <Describe id={id} hint={hint} error={error} />
    </div>
  );
}

export function RadioGroup({
  label,
  name,
  options,
  defaultValue,
  error,
  required = false,
}: {
  label: string;
  name: string;
  options: { value: string; label: string; hint?: string }[];
  defaultValue?: string;
  error?: string;
  /** No option is preselected: the person must choose (the legend says so). */
  required?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLFieldSetElement>(null);
  // The chosen option takes focus, else the first: arrow keys then move between them.
  useFocusWhenRefused(error, () => {
    const radios = ref.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]');
    return radios ? (Array.from(radios).find((radio) => radio.checked) ?? radios[0]) : null;
  });
  return (
    <fieldset ref={ref} aria-describedby={error ? `${id}-error` : undefined} data-invalid={error ? "" : undefined}>
      <legend className="mb-1 text-sm font-medium">
        {label}
        {required ? <span className="font-normal text-slate-600 dark:text-slate-400"> (choose one)</span> : null}
      </legend>
      <div className="space-y-2">
        {options.map((o) => (
          <label
            key={o.value}
            className="flex items-start gap-2 rounded-lg border border-slate-300 p-3 dark:border-slate-600"
          >
            <input
              type="radio"
              name={name}
              value={o.value}
              defaultChecked={defaultValue === o.value}
              className="mt-1 size-4 accent-brand-600"
            />
            <span>
              <span className="block font-medium">{o.label}</span>
              {o.hint ? <span className="block text-sm text-slate-600 dark:text-slate-400">{o.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <Describe id={id} error={error} />
    </fieldset>
  );
}

export function CheckboxField({
  label,
  hint,
  name,
  defaultChecked,
}: {
  label: string;
  hint?: string;
  name: string;
  defaultChecked?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        name={name}
        value="on"
        defaultChecked={defaultChecked}
        className="mt-1 size-4 accent-brand-600"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-sm text-slate-600 dark:text-slate-400">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/**
 * A form's message above its fields. `focusOn`: the form's result (action data); each new one moves focus here, so
 * after a submit (its button disabled while sending, dropping focus to the page) keyboard and screen-reader users
 * start from the message. Without JavaScript the page loads again and starts at the top, where it is.
 */
export function FormAlert({
  children,
  tone = "error",
  focusOn,
}: {
  children: ReactNode;
  tone?: "error" | "success";
  focusOn?: unknown;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusWhenSettled(focusOn, () => ref.current);
  const styles =
    tone === "error"
      ? "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
      : "border-green-300 bg-green-50 text-green-800 dark:border-green-800 dark:bg-green-950 dark:text-green-200";
  return (
    <div ref={ref} role={tone === "error" ? "alert" : "status"} className={`rounded-lg border p-3 text-sm ${styles}`}>
      {children}
    </div>
  );
}
