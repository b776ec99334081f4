// Preloaded by bench/signed-in-question.ts --prof (node --import): SIGUSR2 starts V8's CPU profiler in the process, the next
// SIGUSR2 stops it and writes $PROF_OUT-<n>.cpuprofile, so a profile covers one measured load and not the start-up.
import inspector from "node:inspector";
import fs from "node:fs";
const session = new inspector.Session();
session.connect();
let running = false;
let n = 0;
process.on("SIGUSR2", () => {
  if (!running) {
    running = true;
    session.post("Profiler.enable", () =>
      session.post("Profiler.setSamplingInterval", { interval: 500 }, () => session.post("Profiler.start")),
    );
  } else {
    running = false;
    session.post("Profiler.stop", (_error, { profile }) => {
      fs.writeFileSync(`${process.env.PROF_OUT}-${n++}.cpuprofile`, JSON.stringify(profile));
    });
  }
});
