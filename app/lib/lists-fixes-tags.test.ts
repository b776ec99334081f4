/**
 * A tag with a letter that has no a–z spelling ("日本語", "日本語 outlook") is refused in plain words on every tag field,
 * never dropped or cut down; Latin letters that have one ("Größe", "yazıcı") are spelt with it.
 */
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
import { normalizeTag, notATagNote, parseTagList, tagListProblem } from "./tags";

const message = (tag: string) =>
  `Tags use the letters a–z, digits and hyphens, so “${tag}” can't be a tag. Try an English word for the topic.`;

describe("tags that would lose a letter or digit", () => {
  test("are refused by name, as typed, the first one typed, rather than dropped", () => {
    expect(tagListProblem("vpn, 日本語, сеть")).toBe(message("日本語"));
    expect(tagListProblem("vpn, 日本語")).toBe(message("日本語"));
    expect(tagListProblem("vpn,\n  🔥  ")).toBe(message("🔥"));
    // A pasted paragraph is quoted by its start, cut between characters (never half an emoji).
    expect(tagListProblem("😀".repeat(50))).toBe(message(`${"😀".repeat(30)}…`));
  });

  test("are refused when only part of them is lost, rather than cut down to what is left", () => {
    expect(tagListProblem("yazıcı, Größe, 日本語 outlook")).toBe(message("日本語 outlook"));
    expect(tagListProblem("vpn, Outlook १२३")).toBe(message("Outlook १२३"));
    expect(normalizeTag("日本語 outlook")).toBe("");
    expect(parseTagList("vpn, 日本語 outlook")).toEqual(["vpn"]);
  });

  test("letters with an a–z spelling are spelt with it, and c++, c#, node.js and wi-fi are tags as before", () => {
    expect(tagListProblem("yazıcı, Größe, ışık, Straße")).toBeNull();
    expect(parseTagList("yazıcı, Größe, ışık, Straße")).toEqual(["yazici", "grosse", "isik", "strasse"]);
    expect(tagListProblem("c++, c#, node.js, wi-fi")).toBeNull();
    expect(parseTagList("c++, c#, node.js, wi-fi")).toEqual(["c-plus-plus", "c-sharp", "node-js", "wi-fi"]);
  });

  test("a list filtered by such a tag says it isn't one, and by a tag spelt in other letters filters by it", () => {
    expect(notATagNote("日本語 outlook")).toBe(
      "“日本語 outlook” isn't a tag: tags use the letters a–z, digits and hyphens.",
    );
    expect(notATagNote("Größe")).toBeNull();
    expect(normalizeTag("Größe")).toBe("grosse");
    expect(notATagNote("  ")).toBeNull();
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
    form.set("expertise", "intune, 日本語 outlook");
    const parsed = parseForm(profileSchema, form);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fieldErrors.expertise).toBe(message("日本語 outlook"));
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
    const asked = await rejection(makeQuestion(db, asker, spaceId, { tags: "vpn, 日本語 outlook" }));
    expect(asked.status).toBe(400);
    expect(asked.fieldErrors).toEqual({ tags: message("日本語 outlook") });
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
    const written = await rejection(makeHowto(db, author, spaceId, { tags: "日本語" }));
    expect(written.fieldErrors).toEqual({ tags: message("日本語") });
    const howtoId = await makeHowto(db, author, spaceId, { tags: "vpn" });
    const suggested = await rejection(
      suggestHowtoEdit(db, { ...howtoFields({ tags: "vpn, 日本語" }), howtoId, actor: reader }),
    );
    expect(suggested.fieldErrors).toEqual({ tags: message("日本語") });
    expect(await makeHowto(db, author, spaceId, { tags: "ünïcödé" })).toBeGreaterThan(0);
  });
});
