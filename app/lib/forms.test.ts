/** Reading forms: the fields a schema checks are the ones formData.get reads, and a refused form keeps what was typed. */
import { z } from "zod";
import { glossaryEntrySchema } from "~/models/glossary.server";
import { formFields, parseForm, submittedValues } from "./forms";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe("forms", () => {
  test("a name sent twice is read as its first value, as formData.get reads it", () => {
    const data = form([
      ["intent", "vote"],
      ["intent", "delete"],
      ["postId", "95"],
    ]);
    expect(formFields(data)).toEqual({ intent: "vote", postId: "95" });
    const schema = z.discriminatedUnion("intent", [
      z.object({ intent: z.literal("vote"), postId: z.string() }),
      z.object({ intent: z.literal("delete"), postId: z.string() }),
    ]);
    const parsed = parseForm(schema, data);
    expect(parsed.ok && parsed.data.intent).toBe(data.get("intent"));
  });

  test("a name like a prototype's property is a field like any other", () => {
    expect(
      formFields(
        form([
          ["__proto__", "x"],
          ["constructor", "y"],
        ]),
      ),
    ).toEqual(
      Object.fromEntries([
        ["__proto__", "x"],
        ["constructor", "y"],
      ]),
    );
  });

  test("a field split into a list gets its item's message under its own name (the form shows errors by field)", () => {
    const parsed = parseForm(
      glossaryEntrySchema,
      form([
        ["term", "Exchange Online"],
        ["explanation", "Microsoft's hosted email, where your work mailbox lives."],
        ["synonyms", "intranet portal, a<b"],
      ]),
    );
    expect(parsed.ok ? null : parsed.fieldErrors.synonyms).toBe("Synonyms can't contain < or >.");
  });

  test("a refused form gives each field's first message and everything typed but passwords", () => {
    const schema = z.object({ title: z.string().min(5, "Too short."), password: z.string() });
    const parsed = parseForm(
      schema,
      form([
        ["title", "Hi"],
        ["password", "secret words"],
      ]),
    );
    expect(parsed).toEqual({ ok: false, fieldErrors: { title: "Too short." }, values: { title: "Hi" } });
    expect(
      submittedValues(
        form([
          ["tag", "a"],
          ["tag", "b"],
        ]),
      ),
    ).toEqual({ tag: "a,b" });
  });
});
