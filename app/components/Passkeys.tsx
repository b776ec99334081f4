/**
 * The browser half of passkeys: "Sign in with a passkey" and "Add a passkey" run the WebAuthn prompt through
 * @simplewebauthn/browser and talk to /api/auth/passkey/*; without JavaScript or WebAuthn they explain instead.
 */
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { type FormEvent, useEffect, useId, useState } from "react";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextField } from "~/components/ui/Field";

type Status = { tone: "error" | "success"; message: string } | null;

async function postJson(path: string, body: unknown): Promise<{ ok: boolean; data: Record<string, unknown> }> {
  const response = await fetch(`/api/auth/passkey/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === "object") data = parsed as Record<string, unknown>;
  } catch {
    // An empty or non-JSON answer is reported with the general message below.
  }
  if (response.status === 429) data.message = "Too many tries. Please wait a minute and try again.";
  return { ok: response.ok, data };
}

function messageOf(data: Record<string, unknown>, fallback: string): string {
  return typeof data.message === "string" && data.message ? data.message : fallback;
}

/** The person closed the prompt or it timed out: say so plainly rather than as an error code. */
function promptMessage(error: unknown, action: string): string {
  if (error instanceof Error && error.name === "NotAllowedError") return `${action} was cancelled or timed out.`;
  if (error instanceof Error && error.name === "InvalidStateError") return "This device already has a passkey here.";
  return `${action} didn't work on this device. Try again, or use another way.`;
}

/**
 * The server's page (and the browser's first render, so hydration matches) cannot know whether script runs, so the
 * button is shown disabled with this note, which CSS shows only where scripting is off (`noscript:`, a media query: no
 * flash where it is on). Once script runs the note is gone, and the button is enabled or, without WebAuthn, explained.
 */
function NeedsJavaScript({ id, otherWay }: { id: string; otherWay: string }) {
  return (
    <p id={id} className="hidden text-sm text-slate-600 noscript:block dark:text-slate-400">
      Passkeys need JavaScript, which is off in this browser. {otherWay}
    </p>
  );
}

/** Null until the page runs in a browser with JavaScript; then whether this browser can use passkeys. */
function useWebAuthn(): boolean | null {
  const [supported, setSupported] = useState<boolean | null>(null);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  return supported;
}

/** Signs in with a passkey on this device, then goes to `redirectTo` (already checked by the server). */
export function PasskeySignIn({
  redirectTo,
  label = "Use a passkey",
  otherWay = "Sign in another way below.",
}: {
  redirectTo: string;
  label?: string;
  /** Said after "Passkeys need JavaScript…" when script is off: what to do instead. */
  otherWay?: string;
}) {
  const supported = useWebAuthn();
  const noteId = useId();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  async function signIn() {
    setBusy(true);
    setStatus(null);
    try {
      const options = await postJson("sign-in-options", {});
      if (!options.ok) throw new Error(messageOf(options.data, "We couldn't start a passkey sign-in."));
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options.data.options as never });
      } catch (error) {
        setStatus({ tone: "error", message: promptMessage(error, "Passkey sign-in") });
        return;
      }
      const result = await postJson("sign-in", { challengeId: options.data.challengeId, response });
      if (!result.ok) throw new Error(messageOf(result.data, "That passkey wasn't accepted."));
      window.location.assign(redirectTo);
    } catch (error) {
      setStatus({ tone: "error", message: error instanceof Error ? error.message : "Please try again." });
    } finally {
      setBusy(false);
    }
  }

  if (supported === false) return null;
  return (
    <div className="mt-6 space-y-3">
      {status ? <FormAlert tone={status.tone}>{status.message}</FormAlert> : null}
      <Button
        type="button"
        variant="secondary"
        className="w-full"
        onClick={signIn}
        disabled={busy || !supported}
        aria-describedby={supported === null ? noteId : undefined}
      >
        {busy ? "Waiting for your passkey…" : label}
      </Button>
      {supported === null ? <NeedsJavaScript id={noteId} otherWay={otherWay} /> : null}
    </div>
  );
}

/** Names and registers a new passkey for the signed-in person; `onAdded` reloads the list. */
export function AddPasskey({ onAdded }: { onAdded: () => void }) {
  const supported = useWebAuthn();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [name, setName] = useState("");
  const hintId = useId();
  const noteId = useId();

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const options = await postJson("register-options", {});
      if (!options.ok) throw new Error(messageOf(options.data, "We couldn't start adding a passkey."));
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: options.data.options as never });
      } catch (error) {
        setStatus({ tone: "error", message: promptMessage(error, "Adding a passkey") });
        return;
      }
      const result = await postJson("register", { challengeId: options.data.challengeId, name, response });
      if (!result.ok) throw new Error(messageOf(result.data, "That passkey couldn't be added."));
      setName("");
      setStatus({ tone: "success", message: "Your passkey is added. Next time, sign in with it." });
      onAdded();
    } catch (error) {
      setStatus({ tone: "error", message: error instanceof Error ? error.message : "Please try again." });
    } finally {
      setBusy(false);
    }
  }

  if (supported === false)
    return (
      <p className="mt-4 text-sm">This browser can't make passkeys. Try a current browser on your phone or computer.</p>
    );
  return (
    <form onSubmit={add} className="mt-4 space-y-3" aria-describedby={hintId}>
      {status ? <FormAlert tone={status.tone}>{status.message}</FormAlert> : null}
      <p id={hintId} className="text-sm text-slate-600 dark:text-slate-400">
        Your phone or computer keeps the passkey and asks for your fingerprint, face or screen lock to use it.
      </p>
      <TextField
        label="Name (so you can tell your passkeys apart)"
        name="name"
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        placeholder="Work laptop"
      />
      <Button type="submit" disabled={busy || !supported} aria-describedby={supported === null ? noteId : undefined}>
        {busy ? "Waiting for your device…" : "Add a passkey"}
      </Button>
      {supported === null ? (
        <NeedsJavaScript id={noteId} otherWay="Turn it on to add a passkey, or keep signing in with your password." />
      ) : null}
    </form>
  );
}
