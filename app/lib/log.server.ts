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

export function logEvent(level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown> = {}): void {
  flushRequestLog();
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
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
