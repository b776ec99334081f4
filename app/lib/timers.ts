/** Node's and browsers' timers wait at most 2^31 - 1 ms (about 24.8 days); a longer delay fires at once. */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `run` once at `epochMs` (or at once, if that has passed), however far ahead: a longer wait is made of several
 * timers in a row. `cancel` stops it.
 */
export function atTime(epochMs: number, run: () => void): { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const left = epochMs - Date.now();
    if (left <= 0) {
      run();
      return;
    }
    timer = setTimeout(arm, Math.min(left, LONGEST_TIMER_MS));
  };
  // Never synchronously: the caller has its handle before `run` can use anything it set up after asking.
  timer = setTimeout(arm, 0);
  return { cancel: () => clearTimeout(timer) };
}
