import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeQuestion } from "../../tests/fixtures/qa";
import { softDeletePost } from "./posts.server";
import { ensureTags, suggestTags } from "./tags.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

describe("tag suggestions while typing", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const asker = await makePerson(db);
    const other = await makePerson(db);
    const spaceId = await makeSpace(db);
    await ensureTags(db, [
      "vpn-client",
      "openvpn",
      "vpn",
      "wi-fi",
      "exchange-online",
      "exchange_server",
      "c-sharp",
      "a_b",
      "axb",
    ]);
    // "vpn" is on three live posts, "vpn-client" on two, "openvpn" on one live and one deleted.
    await makeQuestion(db, asker, spaceId, { tags: "vpn, vpn-client" });
    await makeQuestion(db, asker, spaceId, { tags: "vpn, vpn-client, openvpn" });
    await makeQuestion(db, other, spaceId, { tags: "vpn" });
    const deleted = await makeQuestion(db, other, spaceId, { tags: "openvpn" });
    await softDeletePost(db, { postId: deleted, by: other.id });
  });
  afterAll(() => database.close());

  test("tags starting with what was typed come first, most used first, then tags containing it", async () => {
    expect(await suggestTags(database.db, "vpn", 10)).toEqual([
      { slug: "vpn", uses: 3 },
      { slug: "vpn-client", uses: 2 },
      { slug: "openvpn", uses: 1 },
    ]);
  });

  test("what was typed is normalised first, so 'Exchange ' finds exchange-online", async () => {
    expect((await suggestTags(database.db, "Exchange ", 10)).map((t) => t.slug)).toEqual([
      "exchange-online",
      "exchange-server",
    ]);
    expect((await suggestTags(database.db, "C#", 10)).map((t) => t.slug)).toEqual(["c-sharp"]);
    expect((await suggestTags(database.db, "WI FI", 10)).map((t) => t.slug)).toEqual(["wi-fi"]);
  });

  test("LIKE wildcards in the query match only themselves, and empty queries suggest nothing", async () => {
    // Normalising already turns _ into a hyphen; the escaping keeps a future change from letting "a_b" match "axb".
    expect((await suggestTags(database.db, "a_b", 10)).map((t) => t.slug)).toEqual(["a-b"]);
    expect(await suggestTags(database.db, "%", 10)).toEqual([]);
    expect(await suggestTags(database.db, "  , ", 10)).toEqual([]);
    expect(await suggestTags(database.db, "zzz-nothing", 10)).toEqual([]);
  });

  test("the number of suggestions is capped", async () => {
    expect(await suggestTags(database.db, "v", 1)).toEqual([{ slug: "vpn", uses: 3 }]);
  });
});
