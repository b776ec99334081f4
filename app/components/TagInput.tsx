/** Tag entry: comma-separated tags, normalised on the server (lower-case, hyphens, no duplicates). */
import type { ReactNode } from "react";
import { TextField } from "~/components/ui/Field";

export type TagInputProps = { name: string; label: string; defaultValue?: string; error?: string; hint?: ReactNode; max?: number };

export function TagInput({ name, label, defaultValue, error, hint, max = 5 }: TagInputProps) {
  return <TextField name={name} label={label} defaultValue={defaultValue} error={error} hint={hint ?? `1 to ${max} tags, separated by commas. For example: vpn, windows-11`} autoComplete="off" />;
}
