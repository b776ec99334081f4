/** A how-to's changes match steps as a list: an added, removed, moved or lightly edited step shows as just that. */
import type { RevisionContent } from "#db/schema";
import { diffHowtoContent } from "./howto-suggestions.server";

const open = "Open the self-service portal at portal.example.com in your browser.";
const choose = "Choose Forgot password and follow the link in the email you receive.";
const type = "Type a new password twice, at least twelve characters long.";
const signIn = "Sign in to the VPN again with the new password.";

const version = (steps: string[]): RevisionContent => ({
  title: "Reset your VPN password",
  bodyMd: "",
  tags: [],
  steps,
});

test("adding a new first step shows only that step as added, not every step rewritten", () => {
  const check = "Check that you are connected to the office Wi-Fi or a home network.";
  expect(diffHowtoContent(version([open, choose, type]), version([check, open, choose, type]))).toEqual([
    { field: "steps.0", label: "Step 1", parts: [{ op: "added", text: check }] },
  ]);
});

test("a step moved to another place shows as moved, with its new and old numbers", () => {
  expect(diffHowtoContent(version([open, choose, type, signIn]), version([open, type, choose, signIn]))).toEqual([
    { field: "steps.2", label: "Step 3 (moved from step 2)", parts: [{ op: "same", text: choose }] },
  ]);
});

test("a lightly edited step after an inserted one is compared with its old version, word by word", () => {
  const check = "Check that you are connected to the internet.";
  const edited = "Type a new password twice, at least fourteen characters long.";
  expect(diffHowtoContent(version([open, type]), version([check, open, edited]))).toEqual([
    { field: "steps.0", label: "Step 1", parts: [{ op: "added", text: check }] },
    {
      field: "steps.2",
      label: "Step 3 (was step 2)",
      parts: [
        { op: "same", text: "Type a new password twice, at least " },
        { op: "removed", text: "twelve" },
        { op: "added", text: "fourteen" },
        { op: "same", text: " characters long." },
      ],
    },
  ]);
});

test("a removed step shows as removed, and an unrelated step in its place as a replacement", () => {
  expect(diffHowtoContent(version([open, choose, type]), version([open, type]))).toEqual([
    { field: "steps.1", label: "Step 2", parts: [{ op: "removed", text: choose }] },
  ]);
  expect(diffHowtoContent(version([open, choose, type]), version([open, signIn, type]))).toEqual([
    {
      field: "steps.1",
      label: "Step 2",
      parts: [
        { op: "removed", text: choose },
        { op: "added", text: signIn },
      ],
    },
  ]);
});

test("a removed step and a changed step in the same place get different keys", () => {
  const edited = "Type a new password twice, at least fourteen characters long.";
  const changes = diffHowtoContent(version([choose, type]), version([edited]));
  expect(changes.map((c) => [c.field, c.label])).toEqual([
    ["steps.0.removed", "Step 1"],
    ["steps.0", "Step 1 (was step 2)"],
  ]);
});

test("a long step reworded throughout is shown whole, its label saying it was too large to show word by word", () => {
  // The same 700 words in the opposite order: one step edited (same words), but no shorter way to say how.
  const words = Array.from({ length: 700 }, (_, i) => `w${i}`);
  const before = `${words.join(" ")} restart`;
  const after = `${[...words].reverse().join(" ")} restart`;
  const [change] = diffHowtoContent(version([open, before]), version([open, after]));
  expect(change?.label).toBe("Step 2 (too large to show word by word)");
  expect(change?.parts).toEqual([
    { op: "removed", text: words.join(" ") },
    { op: "added", text: [...words].reverse().join(" ") },
    { op: "same", text: " restart" },
  ]);
});
