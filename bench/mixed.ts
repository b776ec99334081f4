/**
 * The mixed load of `bench:pages`: readers (signed out and signed in) over home, lists, spaces, questions, how-tos,
 * search and /pulse at concurrency 50, while writers post answers, comments and votes through the question page's real
 * form (plain form posts with a session cookie and the site's Origin, as a browser without JavaScript sends them) at
 * concurrency 5. Three autocannon instances run side by side in this process, so each class has its own latencies.
 */
import { BROWSER_HEADERS, type LoadResult, type RequestPlan, load, rawRequest } from "./lib";

export type WriteTarget = { questionId: number; answers: { id: number; authorId: string }[] };
export type Writer = { userId: string; cookie: string };
export type MixedPlan = {
  /** Paths with weights: how often a reader asks for each kind of page. */
  reads: { kind: string; weight: number; paths: string[] }[];
  readerCookies: string[];
  writers: Writer[];
  targets: WriteTarget[];
};
export type MixedResult = {
  seconds: number;
  readConnections: number;
  signedInConnections: number;
  writeConnections: number;
  anonymous: LoadResult;
  signedIn: LoadResult;
  writes: LoadResult;
  writeKinds: Record<string, number>;
  /**
   * The same load for the first `seconds` of it (every connection arriving at once on pages nothing has warmed: their
   * page cache entries, page data and answer cards empty), measured separately before the measured `seconds`.
   */
  coldStart: { seconds: number; anonymous: LoadResult; signedIn: LoadResult; writes: LoadResult } | null;
};

/** Deterministic choices (a small xorshift), so two runs send the same sequence of requests. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function pickOne<T>(items: readonly T[], r: number): T {
  const item = items[Math.floor(r * items.length)] ?? items[0];
  if (item === undefined) throw new Error("pickOne: empty list");
  return item;
}

function readPlan(plan: MixedPlan, cookies: string[] | null, seed: number): RequestPlan {
  const next = random(seed);
  const total = plan.reads.reduce((sum, r) => sum + r.weight, 0);
  return () => {
    let at = next() * total;
    const read =
      plan.reads.find((r) => {
        at -= r.weight;
        return at < 0;
      }) ?? plan.reads[0];
    const path = pickOne(read?.paths ?? ["/"], next());
    const headers: Record<string, string> = { ...BROWSER_HEADERS };
    if (cookies) headers.cookie = pickOne(cookies, next());
    return { path, headers };
  };
}

type WriteKind = "answer" | "comment" | "vote";

/** The form post of the `n`th write: which writer, question and kind follow from `n` and the random numbers. */
function writeRequest(plan: MixedPlan, origin: string, n: number, r: number, pick: number, kindWanted?: WriteKind) {
  // Writers take turns, so each stays far below its own rate limits (answers 30 an hour, comments 30 and votes 60 in ten minutes).
  const writer = plan.writers[n % plan.writers.length];
  const target = plan.targets[Math.floor(pick * plan.targets.length)] ?? plan.targets[0];
  if (!writer || !target) throw new Error("The mixed load has no writers or no questions to write to.");
  const votable = target.answers.filter((a) => a.authorId !== writer.userId);
  const kind: WriteKind = kindWanted ?? (r < 0.3 ? "answer" : r < 0.65 || votable.length === 0 ? "comment" : "vote");
  const form = new URLSearchParams({ intent: kind });
  if (kind === "answer")
    form.set(
      "body",
      `Benchmark answer ${n} ${Date.now()}: check the adapter settings, then restart the service and try again.`,
    );
  else if (kind === "comment") {
    form.set("postId", String(target.questionId));
    form.set("body", `Benchmark comment ${n} ${Date.now()}: which version is this?`);
  } else {
    const answer = votable[n % Math.max(1, votable.length)];
    if (!answer) throw new Error(`Question ${target.questionId} has no answer ${writer.userId} could vote on.`);
    form.set("postId", String(answer.id));
    form.set("direction", "up");
  }
  return {
    kind,
    request: {
      method: "POST" as const,
      path: `/q/${target.questionId}`,
      headers: {
        cookie: writer.cookie,
        origin,
        "content-type": "application/x-www-form-urlencoded",
        ...BROWSER_HEADERS,
      },
      body: form.toString(),
    },
  };
}

