/** The fields that say why a question is closed (reason, original, what is missing): one form on its page and in the review queue. */
import { RadioGroup, TextAreaField, TextField } from "./ui/Field";

export const CLOSE_REASON_OPTIONS = [
  { value: "duplicate", label: "It has been asked before", hint: "Give the link to the original question below." },
  {
    value: "off_topic",
    label: "It doesn't belong on PeerDesk",
    hint: "Not about work, tools or how we do things here.",
  },
  {
    value: "needs_details",
    label: "It needs more details",
    hint: "Say below what is missing, so the asker can add it.",
  },
];

export function CloseReasonFields({
  values = {},
  errors = {},
}: {
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  return (
    <>
      <RadioGroup
        label="Why should it be closed?"
        name="reason"
        options={CLOSE_REASON_OPTIONS}
        defaultValue={values.reason}
        error={errors.reason}
        required
      />
      <TextField
        label="Link to the original question (for a duplicate)"
        name="duplicateOf"
        defaultValue={values.duplicateOf}
        error={errors.duplicateOf}
        hint="Paste its address, for example /q/42, or just its number."
        maxLength={500}
      />
      <TextAreaField
        label="What is missing, or a note for the asker"
        name="details"
        rows={3}
        defaultValue={values.details}
        error={errors.details}
        maxLength={500}
        hint="Needed when it lacks details: say what would let people answer."
      />
    </>
  );
}
