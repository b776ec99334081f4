/** A tag longer than the limit is refused with a message on the tags field, never cut short without a word. */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makeQuestion } from "../../tests/fixtures/qa";
import { editQuestion } from "./questions.server";

const LONG = "microsoft-exchange-online-shared-mailbox-permissions-sync"; // 57 characters
const MESSAGE = `Tags can be at most 35 characters: “${LONG}” is 57.`;

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe("tags longer than the limit", () => {
  test("asking and editing a question say so on the tags field", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const asked = await rejection(makeQuestion(db, asker, spaceId, { tags: `vpn, ${LONG}` }));
    expect(asked.status).toBe(400);
    expect(asked.fieldErrors).toEqual({ tags: MESSAGE });
    // Typed as words, it is the same tag once normalised: the message quotes the tag it would have become.
    const plain = await rejection(
      makeQuestion(db, asker, spaceId, { tags: "Microsoft Exchange Online shared mailbox permissions sync" }),
    );
    expect(plain.fieldErrors).toEqual({ tags: MESSAGE });

    const questionId = await makeQuestion(db, asker, spaceId, { tags: "vpn" });
    const edited = await rejection(
      editQuestion(db, {
        actor: asker,
        questionId,
        title: "Question about the VPN dropping every morning",
        body: "I tried restarting the router and the laptop, and the problem still happens every morning.",
        tags: ["vpn", LONG],
        isPlainLanguage: false,
      }),
    );
    expect(edited.fieldErrors).toMatchObject({ tags: MESSAGE });
  });

  test("how-tos say so too, and a tag of exactly the limit is kept whole", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const spaceId = await makeSpace(db);
    const refused = await rejection(makeHowto(db, author, spaceId, { tags: LONG }));
    expect(refused.fieldErrors).toEqual({ tags: MESSAGE });
    expect(await makeHowto(db, author, spaceId, { tags: "a".repeat(35) })).toBeGreaterThan(0);
  });
});
