/**
 * A progress bar for long work run by hand or by a job (imports, re-rendering, seeding, benchmarks' data sets):
 * [#####.........................]  17% 500/2,917 documents indexed 0.4s
 * On a terminal it is one line drawn again in place (at most ten times a second). Written to a file, a pipe or a CI
 * log, where a carriage return does not go back, it is a line of its own at every tenth of the way and at the end,
 * instead of thousands of redraws run together on one line.
 */
export type ProgressStream = { isTTY?: boolean; write: (text: string) => unknown };

export function progressBar(label: string, total: number, stream: ProgressStream = process.stderr) {
  const started = Date.now();
  const isTerminal = Boolean(stream.isTTY);
  let lastDrawn = 0;
  let lastTenth = -1;
  let lastDetail = "";
  const line = (done: number, detail: string) => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done.toLocaleString(
      "en",
    )}/${total.toLocaleString("en")} ${label}${detail ? `: ${detail}` : ""} ${seconds}s`;
  };
  const draw = (done: number, detail: string, force: boolean) => {
    if (isTerminal) {
      const now = Date.now();
      if (!force && now - lastDrawn < 100 && done < total) return;
      lastDrawn = now;
      stream.write(`\r${line(done, detail)}\x1b[K`);
      return;
    }
    const tenth = total === 0 ? 10 : Math.min(10, Math.floor((done / total) * 10));
    if (!force && tenth <= lastTenth && detail === lastDetail) return;
    lastTenth = tenth;
    lastDetail = detail;
    stream.write(`${line(done, detail)}\n`);
  };
  return {
    /** How far it got; `detail` names the current step (a new one is always shown). */
    update: (done: number, detail = "") => draw(done, detail, false),
    /** Draws 100 % and ends the line; returns the seconds it took. */
    finish: () => {
      if (isTerminal || lastTenth < 10) draw(total, lastDetail, true);
      if (isTerminal) stream.write("\n");
      return (Date.now() - started) / 1000;
    },
  };
}
