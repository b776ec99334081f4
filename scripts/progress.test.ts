/** The progress bar: redrawn in place on a terminal, a line per tenth of the way in a log file or a CI log. */
import { progressBar } from "./progress";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe("progress bar", () => {
  test("in a log (not a terminal): a line at every tenth of the way and one at the end, never a carriage return", () => {
    const log = stream(false);
    const bar = progressBar("documents indexed", 2917, log);
    for (let done = 0; done <= 2917; done++) bar.update(done);
    bar.update(2917);
    bar.finish();
    expect(log.writes).toHaveLength(11);
    expect(log.writes.every((line) => line.endsWith("\n") && !line.includes("\r"))).toBe(true);
    expect(log.writes[0]).toMatch(/^\[\.{30}\] {3}0% 0\/2,917 documents indexed \d+\.\ds\n$/);
    expect(log.writes[5]).toMatch(/^\[#{15}\.{15}\] {2}50% 1,459\/2,917 documents indexed/);
    expect(log.writes.at(-1)).toMatch(/^\[#{30}\] 100% 2,917\/2,917 documents indexed/);
  });

  test("in a log, a new step is always shown; finishing early still ends at 100 %", () => {
    const log = stream(false);
    const bar = progressBar("steps of demo content", 20, log);
    bar.update(1, "people");
    bar.update(1, "people");
    bar.update(2, "spaces");
    bar.finish();
    expect(log.writes.map((line) => line.replace(/ [\d.]+s\n$/, ""))).toEqual([
      "[##............................]   5% 1/20 steps of demo content: people",
      "[###...........................]  10% 2/20 steps of demo content: spaces",
      "[##############################] 100% 20/20 steps of demo content: spaces",
    ]);
  });

  test("on a terminal: one line drawn again in place, ended with a newline", () => {
    const terminal = stream(true);
    const bar = progressBar("posts", 100, terminal);
    bar.update(0);
    bar.update(100);
    expect(bar.finish()).toBeGreaterThanOrEqual(0);
    expect(terminal.writes.slice(0, -1).every((text) => text.startsWith("\r") && !text.includes("\n"))).toBe(true);
    expect(terminal.writes.at(-2)).toContain("100% 100/100 posts");
    expect(terminal.writes.at(-1)).toBe("\n");
  });
});
