/** The add/edit form of a glossary entry: a plain form that works without JavaScript and shows errors beside the fields it keeps. */
import { Form, useNavigation } from "@remix-run/react";
import { CurrentVersion } from "~/components/CurrentVersion";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextAreaField, TextField } from "~/components/ui/Field";
import type { FieldErrors } from "~/lib/forms";
import { FIELD_LEEWAY } from "~/lib/forms";

export type GlossaryFormValues = { term: string; expansion: string; explanation: string; synonyms: string };
export type GlossaryFormLimits = {
  termMax: number;
  expansionMax: number;
  explanationMax: number;
  synonymsMax: number;
  synonymMax: number;
};
export type GlossaryActionData = {
  message?: string;
  fieldErrors: FieldErrors;
  values?: Record<string, string>;
  /** The entry as it is now, after a save refused because someone changed it meanwhile, and who changed it when. */
  current?: GlossaryFormValues & { updatedByName: string | null; updatedAt: string };
};

type GlossaryEntryFormProps = {
  initial: GlossaryFormValues;
  limits: GlossaryFormLimits;
  result?: GlossaryActionData;
  submitLabel: string;
  /** Editing: when the entry was last changed (ISO), so a save never silently replaces someone else's change. */
  baseUpdatedAt?: string;
};

const TERM_HINT =
  "As it is usually written: lowercase for ordinary words (firewall), capitals for names and acronyms (Teams, VPN). " +
  "Names with capitals are recognised in posts only when written the same way.";

export function GlossaryEntryForm({ initial, limits, result, submitLabel, baseUpdatedAt }: GlossaryEntryFormProps) {
  const navigation = useNavigation();
  const isSaving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  const values = result?.values;
  const errors = result?.fieldErrors ?? {};
  const value = (name: keyof GlossaryFormValues) => values?.[name] ?? initial[name];
  return (
    <Form method="post" className="space-y-4" noValidate>
      {result?.message ? <FormAlert focusOn={result}>{result.message}</FormAlert> : null}
      <input type="hidden" name="intent" value="save" />
      {baseUpdatedAt ? (
        <input type="hidden" name="baseUpdatedAt" value={values?.baseUpdatedAt ?? baseUpdatedAt} />
      ) : null}
      <TextField
        label="Term"
        name="term"
        defaultValue={value("term")}
        error={errors.term}
        maxLength={limits.termMax}
        required
        hint={TERM_HINT}
      />
      <TextField
        label="Full name (optional)"
        name="expansion"
        defaultValue={value("expansion")}
        error={errors.expansion}
        maxLength={limits.expansionMax}
        hint="What an acronym stands for, e.g. “virtual private network”."
      />
      <TextAreaField
        label="Plain-language explanation"
        name="explanation"
        rows={4}
        defaultValue={value("explanation")}
        error={errors.explanation}
        maxLength={limits.explanationMax}
        required
        hint="One or two sentences for a business colleague: what it is and why it matters to them. No other jargon."
      />
      <TextAreaField
        label="Synonyms (optional)"
        name="synonyms"
        rows={2}
        maxLength={limits.synonymsMax * (limits.synonymMax + 2) + FIELD_LEEWAY}
        defaultValue={value("synonyms")}
        error={errors.synonyms}
        hint="Other names people search for, separated by commas: e.g. 2FA, two-step verification. Search finds posts using any of them."
      />
      {result?.current ? (
        <CurrentVersion
          heading="The entry as it is now"
          rows={[
            ["Term", result.current.term],
            ["Full name", result.current.expansion],
            ["Plain-language explanation", result.current.explanation],
            ["Synonyms", result.current.synonyms],
          ]}
        />
      ) : null}
      <Button type="submit" disabled={isSaving}>
        {isSaving ? "Saving…" : submitLabel}
      </Button>
    </Form>
  );
}
