/** Saves a form's text fields as a server-side draft while the person types (signed-in writers only). */
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { FormAlert } from "~/components/ui/Field";
import { cx } from "~/lib/cx";

/** The `intent` of a form's "Discard my changes" button: its action deletes the draft and shows the form afresh. */
export const DISCARD_DRAFT_INTENT = "discardDraft";

/** `cleared`: everything typed was cleared again, so no draft is kept (an earlier one was removed). */
export type DraftState = {
  status: "idle" | "saving" | "saved" | "cleared" | "error" | "signedOut";
  savedAt: Date | null;
};

/**
 * Whether leaving keeps a draft: one was restored or saved since the page opened, unless everything typed was cleared
 * again (the server then removed it).
 */
export function draftIsKept(hasDraft: boolean, state: DraftState): boolean {
  return state.status !== "cleared" && (hasDraft || state.savedAt !== null);
}

export function useDraftAutosave(formRef: RefObject<HTMLFormElement | null>, draftKey: string | null): DraftState {
  const [state, setState] = useState<DraftState>({ status: "idle", savedAt: null });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const form = formRef.current;
    if (!form || !draftKey) return;
    /** Whether text typed since the last save waits for the pause before it is saved. */
    let isPending = false;
    const save = async ({ isLeaving = false } = {}) => {
      isPending = false;
      clearTimeout(timer.current);
      const content: Record<string, string> = {};
      for (const [key, value] of new FormData(form).entries()) {
        if (typeof value === "string" && key !== "idempotencyKey" && key !== "intent") content[key] = value;
      }
      const body = JSON.stringify({ draftKey, content });
      if (!isLeaving) setState((s) => ({ ...s, status: "saving" }));
      try {
        const res = await fetch("/api/drafts", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          // Leaving the page: the request outlives it (browsers allow it for bodies up to 64 KB).
          keepalive: isLeaving && body.length < 60_000,
        });
        if (isLeaving) return;
        const reply: unknown = res.ok ? await res.json().catch(() => null) : null;
        if (reply && typeof reply === "object" && "discarded" in reply && reply.discarded === true) {
          setState({ status: "cleared", savedAt: null });
          return;
        }
        const status = res.ok ? "saved" : res.status === 401 ? "signedOut" : "error";
        setState((s) => ({ status, savedAt: res.ok ? new Date() : s.savedAt }));
      } catch {
        if (!isLeaving) setState((s) => ({ ...s, status: "error" }));
      }
    };
    const onInput = () => {
      isPending = true;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), 1000);
    };
    // Sent, the text is in the post: a draft saved after it would come back as "the question you started earlier".
    // Discarded, there is no draft any more, so "Draft saved" would be untrue.
    const onSubmit = (event: SubmitEvent) => {
      isPending = false;
      clearTimeout(timer.current);
      if (event.submitter?.getAttribute("value") === DISCARD_DRAFT_INTENT) setState({ status: "idle", savedAt: null });
    };
    // Typed within the last second before leaving (a link, Back, closing the tab, switching apps): saved now, or the
    // older draft would come back in its place.
    const flush = () => {
      if (isPending) void save({ isLeaving: true });
    };
    const onHidden = () => {
      if (document.visibilityState === "hidden") flush();
    };
    form.addEventListener("input", onInput);
    form.addEventListener("submit", onSubmit);
    document.addEventListener("visibilitychange", onHidden);
    window.addEventListener("pagehide", flush);
    // Typed before the page's script had started (a slow phone): no input event will come for it, so save it now.
    if (hasTypedBeforeHydration(form)) onInput();
    return () => {
      form.removeEventListener("input", onInput);
      form.removeEventListener("submit", onSubmit);
      document.removeEventListener("visibilitychange", onHidden);
      window.removeEventListener("pagehide", flush);
      flush();
      clearTimeout(timer.current);
    };
  }, [formRef, draftKey]);
  return state;
}

/** Whether a field of `form` differs from what the server put in it (text the page's script never saw typed). */
function hasTypedBeforeHydration(form: HTMLFormElement): boolean {
  return Array.from(form.elements).some((element) => {
    if (element instanceof HTMLTextAreaElement) return element.value !== element.defaultValue;
    if (!(element instanceof HTMLInputElement) || element.type === "hidden") return false;
    if (element.type === "checkbox" || element.type === "radio") return element.checked !== element.defaultChecked;
    return element.value !== element.defaultValue;
  });
}

export function DraftStatus({ status, savedAt }: DraftState) {
  const text =
    status === "saving"
      ? "Saving draft…"
      : status === "saved" && savedAt
        ? "Draft saved"
        : status === "error"
          ? "Draft not saved (we'll retry as you type)"
          : status === "signedOut"
            ? "Draft not saved: you've been signed out. Sending it will ask you to sign in, and keep what you typed."
            : "";
  return (
    <p className="min-h-5 text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
      {text}
    </p>
  );
}

/** Throws the saved draft away: a submit button, so it works without JavaScript (the form's action handles it). */
export function DiscardDraftButton() {
  return (
    <button
      type="submit"
      name="intent"
      value={DISCARD_DRAFT_INTENT}
      formNoValidate
      className={cx(
        "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 text-sm font-semibold",
        "text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
      )}
    >
      Discard my changes
    </button>
  );
}

/**
 * "We restored the <what> you started earlier", with the way to throw it away: the Discard button of the form it sits
 * in, or `discard` (a form of its own, where the notice is outside the draft's form).
 */
export function RestoredDraftNotice({ what, discard }: { what: string; discard?: ReactNode }) {
  return (
    <FormAlert tone="success">
      <p className="mb-2">We restored the {what} you started earlier.</p>
      {discard ?? <DiscardDraftButton />}
    </FormAlert>
  );
}

/**
 * Says that leaving keeps the draft (so Cancel never keeps it silently), with the way to throw it away unless one is
 * already shown beside the "we restored" notice.
 */
export function KeptDraftNote({ canDiscard }: { canDiscard: boolean }) {
  return (
    <div className="flex basis-full flex-wrap items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
      <p>Leaving keeps your changes as a draft for next time.</p>
      {canDiscard ? <DiscardDraftButton /> : null}
    </div>
  );
}
