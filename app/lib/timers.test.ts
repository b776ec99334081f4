/** A wait longer than a timer's longest (a session ending months ahead) is not cut short. */
import { LONGEST_TIMER_MS, atTime } from "./timers";

afterEach(() => {
  vi.useRealTimers();
});

test("a time months ahead runs then, not at once; one that has passed runs at once; a cancelled one never", async () => {
  vi.useFakeTimers({ now: new Date("2026-12-04T12:00:00Z") });
  const ran: string[] = [];
  const ahead = Date.now() + 90 * 24 * 3_600_000;
  expect(ahead - Date.now()).toBeGreaterThan(LONGEST_TIMER_MS);
  atTime(ahead, () => ran.push("months ahead"));
  atTime(Date.now() - 1000, () => ran.push("passed"));
  const cancelled = atTime(Date.now() + 60_000, () => ran.push("cancelled"));
  cancelled.cancel();

  await vi.advanceTimersByTimeAsync(1);
  expect(ran).toEqual(["passed"]);
  await vi.advanceTimersByTimeAsync(89 * 24 * 3_600_000);
  expect(ran).toEqual(["passed"]);
  await vi.advanceTimersByTimeAsync(24 * 3_600_000);
  expect(ran).toEqual(["passed", "months ahead"]);
});
