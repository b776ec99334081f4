/** The three-way merge of a suggested edit with the how-to as it is now (pure: no database). */
import type { RevisionContent } from "#db/schema";
import { mergeSuggestion } from "./howto-merge.server";

function content(overrides: Partial<RevisionContent> = {}): RevisionContent {
  return {
    title: "Reset a forgotten VPN password",
    bodyMd: "",
    tags: ["vpn", "passwords"],
    summary: "How to get back into the VPN when you forgot the password.",
    appliesTo: "GlobalProtect 6.2",
    difficulty: "beginner",
    estimatedMinutes: 10,
    prerequisitesMd: "A phone with the Authenticator app.",
    steps: ["Open the portal.", "Choose Forgot password.", "Type a new password twice."],
    ...overrides,
  };
}

test("fields changed on one side only take that side: the later edit and the suggestion both stand", () => {
  const base = content();
  const current = content({ appliesTo: "GlobalProtect 6.3", estimatedMinutes: 5 });
  const suggested = content({ summary: "Get back into the VPN after forgetting the password, no phone call needed." });
  const { content: merged, replacesLaterEdits } = mergeSuggestion(base, current, suggested);
  expect(merged).toMatchObject({
    appliesTo: "GlobalProtect 6.3",
    estimatedMinutes: 5,
    summary: "Get back into the VPN after forgetting the password, no phone call needed.",
    title: base.title,
  });
  expect(replacesLaterEdits).toEqual([]);
  // The whole document is composed again from the merged parts (search indexes it).
  expect(merged.bodyMd).toContain("no phone call needed");
  expect(merged.bodyMd).toContain("## Step 3\n\nType a new password twice.");
});

test("a step added later keeps its place, and a step the suggestion rewords is reworded where it now stands", () => {
  const base = content();
  const current = content({ steps: ["Connect to the office Wi-Fi.", ...(base.steps ?? [])] });
  const suggested = content({
    steps: ["Open the portal.", "Choose Forgot password and approve the prompt.", "Type a new password twice."],
  });
  const { content: merged, replacesLaterEdits } = mergeSuggestion(base, current, suggested);
  expect(merged.steps).toEqual([
    "Connect to the office Wi-Fi.",
    "Open the portal.",
    "Choose Forgot password and approve the prompt.",
    "Type a new password twice.",
  ]);
  expect(replacesLaterEdits).toEqual([]);
  expect(merged.bodyMd).toContain("## Step 4\n\nType a new password twice.");
});

test("a part both changed differently takes the suggestion's wording and is named", () => {
  const base = content();
  const current = content({
    summary: "Forgot the VPN password? Reset it yourself.",
    steps: ["Open the portal.", "Choose Forgot password (top right).", "Type a new password twice."],
  });
  const suggested = content({
    summary: "Reset your own VPN password in five minutes.",
    steps: ["Open the portal.", "Choose Forgot password, then approve on your phone.", "Type a new password twice."],
  });
  const { content: merged, replacesLaterEdits } = mergeSuggestion(base, current, suggested);
  expect(merged.summary).toBe("Reset your own VPN password in five minutes.");
  expect(merged.steps?.[1]).toBe("Choose Forgot password, then approve on your phone.");
  expect(replacesLaterEdits).toEqual(["Summary", "Step 2"]);
});

test("the same change made on both sides is no conflict", () => {
  const base = content();
  const both = content({ title: "Reset a forgotten VPN password yourself" });
  const { content: merged, replacesLaterEdits } = mergeSuggestion(base, both, both);
  expect(merged.title).toBe("Reset a forgotten VPN password yourself");
  expect(replacesLaterEdits).toEqual([]);
});

test("tags merge as a set: a tag added later stays, the suggestion's additions and removals apply", () => {
  const base = content({ tags: ["vpn", "passwords"] });
  const current = content({ tags: ["vpn", "passwords", "windows"] });
  const suggested = content({ tags: ["vpn", "mfa"] });
  expect(mergeSuggestion(base, current, suggested).content.tags).toEqual(["vpn", "windows", "mfa"]);
});

test("steps added on both sides past the limit leave the suggestion's list whole, and say so", () => {
  const base = content({ steps: ["One step."] });
  const current = content({ steps: [...Array.from({ length: 20 }, (_, i) => `Later step ${i + 1}.`), "One step."] });
  const suggested = content({
    steps: ["One step.", ...Array.from({ length: 20 }, (_, i) => `Suggested step ${i + 1}.`)],
  });
  const { content: merged, replacesLaterEdits } = mergeSuggestion(base, current, suggested);
  expect(merged.steps).toEqual(suggested.steps);
  expect(replacesLaterEdits).toEqual(["Steps"]);
});
