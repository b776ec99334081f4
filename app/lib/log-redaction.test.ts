/** The log never carries the values a failed query was given (session tokens) nor the passwords in URLs. */
import { DrizzleQueryError, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { logEvent, withoutSecrets } from "./log.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The lines logEvent writes while `run` runs. */
function captureErrorLines(run: () => void): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => {
    lines.push(String(line));
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

const TOKEN = "live-session-token-Zq81x";

/** drizzle's own error for a failed query given a session token, from the real database. */
async function failedQuery(): Promise<Error> {
  const error = await database.db
    .execute(sql`select user_id from no_such_session_table where token = ${TOKEN} and ${100} > 0`)
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  if (!(error instanceof Error)) throw new Error("the query should have failed");
  expect(error).toBeInstanceOf(DrizzleQueryError);
  expect(error.message).toContain(TOKEN);
  return error;
}

describe("error log lines", () => {
  test("a failed query is logged with its SQL and without the values it was given", async () => {
    const error = await failedQuery();
    const wrapped = new Error("loader failed", { cause: error });
    const lines = captureErrorLines(() => {
      logEvent("error", "request failed", { error });
      logEvent("error", "request failed", { error: wrapped });
      // As callers that turn the error into text first write it.
      logEvent("error", "search failed", { error: error.message, stack: error.stack, text: String(error) });
    });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain("params:");
      expect(line).toContain("Failed query: select user_id from no_such_session_table where token = $1 and $2 > 0");
    }
    const [direct, withCause] = lines.map((line) => JSON.parse(line).error as string);
    // The stack and PostgreSQL's own reason (the cause) are still there for whoever reads the log.
    expect(direct).toMatch(/\n\s+at /);
    expect(direct).toContain("no_such_session_table");
    expect(withCause).toContain("loader failed");
    expect(withCause).toContain("caused by: Error: Failed query");
  });

  test("the credentials in a URL are left out of a logged message", () => {
    const lines = captureErrorLines(() =>
      logEvent("error", "mailer failed", {
        error: new Error("connect ECONNREFUSED for smtp://mailer:hunter2@127.0.0.1:2599"),
      }),
    );
    expect(lines[0]).not.toContain("hunter2");
    expect(lines[0]).toContain("smtp://127.0.0.1:2599");
  });

  test("text anyone could have sent is logged as it came: nothing is cut from it but query values and URL credentials", () => {
    // Long runs of the characters the URL pattern looks at: a backtracking pattern took seconds over 100 KB of these.
    for (const sent of [
      "a.".repeat(50_000),
      "a-".repeat(50_000),
      "x://".repeat(20_000),
      "Failed query: ".repeat(5_000),
    ])
      expect(withoutSecrets(sent)).toBe(sent);
    // Every "params:" part goes, up to the stack frame after it, however many there are.
    expect(withoutSecrets("Failed query: select $1\nparams: a\n    at one\nFailed query: $1\nparams: b")).toBe(
      "Failed query: select $1\n    at one\nFailed query: $1",
    );
  });
});
