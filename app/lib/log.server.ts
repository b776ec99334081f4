/** Structured logs: one JSON line per request or background job event. */

/** Request lines not yet written: a busy server writes many per turn of the event loop, in one write. */
let pendingRequests: string[] = [];
let flushScheduled = false;

/** Writes the buffered request lines now (before any other line, and before the process exits). */
export function flushRequestLog(): void {
  flushScheduled = false;
  if (pendingRequests.length === 0) return;
  const text = pendingRequests.join("");
  pendingRequests = [];
  process.stdout.write(text);
}

process.on("exit", flushRequestLog);

/**
 * drizzle's DrizzleQueryError says "Failed query: <sql>\nparams: <values>": the values are what a request bound (a live
 * session token, an email address), so only the SQL, whose values are $1 placeholders, is logged. In text that was
 * already an error's stack, the values end where its first frame starts. One pass with indexOf, not a regular
 * expression: logged text can hold what anyone sent, and a backtracking pattern over it would be theirs to slow down.
 */
function withoutQueryParams(text: string): string {
  let kept = "";
  let from = 0;
  for (;;) {
    const params = text.indexOf("\nparams: ", from);
    if (params < 0) return kept + text.slice(from);
    kept += text.slice(from, params);
    const frame = text.indexOf("\n    at ", params + 1);
    if (frame < 0) return kept;
    from = frame;
  }
}

/**
 * `user:password@` in a URL (an SMTP or database address in an error message). Bounded, so it stays linear on any text
 * (a scheme is short; credentials longer than 256 characters are not a URL's).
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@]{0,256}@/gi;

/** Text fit for a log line: drizzle's bound values and the credentials in URLs taken out. */
export function withoutSecrets(text: string): string {
  return withoutQueryParams(text).replace(URL_CREDENTIALS, "$1");
}

/** An error's stack (or message), then its causes', for a log line, without the values its queries were given. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current = error; current != null && !seen.has(current) && parts.length < 5; ) {
    seen.add(current);
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    let text = current.stack ?? `${current.name}: ${current.message}`;
    // Exactly drizzle's own words when the error says what they were (the values may hold a line break).
    if ("query" in current && "params" in current) {
      const query = String(current.query);
      text = text.replace(`Failed query: ${query}\nparams: ${current.params}`, `Failed query: ${query}`);
    }
    parts.push(withoutSecrets(text));
    current = current.cause;
  }
  return parts.join("\ncaused by: ");
}

/** Every logged value: errors described (a bare Error would show as {}, or with drizzle's params), text redacted. */
function loggable(_key: string, value: unknown): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value === "string") return withoutSecrets(value);
  return value;
}

export function logEvent(level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown> = {}): void {
  flushRequestLog();
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }, loggable);
  if (level === "error") console.error(line);
  else console.log(line);
}

/**
 * The line every answered request gets (as logEvent's "request" lines), buffered until the end of the current turn of
 * the event loop: a line per request costs one write per turn instead of one per request.
 */
export function logRequest(fields: { method: string; path: string; status: number; ms: number }): void {
  pendingRequests.push(
    `${JSON.stringify({ t: new Date().toISOString(), level: "info", msg: "request", ...fields })}\n`,
  );
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushRequestLog);
  }
}
