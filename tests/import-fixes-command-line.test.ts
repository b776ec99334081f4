import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { UsageError, flagValue } from "../scripts/lib";

const DUMP = path.resolve("tests/fixtures/stackexchange/example.stackexchange.com");

/** Runs the import command as an operator would; the cases here stop before it opens a database. */
function runImport(...args: string[]) {
  const result = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/import-stackexchange.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: "memory://" },
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe("command-line options of the operator commands", () => {
  test("an option's value is the word after it or after =, and an option given nothing, or another option, is refused", () => {
    expect(flagValue(["dir", "--space", "mac-help"], "space")).toBe("mac-help");
    expect(flagValue(["dir", "--space=mac-help"], "space")).toBe("mac-help");
    expect(flagValue(["dir", "--no-pictures"], "space")).toBeUndefined();
    expect(() => flagValue(["dir", "--space"], "space")).toThrow(UsageError);
    expect(() => flagValue(["dir", "--no-pictures", "--space"], "space")).toThrow(/--space needs a value after it/);
    expect(() => flagValue(["dir", "--space="], "space")).toThrow(/--space needs a value after it/);
    expect(() => flagValue(["dir", "--space", "--no-pictures"], "space")).toThrow(
      /--space needs a value after it, as in --space VALUE \(--no-pictures is another option/,
    );
  });

  test("the import refuses a --space with no value or one that is not a space address, with its usage and exit code 2", () => {
    const missing = runImport(DUMP, "--space", "--no-pictures");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^--space needs a value after it[^\n]*\nUsage: npm run import:stackexchange/);
    expect(missing.stdout).toBe("");

    const notAnAddress = runImport(DUMP, "--space", "../../x", "--no-pictures");
    expect(notAnAddress.status).toBe(2);
    expect(notAnAddress.stderr).toMatch(
      /^--space: "\.\.\/\.\.\/x" can't be a space's address: use lower-case letters a-z, digits and single hyphens[^\n]*\nUsage:/,
    );
    expect(notAnAddress.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
