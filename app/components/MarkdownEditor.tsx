/** Markdown textarea with a Write/Preview switch. Without JavaScript it is a plain textarea. */
import type { ReactNode } from "react";
import { TextAreaField } from "~/components/ui/Field";

export type MarkdownEditorProps = {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  hint?: ReactNode;
  rows?: number;
  maxLength?: number;
  required?: boolean;
};

export function MarkdownEditor({ name, label, defaultValue, error, hint, rows = 8, maxLength, required }: MarkdownEditorProps) {
  return <TextAreaField name={name} label={label} defaultValue={defaultValue} error={error} hint={hint ?? "Markdown: **bold**, `code`, ```fenced code```, lists, links."} rows={rows} maxLength={maxLength} required={required} />;
}
