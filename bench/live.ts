/**
 * npm run bench:live [-- --sizes 100,500,1000] [--events 20]
 * Starts the production server (embedded database with demo content, or DATABASE_URL), opens a live Q&A session, then
 * for each audience size connects that many attendees to its Server-Sent Events stream while questions and votes
 * arrive through the HTTP forms. Prints delivery latency (from the write's request to each attendee receiving the
 * event) p50/p99/max, events lost, and the server's memory per connection (RSS growth / connections).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { progressBar, startProductionServer } from "./lib";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const sizes = (arg("sizes") ?? "100,500,1000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const eventCount = Number(arg("events") ?? 20);
const databaseUrl = process.env.DATABASE_URL || undefined;
const DEMO_PASSWORD = "peerdesk-demo-password";
const ATTENDEES = [
  "tom@peerdesk.test",
  "grace@peerdesk.test",
  "dev@peerdesk.test",
  "marcus@peerdesk.test",
  "sofia@peerdesk.test",
];

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

let signIns = 0;

async function signIn(url: string, email: string): Promise<string> {
  // Each simulated person signs in from their own address (the server trusts X-Forwarded-For here), as real ones
  // would; sign-in is rate limited per address.
  signIns += 1;
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url, "X-Forwarded-For": `10.77.0.${signIns}` },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in as ${email} failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

async function postForm(
  url: string,
  pathName: string,
  cookie: string,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${url}${pathName}`, {
    method: "POST",
    headers: { cookie, Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** One attendee: an open SSE stream that timestamps every `change` event by the question it names. */
type Listener = { ready: Promise<void>; received: Map<string, number>; close: () => void };

function listen(url: string): Listener {
  const controller = new AbortController();
  const received = new Map<string, number>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  void (async () => {
    try {
      const res = await fetch(url, { signal: controller.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let boundary = buffer.indexOf("\n\n");
        while (boundary !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (block.startsWith("retry:")) markReady();
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (block.includes("event: change") && data) {
            const event = JSON.parse(data.slice(6)) as { type: string; questionId: number | null };
            const key = `${event.type}:${event.questionId}`;
            if (!received.has(key)) received.set(key, performance.now());
          }
          boundary = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted at the end of a round
    }
  })();
  return { ready, received, close: () => controller.abort() };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "peerdesk-bench-live-"));
  const server = await startProductionServer({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DIR: path.join(dir, "pglite"), DATABASE_URL: "" }),
    SEED_DEMO: "true",
    TRUST_PROXY: "true",
  });
  const pid = server.child.pid!;
  try {
    const hostCookie = await signIn(server.url, "priya@peerdesk.test");
    const now = new Date();
    const local = (date: Date) => date.toISOString().slice(0, 16);
    const created = await postForm(server.url, "/sessions/new", hostCookie, {
      title: "Benchmark: live office hours",
      description: "A session for measuring live delivery to many attendees.",
      spaceId: "1",
      tags: "",
      startsAt: local(now),
      endsAt: local(new Date(now.getTime() + 2 * 3_600_000)),
      timeZone: "UTC",
      maxQuestionsPerPerson: "",
    });
    const sessionPath = created.headers.get("location");
    if (created.status !== 303 || !sessionPath)
      throw new Error(`could not open a session: ${created.status} ${await created.text()}`);
    const streamUrl = `${server.url}${sessionPath}/events`;
    const cookies = await Promise.all(ATTENDEES.map((email) => signIn(server.url, email)));
    const rows: {
      size: number;
      connectMs: number;
      kbPerConnection: number;
      samples: number;
      lost: number;
      p50: number;
      p99: number;
      max: number;
    }[] = [];
    let questionNumber = 0;

    for (const size of sizes) {
      const baseline = rssKb(pid);
      const connectStart = performance.now();
      const listeners = Array.from({ length: size }, () => listen(streamUrl));
      await Promise.all(listeners.map((listener) => listener.ready));
      const connectMs = performance.now() - connectStart;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const kbPerConnection = (rssKb(pid) - baseline) / size;

      const sent: { key: string; at: number }[] = [];
      const questionIds: number[] = [];
      const bar = progressBar(`events to ${size} attendees`, eventCount);
      for (let i = 0; i < eventCount; i++) {
        const cookie = cookies[i % cookies.length]!;
        const at = performance.now();
        if (i % 2 === 0 || questionIds.length === 0) {
          questionNumber += 1;
          const res = await postForm(server.url, sessionPath, cookie, {
            intent: "ask",
            body: `Benchmark question number ${questionNumber}: how do we measure this?`,
          });
          // Without JavaScript the form redirects to the new question's anchor, which names its id.
          const questionId = Number(/#q-(\d+)$/.exec(res.headers.get("location") ?? "")?.[1]);
          if (res.status !== 303 || !questionId) throw new Error(`asking failed: ${res.status} ${await res.text()}`);
          questionIds.push(questionId);
          sent.push({ key: `question:${questionId}`, at });
        } else {
          const questionId = questionIds[questionIds.length - 1]!;
          // A vote by someone other than the asker of that question.
          const voter = cookies[(i + 2) % cookies.length]!;
          const res = await postForm(server.url, sessionPath, voter, {
            intent: "vote",
            questionId: String(questionId),
          });
          if (res.status !== 303) throw new Error(`voting failed: ${res.status} ${await res.text()}`);
          sent.push({ key: `vote:${questionId}`, at });
        }
        bar.update(i + 1);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      bar.finish();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const latencies: number[] = [];
      let lost = 0;
      for (const listener of listeners) {
        for (const event of sent) {
          const got = listener.received.get(event.key);
          if (got === undefined) lost += 1;
          else latencies.push(got - event.at);
        }
        listener.close();
      }
      latencies.sort((a, b) => a - b);
      rows.push({
        size,
        connectMs,
        kbPerConnection,
        samples: latencies.length,
        lost,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1] ?? Number.NaN,
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }

    console.log(
      `\nPeerDesk live sessions benchmark: ${databaseUrl ? "PostgreSQL" : "PGlite"}; ${os.cpus().length} CPUs, Node ${process.version}; ${eventCount} events (questions and votes through the forms, 100 ms apart) per audience size`,
    );
    console.log(
      `${"attendees".padStart(9)} ${"connect s".padStart(9)} ${"KB/conn".padStart(8)} ${"deliveries".padStart(10)} ${"lost".padStart(5)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)}`,
    );
    for (const row of rows) {
      console.log(
        `${String(row.size).padStart(9)} ${(row.connectMs / 1000).toFixed(1).padStart(9)} ${row.kbPerConnection.toFixed(1).padStart(8)} ${String(row.samples).padStart(10)} ${String(row.lost).padStart(5)} ${row.p50.toFixed(1).padStart(7)} ${row.p99.toFixed(1).padStart(7)} ${row.max.toFixed(1).padStart(7)}`,
      );
    }
    console.log(
      "Latency: from sending the write's HTTP request to each attendee's stream delivering its event. KB/conn: the server's RSS growth divided by the connections.",
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
