/** The profile form's rules: every mistake is said in one round. */
import { parseForm } from "~/lib/forms";
import { profileSchema } from "./validation";

test("too many areas of expertise is said together with the other fields' mistakes", () => {
  const form = new FormData();
  form.set("name", "x");
  form.set("audience", "it");
  form.set("expertise", Array.from({ length: 11 }, (_, i) => `area-${i}`).join(", "));
  const parsed = parseForm(profileSchema, form);
  expect(parsed.ok).toBe(false);
  if (parsed.ok) return;
  expect(Object.keys(parsed.fieldErrors).sort()).toEqual(["expertise", "name"]);
  expect(parsed.fieldErrors.expertise).toBe("Please pick your top 10 areas (you listed 11).");
});

test("an area of expertise longer than a tag can be is refused by name, not cut short", () => {
  const form = new FormData();
  form.set("name", "Sofia Lind");
  form.set("audience", "it");
  form.set("expertise", `intune, ${"conditional-access-".repeat(3)}policies`);
  const parsed = parseForm(profileSchema, form);
  expect(parsed.ok).toBe(false);
  if (parsed.ok) return;
  expect(parsed.fieldErrors.expertise).toMatch(/^Tags can be at most 35 characters: “conditional-access-/);
});
