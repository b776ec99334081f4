/** The answer form under a question: Markdown editor with draft autosave, or why this reader can't answer. */
import { Form, Link, useActionData, useLocation, useNavigation } from "@remix-run/react";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { DraftStatus, useDraftAutosave } from "~/components/DraftAutosave";
import { GlossaryHint } from "~/components/GlossaryHint";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { type QaActionResult, useQaPage } from "~/components/QaPageContext";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { KeptText } from "~/components/KeptText";
import { QA_LIMITS } from "~/lib/qa";
import { useOptionalUser } from "~/root";
import { HEADING_LEVEL } from "~/lib/heading-levels";
import { moveFocusTo } from "~/lib/focus";

type AnswerFormProps = {
  isClosed: boolean;
  questionId: number;
  idempotencyKey: string;
  isArchived: boolean;
  isPlainLanguage: boolean;
  formRef: RefObject<HTMLFormElement>;
};

/**
 * For the question page, which outlives its answer form: once posting an answer has settled, focus the new answer (the
 * address's anchor), or what went wrong in the form. Returns how many answers this person has posted from the page: the
 * page keys the form by it, so the box empties after their own answer only, never because others' answers arrived.
 */
export function useFocusAfterAnswering(formRef: RefObject<HTMLFormElement>): number {
  const result = useActionData<QaActionResult>();
  const navigation = useNavigation();
  const location = useLocation();
  const isAnswering = useRef(false);
  const [postedCount, setPostedCount] = useState(0);
  const failed = result && result.intent === "answer" && !result.ok ? result : undefined;
  useEffect(() => {
    if (navigation.state === "submitting" && navigation.formData?.get("intent") === "answer")
      isAnswering.current = true;
    if (navigation.state !== "idle" || !isAnswering.current) return;
    isAnswering.current = false;
    const form = formRef.current;
    if (failed?.fieldErrors?.body) moveFocusTo(form?.querySelector("textarea[name=body]"));
    else if (failed) moveFocusTo(form?.querySelector(":scope > [role=alert]"));
    else {
      setPostedCount((n) => n + 1);
      if (location.hash) moveFocusTo(document.getElementById(decodeURIComponent(location.hash.slice(1))));
    }
  }, [navigation, failed, location.hash, formRef]);
  return postedCount;
}

export function AnswerForm({
  isClosed,
  questionId,
  idempotencyKey,
  isArchived,
  isPlainLanguage,
  formRef,
}: AnswerFormProps) {
  const result = useActionData<QaActionResult>();
  const navigation = useNavigation();
  const user = useOptionalUser();
  const location = useLocation();
  const page = useQaPage();
  const draftState = useDraftAutosave(formRef, user ? `answer:${questionId}` : null);
  const failed = result && result.intent === "answer" && !result.ok ? result : undefined;
  const isSubmitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "answer";
  // The form is gone (closed, archived, or this account can't answer now): a refused answer's text is shown to copy.
  if (isClosed) return <UnpostedAnswer failed={failed} />;
  if (isArchived)
    return <NoAnswerForm failed={failed}>This space is archived, so it takes no new answers.</NoAnswerForm>;
  if (page.viewer && !page.viewer.canAnswer)
    return <NoAnswerForm failed={failed}>Your account can't post answers right now.</NoAnswerForm>;
  if (!user) {
    return (
      <NoAnswerForm failed={failed}>
        <Link to={`/signin?redirectTo=${encodeURIComponent(location.pathname)}`}>Sign in</Link> or{" "}
        <Link to="/signup">join PeerDesk</Link> to answer this question.
      </NoAnswerForm>
    );
  }
  return (
    // Posted without JavaScript, the page comes back at this form, where a refusal's message is.
    <Form
      ref={formRef}
      method="post"
      action={`${page.formAction}#your-answer-heading`}
      preventScrollReset
      className="space-y-3"
      noValidate
    >
      {failed?.message && !failed.fieldErrors?.body ? <FormAlert>{failed.message}</FormAlert> : null}
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <MarkdownEditor
        name="body"
        label="Your answer"
        headingLevel={HEADING_LEVEL.answer}
        rows={8}
        maxLength={QA_LIMITS.bodyMax}
        defaultValue={failed?.values?.body}
        error={failed?.fieldErrors?.body}
        hint={
          // The asker asked for plain language: so does the hint.
          isPlainLanguage
            ? `Explain it step by step in everyday words, and say what it depends on. ${QA_LIMITS.bodyMin}–${QA_LIMITS.bodyMax.toLocaleString("en")} characters.`
            : "Explain the fix step by step; say what it depends on. " +
              `${QA_LIMITS.bodyMin}–${QA_LIMITS.bodyMax.toLocaleString("en")} characters; \`\`\` around a block of code.`
        }
        required
      />
      {/* The asker wants plain language: point out the jargon in the draft. */}
      {isPlainLanguage ? <GlossaryHint formRef={formRef} fieldName="body" /> : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Posting your answer…" : "Post your answer"}
        </Button>
        <DraftStatus {...draftState} />
      </div>
    </Form>
  );
}

/** Why there is no answer box here, and a refused answer's text (sent before the box went) to copy. */
function NoAnswerForm({ children, failed }: { children: ReactNode; failed: QaActionResult | undefined }) {
  return (
    <>
      <p className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">{children}</p>
      <UnpostedAnswer failed={failed} />
    </>
  );
}

/** An answer refused because its question was closed, or its space archived, meanwhile: the box is gone, so its text is shown to copy. */
function UnpostedAnswer({ failed }: { failed: QaActionResult | undefined }) {
  const text = failed?.values?.body?.trim();
  if (!failed || !text) return null;
  return (
    <div className="space-y-2">
      {/* A field's message too: there is no field here to show it beside. */}
      <FormAlert>{failed.fieldErrors?.body ?? failed.message}</FormAlert>
      <KeptText id="unposted-answer" label="Your answer (not posted)" text={text} rows={8} />
    </div>
  );
}
