/** Saves a form's text fields as a server-side draft while the person types (signed-in writers only). */
import { type RefObject, useEffect, useRef, useState } from "react";

export type DraftState = { status: "idle" | "saving" | "saved" | "error"; savedAt: Date | null };

export function useDraftAutosave(formRef: RefObject<HTMLFormElement | null>, draftKey: string | null): DraftState {
  const [state, setState] = useState<DraftState>({ status: "idle", savedAt: null });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const form = formRef.current;
    if (!form || !draftKey) return;
    const save = async () => {
      const content: Record<string, string> = {};
      for (const [key, value] of new FormData(form).entries()) {
        if (typeof value === "string" && key !== "idempotencyKey" && key !== "intent") content[key] = value;
      }
      setState((s) => ({ ...s, status: "saving" }));
      try {
        const res = await fetch("/api/drafts", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ draftKey, content }),
        });
        setState(res.ok ? { status: "saved", savedAt: new Date() } : (s) => ({ ...s, status: "error" }));
      } catch {
        setState((s) => ({ ...s, status: "error" }));
      }
    };
    const onInput = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), 1000);
    };
    form.addEventListener("input", onInput);
    return () => {
      form.removeEventListener("input", onInput);
      clearTimeout(timer.current);
    };
  }, [formRef, draftKey]);
  return state;
}

export function DraftStatus({ status, savedAt }: DraftState) {
  const text =
    status === "saving"
      ? "Saving draft…"
      : status === "saved" && savedAt
        ? "Draft saved"
        : status === "error"
          ? "Draft not saved (we'll retry as you type)"
          : "";
  return (
    <p className="min-h-5 text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
      {text}
    </p>
  );
}