function writePlan(plan: MixedPlan, base: string, counts: Record<string, number>, seed: number): RequestPlan {
  const next = random(seed);
  const origin = new URL(base).origin;
  let n = 0;
  return () => {
    const { kind, request } = writeRequest(plan, origin, ++n, next(), next());
    counts[kind] = (counts[kind] ?? 0) + 1;
    return request;
  };
}

/**
 * Sends one write of each kind before the load and returns what each answered: a plain form post that worked is a
 * 303 back to the question, so anything else means the load would measure a broken path.
 */
export async function checkWrites(base: string, plan: MixedPlan): Promise<{ kind: WriteKind; status: number }[]> {
  const origin = new URL(base).origin;
  const votableTarget = plan.targets.findIndex((t) => t.answers.length > 1);
  const out: { kind: WriteKind; status: number }[] = [];
  for (const kind of ["answer", "comment", "vote"] as const) {
    const pick = kind === "vote" && votableTarget >= 0 ? (votableTarget + 0.5) / plan.targets.length : 0;
    const { request } = writeRequest(plan, origin, out.length, 0, pick, kind);
    const response = await rawRequest(base + request.path, request);
    out.push({ kind, status: response.status });
  }
  return out;
}

const NO_LOAD: LoadResult = {
  requestsPerSecond: 0,
  p50: 0,
  p99: 0,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  requests: 0,
  statuses: {},
  xCache: {},
};

/**
 * Runs the three loads at once: first for `coldStartSeconds` (reported separately as the cold start), then for the
 * measured `seconds`, continuing the same request sequences. Reads: `readConnections` split 70/30 between signed-out
 * and signed-in readers; writes: `writeConnections`. A request that takes longer than 10 s counts as a time-out.
 */
export async function runMixed(
  base: string,
  plan: MixedPlan,
  {
    seconds,
    coldStartSeconds = 0,
    readConnections = 50,
    writeConnections = 5,
    onMeasuredStart,
  }: {
    seconds: number;
    coldStartSeconds?: number;
    readConnections?: number;
    writeConnections?: number;
    /** Called as the measured run starts (after the cold start), e.g. to read the server's CPU time. */
    onMeasuredStart?: () => void;
  },
): Promise<MixedResult> {
  const signedInConnections = Math.max(1, Math.min(readConnections - 1, Math.round(readConnections * 0.3)));
  const writeKinds: Record<string, number> = {};
  const plans = {
    anonymous: readPlan(plan, null, 1),
    signedIn: readPlan(plan, plan.readerCookies, 2),
    writes: writePlan(plan, base, writeKinds, 3),
  };
  const run = async (runSeconds: number) => {
    const [anonymous, signedIn, writes] = await Promise.all([
      load(base, { connections: readConnections - signedInConnections, seconds: runSeconds, plan: plans.anonymous }),
      load(base, { connections: signedInConnections, seconds: runSeconds, plan: plans.signedIn }),
      writeConnections > 0
        ? load(base, { connections: writeConnections, seconds: runSeconds, plan: plans.writes })
        : Promise.resolve(NO_LOAD),
    ]);
    return { anonymous, signedIn, writes };
  };
  const coldStart = coldStartSeconds > 0 ? { seconds: coldStartSeconds, ...(await run(coldStartSeconds)) } : null;
  for (const kind of Object.keys(writeKinds)) writeKinds[kind] = 0;
  onMeasuredStart?.();
  const measured = await run(seconds);
  return {
    seconds,
    readConnections,
    signedInConnections,
    writeConnections,
    ...measured,
    writeKinds,
    coldStart,
  };
}
