/** A background job in the app process: `tick` runs every `intervalMs` after the previous run finished, until stopped. */
export function startLoop(tick: () => Promise<void>, intervalMs: number): { stop: () => Promise<void> } {
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (isStopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    // Never what keeps the process alive.
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type SweepLog = (level: "info" | "error", message: string, fields: Record<string, unknown>) => void;

/**
 * A clean-up in the background: `sweep` every `everyMs` (an hour by default). It never throws: what it removed is
 * logged as `removed` (when it removed anything), a failure as `failed` with its message.
 */
export function startSweep(
  sweep: () => Promise<{ deleted: number }>,
  {
    everyMs = 60 * 60 * 1000,
    log,
    removed,
    failed,
  }: { everyMs?: number; log: SweepLog; removed: string; failed: string },
): { stop: () => Promise<void> } {
  return startLoop(async () => {
    try {
      const swept = await sweep();
      if (swept.deleted > 0) log("info", removed, swept);
    } catch (error) {
      log("error", failed, { error: error instanceof Error ? error.message : String(error) });
    }
  }, everyMs);
}
