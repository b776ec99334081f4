/** A tag in a script slugs can't keep ("сеть", "日本語") is refused in plain words on every tag field, never dropped. */
import type { Database } from "#db/client.server";
import { profileSchema } from "~/auth/validation";
import { parseForm } from "~/lib/forms";
import { makeHowto } from "../../tests/fixtures/howtos";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { suggestHowtoEdit } from "~/models/howto-suggestions.server";
import { howtoFields } from "../../tests/fixtures/howtos";
import { editQuestion } from "~/models/questions.server";
import { parseTagList, tagListProblem } from "./tags";

const message = (tag: string) =>
  `Tags use the letters a–z, digits and hyphens, so “${tag}” can't be a tag. Try an English word for the topic.`;

describe("tags with no letters a–z or digits left", () => {
  test("are refused by name, the first one typed, rather than dropped", () => {
    expect(tagListProblem("сеть, 日本語")).toBe(message("сеть"));
    expect(tagListProblem("vpn, 日本語")).toBe(message("日本語"));
    expect(tagListProblem("vpn,\n  🔥  ")).toBe(message("🔥"));
    // A pasted paragraph is quoted by its start, cut between characters (never half an emoji).
    expect(tagListProblem("😀".repeat(50))).toBe(message(`${"😀".repeat(30)}…`));
  });

  test("accented Latin letters, spacing and stray commas are still fine", () => {
    expect(tagListProblem("ünïcödé, vpn, , dns,")).toBeNull();
    expect(parseTagList("ünïcödé, vpn, , dns,")).toEqual(["unicode", "vpn", "dns"]);
    expect(tagListProblem("")).toBeNull();
    expect(tagListProblem("  ,\n ")).toBeNull();
    expect(tagListProblem("c#, c++")).toBeNull();
  });

  test("the profile's areas of expertise say so too", () => {
    const form = new FormData();
    form.set("name", "Sofia Lind");
    form.set("audience", "it");
    form.set("expertise", "intune, сеть");
    const parsed = parseForm(profileSchema, form);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fieldErrors.expertise).toBe(message("сеть"));
  });
});

describe("every post form refuses them on the tags field", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  test("asking and editing a question", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const asked = await rejection(makeQuestion(db, asker, spaceId, { tags: "сеть, 日本語" }));
    expect(asked.status).toBe(400);
    expect(asked.fieldErrors).toEqual({ tags: message("сеть") });
    const questionId = await makeQuestion(db, asker, spaceId, { tags: "vpn" });
    const edited = await rejection(
      editQuestion(db, {
        actor: asker,
        questionId,
        title: "Question about the VPN dropping every morning",
        body: "I tried restarting the router and the laptop, and the problem still happens every morning.",
        tags: ["vpn", "日本語"],
        isPlainLanguage: false,
      }),
    );
    expect(edited.fieldErrors).toMatchObject({ tags: message("日本語") });
  });

  test("writing a how-to, and suggesting an edit to one (which would have removed every tag)", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const reader = await makePerson(db);
    const spaceId = await makeSpace(db);
    const written = await rejection(makeHowto(db, author, spaceId, { tags: "сеть" }));
    expect(written.fieldErrors).toEqual({ tags: message("сеть") });
    const howtoId = await makeHowto(db, author, spaceId, { tags: "vpn" });
    const suggested = await rejection(
      suggestHowtoEdit(db, { ...howtoFields({ tags: "сеть, 日本語" }), howtoId, actor: reader }),
    );
    expect(suggested.fieldErrors).toEqual({ tags: message("сеть") });
    expect(await makeHowto(db, author, spaceId, { tags: "ünïcödé" })).toBeGreaterThan(0);
  });
});
